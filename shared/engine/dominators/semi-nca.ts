import { countsFor, type EssentialRule } from './essential.js';
import { GrowableU32 } from '../util/growable.js';
import { EDGE_TO, EDGE_TYPE_SHIFT } from '../graph/graph.js';

export interface DominatorInput {
  nodeCount: number;
  root: number;
  firstEdge: Uint32Array;
  /** Each edge's type in the top 3 bits and its target's ordinal in the low 29, as in `HeapGraph.edgeTypeTo`. */
  edgeTo: Uint32Array;
  /** Which edges count (judged as the search meets each one). */
  rule: EssentialRule;
  /**
   * For each node, at least how many edges that count point at it (`inboundBound`; nodeCount + 1 long): exact counts
   * are worked out here when it is not given. Its buffer is reused.
   */
  inbound?: Uint32Array;
  /** A buffer of nodeCount + 1 to hold the search's order (its contents are overwritten). */
  scratch?: Uint32Array;
  /**
   * Working arrays made ahead of time (see `SearchBuffers`), used when their sizes are right; else new ones are made.
   */
  buffers?: SearchBuffers;
}

/**
 * The search's larger working arrays, when another thread makes them and brings their pages into memory before
 * the search needs them: `parent` and `semi` nodeCount + 1 long, any contents; `preds` all zeros, `predSlots`
 * long for the bound on the retainers the search is given.
 */
export interface SearchBuffers {
  parent?: Uint32Array;
  semi?: Uint32Array;
  preds?: Uint32Array;
}

