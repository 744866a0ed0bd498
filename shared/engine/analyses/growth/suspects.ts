import { edgeToOf, edgeTypeOf, type HeapGraph } from '../../graph/graph.js';
import type { Dominance } from '../../dominators/index.js';
import type { ClassTable } from '../classes.js';
import { displayName, edgeLabel, edgeSource } from '../names.js';
import { retainerPath, type PathStep } from '../paths.js';
import type { Accumulated, Confidence, ContainerTrend, Suspect } from '../../../report/diff-model.js';
import { bytes } from '../../../report/format.js';
import { isInternalClass, suspectSentence } from '../../../report/sentences.js';
import type { ContainerTracker, Track } from './containers.js';

/**
 * Leak suspects from the objects that grew in every step (see containers.ts), in the last snapshot's graph.
 *
 * Growth runs down the dominator tree from the roots to where it is held. Starting from each followed object that
 * no other followed object dominates, go down to the followed child that holds at least 80% of the growth, and
 * stop where none does: that object holds the growth itself (a Map whose table is replaced as it grows, an array
 * whose elements are). Two rules keep the answer at the level a developer names: never stop in a V8 backing store
 * (the owner is the accumulation point and the path goes on into the store; internal nodes are passed through only
 * on the way to an object of the program's, like a module record on the way to the module's variables), and never
 * go from an object to one of its own class (a linked list is held by its head, not by its last old node). When two or more followed children
 * each grow enough and together hold at least half of the growth, each is a suspect of its own.
 */

/** Share of an object's growth a single child must hold for the search to go down into it. */
const DESCEND_SHARE = 0.8;
/** The least growth, first to last, a suspect must show, in bytes and as a share of the last heap. */
const MIN_LEAK_BYTES = 64 * 1024;
const MIN_LEAK_HEAP_SHARE = 0.001;
/** Below these the growth is churn that happened to end higher, not accumulation. */
const MIN_RETENTION = 0.1;
const MIN_SURVIVAL = 0.1;
/** With two snapshots there is no survival to check, so more of what was added must have stayed. */
const MIN_RETENTION_TWO_SNAPSHOTS = 0.5;
/** Suspects scoring below this are not reported. */
const MIN_SCORE = 0.3;

const INTERNAL_TYPES = new Set(['array', 'hidden', 'code', 'object shape']);
/** Classes that say little about who owns a container; `heldBy` skips them. */
const GENERIC =
  /^(Object|Array|Map|Set|WeakMap|WeakSet|global|Window.*|Generator|AsyncGenerator|Promise|Module.*|BuiltinModule|LoadCache|system \/ .*|\(.*\)|\{.*\}|)$/;

/** The nearest object up the retainer path of `o` that has a class of its own (`WorkQueue`, `EventEmitter`). */
function owner(g: HeapGraph, d: Dominance, o: number): string | null {
  const objectType = d.tc.object;
  for (let k = 0, x = o; k < 64; k++) {
    const via = d.viaEdge[x];
    if (via === 0) return null;
    x = edgeSource(g, via - 1);
    if (x === g.rootOrdinal) return null;
    if (g.nodeType[x] !== objectType) continue;
    const name = displayName(g, d, x);
    if (!GENERIC.test(name)) return name;
  }
  return null;
}

export interface SuspectInput {
  g: HeapGraph;
  d: Dominance;
  ct: ClassTable;
  tracker: ContainerTracker;
  /** Snapshots in the series. */
  snapshots: number;
  totals: number[];
}

interface Candidate {
  j: number;
  o: number;
  track: Track;
  growth: number;
}

