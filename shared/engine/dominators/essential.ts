import { EDGE_TO, EDGE_TYPE_SHIFT, type HeapGraph, type TypeCodes } from '../graph/graph.js';
import type { WeakMapEdgeNames } from './weakmap.js';

/**
 * Which edges count for dominance, by DevTools' rules: not weak edges, not self edges, not the WeakMap
 * table -> value edge (the key -> value edge stands for the pair), not shortcut edges except from the root, and not
 * edges from a non-page-owned node to a page-owned one. The dominator search judges each edge as it meets it, so
 * no pass of its own goes over the edges for this: for nearly every node (`plain`) by its type and target alone, and
 * for the few others by `countsFor`.
 */
export interface EssentialRule {
  root: number;
  /** Bit t set: edges of type t never count. */
  never: number;
  /** Bit t set: edges of type t count only from the root. */
  rootOnly: number;
  /** The internal edge type (-1: none), whose WeakMap table -> value edges do not count (needs `wm`). */
  internal: number;
  wm: WeakMapEdgeNames | null;
  edgeName: Uint32Array;
  nodeId: Uint32Array;
  /** Page-owned nodes, a bit each (`pageOwned`); null when none is. */
  owned: Uint32Array | null;
  /**
   * Nodes whose edges count by their type and target alone, a bit each: page-owned, not the root and not a WeakMap
   * table; null when that holds of every node (no ownership, no WeakMaps).
   */
  plain: Uint32Array | null;
}

/** The rule for a heap snapshot's graph, once page ownership is known. */
export function snapshotRule(
  g: HeapGraph,
  tc: TypeCodes,
  wm: WeakMapEdgeNames,
  owned: Uint32Array | null,
): EssentialRule {
  let plain: Uint32Array | null = null;
  if (owned) {
    plain = owned.slice();
    for (const o of [g.rootOrdinal, ...weakMapTables(g, wm)]) plain[o >>> 5] &= ~(1 << (o & 31));
  }
  return {
    root: g.rootOrdinal,
    never: typeBit(tc.eWeak),
    rootOnly: typeBit(tc.eShortcut),
    internal: tc.eInternal,
    wm,
    edgeName: g.edgeName,
    nodeId: g.nodeId,
    owned,
    plain,
  };
}

/**
 * The nodes whose id some edge name gives as a WeakMap's table (few, or none): every string is looked at (a few
 * bytes of each, as `WeakMapEdgeNames` does), then every node id, through a 64K-bit filter of the tables' ids.
 */
export function weakMapTables(g: HeapGraph, wm: WeakMapEdgeNames): number[] {
  const ids = new Set<number>();
  for (let s = 0, n = g.strings.count; s < n; s++) {
    const m = wm.match(s);
    if (m) ids.add(m.table);
  }
  if (ids.size === 0) return [];
  const filter = new Uint32Array(1 << 11);
  for (const id of ids) filter[(id >>> 5) & 0x7ff] |= 1 << (id & 31);
  const found: number[] = [];
  const { nodeId } = g;
  for (let o = 0, n = g.nodeCount; o < n; o++) {
    const id = nodeId[o];
    if (filter[(id >>> 5) & 0x7ff] & (1 << (id & 31)) && ids.has(id)) found.push(o);
  }
  return found;
}

const typeBit = (t: number) => (t >= 0 ? 1 << t : 0);

/** Whether edge e (of node o, with `edgeTypeTo` value tt) counts for dominance (cold paths; the search inlines it). */
export function countsFor(r: EssentialRule, o: number, e: number, tt: number): boolean {
  const t = tt >>> EDGE_TYPE_SHIFT;
  const to = tt & EDGE_TO;
  if (((o === r.root ? r.never : r.never | r.rootOnly) >>> t) & 1 || to === o) return false;
  if (t === r.internal && r.wm && r.wm.isTableEdge(r.edgeName[e], r.nodeId[o])) return false;
  const owned = r.owned;
  return !(owned && o !== r.root && !(owned[o >>> 5] & (1 << (o & 31))) && owned[to >>> 5] & (1 << (to & 31)));
}

/**
 * Page-owned nodes, a bit each: everything reachable over non-weak edges from the root's shortcut edges (the global
 * objects) and from "(Document DOM trees)". A bitmap (a 14.4M-node heap's is 1.8 MB) stays in cache while the walk
 * tests a random target per edge. `stack`: at least nodeCount long (each node is pushed once at most), so the
 * frontier, millions of nodes in a big heap, never grows by copying (a buffer the caller then uses for more).
 */
export function pageOwned(
  g: HeapGraph,
  tc: TypeCodes,
  docTreesNames: Set<number>,
  stack: Uint32Array = new Uint32Array(g.nodeCount),
): Uint32Array {
  const n = g.nodeCount;
  const { firstEdge, edgeTypeTo, nodeType, nodeName } = g;
  const root = g.rootOrdinal;
  const { eWeak, eShortcut, eElement } = tc;
  const owned = new Uint32Array((n + 31) >>> 5);
  let sp = 0;
  for (let e = firstEdge[root]; e < firstEdge[root + 1]; e++) {
    const t = edgeTypeTo[e] >>> EDGE_TYPE_SHIFT;
    const to = edgeTypeTo[e] & EDGE_TO;
    if (t === eElement) {
      if (!(nodeType[to] === tc.synthetic && docTreesNames.has(nodeName[to]))) continue;
    } else if (t !== eShortcut) continue;
    const bit = 1 << (to & 31);
    if (!(owned[to >>> 5] & bit)) {
      owned[to >>> 5] |= bit;
      stack[sp++] = to;
    }
  }
  while (sp > 0) {
    const o = stack[--sp];
    for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
      const tt = edgeTypeTo[e];
      if (tt >>> EDGE_TYPE_SHIFT === eWeak) continue;
      const to = tt & EDGE_TO;
      const bit = 1 << (to & 31);
      if (!(owned[to >>> 5] & bit)) {
        owned[to >>> 5] |= bit;
        stack[sp++] = to;
      }
    }
  }
  return owned;
}

/**
 * For each node, an upper bound on how many edges that count for dominance point at it: its in-degree over edges
 * that are not weak, not self edges and not shortcuts from other nodes than the root. (The two rules left out,
 * ownership and WeakMap tables, only ever drop edges.) Needs nothing but the graph, so another thread can count it
 * while this one finds page ownership. `into`: nodeCount + 1 zeros.
 */
export function inboundBound(g: HeapGraph, tc: TypeCodes, into: Uint32Array): Uint32Array {
  const { firstEdge, edgeTypeTo } = g;
  const root = g.rootOrdinal;
  const never = typeBit(tc.eWeak),
    rootOnly = typeBit(tc.eShortcut);
  for (let o = 0, n = g.nodeCount; o < n; o++) {
    const skip = o === root ? never : never | rootOnly;
    for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
      const tt = edgeTypeTo[e];
      if ((skip >>> (tt >>> EDGE_TYPE_SHIFT)) & 1) continue;
      const to = tt & EDGE_TO;
      if (to !== o) into[to]++;
    }
  }
  return into;
}
