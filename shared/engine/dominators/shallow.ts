import { EDGE_TO, EDGE_TYPE_SHIFT, type HeapGraph, type TypeCodes } from '../graph/graph.js';
import { GrowableU32 } from '../util/growable.js';

const UNVISITED = 0xffffffff;
const MULTIPLE = 0xfffffffe;

/**
 * Shallow sizes as DevTools shows them: a hidden or array node (or an external string's data) reachable from
 * exactly one other object through such nodes only is its owner's backing store, so its size moves to the owner
 * and it shows 0. A detached native node is named "Detached ..." by then, so it is no external string's data.
 * Skipped when the snapshot has no user roots (taken with internals exposed).
 *
 * The sizes are worked out in place, in `g.selfSize`, which nothing else reads: a second node-sized array would
 * be live through the whole analysis. Doing it twice changes nothing (a moved size leaves a 0 behind, and the
 * owners do not depend on sizes). Should an owner's sum pass 2^32 - 1, the result is a Float64Array copy.
 */
export function shallowSizes(
  g: HeapGraph,
  tc: TypeCodes,
  hasUserRoots: boolean,
  externalStringData: Set<number>,
  renamed: (o: number) => boolean,
): Uint32Array | Float64Array {
  let size = g.selfSize;
  if (!hasUserRoots) return size;
  const n = g.nodeCount;
  const { nodeType, nodeName, firstEdge, edgeTypeTo } = g;
  const owners = new Uint32Array(n);
  // the nodes that may be a backing store, a bit each as well: most edges lead elsewhere, and the bitmap (1.8 MB at
  // 14.4M nodes) tells so from cache, where `owners` would be read at random
  const store = new Uint32Array((n + 31) >>> 5);
  for (let o = 0; o < n; o++) {
    const t = nodeType[o];
    if (t === tc.hidden || t === tc.array || (t === tc.native && externalStringData.has(nodeName[o]) && !renamed(o))) {
      owners[o] = UNVISITED;
      store[o >>> 5] |= 1 << (o & 31);
    } else {
      owners[o] = o;
    }
  }
  const stack = new GrowableU32(1 << 16);
  const weak = tc.eWeak;
  for (let s = 0; s < n; s++) {
    if (owners[s] !== s) continue;
    stack.length = 0;
    stack.push(s);
    while (stack.length) {
      const id = stack.data[--stack.length];
      const owner = owners[id];
      for (let e = firstEdge[id], end = firstEdge[id + 1]; e < end; e++) {
        const tt = edgeTypeTo[e];
        if (tt >>> EDGE_TYPE_SHIFT === weak) continue;
        const t = tt & EDGE_TO;
        if (!(store[t >>> 5] & (1 << (t & 31)))) continue; // its own owner, always
        const cur = owners[t];
        if (cur === UNVISITED) {
          owners[t] = owner;
          stack.push(t);
        } else if (cur !== t && cur !== owner && cur !== MULTIPLE) {
          owners[t] = MULTIPLE;
          stack.push(t);
        }
      }
    }
  }
  const root = g.rootOrdinal;
  for (let o = 0; o < n; o++) {
    const owner = owners[o];
    if (owner === UNVISITED || owner === MULTIPLE || owner === o) continue;
    if (nodeType[owner] === tc.synthetic || owner === root) continue;
    const moved = size[owner] + size[o];
    if (moved > 0xffffffff && size instanceof Uint32Array) size = Float64Array.from(size);
    size[owner] = moved;
    size[o] = 0;
  }
  return size;
}
