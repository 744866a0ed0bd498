import type { HeapGraph, TypeCodes } from '../graph/graph.js';
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
 */
export function essentialEdges(g: HeapGraph, tc: TypeCodes, owned: Uint8Array, wm: WeakMapEdgeNames): BitSet {
  const bits = new BitSet(g.edgeCount);
  const words = bits.words;
  const indeg = (bits.counts = new Uint32Array(g.nodeCount + 1));
  const { firstEdge, edgeType, edgeTo, edgeName, nodeId } = g;
  const root = g.rootOrdinal;
  const { eInternal, eWeak, eShortcut } = tc;
  for (let o = 0; o < g.nodeCount; o++) {
    const fromOwned = owned[o];
    const isRoot = o === root;
    for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
      const t = edgeType[e];
      if (t === eWeak) continue;
      if (t === eInternal) {
        const m = wm.match(edgeName[e]);
        if (m && m.table === nodeId[o]) continue;
      }
      const to = edgeTo[e];
      if (to === o) continue;
      if (!isRoot) {
        if (t === eShortcut) continue;
        if (owned[to] && !fromOwned) continue;
      }
      words[e >>> 5] |= 1 << (e & 31);
      indeg[to]++;
    }
  }
  return bits;
}
