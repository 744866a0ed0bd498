// Dominance as DevTools computes it, on small graphs built by hand: retained sizes, distances, unreachable objects.
import t from 'tap';
import fc from 'fast-check';
import { distanceAt, dominatedChildren, retainedSizes } from '../../../../shared/engine/dominators/index.js';
import { analyse, root, obj } from '../../../helpers/dominance.js';

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
