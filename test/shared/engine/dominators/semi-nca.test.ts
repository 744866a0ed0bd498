// The Semi-NCA dominator search: against a naive fixpoint, on deep chains, with working arrays given.
import t from 'tap';
import fc from 'fast-check';
import { semiNca, predSlots } from '../../../../shared/engine/dominators/semi-nca.js';
import { plainRule, plainEdge } from '../../../helpers/dominance.js';

t.test(
  'a cycle held by nothing else does not change dominators where it points into the reachable graph',
  async (t) => {
    // 0 -> 1 -> 2 -> 4; 3 has no retainer; 5 <-> 6 hold each other (one retainer each), and 5 also points at 4
    const edges = [
      [0, 1],
      [1, 2],
      [2, 4],
      [5, 6],
      [5, 4],
      [6, 5],
    ];
    const n = 7;
    const firstEdge = new Uint32Array(n + 1);
    for (const [a] of edges) firstEdge[a + 1]++;
    for (let v = 1; v <= n; v++) firstEdge[v] += firstEdge[v - 1];
    const { idom } = semiNca({
      nodeCount: n,
      root: 0,
      firstEdge,
      edgeTo: Uint32Array.from(edges, (e) => e[1]),
      rule: plainRule,
    });
    t.same(Array.from(idom), [0, 0, 1, 0, 2, 0, 0], '4 stays under 2; the orphan and the cycle hang off the root');
  },
);

t.test('a chain a million objects deep needs no recursion', async (t) => {
  const N = 1_000_000;
  const firstEdge = new Uint32Array(N + 1);
  const edgeTo = new Uint32Array(N - 1);
  for (let o = 0; o < N - 1; o++) {
    firstEdge[o + 1] = o + 1;
    edgeTo[o] = o + 1;
  }
  firstEdge[N] = N - 1;
  const { idom } = semiNca({ nodeCount: N, root: 0, firstEdge, edgeTo, rule: plainRule });
  t.equal(idom[N - 1], N - 2);
  t.equal(idom[1], 0);
});

/**
 * Dominators by the textbook fixpoint, on the graph DevTools builds: orphans (no counted retainer) hang off the
 * root.
 */
function naiveIdom(n: number, edges: [number, number, boolean][]): number[] {
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succ: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b, ess] of edges)
    if (ess) {
      preds[b].push(a);
      succ[a].push(b);
    }
  for (let v = 1; v < n; v++)
    if (preds[v].length === 0) {
      preds[v].push(0);
      succ[0].push(v);
    }
  const reach = new Set([0]);
  const queue = [0];
  while (queue.length)
    for (const w of succ[queue.shift()!])
      if (!reach.has(w)) {
        reach.add(w);
        queue.push(w);
      }
  const all = [...reach];
  const dom = new Map<number, Set<number>>(all.map((v) => [v, v === 0 ? new Set([0]) : new Set(all)]));
  for (let changed = true; changed;) {
    changed = false;
    for (const v of all) {
      if (v === 0) continue;
      let acc: Set<number> | null = null;
      for (const p of preds[v]) {
        if (!reach.has(p)) continue;
        const dp = dom.get(p)!;
        acc = acc === null ? new Set(dp) : new Set([...(acc as Set<number>)].filter((x: number) => dp.has(x)));
      }
      const next = new Set(acc ?? []);
      next.add(v);
      if (next.size !== dom.get(v)!.size) {
        dom.set(v, next);
        changed = true;
      }
    }
  }
  return Array.from({ length: n }, (_, v) => {
    if (v === 0 || !reach.has(v)) return 0;
    const strict = [...dom.get(v)!].filter((x) => x !== v);
    return strict.reduce((best, x) => (dom.get(x)!.size > dom.get(best)!.size ? x : best), 0);
  });
}

