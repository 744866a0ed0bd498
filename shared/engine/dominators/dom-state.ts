import { EDGE_TO, EDGE_TYPE_SHIFT, edgeToOf, type HeapGraph, type TypeCodes } from '../graph/graph.js';

export const DOM_UNKNOWN = 0;
export const DOM_ATTACHED = 1;
export const DOM_DETACHED = 2;

/** Root children that DevTools treats as user roots: anything not synthetic, plus "(Document DOM trees)". */
export function userRootTargets(g: HeapGraph, tc: TypeCodes, docTreesNames: Set<number>): number[] {
  const out: number[] = [];
  const r = g.rootOrdinal;
  for (let e = g.firstEdge[r]; e < g.firstEdge[r + 1]; e++) {
    const to = edgeToOf(g, e);
    if (g.nodeType[to] !== tc.synthetic || docTreesNames.has(g.nodeName[to])) out.push(to);
  }
  return out;
}

/**
 * DOM link state after propagation, as DevTools does it: attached spreads from attached native nodes through
 * native nodes over strong edges, then detached spreads to what is still unknown. JS objects stop propagation.
 * A native node that ends up detached is shown as "Detached <name>".
 *
 * Worked out in place, in `g.detachedness` (which nothing reads as written once this has run; running it again
 * changes nothing): a node-sized array less on each thread. Only native nodes keep a state.
 */
export function propagateDomState(g: HeapGraph, tc: TypeCodes, detachedPrefixNames: Buffer): Uint8Array {
  const n = g.nodeCount;
  if (!g.detachedness) {
    // Old snapshots: native nodes already named "Detached ..." are detached; nothing is renamed.
    const state = new Uint8Array(n);
    for (let o = 0; o < n; o++) {
      if (g.nodeType[o] === tc.native && g.strings.startsWith(g.nodeName[o], detachedPrefixNames))
        state[o] = DOM_DETACHED;
    }
    return state;
  }
  const state = g.detachedness;
  const { nodeType } = g;
  const attached: number[] = [];
  const detached: number[] = [];
  // A native node is settled once it has a state; only they are ever set, so nothing else needs marking. Most
  // nodes have none (all of them, in a Node.js snapshot): the states are read four at a time where they are aligned.
  const quads =
    state.byteOffset % 4 === 0 ? new Uint32Array(state.buffer, state.byteOffset, n >>> 2) : new Uint32Array(0);
  for (let q = 0, o = 0; o < n; q++) {
    if (q < quads.length && quads[q] === 0) {
      o += 4;
      continue;
    }
    for (const end = Math.min(n, o + 4); o < end; o++) {
      const s = state[o];
      if (s === DOM_UNKNOWN) continue;
      if (nodeType[o] !== tc.native) state[o] = DOM_UNKNOWN;
      else if (s === DOM_ATTACHED) attached.push(o);
      else if (s === DOM_DETACHED) detached.push(o);
    }
  }
  const spread = (from: number, s: number) => {
    for (let e = g.firstEdge[from]; e < g.firstEdge[from + 1]; e++) {
      const tt = g.edgeTypeTo[e];
      const t = tt >>> EDGE_TYPE_SHIFT;
      if (t === tc.eHidden || t === tc.eInvisible || t === tc.eWeak) continue;
      const to = tt & EDGE_TO;
      if (state[to] !== DOM_UNKNOWN || nodeType[to] !== tc.native) continue;
      state[to] = s;
      (s === DOM_ATTACHED ? attached : detached).push(to);
    }
  };
  while (attached.length) spread(attached.pop()!, DOM_ATTACHED);
  while (detached.length) spread(detached.pop()!, DOM_DETACHED);
  return state;
}
