import t from 'tap';
import fc from 'fast-check';
import { SnapshotParser } from '../../../../shared/engine/parse/parser.js';
import {
  computeDominance,
  distanceAt,
  dominatedChildren,
  retainedSizes,
} from '../../../../shared/engine/dominators/index.js';
import { lengauerTarjan, predSlots } from '../../../../shared/engine/dominators/semi-nca.js';
import {
  countsFor,
  inboundBound,
  pageOwned,
  snapshotRule,
  type EssentialRule,
} from '../../../../shared/engine/dominators/essential.js';
import { WeakMapEdgeNames } from '../../../../shared/engine/dominators/weakmap.js';
import {
  EDGE_TYPE_SHIFT,
  edgeToOf,
  edgeTypeOf,
  typeCodes,
  type HeapGraph,
} from '../../../../shared/engine/graph/graph.js';
import { buildSnapshot, randomHeap, type TestNode } from '../../../helpers/snapshot.js';

function analyse(nodes: TestNode[]) {
  const p = new SnapshotParser();
  p.write(Buffer.from(buildSnapshot(nodes)));
  const g = p.end();
  return { g, d: computeDominance(g) };
}

/** For graphs built by hand: edges whose type code is 1 do not count, the rest do (but self edges). */
const plainRule: EssentialRule = {
  root: 0,
  never: 1 << 1,
  rootOnly: 0,
  internal: -1,
  wm: null,
  edgeName: new Uint32Array(0),
  nodeId: new Uint32Array(0),
  owned: null,
  plain: null,
};
/** An edge's target, marked as not counting unless `counts`. */
const plainEdge = (to: number, counts = true) => (counts ? to : ((1 << EDGE_TYPE_SHIFT) | to) >>> 0);

const root = (edges: TestNode['edges']): TestNode => ({ type: 'synthetic', name: '', size: 0, edges });
const obj = (name: string, size: number, edges: TestNode['edges'] = []): TestNode => ({
  type: 'object',
  name,
  size,
  edges,
});

t.test('a chain retains everything below it', async (t) => {
  const { d } = analyse([
    root([{ type: 'shortcut', name: 'g', to: 1 }]),
    obj('global', 10, [{ type: 'property', name: 'a', to: 2 }]),
    obj('A', 100, [{ type: 'property', name: 'b', to: 3 }]),
    obj('B', 200, [{ type: 'property', name: 'c', to: 4 }]),
    obj('C', 300),
  ]);
  t.same(Array.from(d.retained), [610, 610, 600, 500, 300]);
  t.same(Array.from(d.idom), [0, 0, 1, 2, 3]);
  t.same(
    Array.from(d.distance, (_, o) => distanceAt(d.distance, o)),
    [100000000, 1, 2, 3, 4],
  );
});

t.test(
  'distances past 16 bits: a chain longer than 32766 is searched again in 32 bits, short ones stay in 16',
  async (t) => {
    const chain = (length: number) =>
      analyse([
        root([
          { type: 'shortcut', name: 'g', to: 1 },
          { type: 'element', name: '1', to: length + 1 },
        ]),
        ...Array.from({ length }, (_, i) =>
          obj('Link', 10, i + 1 < length ? [{ type: 'property', name: 'next', to: i + 2 }] : []),
        ),
        { type: 'synthetic', name: '(system)', size: 0, edges: [{ type: 'property', name: 'x', to: length + 2 }] },
        obj('SystemOnly', 5),
      ]);
    for (const length of [100, 40000]) {
      const { g, d } = chain(length);
      t.equal(d.distance instanceof Uint16Array, length < 32766, `${length}: ${d.distance.constructor.name}`);
      t.equal(distanceAt(d.distance, length), length, `${length}: the chain's end`);
      t.equal(distanceAt(d.distance, g.nodeCount - 1), 100000002, `${length}: reached from a system root only`);
    }
  },
);

t.test('a user root the root holds many times is searched from once: every node fits a node-sized queue', async (t) => {
  const { d } = analyse([
    root([
      ...Array.from({ length: 10 }, (_, i) => ({ type: 'shortcut', name: `g${i}`, to: 1 })),
      { type: 'element', name: '1', to: 4 },
    ]),
    obj('global', 10, [{ type: 'property', name: 'a', to: 2 }]),
    obj('A', 1, [{ type: 'property', name: 'b', to: 3 }]),
    obj('B', 1),
    {
      type: 'synthetic',
      name: '(system)',
      size: 0,
      edges: [
        { type: 'property', name: 'x', to: 5 },
        { type: 'property', name: 'g', to: 1 },
      ],
    },
    obj('SystemOnly', 5),
  ]);
  t.same(
    Array.from(d.distance, (_, o) => distanceAt(d.distance, o)),
    [100000000, 1, 2, 3, 100000001, 100000002],
  );
  t.equal(d.viaEdge[1], 10, "the root's last edge to it");
});