t.test('Semi-NCA agrees with the naive fixpoint on random graphs', async (t) => {
  const graph = fc.integer({ min: 1, max: 24 }).chain((n) =>
    fc.record({
      n: fc.constant(n),
      edges: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.boolean()), {
        maxLength: n * 3,
      }),
    }),
  );
  let checked = 0;
  fc.assert(
    fc.property(graph, ({ n, edges }) => {
      // the snapshot stores edges grouped by source node
      const sorted = edges
        .map((e, i) => [...e, i] as [number, number, boolean, number])
        .sort((a, b) => a[0] - b[0] || a[3] - b[3]);
      const firstEdge = new Uint32Array(n + 1);
      for (const [a] of sorted) firstEdge[a + 1]++;
      for (let v = 1; v <= n; v++) firstEdge[v] += firstEdge[v - 1];
      const edgeTo = Uint32Array.from(sorted, (e) => plainEdge(e[1], e[2]));
      // searched twice: from exact counts of retainers, and from counts of every edge, too high wherever one does not
      // count (ranges with empty slots; orphans and cycles that look held until the search is done)
      const exact = semiNca({ nodeCount: n, root: 0, firstEdge, edgeTo, rule: plainRule }).idom;
      const bound = new Uint32Array(n + 1);
      for (const [a, b] of sorted) if (a !== b) bound[b]++;
      const loose = semiNca({ nodeCount: n, root: 0, firstEdge, edgeTo, rule: plainRule, inbound: bound }).idom;
      const want = naiveIdom(
        n,
        sorted.map(([a, b, ess]) => [a, b, ess && a !== b]),
      );
      checked++;
      return Array.from(exact).every((x, v) => x === want[v]) && Array.from(loose).every((x, v) => x === want[v]);
    }),
    { numRuns: 500, seed: 42 },
  );
  t.equal(checked >= 500, true);
});

t.test(
  'Semi-NCA with working arrays made beforehand gives the same tree, and ignores ones of the wrong size',
  async (t) => {
    const graph = fc.integer({ min: 1, max: 24 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        edges: fc.array(
          fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.boolean()),
          { maxLength: n * 3 },
        ),
        junk: fc.nat(),
      }),
    );
    let used = 0;
    fc.assert(
      fc.property(graph, ({ n, edges, junk }) => {
        const sorted = edges
          .map((e, i) => [...e, i] as [number, number, boolean, number])
          .sort((a, b) => a[0] - b[0] || a[3] - b[3]);
        const firstEdge = new Uint32Array(n + 1);
        for (const [a] of sorted) firstEdge[a + 1]++;
        for (let v = 1; v <= n; v++) firstEdge[v] += firstEdge[v - 1];
        const edgeTo = Uint32Array.from(sorted, (e) => plainEdge(e[1], e[2]));
        const bound = () => {
          const b = new Uint32Array(n + 1);
          for (const [a, x] of sorted) if (a !== x) b[x]++;
          return b;
        };
        const input = { nodeCount: n, root: 0, firstEdge, edgeTo, rule: plainRule };
        const want = semiNca({ ...input, inbound: bound() }).idom;
        // parents and semidominators may hold anything; the table of predecessors is all zeros, sized by the bound
        const parent = new Uint32Array(n + 1).fill(junk),
          semi = new Uint32Array(n + 1).fill(junk >>> 1);
        const preds = new Uint32Array(predSlots(bound(), n));
        const buffers = { parent, semi, preds };
        const tree = semiNca({ ...input, inbound: bound(), buffers });
        if (tree.spare[0] === parent && tree.spare[1] === semi) used++;
        const wrong = semiNca({
          ...input,
          inbound: bound(),
          buffers: {
            parent: new Uint32Array(n),
            semi: new Uint32Array(n + 2),
            preds: new Uint32Array(preds.length + 1),
          },
        });
        return (
          Array.from(tree.idom).every((x, v) => x === want[v]) && Array.from(wrong.idom).every((x, v) => x === want[v])
        );
      }),
      { numRuns: 300, seed: 7 },
    );
    t.equal(used, 300, 'the arrays given were the ones used');
  },
);