/** How many slots the search's table of predecessors needs, given the bound on each node's retainers. */
export function predSlots(inbound: Uint32Array, nodeCount: number): number {
  let total = 2;
  for (let o = 0; o < nodeCount; o++) {
    const d = inbound[o];
    if (d >= 2) total += d;
  }
  return total;
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
 * Immediate dominators by Semi-NCA (Loukas Georgiadis, Robert E. Tarjan and Renato F. Werneck, "Finding Dominators
 * in Practice", Journal of Graph Algorithms and Applications 10(1), 2006): semidominators as in Lengauer and Tarjan's
 * algorithm (Thomas Lengauer and Robert E. Tarjan, "A Fast Algorithm for Finding Dominators in a Flowgraph", ACM
 * TOPLAS 1(1), 1979; its simple version, eval/link with path compression), then each immediate dominator as the
 * nearest common ancestor, in the DFS tree, of its parent and its semidominator, found by walking up the tree of
 * immediate dominators already known. Iterative throughout: no recursion, so chains millions of objects deep are
 * fine.
 *
 * Nodes the root does not reach are attached the way DevTools attaches them: a node with no essential
 * retainer at all is treated as a child of the root (and what it reaches is searched from it); what is still
 * left (cycles held only by each other) is dominated by the root directly.
 *
 * The search numbers nodes 1..n (0 meaning none) and records each essential edge as it looks at it, as a
 * predecessor of its target; from then on everything works on DFS numbers, so the main loop walks its arrays in
 * order, and node ordinals come back only at the end. Buffers are reused as phases end.
 */
export function semiNca(input: DominatorInput): DominatorTree {
  const { nodeCount: N, root, firstEdge, edgeTo, rule } = input;
  const size = N + 1;
  const counts = (o: number, e: number) => countsFor(rule, o, e, edgeTo[e]);

  // At least the essential in-degree of each node (node-indexed): where it is more than the real one, the ranges
  // below have slots left empty (0), which the semidominator loop passes over. Later the same buffer holds the fill
  // cursors, then `label`, then `idom`.
  let indeg = input.inbound;
  if (!indeg || indeg.length !== size) {
    indeg = new Uint32Array(size);
    for (let o = 0; o < N; o++)
      for (let e = firstEdge[o]; e < firstEdge[o + 1]; e++) if (counts(o, e)) indeg[edgeTo[e] & EDGE_TO]++;
  }
  input.inbound = undefined;

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
  const given = input.buffers ?? {};
  input.buffers = undefined;
  const preds = given.preds?.length === total ? given.preds : new Uint32Array(total);
  const ranged = new Uint32Array((size + 31) >>> 5); // by DFS number
  const rangeStart = new Uint32Array((total + 31) >>> 5); // by slot
  let slots = 2;

  const vertex = input.scratch?.length === size ? input.scratch : new Uint32Array(size); // DFS number -> node
  // by DFS number: the DFS parent; during the semidominator loop, the forest of linked vertices; in the end `dom`
  const parent = given.parent?.length === size ? given.parent : new Uint32Array(size);
  // where each vertex on the search path goes on with its edges: as deep as the path, not node-sized
  const cursor = new GrowableU32(1 << 10);
  let n = 0;
  // the rule, inlined in the search's loop for plain nodes
  const { never, rootOnly, plain } = rule;
  const all = never | rootOnly;

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
      const skip = v === root ? never : all;
      const careful = plain !== null && !(plain[v >>> 5] & (1 << (v & 31)));
      for (; e < end; e++) {
        const tt = edgeTo[e];
        if ((skip >>> (tt >>> EDGE_TYPE_SHIFT)) & 1) continue;
        const w = tt & EDGE_TO;
        if (w === v || (careful && !countsFor(rule, v, e, tt))) continue;
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
    // What the root does not reach has essential retainers only among itself: their in-degrees, counted exactly
    // there, tell the orphans (none) from the rest, and size their ranges.
    for (let o = 0; o < N; o++) if (fill[o] < 0) fill[o] = -1;
    for (let o = 0; o < N; o++) {
      if (fill[o] >= 0) continue;
      for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
        const w = edgeTo[e] & EDGE_TO;
        if (fill[w] < 0 && counts(o, e)) fill[w]--;
      }
    }
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
        if (counts(o, e)) preds[fill[edgeTo[e] & EDGE_TO]++] = x;
      }
    }
  }

  // Semidominators, Lengauer-Tarjan style. The forest of linked vertices lives in `ancestor`, the DFS parents'
  // own buffer: vertices are linked in decreasing DFS number, so x is linked exactly when x > lim, and path
  // compression only rewrites vertices already linked, so a vertex's parent is still there when it is processed.
  // The parents the Semi-NCA pass needs afterwards are kept elsewhere: one essential retainer's is its
  // semidominator; that of a vertex with a range of predecessors goes into the first slot of the range, which is
  // done with; the cycles' hang off the root.
  // Neither array is set up beforehand: a vertex not processed yet (x <= lim) is its own semidominator, which the
  // loop knows without reading it, and `label` is read only for linked vertices, each set as it is processed.
  const label = indeg; // by DFS number; the fill cursors are done with
  const semi = given.semi?.length === size ? given.semi : new Uint32Array(size); // by DFS number
  const ancestor = parent;
  const stack = new GrowableU32(1 << 10);
  let lim = n;

  /** The label of linked vertex v (v > lim) once the path above it is compressed. */
  const evaluate = (v: number): number => {
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
    label[w] = w;
    if (!(ranged[w >>> 5] & (1 << (w & 31)))) {
      // One essential retainer, its DFS parent; or none, and it hangs off the root. In a cycle (w >= first) its
      // retainer is not its parent but is in the cycle too, so only its own number is certain to be no lower.
      semi[w] = w < first ? ancestor[w] : w;
    } else {
      let ps = pe - 2; // a range holds two or more
      while (!(rangeStart[ps >>> 5] & (1 << (ps & 31)))) ps--;
      let s = w;
      for (let k = ps; k < pe; k++) {
        const v = preds[k];
        if (v === 0) break; // the rest of the range is empty (its size was a bound)
        // semi(evaluate(v)), with the cases that need no path compression done inline
        const sv = v <= lim ? v : semi[ancestor[v] <= lim ? label[v] : evaluate(v)];
        if (sv < s) s = sv;
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
