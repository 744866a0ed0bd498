import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { buildSnapshot, type TestNode } from '../../../helpers/snapshot.js';
import { heapsight } from '../../../helpers/cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-bad-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

const nodes: TestNode[] = [
  { type: 'synthetic', name: '', size: 0, edges: [{ type: 'shortcut', name: '1', to: 1 }] },
  { type: 'object', name: 'global', size: 40, edges: [{ type: 'property', name: 'x', to: 2 }] },
  { type: 'object', name: 'Foo', size: 24, edges: [] },
];
const good = buildSnapshot(nodes);
const obj = () => JSON.parse(good);

// name -> [file contents, what the one-line error must say]
const cases: [string, string | Buffer, RegExp][] = [
  ['empty', '', /not a heap snapshot: the input is empty/],
  ['text', 'hello world', /not a heap snapshot: expected '\{'/],
  ['json array', '[1,2,3]', /not a heap snapshot: expected '\{'/],
  ['empty object', '{}', /not a heap snapshot: no "snapshot" header/],
  [
    'no meta',
    '{"snapshot":{"node_count":1,"edge_count":0},"nodes":[],"edges":[],"strings":[]}',
    /snapshot\.meta" is missing/,
  ],
  [
    'truncated in nodes',
    good.slice(0, good.indexOf('"edges"') - 8),
    /truncated snapshot: input ends inside the "nodes" array/,
  ],
  ['truncated in strings', good.slice(0, good.length - 5), /truncated snapshot: input ends inside the "strings" array/],
  [
    'node count too high',
    good.replace('"node_count":3', '"node_count":4'),
    /node_count is 4 but the nodes array holds 3 nodes/,
  ],
  [
    'node count too low',
    good.replace('"node_count":3', '"node_count":2'),
    /nodes array is longer than snapshot\.node_count/,
  ],
  [
    'edge count disagrees',
    good.replace('"edge_count":2', '"edge_count":3'),
    /edge counts add up to 2 but snapshot\.edge_count is 3|edge_count is 3 but the edges array holds 2/,
  ],
  [
    'to_node out of range',
    (() => {
      const o = obj();
      o.edges[5] = 70;
      return JSON.stringify(o);
    })(),
    /edge 1 points to node 10, but there are only 3 nodes/,
  ],
  [
    'to_node not a multiple',
    (() => {
      const o = obj();
      o.edges[5] = 8;
      return JSON.stringify(o);
    })(),
    /edge 1 points to 8, which is not a multiple of the node field count \(7\)/,
  ],
  [
    'node name out of range',
    (() => {
      const o = obj();
      o.nodes[1] = 999;
      return JSON.stringify(o);
    })(),
    /node 0 \(id 1\) has name index 999, but there are only \d+ strings/,
  ],
  [
    'edge name out of range',
    (() => {
      const o = obj();
      o.edges[4] = 999;
      return JSON.stringify(o);
    })(),
    /edge 1 \(property\) has name index 999/,
  ],
  [
    'node type out of range',
    (() => {
      const o = obj();
      o.nodes[7] = 99;
      return JSON.stringify(o);
    })(),
    /node 1 has type index 99, but there are only 15 node types/,
  ],
  [
    'edge type out of range',
    (() => {
      const o = obj();
      o.edges[0] = 42;
      return JSON.stringify(o);
    })(),
    /edge 0 has type index 42/,
  ],
  [
    'more nodes than an edge can point to',
    good.replace('"node_count":3', '"node_count":536870913'),
    /the snapshot holds 536870913 nodes: heapsight reads at most 536870912/,
  ],
  [
    'more edge types than an edge can hold',
    (() => {
      const o = obj();
      o.snapshot.meta.edge_types[0].push('a', 'b');
      return JSON.stringify(o);
    })(),
    /unsupported snapshot: 9 edge types/,
  ],
  ['negative number', good.replace('"edges":[', '"edges":[-'), /negative number in edges array \(at byte \d+\)/],
  ['float in nodes', good.replace(/"nodes":\[9,/, '"nodes":[9.5,'), /unexpected '\.' in nodes array/],
  ['invalid escape', good.replace('"global"', '"glo\\qbal"'), /bad string: invalid escape '\\q'/],
  ['bad unicode escape', good.replace('"global"', '"glo\\u12zzbal"'), /bad string: invalid \\u escape/],
  ['raw control char', good.replace('"global"', '"glo\u0001bal"'), /bad string: raw control character 0x01/],
  ['trailing garbage', good + ' {}', /unexpected data after the end of the snapshot/],
  ['truncated gzip', zlib.gzipSync(good).subarray(0, 60), /truncated gzip input/],
  [
    'corrupt gzip',
    Buffer.concat([zlib.gzipSync(good).subarray(0, 20), Buffer.alloc(100, 7)]),
    /corrupt gzip input|truncated gzip/,
  ],
];

for (const [name, content, expected] of cases) {
  t.test(name, async (t) => {
    const file = path.join(dir, name.replace(/ /g, '-') + '.heapsnapshot');
    fs.writeFileSync(file, content);
    const out = path.join(dir, name.replace(/ /g, '-') + '-out');
    const r = await heapsight(['analyze', file, '--out', out], { timeoutMs: 30000 });
    t.equal(r.code, 1, 'exits 1');
    const lines = r.stderr.trimEnd().split('\n');
    t.equal(lines.length, 1, `one line: ${r.stderr}`);
    t.match(lines[0], /^heapsight: /);
    t.match(lines[0], expected);
    t.notMatch(r.stderr, /\bat .*\.js:\d+/, 'no stack trace');
    t.notOk(fs.existsSync(path.join(out, 'report.json')), 'no report written');
  });
}

t.test('missing file, directory, bad option', async (t) => {
  const missing = await heapsight(['analyze', path.join(dir, 'nope.heapsnapshot')]);
  t.equal(missing.code, 1);
  t.match(missing.stderr, /^heapsight: cannot read .*nope\.heapsnapshot: no such file\n$/);
  const folder = await heapsight(['analyze', dir, '--out', path.join(dir, 'x')]);
  t.equal(folder.code, 1);
  t.match(folder.stderr, /it is a directory/);
  const opt = await heapsight(['analyze', 'x', '--top', 'lots']);
  t.equal(opt.code, 2);
  t.match(opt.stderr, /--top must be a positive whole number/);
  const unknown = await heapsight(['frobnicate']);
  t.equal(unknown.code, 2);
});

t.test('output that cannot be written is refused before any work, in one line', async (t) => {
  const file = path.join(dir, 'good-for-out.heapsnapshot');
  fs.writeFileSync(file, good);
  const plain = path.join(dir, 'a-file');
  fs.writeFileSync(plain, 'x');
  const cases: [string[], RegExp][] = [
    [['analyze', file, '--out', plain], /^heapsight: --out .*a-file exists and is not a folder\n$/],
    [
      ['analyze', file, '--out', path.join(plain, 'sub')],
      /^heapsight: cannot write --out .*a-file\/sub: .*a-file is not a folder\n$/,
    ],
    [
      ['export', 'nodes', file, '--out', path.join(dir, 'no-such', 'x.csv')],
      /^heapsight: cannot write --out .*x\.csv: no such folder .*no-such\n$/,
    ],
    [['export', 'nodes', file, '--out', dir], /^heapsight: --out .* is a folder\n$/],
  ];
  for (const [args, want] of cases) {
    const r = await heapsight(args);
    t.equal(r.code, 1, args.join(' '));
    t.match(r.stderr, want);
  }
  t.notOk(fs.existsSync(path.join(dir, 'no-such')), 'nothing created');
});

t.test('the good file itself analyses fine (the cases above differ from it only where stated)', async (t) => {
  const file = path.join(dir, 'good.heapsnapshot');
  fs.writeFileSync(file, good);
  const r = await heapsight(['analyze', file, '--json']);
  t.equal(r.code, 0, r.stderr);
  t.equal(JSON.parse(r.stdout).snapshot.nodeCount, 3);
});
