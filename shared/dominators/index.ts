import { typeCodes, type HeapGraph, type TypeCodes } from '../graph/graph.js';
import { essentialEdges } from './essential.js';
import { distances as computeDistances } from './distances.js';
import { DOM_DETACHED, pageOwned, propagateDomState, userRootTargets } from './flags.js';
import { lengauerTarjan } from './lengauer-tarjan.js';
import { shallowSizes } from './shallow.js';
import { WeakMapEdgeNames } from './weakmap.js';

export { BASE_SYSTEM_DISTANCE, NO_DISTANCE } from './distances.js';

/** Everything computed from the graph's shape that the analyses share. */
export interface Dominance {
  tc: TypeCodes;
  /** Shallow size as DevTools shows it (backing stores moved into their single owner). */
  shallow: Uint32Array | Float64Array;
  retained: Float64Array;
  idom: Uint32Array;
  /** Nodes in an order where each comes after its dominator. */
  order: Uint32Array;
  distance: Int32Array;
  viaEdge: Uint32Array;
  /** DOM link state after propagation (detached native nodes are shown as "Detached ..."). */
  domState: Uint8Array;
  userRoots: number[];
  /** Whether a node's name is shown with a "Detached " prefix; name checks must not match such nodes. */
  renamed: (o: number) => boolean;
}

export type PhaseTimer = <T>(name: string, fn: () => T) => T;
const untimed: PhaseTimer = (_name, fn) => fn();

export function computeDominance(g: HeapGraph, time: PhaseTimer = untimed): Dominance {
  const tc = typeCodes(g);
  const names = g.strings.indexesOf([
    '(Document DOM trees)', 'system / ExternalStringData', 'sloppy_function_map', 'system / NativeContext',
    '(map descriptors)',
  ]);
  const set = (k: string) => new Set(names.get(k));
  const docTrees = set('(Document DOM trees)');
  const wm = new WeakMapEdgeNames(g);
  const userRoots = userRootTargets(g, tc, docTrees);

  const domState = time('flags', () => propagateDomState(g, tc, Buffer.from('Detached ')));
  const owned = time('flags', () => pageOwned(g, tc, docTrees));
  const essential = time('dominators', () => essentialEdges(g, tc, owned, wm));
  const renamed = detachedRenamed(g, tc, domState);
  const shallow = time('shallow sizes', () => shallowSizes(g, tc, userRoots.length > 0, set('system / ExternalStringData'), renamed));
  const { distance, viaEdge } = time('distances', () => computeDistances(g, tc, userRoots, wm, {
    sloppyFunctionMap: set('sloppy_function_map'), nativeContext: set('system / NativeContext'),
    mapDescriptors: set('(map descriptors)'),
  }));
  const { idom, order } = time('dominators', () => lengauerTarjan({
    nodeCount: g.nodeCount, root: g.rootOrdinal, firstEdge: g.firstEdge, edgeTo: g.edgeTo, essential,
  }));
  const retained = time('retained sizes', () => retainedSizes(shallow, idom, order));
  return { tc, shallow, retained, idom, order, distance, viaEdge, domState, userRoots, renamed };
}

/** Whether DevTools shows node o under a "Detached " name (a native node found detached). */
export function detachedRenamed(g: HeapGraph, tc: TypeCodes, domState: Uint8Array): (o: number) => boolean {
  if (!g.detachedness) return () => false;
  return (o) => g.nodeType[o] === tc.native && domState[o] === DOM_DETACHED;
}

/** Each node's shallow size plus everything it dominates: sum up the tree, children before dominators. */
export function retainedSizes(shallow: ArrayLike<number>, idom: Uint32Array, order: Uint32Array): Float64Array {
  const n = idom.length;
  const retained = new Float64Array(n);
  for (let o = 0; o < n; o++) retained[o] = shallow[o];
  for (let i = n - 1; i >= 1; i--) {
    const o = order[i];
    retained[idom[o]] += retained[o];
  }
  return retained;
}

/** Children of each node in the dominator tree, as a CSR: kids[start[o] .. start[o+1]-1]. */
export function dominatedChildren(idom: Uint32Array, root: number): { start: Uint32Array; kids: Uint32Array } {
  const n = idom.length;
  const start = new Uint32Array(n + 1);
  for (let o = 0; o < n; o++) if (o !== root) start[idom[o] + 1]++;
  for (let o = 1; o <= n; o++) start[o] += start[o - 1];
  const fill = start.slice(0, n);
  const kids = new Uint32Array(Math.max(0, n - 1));
  for (let o = 0; o < n; o++) if (o !== root) kids[fill[idom[o]]++] = o;
  return { start, kids };
}