export function findSuspects(input: SuspectInput, limit = 10): Suspect[] {
  const { g, ct, tracker, totals } = input;
  const last = tracker.steps[tracker.steps.length - 1];
  if (!last || last.ids.length === 0) return [];
  const ords = tracker.lastOrdinals;
  const cands: Candidate[] = last.ids.map((id, j) => {
    const track = tracker.tracks.get(id)!;
    const r = track.retained;
    return { j, o: ords[j], track, growth: (r[r.length - 1] ?? 0) - (r[0] ?? 0) };
  });
  const kids: number[][] = cands.map(() => []);
  const tops: number[] = [];
  for (let j = 0; j < cands.length; j++) {
    const p = last.parent[j];
    if (p >= 0) kids[p].push(j);
    else tops.push(j);
  }
  const minLeak = Math.max(MIN_LEAK_BYTES, MIN_LEAK_HEAP_SHARE * totals[totals.length - 1]);
  const internal = (o: number) => INTERNAL_TYPES.has(g.nodeTypes[g.nodeType[o]]);
  const points: number[] = [];
  // an explicit stack: a chain of growing objects can be as deep as a linked list is long
  // `seen`: the program's classes met on the way down, and where each was first met
  const stack: { j: number; seen: Map<number, number> }[] = tops.map((j) => ({ j, seen: new Map<number, number>() }));
  while (stack.length) {
    const { j, seen } = stack.pop()!;
    const c = cands[j];
    if (c.growth < minLeak) continue;
    const cls = ct.classOf[c.o];
    // a program's own class met again further down is a recursive structure (a list, a tree): it is held at its top
    if (!GENERIC.test(ct.names[cls]) && !seen.has(cls)) seen.set(cls, j);
    const ks = kids[j].sort((a, b) => cands[b].growth - cands[a].growth);
    // the child that holds the growth; through V8-internal nodes only when an object of the program's lies beyond
    // (a module record on the way to a module's variables), never into a backing store that holds it itself
    let big = ks.length ? cands[ks[0]] : null;
    while (big && internal(big.o) && big.growth >= DESCEND_SHARE * c.growth) {
      const next = kids[big.j].reduce<Candidate | null>(
        (m, k) => (!m || cands[k].growth > m.growth ? cands[k] : m),
        null,
      );
      if (!next || next.growth < DESCEND_SHARE * c.growth) {
        big = null;
        break;
      }
      big = next;
    }
    if (big && big.growth >= DESCEND_SHARE * c.growth && !internal(big.o)) {
      const bc = ct.classOf[big.o];
      if (bc !== cls && !seen.has(bc)) {
        stack.push({ j: big.j, seen });
        continue;
      }
      if (bc !== cls) {
        points.push(seen.get(bc)!); // the top of the recursive structure
        continue;
      }
    }
    const significant = ks.filter((k) => cands[k].growth >= minLeak);
    if (significant.length >= 2 && significant.reduce((sum, k) => sum + cands[k].growth, 0) >= 0.5 * c.growth) {
      for (const k of significant) stack.push({ j: k, seen: new Map(seen) });
      continue;
    }
    points.push(j);
  }

  const heapGrowth = totals[totals.length - 1] - totals[0];
  const suspects: Suspect[] = [];
  for (const j of new Set(points)) {
    const s = describe(input, cands[j], heapGrowth);
    if (s) suspects.push(s);
  }
  const tier: Record<Confidence, number> = { high: 2, medium: 1, low: 0 };
  suspects.sort((a, b) => tier[b.confidence] - tier[a.confidence] || b.growth.total - a.growth.total);
  suspects.length = Math.min(suspects.length, limit);
  suspects.forEach((s, i) => {
    s.rank = i + 1;
    s.summary = suspectSentence(s);
  });
  return suspects;
}

