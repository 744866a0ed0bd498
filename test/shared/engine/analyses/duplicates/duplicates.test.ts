import t from 'tap';
import { SnapshotParser } from '../../../../../shared/engine/parse/parser.js';
import { prepare, shallowStep } from '../../../../../shared/engine/dominators/index.js';
import { duplicateStrings } from '../../../../../shared/engine/analyses/duplicates/index.js';
import { buildSnapshot, type TestNode } from '../../../../helpers/snapshot.js';

/** A graph whose duplicate strings are known: plain copies, concatenations built two ways, flattened ones. */
function graph() {
  const nodes: TestNode[] = [{ type: 'synthetic', name: '', size: 0, edges: [{ type: 'shortcut', name: '1', to: 1 }] }];
  const add = (n: TestNode) => nodes.push(n) - 1;
  const held: number[] = [];
  const str = (name: string, size = 32) => add({ type: 'string', name, size });
  const cons = (a: number, b: number, size = 32) =>
    add({
      type: 'concatenated string',
      name: '',
      size,
      edges: [
        { type: 'internal', name: 'first', to: a },
        { type: 'internal', name: 'second', to: b },
      ],
    });
  nodes.push({ type: 'object', name: 'holder', size: 40, edges: [] });
  // three plain copies of one value (one string-table entry), smallest 32
  held.push(str('same-value', 32), str('same-value', 40), str('same-value', 32));
  // "hello world!" twice as a concatenation and once plain
  held.push(cons(str('hello '), str('world!')), cons(str('hello '), str('world!')), str('hello world!', 36));
  // "abcdef" built as (ab + cd) + ef and as ab + (cd + ef)
  held.push(cons(cons(str('ab'), str('cd')), str('ef')), cons(str('ab'), cons(str('cd'), str('ef'))));
  // flattened concatenations (one half empty) and empty strings are left out; one unique concatenation
  held.push(
    cons(str('xyzxyz'), str('', 0)),
    cons(str('xyzxyz'), str('', 0)),
    str('', 0),
    str('', 0),
    cons(str('p'), str('q')),
  );
  nodes[1].edges = held.map((to, i) => ({ type: 'element', name: i, to }));
  const p = new SnapshotParser();
  p.write(Buffer.from(buildSnapshot(nodes)));
  return p.end();
}

t.test(
  'duplicate strings: plain copies, equal concatenations of different shapes, a plain string equal to concatenations',
  async (t) => {
    const g = graph();
    const pr = prepare(g);
    const dups = duplicateStrings(g, { tc: pr.tc, shallow: shallowStep(g, pr) }, 20);
    const by = new Map(dups.map((d) => [d.value, d]));
    t.match(by.get('same-value'), { count: 3, totalSize: 104, wastedSize: 72, length: 10 });
    t.match(by.get('hello world!'), { count: 3, totalSize: 100, wastedSize: 68, length: 12 });
    t.match(by.get('abcdef'), { count: 2, totalSize: 64, wastedSize: 32 });
    // the halves are plain strings held twice too ("hello ", "world!", "ab", ...): listed as such
    t.match(by.get('hello '), { count: 2 });
    t.match(
      by.get('xyzxyz'),
      { count: 2, totalSize: 64 },
      'the two plain halves only: a flattened concatenation is not another copy',
    );
    t.notOk(by.has(''), 'empty strings are left out');
    t.notOk(by.has('pq'), 'a value held once is not listed');
    t.same(
      dups.map((d) => d.wastedSize),
      [...dups.map((d) => d.wastedSize)].sort((a, b) => b - a),
      'most wasteful first',
    );
    t.equal(duplicateStrings(g, { tc: pr.tc, shallow: shallowStep(g, pr) }, 2).length, 2, 'the limit is kept');
  },
);

/** Small deterministic generator (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

t.test('duplicate strings agree with grouping the values themselves, on random heaps of concatenations', async (t) => {
  const words = ['a', 'bc', 'def', 'gh', 'ijkl', 'm', ''];
  for (let seed = 1; seed <= 60; seed++) {
    const rand = rng(seed);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const nodes: TestNode[] = [
      { type: 'synthetic', name: '', size: 0, edges: [{ type: 'shortcut', name: '1', to: 1 }] },
    ];
    nodes.push({ type: 'object', name: 'holder', size: 40, edges: [] });
    const value: string[] = ['', ''];
    const isCons: boolean[] = [false, false];
    const flat: boolean[] = [false, false];
    const sizes = [0, 16, 24, 32];
    const count = 20 + Math.floor(rand() * 200);
    for (let i = 0; i < count; i++) {
      const o = nodes.length;
      if (o < 4 || rand() < 0.4) {
        const w = pick(words) + (rand() < 0.3 ? pick(words) : '');
        nodes.push({ type: 'string', name: w, size: pick(sizes) });
        value.push(w);
        isCons.push(false);
        flat.push(false);
      } else {
        // two earlier strings of either kind: many values repeat, some built in different ways
        const a = 2 + Math.floor(rand() * (o - 2)),
          b = 2 + Math.floor(rand() * (o - 2));
        nodes.push({
          type: 'concatenated string',
          name: '(concatenated string)',
          size: pick(sizes),
          edges: [
            { type: 'internal', name: 'first', to: a },
            { type: 'internal', name: 'second', to: b },
          ],
        });
        value.push(value[a] + value[b]);
        isCons.push(true);
        flat.push((!isCons[a] && value[a] === '') || (!isCons[b] && value[b] === ''));
      }
    }
    nodes[1].edges = nodes.slice(2).map((_, i) => ({ type: 'element', name: i, to: i + 2 }));
    const p = new SnapshotParser();
    p.write(Buffer.from(buildSnapshot(nodes)));
    const g = p.end();
    const pr = prepare(g);
    const shallow = shallowStep(g, pr);
    // the rules, on the values: strings with a size, concatenations not flattened, grouped by value
    const want = new Map<string, { count: number; total: number; min: number }>();
    for (let o = 2; o < nodes.length; o++) {
      const size = shallow[o];
      if (!size || (isCons[o] && flat[o])) continue;
      const w = want.get(value[o]);
      if (w) {
        w.count++;
        w.total += size;
        w.min = Math.min(w.min, size);
      } else want.set(value[o], { count: 1, total: size, min: size });
    }
    const expected = [...want]
      .filter(([, w]) => w.count > 1)
      .map(([v, w]) => `${JSON.stringify(v)} ${w.count} ${w.total} ${w.total - w.min}`)
      .sort();
    const lines = (spare: SharedArrayBuffer | null) =>
      duplicateStrings(g, { tc: pr.tc, shallow }, 1e6, undefined, spare)
        .map((x) => `${JSON.stringify(x.value)} ${x.count} ${x.totalSize} ${x.wastedSize}`)
        .sort();
    t.same(lines(null), expected, `seed ${seed}`);
    // the arrays cut from a spare buffer left full of other data: all of them, some, or none fit
    for (const bytes of [1 << 16, Math.floor(rand() * 4096), 3]) {
      const spare = new SharedArrayBuffer(bytes);
      new Uint8Array(spare).fill(0xab);
      t.same(lines(spare), expected, `seed ${seed}, a spare buffer of ${bytes} bytes`);
    }
  }
});
