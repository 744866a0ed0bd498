import type { BitSet } from './essential.js';
import { GrowableU32 } from '../util/growable.js';

export interface DominatorInput {
  nodeCount: number;
  root: number;
  firstEdge: Uint32Array;
  edgeTo: Uint32Array;
  essential: BitSet;
}

export interface DominatorTree {
  /** Immediate dominator of each node (the root's is itself). */
  idom: Uint32Array;
  /** Nodes in depth-first preorder of the spanning forest: every node comes after its dominator. */
  order: Uint32Array;
}

/**
 * Immediate dominators by Lengauer-Tarjan (simple eval/link with path compression), iterative throughout:
 * no recursion, so chains millions of objects deep are fine.
 *
 * Nodes the root does not reach are attached the way DevTools attaches them: a node with no essential
 * retainer at all is treated as a child of the root (and what it reaches is searched from it); what is still
 * left (cycles held only by each other) is dominated by the root directly.
 *
 * After the depth-first search everything works on DFS numbers (1..n, 0 meaning none), so the main loop walks
 * its arrays in order; node ordinals come back only at the end. Buffers are reused as phases end.
 */
export function lengauerTarjan(input: DominatorInput): DominatorTree {
  const { nodeCount: N, root, firstEdge, edgeTo } = input;
  const words = input.essential.words;
  const size = N + 1;

  // Essential in-degree of each node (node-indexed; counted with the bits when they come from essentialEdges);
  // later the same buffer holds `dom`.
  let indeg = input.essential.counts;
  if (!indeg || indeg.length !== size) {
    indeg = new Uint32Array(size);
    for (let e = 0, m = edgeTo.length; e < m; e++) if (words[e >>> 5] & (1 << (e & 31))) indeg[edgeTo[e]]++;
  }
  input.essential.counts = undefined;

  const num = new Uint32Array(size); // node -> DFS number; later the bucket heads, then the result
  const vertex = new Uint32Array(size); // DFS number -> node
  const parent = new Uint32Array(size); // by DFS number
  const cursor = new Uint32Array(size); // by DFS number: next edge to look at; reused as `ancestor` below
  let n = 0;

  const dfs = (start: number, startParent: number) => {
    const first = n + 1;
    let x = ++n;
    num[start] = x;
    vertex[x] = start;
    parent[x] = startParent;
    cursor[x] = firstEdge[start];
    while (x !== 0) {
      const v = vertex[x];
      const end = firstEdge[v + 1];
      let e = cursor[x];
      let next = 0;
      for (; e < end; e++) {
        if (!(words[e >>> 5] & (1 << (e & 31)))) continue;
        const w = edgeTo[e];
        if (num[w] === 0) {
          next = ++n;
          num[w] = next;
          vertex[next] = w;
          parent[next] = x;
          cursor[next] = firstEdge[w];
          e++;
          break;
        }
      }
      cursor[x] = e;
      x = next !== 0 ? next : x === first ? 0 : parent[x];
    }
  };
  dfs(root, 0);
  if (n < N) {
    // orphans: no essential retainer; each starts a search hanging off the root
    for (let o = 0; o < N; o++) if (num[o] === 0 && indeg[o] === 0) dfs(o, 1);
  }
  if (n < N) {
    // cycles held only by each other: each node hangs off the root by itself
    for (let o = 0; o < N; o++) {
      if (num[o] !== 0) continue;
      num[o] = ++n;
      vertex[n] = o;
      parent[n] = 1;
    }
  }

  // Essential predecessors by DFS number, as a CSR of DFS numbers.
  const predStart = new Uint32Array(size + 1);
  for (let i = 1; i <= n; i++) predStart[i + 1] = predStart[i] + indeg[vertex[i]];
  const preds = new Uint32Array(predStart[size]);
  {
    const fill = predStart.slice(0, size);
    for (let o = 0; o < N; o++) {
      const from = num[o];
      for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
        if (words[e >>> 5] & (1 << (e & 31))) preds[fill[num[edgeTo[e]]]++] = from;
      }
    }
  }

  const semi = new Uint32Array(size);
  const label = new Uint32Array(size);
  for (let i = 1; i <= n; i++) { semi[i] = i; label[i] = i; }
  const ancestor = cursor.fill(0);
  const dom = indeg.fill(0);
  const bucketHead = num.fill(0);
  const bucketNext = new Uint32Array(size);
  const stack = new GrowableU32(1 << 10);

  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v;
    // compress the path from v up to the child of its forest root, iteratively
    stack.length = 0;
    let x = v;
    while (ancestor[ancestor[x]] !== 0) {
      stack.push(x);
      x = ancestor[x];
    }
    const st = stack.data;
    for (let k = stack.length - 1; k >= 0; k--) {
      const w = st[k];
      const a = ancestor[w];
      if (semi[label[a]] < semi[label[w]]) label[w] = label[a];
      ancestor[w] = ancestor[a];
    }
    return label[v];
  };

  for (let w = n; w >= 2; w--) {
    const ps = predStart[w], pe = predStart[w + 1];
    if (ps === pe) {
      semi[w] = 1; // no essential retainer: the root is its only predecessor
    } else {
      let s = semi[w];
      for (let k = ps; k < pe; k++) {
        // evaluate(v), with the two cases that need no path compression done inline
        const v = preds[k];
        const a = ancestor[v];
        const u = a === 0 ? v : ancestor[a] === 0 ? label[v] : evaluate(v);
        if (semi[u] < s) s = semi[u];
      }
      semi[w] = s;
    }
    const b = semi[w];
    bucketNext[w] = bucketHead[b];
    bucketHead[b] = w;
    const p = parent[w];
    ancestor[w] = p;
    let v = bucketHead[p];
    bucketHead[p] = 0;
    while (v !== 0) {
      const nextV = bucketNext[v];
      const u = evaluate(v);
      dom[v] = semi[u] < semi[v] ? u : p;
      v = nextV;
    }
  }
  // Nodes whose bucket was never emptied (the cycles above) keep 0, and dom[0] sends them to the root.
  dom[0] = 1;
  dom[1] = 1;
  for (let w = 2; w <= n; w++) if (dom[w] !== semi[w]) dom[w] = dom[dom[w]];

  const idom = bucketHead; // all buckets are empty by now
  for (let w = 1; w <= n; w++) idom[vertex[w]] = vertex[dom[w]];
  return { idom: idom.subarray(0, N), order: vertex.subarray(1) };
}
