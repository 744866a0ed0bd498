// Retainer paths on deep chains: the first and last 32 steps are kept and named, the middle counted.
import t from 'tap';
import { SnapshotParser } from '../../../../shared/engine/parse/parser.js';
import { computeDominance } from '../../../../shared/engine/dominators/index.js';
import { retainerPath } from '../../../../shared/engine/analyses/paths.js';
import { displayName } from '../../../../shared/engine/analyses/names.js';
import { buildSnapshot, type TestNode } from '../../../helpers/snapshot.js';

function parse(text: string) {
  const p = new SnapshotParser();
  p.write(Buffer.from(text));
  return p.end();
}

t.test('a 100,000-link list: 64 steps shown, the rest counted', async (t) => {
  const N = 100_000;
  const nodes: TestNode[] = [
    { type: 'synthetic', name: '', size: 0, edges: [{ type: 'shortcut', name: '1', to: 1 }] },
    { type: 'object', name: 'global', size: 40, edges: [{ type: 'property', name: 'list', to: 2 }] },
  ];
  for (let i = 0; i < N; i++)
    nodes.push({
      type: 'object',
      name: 'Link',
      size: 32,
      edges: i < N - 1 ? [{ type: 'property', name: 'next', to: nodes.length + 1 }] : [],
    });
  const g = parse(buildSnapshot(nodes));
  const d = computeDominance(g);
  const p = retainerPath(g, d, g.nodeCount - 1);
  t.equal(p.steps.length, 65);
  t.equal(p.steps[0].label, '(global)');
  t.equal(p.steps[1].label, 'list');
  t.equal(p.steps[32].label, `… ${N + 1 - 64} more …`);
  t.equal(p.steps[64].label, 'next');
  t.equal(p.steps[64].nodeId, g.nodeId[g.nodeCount - 1]);
  t.match(p.text, /^\(global\) -> list -> next -> .* -> … 99937 more … -> next/);
});

t.test('a string appended to 50,000 times: its name is cut short, not walked to the bottom', async (t) => {
  const N = 50_000;
  // cons(cons(cons(a0, a1), a2), ...): the first character is at the bottom of the chain
  const nodes: TestNode[] = [
    { type: 'synthetic', name: '', size: 0, edges: [{ type: 'shortcut', name: '1', to: 1 }] },
    { type: 'object', name: 'global', size: 40, edges: [{ type: 'property', name: 'log', to: 2 }] },
  ];
  for (let i = 0; i < N; i++) {
    const cons = nodes.length;
    const left = i < N - 1 ? cons + 2 : cons + 1;
    nodes.push({
      type: 'concatenated string',
      name: '',
      size: 32,
      edges: [
        { type: 'internal', name: 'first', to: left },
        { type: 'internal', name: 'second', to: cons + 1 },
      ],
    });
    nodes.push({ type: 'string', name: `line ${N - i};`, size: 24 });
  }
  const g = parse(buildSnapshot(nodes));
  const d = computeDominance(g);
  const name = displayName(g, d, 2);
  t.ok(name.endsWith('…'), 'marked as cut');
  t.ok(name.length < 2000);
});
