import { typeCodes, type HeapGraph, type TypeCodes } from '../graph/graph.js';
import { inboundBound, pageOwned, snapshotRule, type EssentialRule } from './essential.js';
import { distances as computeDistances } from './distances.js';
import { DOM_DETACHED, propagateDomState, userRootTargets } from './dom-state.js';
import { semiNca, type SearchBuffers } from './semi-nca.js';
import { shallowSizes } from './shallow.js';
import { WeakMapEdgeNames } from './weakmap.js';
import { spareOr } from '../util/spare.js';
import { untimed, type PhaseTimer } from '../util/timing.js';

export { BASE_SYSTEM_DISTANCE, NO_DISTANCE, distanceAt, type DistanceColumn } from './distances.js';
import type { DistanceColumn } from './distances.js';

/** Everything computed from the graph's shape that the analyses share. */
export interface Dominance {
  tc: TypeCodes;
  /** Shallow size as DevTools shows it (backing stores moved into their single owner). */
  shallow: Uint32Array | Float64Array;
  /** Retained sizes: 32-bit when the whole heap's size fits in 32 bits, as every retained size then does. */
  retained: Uint32Array | Float64Array;
  /** Immediate dominators (empty once the Summary has its tree, unless a growth diff needs them). */
  idom: Uint32Array;
  /** Nodes in an order where each comes after its dominator (empty once used, unless a growth diff needs it). */
  order: Uint32Array;
  /** Read with `distanceAt`. */
  distance: DistanceColumn;
  /**
   * For each node, 1 + the edge the search for distances reached it by: paths are drawn from it. A single analysis
   * lets it go (empty) once the largest objects have theirs.
   */
  viaEdge: Uint32Array;
  /** How many nodes a root reaches (the rest have no distance). */
  reached: number;
  /** DOM link state after propagation (detached native nodes are shown as "Detached ..."). */
  domState: Uint8Array;
  userRoots: number[];
  /** Whether a node's name is shown with a "Detached " prefix; name checks must not match such nodes. */
  renamed: (o: number) => boolean;
}

/** The cheap first step both threads need: type codes, names looked up once, DOM state, user roots. */
export interface Prepared {
  tc: TypeCodes;
  names: Map<string, number[]>;
  wm: WeakMapEdgeNames;
  userRoots: number[];
  domState: Uint8Array;
  renamed: (o: number) => boolean;
}

const LOOKED_UP = [
  '(Document DOM trees)',
  'system / ExternalStringData',
  'sloppy_function_map',
  'system / NativeContext',
  '(map descriptors)',
];

export function prepare(g: HeapGraph, time: PhaseTimer = untimed, domState?: Uint8Array): Prepared {
  const tc = typeCodes(g);
  const names = g.strings.indexesOf(LOOKED_UP);
  const docTrees = new Set(names.get('(Document DOM trees)'));
  const state = domState ?? time('flags', () => propagateDomState(g, tc, Buffer.from('Detached ')));
  return {
    tc,
    names,
    wm: new WeakMapEdgeNames(g),
    userRoots: userRootTargets(g, tc, docTrees),
    domState: state,
    renamed: detachedRenamed(g, tc, state),
  };
}

export function shallowStep(g: HeapGraph, p: Prepared): Uint32Array | Float64Array {
  return shallowSizes(g, p.tc, p.userRoots.length > 0, new Set(p.names.get('system / ExternalStringData')), p.renamed);
}

/** Distances (`spare`, `via`: node-sized buffers nothing needs any more, for the search's queue and `viaEdge`). */
export function distanceStep(g: HeapGraph, p: Prepared, spare?: Uint32Array, via?: Uint32Array) {
  return computeDistances(
    g,
    p.tc,
    p.userRoots,
    p.wm,
    {
      sloppyFunctionMap: new Set(p.names.get('sloppy_function_map')),
      nativeContext: new Set(p.names.get('system / NativeContext')),
      mapDescriptors: new Set(p.names.get('(map descriptors)')),
    },
    spare,
    via,
  );
}

/**
 * Page ownership, and with it which edges count for dominance: the first half of the dominator pass. `scratch`
 * (nodeCount + 1 long) holds the walk's stack, and then the dominator search's order.
 */
export function ruleStep(g: HeapGraph, p: Prepared, scratch: Uint32Array): EssentialRule {
  return snapshotRule(g, p.tc, p.wm, pageOwned(g, p.tc, new Set(p.names.get('(Document DOM trees)')), scratch));
}

