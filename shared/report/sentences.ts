import { isInternalClass } from '../engine/analyses/classes.js';
import type { SuspectFinding } from '../engine/analyses/growth/model.js';
import type { Suspect } from './diff-model.js';
import { bytes, count } from './format.js';

/** How a sentence shows code-like parts (names from the snapshot) and plain text, per output format. */
export interface SentenceFormat {
  code: (s: string) => string;
  text: (s: string) => string;
}

const PLAIN: SentenceFormat = { code: (s) => '`' + s + '`', text: (s) => s };
const PATH_ONLY: SentenceFormat = { code: (s) => s, text: (s) => s };

/** Classes of the language and the runtime, as opposed to the program's own. */
const BUILTIN_CLASS = new RegExp(
  `::|^(${[
    ...[
      'Object',
      'Array',
      'Map',
      'Set',
      'WeakMap',
      'WeakSet',
      'Function',
      'Buffer',
      'ArrayBuffer',
      '[A-Z][a-z0-9]*Array',
    ],
    ...['Promise', 'Date', 'RegExp', 'Error', 'system / .*', 'Node / .*', '\\(.*\\)', ''],
  ].join('|')})$`,
);

/**
 * One suspect in one plain sentence: what holds the growth, where, how fast, and what accumulates (the program's
 * own classes first, then the language's, V8 internals last).
 */
export function suspectSentence(
  s: Pick<SuspectFinding, 'accumulationPoint' | 'growth' | 'accumulates' | 'path'>,
  f: SentenceFormat = PLAIN,
): string {
  const p = s.accumulationPoint;
  const steps = s.growth.perStep.length;
  const own = s.accumulates.filter((a) => !BUILTIN_CLASS.test(a.className)).sort((a, b) => b.totalCount - a.totalCount);
  const rest = s.accumulates.filter((a) => BUILTIN_CLASS.test(a.className) && !isInternalClass(a.className));
  const shown = [...own, ...rest, ...s.accumulates].filter((a, i, all) => all.indexOf(a) === i).slice(0, 3);
  const what = shown.map((a) => `${count(Math.round(a.totalCount / steps))} ${f.code(a.className)}`).join(', ');
  const series = s.growth.retainedSize.map((v) => (v === null ? '-' : bytes(v))).join(' → ');
  const named = p.edge && !p.edge.startsWith('(') && !p.edge.startsWith('[') ? ` ${f.code(p.edge)}` : '';
  return (
    `${f.code(p.className)}${named} @${p.id}` +
    f.text(`${p.heldBy ? ` (held by ${p.heldBy})` : ''} at `) +
    f.code(s.path) +
    f.text(` grew by ${bytes(s.growth.total / steps)} per snapshot (${series})`) +
    (what ? f.text(', adding about ') + what + f.text(' per snapshot.') : f.text('.'))
  );
}

/** The sentence with names left bare, control characters shown as `?`: for terminals and chat messages. */
export function suspectLine(s: Suspect): string {
  return terminalSafe(suspectSentence(s, PATH_ONLY));
}

/** Snapshot strings may hold escape sequences: never let them reach a terminal. */
export function terminalSafe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Shares as the evidence says them: whole percents. */
const percent = (x: number) => `${Math.round(x * 100)}%`;

/** The evidence behind a suspect, a sentence per measure. */
export function evidenceSentences(s: SuspectFinding): string[] {
  const e = s.evidence;
  const values = s.growth.retainedSize;
  const steps = values.length - 1;
  const series = values.map((v) => (v === null ? '-' : bytes(v))).join(' → ');
  const grew = `Retained size grew in every one of ${steps} step${steps > 1 ? 's' : ''}: ${series}`;
  const steady = `Steady: the smallest step added ${percent(e.steadiness)} of the largest`;
  const share = s.growth.shareOfHeapGrowth;
  const ofHeap = share === null ? [] : [`${percent(share)} of the whole heap's growth (${bytes(e.heapGrowth)})`];
  if (e.matchedBy === 'path') {
    const where = `Found at the same retainer path in all ${values.length} snapshots`;
    return [`${where} (different processes: matched by path and class, not by id)`, grew, steady, ...ofHeap];
  }
  const out = [grew];
  out.push(
    `${percent(e.retention)} of what arrived under it stayed ` +
      `(${bytes(e.arrived)} arrived, it grew ${bytes(s.growth.total)})`,
  );
  if (e.survival !== null) {
    out.push(`${percent(e.survival)} of what it gained before the last snapshot is still held in the last one`);
  }
  out.push(steady, ...ofHeap);
  if (e.warmUp) {
    const what = `${percent(e.internalShare)} compiled code and system objects`;
    out.push(`Mostly V8 internals (${what}): often warm-up rather than a leak`);
  }
  return out;
}

/** One sentence on where the snapshots come from, and how objects are matched between them therefore. */
export function processNote(
  sameProcess: boolean,
  snapshots: number,
  crossing: { base: number; target: number }[],
): string {
  if (sameProcess) return `All ${snapshots} snapshots come from one process: objects are matched by id.`;
  const pairs = crossing.map((s) => `${s.base + 1} and ${s.target + 1}`).join(', ');
  return (
    `The snapshots come from different processes (object ids do not match between snapshots ${pairs}): ` +
    'classes are compared by name, and containers by retainer path instead of by id.'
  );
}

/** What to tell the reader of a snapshot that looks older than the one before it. */
export function looksOlderWarning(index: number): string {
  return (
    `Snapshot ${index + 1} holds no object newer than snapshot ${index}'s newest: it looks older. ` +
    'Give the snapshots oldest first.'
  );
}
