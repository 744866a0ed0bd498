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
 * Immediate dominators by Semi-NCA: semidominators as in Lengauer-Tarjan (simple eval/link with path
 * compression), then each immediate dominator as a nearest common ancestor in the DFS tree; iterative throughout:
 * no recursion, so chains millions of objects deep are fine.
 *
 * Nodes the root does not reach are attached the way DevTools attaches them: a node with no essential
 * retainer at all is treated as a child of the root (and what it reaches is searched from it); what is still
 * left (cycles held only by each other) is dominated by the root directly.
 *
 * The search numbers nodes 1..n (0 meaning none) and records each essential edge as it looks at it, as a
 * predecessor of its target; from then on everything works on DFS numbers, so the main loop walks its arrays in
 * order, and node ordinals come back only at the end. Buffers are reused as phases end.
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

  // Essential predecessors of the nodes that have two or more, as a CSR filled with the DFS numbers of the sources
  // while the search below looks at each edge anyway. Ranges are handed out as nodes are first visited, so they
  // lie in DFS order and the semidominator loop reads them straight through. A node with one essential retainer
  // gets no slots: the search reaches it through that edge, so its retainer is its DFS parent and its
  // semidominator. Its edge is still "recorded", into slot 0 (its cursor then reads 1), which nothing reads, so
  // the search needs no branch; real slots start at 2.
  // No table of where each range starts: a bit per DFS number says which vertices have one, and a bit per slot
  // marks where each range begins; the semidominator loop, walking down, finds each range's start from its end.
  let total = 2;
  for (let o = 0; o < N; o++) if (indeg[o] >= 2) total += indeg[o];
  const preds = new Uint32Array(total);
  const ranged = new Uint32Array((size + 31) >>> 5); // by DFS number
  const rangeStart = new Uint32Array((total + 31) >>> 5); // by slot
  const fill = indeg; // a node's in-degree until it is visited, then its fill cursor (later this buffer holds `label`)
  let slots = 2;

  const num = new Uint32Array(size); // node -> DFS number; later the forest of linked vertices; in the end `idom`
  const vertex = new Uint32Array(size); // DFS number -> node
  const parent = new Uint32Array(size); // by DFS number
  // by DFS number: the next edge to look at during the search; once it is done, the semidominators
  const semi = new Uint32Array(size);
  const cursor = semi;
  let n = 0;

  const visit = (o: number, p: number): number => {
    const x = ++n;
    num[o] = x;
    vertex[x] = o;
    parent[x] = p;
    cursor[x] = firstEdge[o];
    const d = fill[o];
    if (d >= 2) {
      ranged[x >>> 5] |= 1 << (x & 31);
      rangeStart[slots >>> 5] |= 1 << (slots & 31);
      fill[o] = slots;
      slots += d;
    } else {
      fill[o] = 0;
    }
    return x;
  };
  const dfs = (start: number, startParent: number) => {
    const first = visit(start, startParent);
    let x = first;
    while (x !== 0) {
      const v = vertex[x];
      const end = firstEdge[v + 1];
      let e = cursor[x];
      let next = 0;
      for (; e < end; e++) {
        if (!(words[e >>> 5] & (1 << (e & 31)))) continue;
        const w = edgeTo[e];
        if (num[w] === 0) {
          next = visit(w, x);
          preds[fill[w]++] = x;
          e++;
          break;
        }
        preds[fill[w]++] = x;
      }
      cursor[x] = e;
      x = next !== 0 ? next : x === first ? 0 : parent[x];
    }
  };
  dfs(root, 0);
  if (n < N) {
    // orphans: no essential retainer; each starts a search hanging off the root
    for (let o = 0; o < N; o++) if (num[o] === 0 && fill[o] === 0) dfs(o, 1); // unvisited: fill holds the in-degree
  }
  // Cycles held only by each other: each node hangs off the root by itself (and its edges, never searched, are
  // recorded here). What they retain is theirs alone, so their semidominators never reach below `first`.
  const first = n + 1;
  if (n < N) {
    for (let o = 0; o < N; o++) if (num[o] === 0) visit(o, 1);
  }
  if (first <= n) {
    for (let x = first; x <= n; x++) {
      const o = vertex[x];
      for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
        if (words[e >>> 5] & (1 << (e & 31))) preds[fill[edgeTo[e]]++] = x;
      }
    }
  }

  // Semidominators, Lengauer-Tarjan style. The forest of linked vertices lives in `ancestor` (a copy of the DFS
  // parents in the buffer `num` no longer needs): vertices are linked in decreasing DFS number, so x is linked
  // exactly when x > lim, and once linked its forest parent is never needed as such again, so path compression
  // may rewrite it.
  const label = fill; // by DFS number; the fill cursors are done with
  for (let x = 1; x <= n; x++) { semi[x] = x; label[x] = x; }
  const ancestor = num;
  ancestor.set(parent);
  const stack = new GrowableU32(1 << 10);
  let lim = n;

  const evaluate = (v: number): number => {
    if (v <= lim) return v;
    // compress the path from v up to the child of its forest root, iteratively
    stack.length = 0;
    let x = v;
    for (let a = ancestor[x]; a > lim; a = ancestor[x]) {
      stack.push(x);
      x = a;
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

  let pe = slots; // the end of the next range down
  for (let w = n; w >= 2; w--) {
    lim = w; // vertices above w are linked
    if (!(ranged[w >>> 5] & (1 << (w & 31)))) {
      // One essential retainer, its DFS parent; or none, and it hangs off the root. In a cycle (w >= first) its
      // retainer is not its parent but is in the cycle too, so only its own number is certain to be no lower.
      semi[w] = w < first ? parent[w] : w;
    } else {
      let ps = pe - 2; // a range holds two or more
      while (!(rangeStart[ps >>> 5] & (1 << (ps & 31)))) ps--;
      let s = semi[w];
      for (let k = ps; k < pe; k++) {
        // evaluate(v), with the two cases that need no path compression done inline
        const v = preds[k];
        const u = v <= lim ? v : ancestor[v] <= lim ? label[v] : evaluate(v);
        if (semi[u] < s) s = semi[u];
      }
      semi[w] = s;
      pe = ps;
    }
  }
  // Immediate dominators by nearest common ancestor (Semi-NCA): in increasing DFS number, idom(w) is the first
  // vertex on the tree path up from w's parent whose number is at most semi(w). Vertices hung off the root
  // without being its successors (the cycles above) come out under the root.
  // `dom` overwrites `parent` in place: dom[w] is written only after parent[w] is read, and the walk up reads
  // dom[x] only for x < w, already final.
  const dom = parent;
  dom[1] = 1;
  for (let w = 2; w <= n; w++) {
    const s = semi[w];
    let x = parent[w];
    while (x > s) x = dom[x];
    dom[w] = x;
  }

  const idom = ancestor; // by node: the forest is done with
  for (let w = 1; w <= n; w++) idom[vertex[w]] = vertex[dom[w]];
  return { idom: idom.subarray(0, N), order: vertex.subarray(1) };
}
