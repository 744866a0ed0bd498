// The Statistics pie's rules, on hand-built heaps; parity.test.ts checks them against DevTools on real snapshots.
import t from 'tap';
import { SnapshotParser } from '../../../../shared/engine/parse/parser.js';
import { computeDominance } from '../../../../shared/engine/dominators/index.js';
import { statistics } from '../../../../shared/engine/analyses/statistics.js';
import { buildSnapshot, type TestNode } from '../../../helpers/snapshot.js';

function stats(nodes: TestNode[]) {
  const p = new SnapshotParser();
  p.write(Buffer.from(buildSnapshot(nodes)));
  const g = p.end();
  return statistics(g, computeDominance(g));
}

t.test("an array's elements store counts with it only when the array is its one retainer", async (t) => {
  const s = stats([
    { type: 'synthetic', name: '', size: 0, edges: [{ type: 'shortcut', name: 'g', to: 1 }] },
    {
      type: 'object',
      name: 'global',
      size: 8,
      edges: [
        { type: 'property', name: 'own', to: 2 },
        { type: 'property', name: 'x', to: 4 },
        { type: 'property', name: 'y', to: 5 },
      ],
    },
    { type: 'object', name: 'Array', size: 32, edges: [{ type: 'internal', name: 'elements', to: 3 }] },
    { type: 'array', name: '', size: 1000, edges: [] }, // held by the array above only
    { type: 'object', name: 'Array', size: 32, edges: [{ type: 'internal', name: 'elements', to: 6 }] },
    { type: 'object', name: 'Array', size: 32, edges: [{ type: 'internal', name: 'elements', to: 6 }] },
    { type: 'array', name: '', size: 500, edges: [] }, // shared by two arrays
    { type: 'code', name: 'f', size: 64, edges: [] },
    { type: 'string', name: 'hello', size: 24, edges: [] },
    { type: 'hidden', name: 'system / Map', size: 40, edges: [] },
  ]);
  t.equal(s.v8heap.jsArrays, 32 + 1000 + 32 + 32, 'the own store counts, the shared one does not');
  t.equal(s.v8heap.code, 64);
  t.equal(s.v8heap.strings, 24);
  t.equal(s.v8heap.system, 40);
  t.equal(s.total, 8 + 32 + 1000 + 32 + 32 + 500 + 64 + 24 + 40, 'the total is every shallow size');
});