function describe(input: SuspectInput, c: Candidate, heapGrowth: number): Suspect | null {
  const { g, d, ct, tracker, snapshots } = input;
  const values = c.track.retained;
  const perStep: number[] = [];
  for (let i = 1; i < values.length; i++) perStep.push((values[i] ?? 0) - (values[i - 1] ?? 0));
  const addedMaps = tracker.addedUnder(c.track.id);
  const addedPerStep = addedMaps.map((m) => [...m.values()].reduce((s, v) => s + v.bytes, 0));
  const addedTotal = addedPerStep.reduce((s, v) => s + v, 0);
  const retention = addedTotal > 0 ? Math.min(1, c.growth / addedTotal) : 1;
  let survival: number | null = null;
  const kept = tracker.keptUnder(c.track.id);
  if (kept !== null && snapshots >= 3) {
    const before = addedPerStep.slice(0, -1).reduce((s, v) => s + v, 0);
    survival = before > 0 ? Math.min(1, kept / before) : null;
  }
  const steadiness = Math.min(...perStep) / Math.max(...perStep);
  const accumulates = accumulated(addedMaps);
  const internalBytes = accumulates.filter((a) => isInternalClass(a.className)).reduce((s, a) => s + a.totalBytes, 0);
  const internalShare = addedTotal > 0 ? internalBytes / addedTotal : 0;
  if (retention < MIN_RETENTION || (survival !== null && survival < MIN_SURVIVAL)) return null;
  if (snapshots < 3 && retention < MIN_RETENTION_TWO_SNAPSHOTS) return null;
  const steps = values.length - 1;
  const stepsFactor = steps === 1 ? 0.6 : steps === 2 ? 0.9 : 1;
  let score = stepsFactor * (0.35 * retention + 0.25 * steadiness + 0.4 * (survival ?? retention));
  if (internalShare > 0.8) score *= 0.5;
  if (score < MIN_SCORE) return null;
  const confidence: Confidence = score >= 0.7 ? 'high' : score >= 0.45 ? 'medium' : 'low';

  const o = c.o;
  const path = pathInto(g, d, o);
  const pointStep = path.steps[path.pointIndex];
  const edge = pointStep ? pointStep.label : '';
  const heldBy = owner(g, d, o);
  const className = ct.names[ct.classOf[o]];
  const name = displayName(g, d, o);
  const share = heapGrowth > 0 ? Math.min(1, c.growth / heapGrowth) : null;

  const series = values.map((v) => (v === null ? '-' : bytes(v))).join(' → ');
  const evidence: string[] = [
    `Retained size grew in every one of ${steps} step${steps > 1 ? 's' : ''}: ${series}`,
    `${percent(retention)} of what arrived under it stayed (${bytes(addedTotal)} arrived, it grew ${bytes(c.growth)})`,
  ];
  if (survival !== null)
    evidence.push(`${percent(survival)} of what it gained before the last snapshot is still held in the last one`);
  evidence.push(`Steady: the smallest step added ${percent(steadiness)} of the largest`);
  if (share !== null) evidence.push(`${percent(share)} of the whole heap's growth (${bytes(heapGrowth)})`);
  if (internalShare > 0.8)
    evidence.push(
      `Mostly V8 internals (${percent(internalShare)} compiled code and system objects): often warm-up rather than a leak`,
    );

  const counts = c.track.objectCount;
  return {
    rank: 0,
    confidence,
    score: Math.round(score * 1000) / 1000,
    accumulationPoint: { id: c.track.id, className, name, type: g.nodeTypes[g.nodeType[o]], edge, heldBy },
    path: path.text,
    pathSteps: path.steps,
    growth: { retainedSize: values, objectCount: counts, perStep, total: c.growth, shareOfHeapGrowth: share },
    accumulates: accumulates.slice(0, 10),
    summary: '',
    evidence,
  };
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function accumulated(maps: Map<string, { count: number; bytes: number }>[]): Accumulated[] {
  const names = new Set<string>();
  for (const m of maps) for (const k of m.keys()) names.add(k);
  const out: Accumulated[] = [];
  for (const className of names) {
    const added = maps.map((m) => m.get(className) ?? { count: 0, bytes: 0 });
    out.push({
      className,
      added: added.map((a) => ({ count: a.count, bytes: a.bytes })),
      totalCount: added.reduce((s, a) => s + a.count, 0),
      totalBytes: added.reduce((s, a) => s + a.bytes, 0),
    });
  }
  out.sort((a, b) => b.totalBytes - a.totalBytes || b.totalCount - a.totalCount);
  return out;
}

/**
 * The retainer path of `o`, continued into the V8 backing store it dominates that holds most of what it retains
 * (`requestCache -> (table)`), or for a closure context into the variable that does (`(context) -> theThing`), so
 * the path ends where the growth is. `pointIndex`: the step of `o` itself.
 */
export function pathInto(
  g: HeapGraph,
  d: Dominance,
  o: number,
): { text: string; steps: PathStep[]; pointIndex: number } {
  const p = retainerPath(g, d, o);
  const steps = [...p.steps];
  const pointIndex = steps.length - 1;
  const context = g.strings.get(g.nodeName[o]) === 'system / Context';
  let best = -1,
    bestEdge = -1;
  for (let e = g.firstEdge[o]; e < g.firstEdge[o + 1]; e++) {
    const t = edgeToOf(g, e);
    if (d.idom[t] !== o) continue;
    if (context ? edgeTypeOf(g, e) !== d.tc.eContext : !INTERNAL_TYPES.has(g.nodeTypes[g.nodeType[t]])) continue;
    if (best < 0 || d.retained[t] > d.retained[best]) {
      best = t;
      bestEdge = e;
    }
  }
  if (best >= 0 && d.retained[best] >= 0.5 * d.retained[o]) {
    steps.push({
      label: edgeLabel(g, bestEdge),
      edgeType: g.edgeTypes[edgeTypeOf(g, bestEdge)],
      nodeId: g.nodeId[best],
      nodeName: displayName(g, d, best),
    });
  }
  return { text: steps.map((s) => s.label).join(' -> '), steps, pointIndex };
}

/** The followed objects with the most growth, with their paths, for the trend table. */
export function containerTrends(
  g: HeapGraph,
  d: Dominance,
  ct: ClassTable,
  tracker: ContainerTracker,
  limit: number,
): ContainerTrend[] {
  const last = tracker.steps[tracker.steps.length - 1];
  if (!last) return [];
  const rows = last.ids.map((id, j) => {
    const t = tracker.tracks.get(id)!;
    return { j, t, growth: (t.retained[t.retained.length - 1] ?? 0) - (t.retained[0] ?? 0) };
  });
  rows.sort((a, b) => b.growth - a.growth);
  return rows.slice(0, limit).map(({ j, t, growth }) => {
    const o = tracker.lastOrdinals[j];
    return {
      id: t.id,
      className: ct.names[ct.classOf[o]],
      name: displayName(g, d, o),
      type: g.nodeTypes[g.nodeType[o]],
      path: retainerPath(g, d, o).text,
      retainedSize: t.retained,
      objectCount: t.objectCount,
      growth,
      matchedBy: 'id' as const,
    };
  });
}

/**
 * Suspects across processes, where ids mean nothing: containers found at the same retainer path (and class) in
 * every snapshot whose retained size grew in every step. The same descent applies, along paths instead of the
 * dominator tree: a container gives way to one further down its path that holds 80% of its growth, except a backing
 * store or an object of its own class. What accumulates cannot be followed object by object, so confidence stays
 * below high.
 */
export function pathSuspects(growing: ContainerTrend[], totals: number[], limit = 10): Suspect[] {
  const minLeak = Math.max(MIN_LEAK_BYTES, MIN_LEAK_HEAP_SHARE * totals[totals.length - 1]);
  const big = growing.filter((c) => c.growth >= minLeak);
  const below = (a: ContainerTrend, b: ContainerTrend) => b.path.startsWith(a.path + ' -> ');
  const kept = big.filter(
    (a) =>
      !big.some(
        (b) =>
          below(a, b) &&
          b.growth >= DESCEND_SHARE * a.growth &&
          !INTERNAL_TYPES.has(b.type) &&
          b.className !== a.className,
      ),
  );
  const points = kept.filter(
    (b) => !kept.some((a) => below(a, b) && (INTERNAL_TYPES.has(b.type) || b.className === a.className)),
  );
  const heapGrowth = totals[totals.length - 1] - totals[0];
  const out: Suspect[] = [];
  for (const c of points) {
    const values = c.retainedSize;
    const perStep = values.slice(1).map((v, i) => (v ?? 0) - (values[i] ?? 0));
    const steps = perStep.length;
    const steadiness = Math.min(...perStep) / Math.max(...perStep);
    const relative = (values[0] ?? 0) > 0 ? Math.min(1, c.growth / (values[0] as number)) : 1;
    const score = Math.min(0.6, (steps === 1 ? 0.5 : 0.7) * (0.5 * steadiness + 0.5 * relative));
    if (score < MIN_SCORE) continue;
    const edge = c.path.split(' -> ').pop() ?? '';
    const share = heapGrowth > 0 ? Math.min(1, c.growth / heapGrowth) : null;
    const series = values.map((v) => (v === null ? '-' : bytes(v))).join(' → ');
    out.push({
      rank: 0,
      confidence: score >= 0.45 ? 'medium' : 'low',
      score: Math.round(score * 1000) / 1000,
      accumulationPoint: { id: c.id, className: c.className, name: c.name, type: c.type, edge, heldBy: null },
      path: c.path,
      pathSteps: [],
      growth: { retainedSize: values, objectCount: c.objectCount, perStep, total: c.growth, shareOfHeapGrowth: share },
      accumulates: [],
      summary: '',
      evidence: [
        `Found at the same retainer path in all ${values.length} snapshots (different processes: matched by path and class, not by id)`,
        `Retained size grew in every one of ${steps} step${steps > 1 ? 's' : ''}: ${series}`,
        `Steady: the smallest step added ${percent(steadiness)} of the largest`,
        ...(share !== null ? [`${percent(share)} of the whole heap's growth (${bytes(heapGrowth)})`] : []),
      ],
    });
  }
  out.sort((a, b) => b.score - a.score || b.growth.total - a.growth.total);
  out.length = Math.min(out.length, limit);
  out.forEach((s, i) => {
    s.rank = i + 1;
    s.summary = suspectSentence(s);
  });
  return out;
}
