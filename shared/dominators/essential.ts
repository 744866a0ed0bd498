import { GrowableU32 } from '../util/growable.js';
import { EDGE_TO, EDGE_TYPE_SHIFT, type HeapGraph, type TypeCodes } from '../graph/graph.js';
import type { WeakMapEdgeNames } from './weakmap.js';

/** A bit per edge. */
export class BitSet {
  readonly words: Uint32Array;
  /** Per target node, how many set bits point at it (filled by essentialEdges). */
  counts?: Uint32Array;
  constructor(size: number) { this.words = new Uint32Array((size + 31) >>> 5); }
  get(i: number): boolean { return (this.words[i >>> 5] & (1 << (i & 31))) !== 0; }
  set(i: number): void { this.words[i >>> 5] |= 1 << (i & 31); }
}

/**
 * The edges that count for dominance, by DevTools' rules: not weak edges, not self edges, not the WeakMap
 * table -> value edge (the key -> value edge stands for the pair), not shortcut edges except from the root,
 * and not edges from a non-page-owned node to a page-owned one.
 *
 * Page-owned nodes are everything reachable over non-weak edges from the root's shortcut edges (the global
 * objects) and from "(Document DOM trees)". The walk that finds them looks at every edge of every page-owned
 * node exactly once, and for those the last rule cannot apply, so their edges are judged right there; only the
 * edges of the nodes left unowned (few, in practice) are judged in a second pass, once ownership is known.
 */
export function essentialEdges(g: HeapGraph, tc: TypeCodes, docTreesNames: Set<number>, wm: WeakMapEdgeNames): BitSet {
  const n = g.nodeCount;
  const bits = new BitSet(g.edgeCount);
  const words = bits.words;
  const indeg = (bits.counts = new Uint32Array(n + 1));
  const { firstEdge, edgeTypeTo, edgeName, nodeId, nodeType, nodeName } = g;
  const root = g.rootOrdinal;
  const { eInternal, eWeak, eShortcut, eElement } = tc;
  const owned = new Uint8Array(n);
  const stack = new GrowableU32(1 << 16); // the unvisited frontier: far fewer than n nodes
  for (let e = firstEdge[root]; e < firstEdge[root + 1]; e++) {
    const t = edgeTypeTo[e] >>> EDGE_TYPE_SHIFT;
    const to = edgeTypeTo[e] & EDGE_TO;
    if (t === eElement) {
      if (!(nodeType[to] === tc.synthetic && docTreesNames.has(nodeName[to]))) continue;
    } else if (t !== eShortcut) continue;
    if (!owned[to]) { owned[to] = 1; stack.push(to); }
  }
  while (stack.length) {
    const o = stack.data[--stack.length];
    const isRoot = o === root;
    for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
      const tt = edgeTypeTo[e];
      const t = tt >>> EDGE_TYPE_SHIFT;
      if (t === eWeak) continue;
      const to = tt & EDGE_TO;
      if (!owned[to]) { owned[to] = 1; stack.push(to); }
      if (to === o || (t === eShortcut && !isRoot)) continue;
      if (t === eInternal) {
        const m = wm.match(edgeName[e]);
        if (m && m.table === nodeId[o]) continue;
      }
      words[e >>> 5] |= 1 << (e & 31);
      indeg[to]++;
    }
  }
  // the nodes left unowned (the root among them, unless something leads back to it)
  for (let o = 0; o < n; o++) {
    if (owned[o]) continue;
    const isRoot = o === root;
    for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
      const tt = edgeTypeTo[e];
      const t = tt >>> EDGE_TYPE_SHIFT;
      if (t === eWeak) continue;
      if (t === eInternal) {
        const m = wm.match(edgeName[e]);
        if (m && m.table === nodeId[o]) continue;
      }
      const to = tt & EDGE_TO;
      if (to === o) continue;
      if (!isRoot && (t === eShortcut || owned[to])) continue;
      words[e >>> 5] |= 1 << (e & 31);
      indeg[to]++;
    }
  }
  return bits;
}
