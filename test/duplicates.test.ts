import t from 'tap';
import { SnapshotParser } from '../shared/parse/parser.js';
import { prepare, shallowStep } from '../shared/dominators/index.js';
import { duplicateStrings } from '../shared/analyses/duplicates.js';
import { buildSnapshot, type TestNode } from './helpers/snapshot.js';

/** A graph whose duplicate strings are known: plain copies, concatenations built two ways, flattened ones. */
function graph() {
  const nodes: TestNode[] = [{ type: 'synthetic', name: '', size: 0, edges: [{ type: 'shortcut', name: '1', to: 1 }] }];
  const add = (n: TestNode) => nodes.push(n) - 1;
  const held: number[] = [];
  const str = (name: string, size = 32) => add({ type: 'string', name, size });
  const cons = (a: number, b: number, size = 32) => add({
    type: 'concatenated string', name: '', size,
    edges: [{ type: 'internal', name: 'first', to: a }, { type: 'internal', name: 'second', to: b }],
  });
  nodes.push({ type: 'object', name: 'holder', size: 40, edges: [] });
  // three plain copies of one value (one string-table entry), smallest 32
  held.push(str('same-value', 32), str('same-value', 40), str('same-value', 32));
  // "hello world!" twice as a concatenation and once plain
  held.push(cons(str('hello '), str('world!')), cons(str('hello '), str('world!')), str('hello world!', 36));
  // "abcdef" built as (ab + cd) + ef and as ab + (cd + ef)
  held.push(cons(cons(str('ab'), str('cd')), str('ef')), cons(str('ab'), cons(str('cd'), str('ef'))));
  // flattened concatenations (one half empty) and empty strings are left out; one unique concatenation
  held.push(cons(str('xyzxyz'), str('', 0)), cons(str('xyzxyz'), str('', 0)), str('', 0), str('', 0), cons(str('p'), str('q')));
  nodes[1].edges = held.map((to, i) => ({ type: 'element', name: i, to }));
  const p = new SnapshotParser();
  p.write(Buffer.from(buildSnapshot(nodes)));
  return p.end();
}

t.test('duplicate strings: plain copies, equal concatenations of different shapes, a plain string equal to concatenations', async (t) => {
  const g = graph();
  const pr = prepare(g);
  const dups = duplicateStrings(g, { tc: pr.tc, shallow: shallowStep(g, pr) }, 20);
  const by = new Map(dups.map((d) => [d.value, d]));
  t.match(by.get('same-value'), { count: 3, totalSize: 104, wastedSize: 72, length: 10 });
  t.match(by.get('hello world!'), { count: 3, totalSize: 100, wastedSize: 68, length: 12 });
  t.match(by.get('abcdef'), { count: 2, totalSize: 64, wastedSize: 32 });
  // the halves are plain strings held twice too ("hello ", "world!", "ab", ...): listed as such
  t.match(by.get('hello '), { count: 2 });
  t.match(by.get('xyzxyz'), { count: 2, totalSize: 64 }, 'the two plain halves only: a flattened concatenation is not another copy');
  t.notOk(by.has(''), 'empty strings are left out');
  t.notOk(by.has('pq'), 'a value held once is not listed');
  t.same(dups.map((d) => d.wastedSize), [...dups.map((d) => d.wastedSize)].sort((a, b) => b - a), 'most wasteful first');
  t.equal(duplicateStrings(g, { tc: pr.tc, shallow: shallowStep(g, pr) }, 2).length, 2, 'the limit is kept');
});
