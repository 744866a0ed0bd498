import { EDGE_TO, EDGE_TYPE_SHIFT, type HeapGraph, type TypeCodes } from '../graph/graph.js';
import type { WeakMapEdgeNames } from './weakmap.js';
import { spareOr } from '../util/spare.js';

/** Distance given to the root when user roots exist: nodes reached only from system roots sit past it. */
export const BASE_SYSTEM_DISTANCE = 100000000;
export const NO_DISTANCE = -5;

export interface DistanceNames {
  sloppyFunctionMap: Set<number>;
  nativeContext: Set<number>;
  mapDescriptors: Set<number>;
}

/**
 * Distances as kept: 16 bits each when they fit (no distance: 0xffff; past the system base: 0x8000 + the rest),
 * else 32. Read them with `distanceAt`.
 */
export type DistanceColumn = Int32Array | Uint16Array;

const NONE16 = 0xffff,
  SYSTEM16 = 0x8000;

/** The distance of node o as DevTools shows it (NO_DISTANCE when no root reaches it). */
export function distanceAt(column: DistanceColumn, o: number): number {
  const v = column[o];
  if (column instanceof Int32Array) return v;
  return v === NONE16 ? NO_DISTANCE : v & SYSTEM16 ? BASE_SYSTEM_DISTANCE + (v & 0x7fff) : v;
}

export interface Distances {
  /** Packed: read with `distanceAt`. */
  distance: DistanceColumn;
  /** For each reached node, 1 + the edge ordinal the BFS reached it by (0 for starting points and unreached). */
  viaEdge: Uint32Array;
  /** How many nodes a root reaches (the others show no distance). */
  reached: number;
}

/**
 * Breadth-first distances as DevTools computes them: first from the user roots (distance 1), then from the root
 * for what they do not reach. Weak edges are not followed; descriptor-array links and a native context's
 * sloppy_function_map are skipped; of the two edges that hold a WeakMap value, the first one met is skipped so the
 * value's distance is the larger of (table + 1, key + 1).
 */
export function distances(
  g: HeapGraph,
  tc: TypeCodes,
  userRoots: number[],
  wm: WeakMapEdgeNames,
  names: DistanceNames,
  spare?: Uint32Array,
  via?: Uint32Array,
): Distances {
  // Each search queues a node at most once, so a node-sized queue holds it: a spare buffer of that size if given
  const queue = spareOr(spare, g.nodeCount, false);
  const viaEdge = spareOr(via, g.nodeCount, true);
  // in 16 bits, unless some distance does not fit (paths over 32766 long): then again in 32
  return (
    search(g, tc, userRoots, wm, names, queue, viaEdge, true) ??
    search(g, tc, userRoots, wm, names, queue, viaEdge.fill(0), false)!
  );
}

/** `viaEdge`: all zeros. */
function search(
  g: HeapGraph,
  tc: TypeCodes,
  userRoots: number[],
  wm: WeakMapEdgeNames,
  names: DistanceNames,
  queue: Uint32Array,
  viaEdge: Uint32Array,
  narrow: boolean,
): Distances | null {
  const n = g.nodeCount;
  const none = narrow ? NONE16 : NO_DISTANCE,
    base = narrow ? SYSTEM16 : BASE_SYSTEM_DISTANCE;
  const distance = narrow ? new Uint16Array(n).fill(NONE16) : new Int32Array(n).fill(NO_DISTANCE);
  const pending = new Set<string>();
  const { firstEdge, edgeTypeTo, edgeName, nodeType, nodeName } = g;
  const { eWeak, eInternal, hidden, array, eElement, eHidden } = tc;
  const strings = g.strings;

  const allowed = (o: number, e: number): boolean => {
    const t = edgeTypeTo[e] >>> EDGE_TYPE_SHIFT;
    const nt = nodeType[o];
    if (
      nt === hidden &&
      t !== eElement &&
      t !== eHidden &&
      names.sloppyFunctionMap.has(edgeName[e]) &&
      names.nativeContext.has(nodeName[o])
    ) {
      return false;
    }
    if (nt === array && names.mapDescriptors.has(nodeName[o])) {
      const index = t === eElement || t === eHidden ? edgeName[e] : parseInt(strings.get(edgeName[e]), 10);
      return index < 2 || index % 3 !== 1;
    }
    if (t === eInternal) {
      const m = wm.match(edgeName[e]);
      if (m && !pending.delete(m.dup)) {
        pending.add(m.dup);
        return false;
      }
    }
    return true;
  };

  /** How many nodes the search queued in all (`len` to start with), or -1 when a distance does not fit in 16 bits */
  const bfs = (len: number): number => {
    let head = 0;
    while (head < len) {
      const o = queue[head++];
      const d = distance[o] + 1;
      if (narrow && (d & 0x7fff) === 0x7fff) return -1;
      for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
        const tt = edgeTypeTo[e];
        if (tt >>> EDGE_TYPE_SHIFT === eWeak) continue;
        const to = tt & EDGE_TO;
        if (distance[to] !== none) continue;
        if (!allowed(o, e)) continue;
        distance[to] = d;
        viaEdge[to] = e + 1;
        queue[len++] = to;
      }
    }
    return len;
  };

  let len = 0;
  const r = g.rootOrdinal;
  for (let e = firstEdge[r]; e < firstEdge[r + 1]; e++) {
    const to = edgeTypeTo[e] & EDGE_TO;
    if (userRoots.includes(to)) {
      viaEdge[to] = e + 1; // the root's last edge to it, should there be two
      if (distance[to] === 1) continue;
      distance[to] = 1;
      queue[len++] = to;
    }
  }
  const fromUserRoots = bfs(len);
  if (fromUserRoots < 0) return null;
  const rootReached = distance[r] !== none; // then the second search counts it again
  distance[r] = len > 0 ? base : 0;
  queue[0] = r;
  const fromRoot = bfs(1);
  if (fromRoot < 0) return null;
  return { distance, viaEdge, reached: fromUserRoots + fromRoot - (rootReached ? 1 : 0) };
}
