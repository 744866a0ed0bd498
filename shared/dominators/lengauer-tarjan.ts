import type { BitSet } from './essential.js';
import { GrowableU32 } from '../util/growable.js';
import { EDGE_TO } from '../graph/graph.js';

export interface DominatorInput {
  nodeCount: number;
  root: number;
  firstEdge: Uint32Array;
  /** Each edge's target ordinal in the low 29 bits (the rest, as in `HeapGraph.edgeTypeTo`, is ignored). */
  edgeTo: Uint32Array;
  essential: BitSet;
}

export interface DominatorTree {
  /** Immediate dominator of each node (the root's is itself). */
  idom: Uint32Array;
  /** Nodes in depth-first preorder of the spanning forest: every node comes after its dominator. */
  order: Uint32Array;
  /**
   * Two node-sized (nodeCount + 1) working arrays the search is done with, for later phases to reuse: their pages
   * are in memory already, where a new array's would each be faulted in by the kernel on first use.
   */
  spare: [Uint32Array, Uint32Array];
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
  // later the same buffer holds the fill cursors, then `label`, then `idom`.
  let indeg = input.essential.counts;
  if (!indeg || indeg.length !== size) {
    indeg = new Uint32Array(size);
    for (let e = 0, m = edgeTo.length; e < m; e++) if (words[e >>> 5] & (1 << (e & 31))) indeg[edgeTo[e] & EDGE_TO]++;
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
  // A node's fill cursor, in the in-degree's buffer: its in-degree d stored as ~d (negative) until it is visited,
  // then where its next predecessor goes (>= 0). So one read of it tells the search whether a node is new, and no
  // node -> DFS number table is needed.
  const fill = new Int32Array(indeg.buffer, indeg.byteOffset, size);
  let total = 2;
  for (let o = 0; o < N; o++) {
    const d = indeg[o];
    if (d >= 2) total += d;
    fill[o] = ~d;
  }
  const preds = new Uint32Array(total);
  const ranged = new Uint32Array((size + 31) >>> 5); // by DFS number
  const rangeStart = new Uint32Array((total + 31) >>> 5); // by slot
  let slots = 2;

  const vertex = new Uint32Array(size); // DFS number -> node
  // by DFS number: the DFS parent; during the semidominator loop, the forest of linked vertices; in the end `dom`
  const parent = new Uint32Array(size);
  // where each vertex on the search path goes on with its edges: as deep as the path, not node-sized
  const cursor = new GrowableU32(1 << 10);
  let n = 0;

  const visit = (o: number, p: number): number => {
    const x = ++n;
    vertex[x] = o;
    parent[x] = p;
    const d = ~fill[o];
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
    let x = visit(start, startParent);
    cursor.length = 0;
    cursor.push(firstEdge[start]);
    while (cursor.length > 0) {
      const v = vertex[x];
      const end = firstEdge[v + 1];
      const top = cursor.length - 1;
      let e = cursor.data[top];
      let next = 0;
      for (; e < end; e++) {
        if (!(words[e >>> 5] & (1 << (e & 31)))) continue;
        const w = edgeTo[e] & EDGE_TO;
        const f = fill[w];
        if (f < 0) {
          next = visit(w, x);
          preds[fill[w]++] = x;
          e++;
          break;
        }
        preds[f] = x;
        fill[w] = f + 1;
      }
      if (next !== 0) {
        cursor.data[top] = e;
        cursor.push(firstEdge[vertex[next]]);
        x = next;
      } else {
        cursor.length = top;
        x = parent[x];
      }
    }
  };
  dfs(root, 0);
  if (n < N) {
    // orphans: no essential retainer; each starts a search hanging off the root
    for (let o = 0; o < N; o++) if (fill[o] === -1) dfs(o, 1); // unvisited (negative), in-degree 0
  }
  // Cycles held only by each other: each node hangs off the root by itself (and its edges, never searched, are
  // recorded here). What they retain is theirs alone, so their semidominators never reach below `first`.
  const first = n + 1;
  if (n < N) {
    for (let o = 0; o < N; o++) if (fill[o] < 0) visit(o, 1);
  }
  if (first <= n) {
    for (let x = first; x <= n; x++) {
      const o = vertex[x];
      for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
        if (words[e >>> 5] & (1 << (e & 31))) preds[fill[edgeTo[e] & EDGE_TO]++] = x;
      }
    }
  }

  // Semidominators, Lengauer-Tarjan style. The forest of linked vertices lives in `ancestor`, the DFS parents'
  // own buffer: vertices are linked in decreasing DFS number, so x is linked exactly when x > lim, and path
  // compression only rewrites vertices already linked, so a vertex's parent is still there when it is processed.
  // The parents the Semi-NCA pass needs afterwards are kept elsewhere: one essential retainer's is its
  // semidominator; that of a vertex with a range of predecessors goes into the first slot of the range, which is
  // done with; the cycles' hang off the root.
  const label = indeg; // by DFS number; the fill cursors are done with
  const semi = new Uint32Array(size); // by DFS number
  for (let x = 1; x <= n; x++) { semi[x] = x; label[x] = x; }
  const ancestor = parent;
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
      semi[w] = w < first ? ancestor[w] : w;
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
      preds[ps] = ancestor[w]; // its parent, for later
      pe = ps;
    }
  }
  // Immediate dominators by nearest common ancestor (Semi-NCA): in increasing DFS number, idom(w) is the first
  // vertex on the tree path up from w's parent whose number is at most semi(w). Vertices hung off the root
  // without being its successors (the cycles above) come out under the root.
  // `dom` overwrites the forest, which is done with; the walk up reads dom[x] only for x < w, already final.
  const dom = ancestor;
  dom[1] = 1;
  let ps = ranged[0] & 2 ? 2 : 0; // the start of the last range met, walking up (the root's, if it has one)
  for (let w = 2; w <= n; w++) {
    let x: number;
    if (ranged[w >>> 5] & (1 << (w & 31))) {
      ps = ps === 0 ? 2 : ps + 2;
      while (!(rangeStart[ps >>> 5] & (1 << (ps & 31)))) ps++;
      x = w < first ? preds[ps] : 1;
    } else {
      x = w < first ? semi[w] : 1;
    }
    const s = semi[w];
    while (x > s) x = dom[x];
    dom[w] = x;
  }

  const idom = label; // by node: the labels are done with
  for (let w = 1; w <= n; w++) idom[vertex[w]] = vertex[dom[w]];
  return { idom: idom.subarray(0, N), order: vertex.subarray(1), spare: [dom, semi] };
}