t.test('a diamond: the join is dominated by the fork, not by either branch', async (t) => {
  const { d } = analyse([
    root([{ type: 'shortcut', name: 'g', to: 1 }]),
    obj('A', 1, [
      { type: 'property', name: 'l', to: 2 },
      { type: 'property', name: 'r', to: 3 },
    ]),
    obj('L', 10, [{ type: 'property', name: 'x', to: 4 }]),
    obj('R', 20, [{ type: 'property', name: 'x', to: 4 }]),
    obj('D', 1000),
  ]);
  t.equal(d.idom[4], 1);
  t.same([d.retained[1], d.retained[2], d.retained[3]], [1031, 10, 20]);
});

t.test('weak and shortcut edges do not retain; self edges are ignored', async (t) => {
  const { d } = analyse([
    root([{ type: 'shortcut', name: 'g', to: 1 }]),
    obj('global', 1, [
      { type: 'property', name: 'a', to: 2 },
      { type: 'property', name: 'b', to: 3 },
    ]),
    obj('A', 10, [
      { type: 'weak', name: 'w', to: 4 },
      { type: 'shortcut', name: 's', to: 4 },
      { type: 'property', name: 'self', to: 2 },
    ]),
    obj('B', 20, [{ type: 'property', name: 'x', to: 4 }]),
    obj('X', 500),
  ]);
  t.equal(d.idom[4], 3, 'X belongs to B: A only holds it weakly or by shortcut');
  t.equal(d.retained[2], 10);
  t.equal(d.retained[3], 520);
});

t.test('a backing store with one owner moves its size into the owner', async (t) => {
  const { d } = analyse([
    root([{ type: 'shortcut', name: 'g', to: 1 }]),
    obj('global', 1, [
      { type: 'property', name: 'm', to: 2 },
      { type: 'property', name: 'shared', to: 4 },
    ]),
    obj('Map', 32, [{ type: 'internal', name: 'table', to: 3 }]),
    { type: 'array', name: '', size: 4000, edges: [] },
    { type: 'array', name: '', size: 50, edges: [] },
    obj('Other', 8, [{ type: 'property', name: 'shared', to: 4 }]),
  ]);
  t.equal(d.shallow[2], 4032, "the table is the Map's own store");
  t.equal(d.shallow[3], 0);
  // node 4 is reachable from global and from Other (Other is unreachable, but still an owner)
  t.equal(d.shallow[4], 50, 'a store with two owners keeps its size');
  t.equal(d.retained[2], 4032);
});

t.test('unreachable objects: orphans hang off the root, and so do cycles held by nothing else', async (t) => {
  const { d, g } = analyse([
    root([{ type: 'shortcut', name: 'g', to: 1 }]),
    obj('global', 1),
    obj('Orphan', 10, [{ type: 'property', name: 'child', to: 3 }]),
    obj('Child', 20),
    obj('CycleA', 30, [{ type: 'property', name: 'b', to: 5 }]),
    obj('CycleB', 40, [{ type: 'property', name: 'a', to: 4 }]),
  ]);
  t.equal(d.idom[2], 0);
  t.equal(d.idom[3], 2);
  t.equal(d.retained[2], 30);
  t.equal(d.idom[4], 0);
  t.equal(d.idom[5], 0);
  t.equal(d.retained[0], 101, 'the root holds everything');
  t.equal(distanceAt(d.distance, 2), -5, 'no distance for what no root reaches');
  t.equal(g.nodeCount, 6);
  t.equal(d.reached, 2, 'the root and global are reached: 4 unreachable');
});

