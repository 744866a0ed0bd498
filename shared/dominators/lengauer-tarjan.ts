import type { BitSet } from './essential.js';

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
 * Vertices are numbered 1..n in DFS order; 0 means "none". Node ordinal o is vertex label o + 1 in the arrays
 * indexed by node (semi, parent, ancestor, label, dom, bucket).
 */
export function lengauerTarjan(input: DominatorInput): DominatorTree {
  const { nodeCount: N, root, firstEdge, edgeTo } = input;
  const words = input.essential.words;
  const size = N + 1;

  // Essential predecessors, as a CSR.
  const predStart = new Uint32Array(size + 1);
  for (let o = 0; o < N; o++) {
    for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
      if (words[e >>> 5] & (1 << (e & 31))) predStart[edgeTo[e] + 2]++;
    }
  }
  for (let v = 2; v <= size; v++) predStart[v] += predStart[v - 1];
  const preds = new Uint32Array(predStart[size]);
  {
    const fill = predStart.slice(0, size);
    for (let o = 0; o < N; o++) {
      for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
        if (words[e >>> 5] & (1 << (e & 31))) preds[fill[edgeTo[e] + 1]++] = o + 1;
      }
    }
  }
  // preds of vertex v (= ordinal v-1): preds[predStart[v] .. predStart[v+1]-1], as vertex labels.

  const semi = new Uint32Array(size);
  const vertex = new Uint32Array(size);
  const parent = new Uint32Array(size);
  const label = new Uint32Array(size);
  let n = 0;

  // Iterative DFS; `cursor` remembers the next edge to look at for each vertex on the path.
  {
    const cursor = new Uint32Array(size);
    const dfs = (start: number) => {
      cursor[start] = firstEdge[start - 1];
      let v = start;
      while (v !== 0) {
        if (semi[v] === 0) {
          semi[v] = ++n;
          vertex[n] = v;
          label[v] = v;
        }
        let next = parent[v];
        const end = firstEdge[v];
        for (let e = cursor[v]; e < end; e++) {
          if (!(words[e >>> 5] & (1 << (e & 31)))) continue;
          const w = edgeTo[e] + 1;
          if (semi[w] === 0) {
            cursor[v] = e + 1;
            parent[w] = v;
            cursor[w] = firstEdge[w - 1];
            next = w;
            break;
          }
        }
        if (next === parent[v]) cursor[v] = end;
        v = next;
      }
    };
    const r = root + 1;
    dfs(r);
    if (n < N) {
      for (let v = 1; v <= N; v++) {
        if (semi[v] === 0 && predStart[v] === predStart[v + 1]) {
          parent[v] = r;
          dfs(v);
        }
      }
    }
    if (n < N) {
      for (let v = 1; v <= N; v++) {
        if (semi[v] === 0) {
          parent[v] = r;
          semi[v] = ++n;
          vertex[n] = v;
          label[v] = v;
        }
      }
    }
  }

  const r = root + 1;
  const ancestor = new Uint32Array(size);
  const dom = new Uint32Array(size);
  const bucketHead = new Uint32Array(size);
  const bucketNext = new Uint32Array(size);
  const stack = new Uint32Array(size);

  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v;
    // compress the path v .. (child of the forest root), iteratively
    let sp = 0;
    let x = v;
    while (ancestor[ancestor[x]] !== 0) {
      stack[sp++] = x;
      x = ancestor[x];
    }
    while (sp > 0) {
      const w = stack[--sp];
      const a = ancestor[w];
      if (semi[label[a]] < semi[label[w]]) label[w] = label[a];
      ancestor[w] = ancestor[a];
    }
    return label[v];
  };

  for (let i = n; i >= 2; i--) {
    const w = vertex[i];
    const ps = predStart[w], pe = predStart[w + 1];
    if (ps === pe) {
      semi[w] = semi[r];
    } else {
      let s = semi[w];
      for (let k = ps; k < pe; k++) {
        const u = evaluate(preds[k]);
        if (semi[u] < s) s = semi[u];
      }
      semi[w] = s;
    }
    const b = vertex[semi[w]];
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
  dom[0] = r;
  dom[r] = r;
  for (let i = 2; i <= n; i++) {
    const w = vertex[i];
    if (dom[w] !== vertex[semi[w]]) dom[w] = dom[dom[w]];
  }

  const idom = new Uint32Array(N);
  const order = new Uint32Array(N);
  for (let o = 0; o < N; o++) idom[o] = dom[o + 1] - 1;
  for (let i = 1; i <= n; i++) order[i - 1] = vertex[i] - 1;
  return { idom, order };
}
