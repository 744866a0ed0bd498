import type { HeapGraph, TypeCodes } from '../graph/graph.js';

export const DOM_UNKNOWN = 0;
export const DOM_ATTACHED = 1;
export const DOM_DETACHED = 2;

/** Root children that DevTools treats as user roots: anything not synthetic, plus "(Document DOM trees)". */
export function userRootTargets(g: HeapGraph, tc: TypeCodes, docTreesNames: Set<number>): number[] {
  const out: number[] = [];
  const r = g.rootOrdinal;
  for (let e = g.firstEdge[r]; e < g.firstEdge[r + 1]; e++) {
    const to = g.edgeTo[e];
    if (g.nodeType[to] !== tc.synthetic || docTreesNames.has(g.nodeName[to])) out.push(to);
  }
  return out;
}

/**
 * DOM link state after propagation, as DevTools does it: attached spreads from attached native nodes through
 * native nodes over strong edges, then detached spreads to what is still unknown. JS objects stop propagation.
 * A native node that ends up detached is shown as "Detached <name>".
 */
export function propagateDomState(g: HeapGraph, tc: TypeCodes, detachedPrefixNames: Buffer): Uint8Array {
  const n = g.nodeCount;
  const state = new Uint8Array(n);
  if (!g.detachedness) {
    // Old snapshots: native nodes already named "Detached ..." are detached; nothing is renamed.
    for (let o = 0; o < n; o++) {
      if (g.nodeType[o] === tc.native && g.strings.startsWith(g.nodeName[o], detachedPrefixNames)) state[o] = DOM_DETACHED;
    }
    return state;
  }
  const initial = g.detachedness;
  const visited = new Uint8Array(n);
  const attached: number[] = [];
  const detached: number[] = [];
  const process = (o: number, s: number) => {
    if (visited[o]) return;
    visited[o] = 1;
    if (g.nodeType[o] !== tc.native) return;
    state[o] = s;
    if (s === DOM_ATTACHED) attached.push(o);
    else if (s === DOM_DETACHED) detached.push(o);
  };
  for (let o = 0; o < n; o++) if (initial[o] !== DOM_UNKNOWN) process(o, initial[o]);
  const spread = (from: number, s: number) => {
    for (let e = g.firstEdge[from]; e < g.firstEdge[from + 1]; e++) {
      const t = g.edgeType[e];
      if (t === tc.eHidden || t === tc.eInvisible || t === tc.eWeak) continue;
      process(g.edgeTo[e], s);
    }
  };
  while (attached.length) spread(attached.pop()!, DOM_ATTACHED);
  while (detached.length) {
    const o = detached.pop()!;
    if (state[o] === DOM_ATTACHED) continue;
    spread(o, DOM_DETACHED);
  }
  return state;
}