t.test('nodes reached are counted once, the root too when a user root leads back to it', async (t) => {
  const { d, g } = analyse([
    root([
      { type: 'shortcut', name: 'g', to: 1 },
      { type: 'shortcut', name: 'h', to: 1 },
    ]),
    obj('global', 1, [
      { type: 'property', name: 'a', to: 2 },
      { type: 'property', name: 'up', to: 0 },
    ]),
    obj('A', 10, [
      { type: 'property', name: 'b', to: 3 },
      { type: 'property', name: 'g', to: 1 },
    ]),
    obj('B', 20),
    obj('Unreached', 30),
  ]);
  let withDistance = 0;
  for (let o = 0; o < g.nodeCount; o++) if (distanceAt(d.distance, o) !== -5) withDistance++;
  t.equal(withDistance, 4);
  t.equal(d.reached, withDistance, 'the count the search keeps matches the distances it wrote');
});

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
    const { idom } = lengauerTarjan({
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
  const { idom } = lengauerTarjan({ nodeCount: N, root: 0, firstEdge, edgeTo, rule: plainRule });
  t.equal(idom[N - 1], N - 2);
  t.equal(idom[1], 0);
});

/** Dominators by the textbook fixpoint, on the graph DevTools builds: orphans (no counted retainer) hang off the root. */
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