/** For the helper thread: the bound on each node's essential retainers the dominator search starts from. */
export function inboundStep(
  g: HeapGraph,
  p: Pick<Prepared, 'tc'>,
  into: Uint32Array = new Uint32Array(g.nodeCount + 1),
): Uint32Array {
  return inboundBound(g, p.tc, into);
}

/** Semi-NCA over the edges that count, from the bound on each node's retainers: the dominator tree. */
export function dominatorTree(
  g: HeapGraph,
  rule: EssentialRule,
  inbound: Uint32Array,
  scratch?: Uint32Array,
  buffers?: SearchBuffers,
) {
  return semiNca({
    nodeCount: g.nodeCount,
    root: g.rootOrdinal,
    firstEdge: g.firstEdge,
    edgeTo: g.edgeTypeTo,
    rule,
    inbound,
    scratch,
    buffers,
  });
}

/** The dominator tree on this thread alone. */
export function dominatorStep(g: HeapGraph, p: Prepared, time: PhaseTimer = untimed) {
  return time('dominators', () => {
    const scratch = new Uint32Array(g.nodeCount + 1);
    return dominatorTree(g, ruleStep(g, p, scratch), inboundStep(g, p), scratch);
  });
}

/** Everything in one thread, in DevTools' order. */
export function computeDominance(g: HeapGraph, time: PhaseTimer = untimed): Dominance {
  const p = prepare(g, time);
  const shallow = time('shallow sizes', () => shallowStep(g, p));
  const { distance, viaEdge, reached } = time('distances', () => distanceStep(g, p));
  const { idom, order, spare } = dominatorStep(g, p, time);
  const retained = time('retained sizes', () => retainedSizes(shallow, idom, order, spare[0]));
  return {
    tc: p.tc,
    shallow,
    retained,
    idom,
    order,
    distance,
    viaEdge,
    reached,
    domState: p.domState,
    userRoots: p.userRoots,
    renamed: p.renamed,
  };
}

/** Whether DevTools shows node o under a "Detached " name (a native node found detached). */
export function detachedRenamed(g: HeapGraph, tc: TypeCodes, domState: Uint8Array): (o: number) => boolean {
  if (!g.detachedness) return () => false;
  return (o) => g.nodeType[o] === tc.native && domState[o] === DOM_DETACHED;
}

/**
 * Each node's shallow size plus everything it dominates: sum up the tree, children before dominators. `into`: a
 * node-sized buffer nothing needs any more, for the result when it fits in 32 bits.
 */
export function retainedSizes(
  shallow: ArrayLike<number>,
  idom: Uint32Array,
  order: Uint32Array,
  into?: Uint32Array,
): Uint32Array | Float64Array {
  const n = idom.length;
  let total = 0;
  for (let o = 0; o < n; o++) total += shallow[o];
  const retained = total > 0xffffffff ? new Float64Array(n) : spareOr(into, n, false); // every entry is written below
  for (let o = 0; o < n; o++) retained[o] = shallow[o];
  for (let i = n - 1; i >= 1; i--) {
    const o = order[i];
    retained[idom[o]] += retained[o];
  }
  return retained;
}

/**
 * Children of each node in the dominator tree, as a CSR: kids[start[o] .. start[o+1]-1] (`spare`, and `starts` if
 * given, are overwritten: buffers nothing needs any more).
 */
export function dominatedChildren(
  idom: Uint32Array,
  root: number,
  spare?: Uint32Array,
  starts?: Uint32Array,
): { start: Uint32Array; kids: Uint32Array } {
  const n = idom.length;
  // counts, then their running sums (where each node's children end), then filled from the back: each node's
  // children land in increasing order and its entry walks down to where they begin, so no cursor array is needed
  const start = spareOr(starts, n + 1, true);
  for (let o = 0; o < n; o++) if (o !== root) start[idom[o]]++;
  for (let o = 1; o <= n; o++) start[o] += start[o - 1];
  // a spare buffer the caller no longer needs (the node order, at its size) saves a node-sized array
  const kids = spareOr(spare, Math.max(0, n - 1), false);
  for (let o = n - 1; o >= 0; o--) if (o !== root) kids[--start[idom[o]]] = o;
  return { start, kids };
}
