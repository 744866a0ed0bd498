import t from 'tap';
import { SnapshotParser } from '../../../../shared/engine/parse/parser.js';
import { prepare } from '../../../../shared/engine/dominators/index.js';
import { classTable } from '../../../../shared/engine/analyses/classes.js';
import { buildSnapshot, type TestNode } from '../../../helpers/snapshot.js';

function classesOf(nodes: TestNode[]) {
  const p = new SnapshotParser();
  p.write(Buffer.from(buildSnapshot(nodes)));
  const g = p.end();
  return { g, ct: classTable(g, prepare(g), undefined, false) };
}

const root: TestNode = { type: 'synthetic', name: '', size: 0, edges: [] };

t.test('class ids stay in 16 bits while they fit, and go to 32 bits past 65536 classes', async (t) => {
  for (const classes of [1000, 70000]) {
    const { g, ct } = classesOf([
      root,
      ...Array.from({ length: classes }, (_, i): TestNode => ({ type: 'object', name: `C${i}`, size: 8 })),
    ]);
    t.equal(
      ct.classOf instanceof Uint16Array,
      ct.names.length <= 0x10000,
      `${classes}: ${ct.classOf.constructor.name}`,
    );
    // every object is in the class of its own name, also past the first 65536
    let wrong = 0;
    for (let o = 1; o < g.nodeCount; o++) if (ct.names[ct.classOf[o]] !== `C${o - 1}`) wrong++;
    t.equal(wrong, 0, `${classes}: objects in their own class`);
  }
});

t.test('plain objects with more shapes than 16 bits hold still get their interface names', async (t) => {
  // 70000 plain objects, each with its own property: more shapes than a 16-bit class id can carry through the first
  // pass
  const n = 70000;
  const nodes: TestNode[] = [root];
  for (let i = 0; i < n; i++)
    nodes.push({ type: 'object', name: 'Object', size: 16, edges: [{ type: 'property', name: `p${i}`, to: n + 1 }] });
  nodes.push({ type: 'number', name: 'heap number', size: 16 });
  // and 100 sharing one shape: common enough (over 1 in 1000 plain objects) to name an interface
  for (let i = 0; i < 100; i++)
    nodes.push({
      type: 'object',
      name: 'Object',
      size: 16,
      edges: [
        { type: 'property', name: 'a', to: n + 1 },
        { type: 'property', name: 'b', to: n + 1 },
      ],
    });
  const { ct } = classesOf(nodes);
  t.ok(ct.classOf instanceof Uint32Array, 'class ids in 32 bits');
  t.equal(ct.names[ct.classOf[n + 2]], '{a, b}');
  t.equal(ct.classOf[n + 101], ct.classOf[n + 2]);
  t.equal(ct.names[ct.classOf[1]], 'Object', 'a shape seen once stays Object');
  t.equal(ct.names[ct.classOf[n + 1]], '(number)');
});