t.test('Lengauer-Tarjan agrees with the naive fixpoint on random graphs', async (t) => {
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
      const exact = lengauerTarjan({ nodeCount: n, root: 0, firstEdge, edgeTo, rule: plainRule }).idom;
      const bound = new Uint32Array(n + 1);
      for (const [a, b] of sorted) if (a !== b) bound[b]++;
      const loose = lengauerTarjan({ nodeCount: n, root: 0, firstEdge, edgeTo, rule: plainRule, inbound: bound }).idom;
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
  'Lengauer-Tarjan with working arrays made beforehand gives the same tree, and ignores ones of the wrong size',
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
        const want = lengauerTarjan({ ...input, inbound: bound() }).idom;
        // parents and semidominators may hold anything; the table of predecessors is all zeros, sized by the bound
        const parent = new Uint32Array(n + 1).fill(junk),
          semi = new Uint32Array(n + 1).fill(junk >>> 1);
        const preds = new Uint32Array(predSlots(bound(), n));
        const buffers = { parent, semi, preds };
        const tree = lengauerTarjan({ ...input, inbound: bound(), buffers });
        if (tree.spare[0] === parent && tree.spare[1] === semi) used++;
        const wrong = lengauerTarjan({
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

t.test('the dominated children of each node, in increasing order, as a CSR', async (t) => {
  fc.assert(
    fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), fc.nat(), (picks, r) => {
      const n = picks.length;
      const root = r % n;
      // any tree: each node but the root under some node; here simply any node (a dominator tree's shape is not needed)
      const idom = Uint32Array.from(picks, (p, o) => (o === root ? root : p % n));
      const { start, kids } = dominatedChildren(idom, root);
      for (let p = 0; p < n; p++) {
        const want = [...Array(n).keys()].filter((o) => o !== root && idom[o] === p);
        if (JSON.stringify(Array.from(kids.subarray(start[p], start[p + 1]))) !== JSON.stringify(want)) return false;
      }
      return start[n] === n - 1;
    }),
    { numRuns: 300, seed: 7 },
  );
  t.pass();
});

t.test('retained sizes are 32-bit while the heap fits in 32 bits, and exact past 4 GB', async (t) => {
  const idom = Uint32Array.from([0, 0, 1]);
  const order = Uint32Array.from([0, 1, 2]);
  const small = retainedSizes(Uint32Array.from([1, 2, 0xfffffff0]), idom, order);
  t.ok(small instanceof Uint32Array);
  t.same(Array.from(small), [0xfffffff3, 0xfffffff2, 0xfffffff0]);
  const big = retainedSizes(Float64Array.from([1, 0xffffffff, 0xffffffff]), idom, order);
  t.ok(big instanceof Float64Array);
  t.same(Array.from(big), [2 * 0xffffffff + 1, 2 * 0xffffffff, 0xffffffff]);
});

/** DevTools' rules for essential edges the plain way: page ownership first, then every edge judged alone. */
function referenceEssential(g: HeapGraph): { counts: boolean[]; indeg: Uint32Array } {
  const tc = typeCodes(g);
  const n = g.nodeCount,
    root = g.rootOrdinal;
  const owned = new Uint8Array(n);
  const docTrees = new Set(g.strings.indexesOf(['(Document DOM trees)']).get('(Document DOM trees)'));
  const stack: number[] = [];
  for (let e = g.firstEdge[root]; e < g.firstEdge[root + 1]; e++) {
    const to = edgeToOf(g, e),
      t = edgeTypeOf(g, e);
    const seed =
      t === tc.eShortcut || (t === tc.eElement && g.nodeType[to] === tc.synthetic && docTrees.has(g.nodeName[to]));
    if (seed && !owned[to]) {
      owned[to] = 1;
      stack.push(to);
    }
  }
  while (stack.length) {
    const o = stack.pop()!;
    for (let e = g.firstEdge[o]; e < g.firstEdge[o + 1]; e++) {
      if (edgeTypeOf(g, e) !== tc.eWeak && !owned[edgeToOf(g, e)]) {
        owned[edgeToOf(g, e)] = 1;
        stack.push(edgeToOf(g, e));
      }
    }
  }
  const wm = new WeakMapEdgeNames(g);
  const counts: boolean[] = [];
  const indeg = new Uint32Array(n + 1);
  for (let o = 0; o < n; o++) {
    for (let e = g.firstEdge[o]; e < g.firstEdge[o + 1]; e++) {
      const t = edgeTypeOf(g, e),
        to = edgeToOf(g, e);
      const ok = !(
        t === tc.eWeak ||
        to === o ||
        (t === tc.eInternal && wm.match(g.edgeName[e])?.table === g.nodeId[o]) ||
        (o !== root && (t === tc.eShortcut || (owned[to] && !owned[o])))
      );
      counts.push(ok);
      if (ok) indeg[to]++;
    }
  }
  return { counts, indeg };
}

t.test(
  'the edges the search counts, with page ownership from the bitmap walk, are those the plain rules give',
  async (t) => {
    let dropped = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const p = new SnapshotParser();
      p.write(Buffer.from(buildSnapshot(randomHeap(seed, 60))));
      const g = p.end();
      const want = referenceEssential(g);
      const tc = typeCodes(g);
      const docTrees = new Set(g.strings.indexesOf(['(Document DOM trees)']).get('(Document DOM trees)'));
      const rule = snapshotRule(g, tc, new WeakMapEdgeNames(g), pageOwned(g, tc, docTrees));
      for (let o = 0; o < g.nodeCount; o++) {
        for (let e = g.firstEdge[o]; e < g.firstEdge[o + 1]; e++) {
          if (countsFor(rule, o, e, g.edgeTypeTo[e]) !== want.counts[e]) {
            t.fail(`seed ${seed}: edge ${e} of node ${o} judged differently`);
            return;
          }
        }
      }
      // the bound the search starts from is never below the real count; the tree is the same from either
      const bound = inboundBound(g, tc, new Uint32Array(g.nodeCount + 1));
      for (let o = 0; o < g.nodeCount; o++) {
        if (bound[o] < want.indeg[o]) {
          t.fail(`seed ${seed}: node ${o}'s bound ${bound[o]} is below ${want.indeg[o]}`);
          return;
        }
        dropped += bound[o] - want.indeg[o];
      }
      const input = { nodeCount: g.nodeCount, root: g.rootOrdinal, firstEdge: g.firstEdge, edgeTo: g.edgeTypeTo, rule };
      const loose = lengauerTarjan({ ...input, inbound: bound }).idom;
      const exact = lengauerTarjan({ ...input, inbound: want.indeg.slice() }).idom;
      if (
        !Buffer.from(loose.buffer, loose.byteOffset, loose.byteLength).equals(
          Buffer.from(exact.buffer, exact.byteOffset, exact.byteLength),
        )
      ) {
        {
          t.fail(`seed ${seed}: the dominator trees differ`);
          return;
        }
      }
    }
    t.ok(dropped > 0, `the bound was above the real count ${dropped} times`);
    t.pass('300 random heaps agree');
  },
);

t.test(
  'an object held only through edges that do not count is an orphan even though its bound says one retainer',
  async (t) => {
    // 1 global -> 3 X only by a shortcut (which makes X page-owned but does not count); 2 (system) is not page-owned,
    // so its edge to X does not count either: X hangs off the root, and Z below it is X's.
    const { d, g } = analyse([
      root([
        { type: 'shortcut', name: 'g', to: 1 },
        { type: 'element', name: '1', to: 2 },
      ]),
      obj('global', 1, [{ type: 'shortcut', name: 'x', to: 3 }]),
      { type: 'synthetic', name: '(system)', size: 0, edges: [{ type: 'property', name: 'x', to: 3 }] },
      obj('X', 10, [{ type: 'property', name: 'z', to: 4 }]),
      obj('Z', 100),
    ]);
    const tc = typeCodes(g);
    t.equal(inboundBound(g, tc, new Uint32Array(g.nodeCount + 1))[3], 1, 'the bound counts (system) -> X');
    t.same(Array.from(d.idom), [0, 0, 0, 0, 3]);
    t.same(Array.from(d.retained), [111, 1, 0, 110, 100]);
  },
);
