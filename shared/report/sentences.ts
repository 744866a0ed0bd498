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
const BUILTIN_CLASS =
  /::|^(Object|Array|Map|Set|WeakMap|WeakSet|Function|Buffer|ArrayBuffer|[A-Z][a-z0-9]*Array|Promise|Date|RegExp|Error|system \/ .*|Node \/ .*|\(.*\)|)$/;
const INTERNAL_CLASS = /^\((compiled code|system|array|object shape)\)$/;

/** V8's own objects as DevTools groups them: compiled code, system objects, arrays, shapes. */
export const isInternalClass = (name: string) => INTERNAL_CLASS.test(name);

/**
 * One suspect in one plain sentence: what holds the growth, where, how fast, and what accumulates (the program's
 * own classes first, then the language's, V8 internals last).
 */
export function suspectSentence(s: Suspect, f: SentenceFormat = PLAIN): string {
  const p = s.accumulationPoint;
  const steps = s.growth.perStep.length;
  const own = s.accumulates.filter((a) => !BUILTIN_CLASS.test(a.className)).sort((a, b) => b.totalCount - a.totalCount);
  const rest = s.accumulates.filter((a) => BUILTIN_CLASS.test(a.className) && !INTERNAL_CLASS.test(a.className));
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
