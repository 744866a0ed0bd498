import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { SnapshotParser } from '../../../shared/engine/parse/parser.js';
import { computeDominance, distanceAt } from '../../../shared/engine/dominators/index.js';
import { buildSnapshot, type TestNode } from '../../helpers/snapshot.js';
import { heapsight } from '../../helpers/cli.js';
import { snapshots } from '../../helpers/corpus.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-cli-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

const HOSTILE = '<img src=x onerror=alert(1)>';
const SCRIPT = '</script><script>alert(2)</script>';
const nodes: TestNode[] = [
  { type: 'synthetic', name: '', size: 0, edges: [{ type: 'shortcut', name: '1', to: 1 }] },
  {
    type: 'object',
    name: 'global',
    size: 40,
    edges: [
      { type: 'property', name: 'evil, "quoted"\nname', to: 2 },
      { type: 'property', name: 's', to: 3 },
      { type: 'property', name: 't', to: 4 },
    ],
  },
  { type: 'object', name: HOSTILE, size: 64, edges: [{ type: 'property', name: 'x', to: 3 }] },
  { type: 'string', name: SCRIPT, size: 48 },
  { type: 'string', name: SCRIPT, size: 48 },
];
const hostileFile = path.join(dir, 'hostile.heapsnapshot');
fs.writeFileSync(hostileFile, buildSnapshot(nodes));

t.test('analyze on a corpus snapshot: three reports that name the culprit', async (t) => {
  const [file] = snapshots('global-cache', path.join(dir, 'gc'), 1);
  const r = await heapsight(['analyze', file]);
  t.equal(r.code, 0, r.stderr);
  const out = path.join(path.dirname(file), 'global-cache-0-heapsight');
  t.match(r.stdout, /largest retainer: Map @\d+ holds [\d.]+ [kM]B via \(global\) -> __app -> requestCache/);
  for (const f of ['report.json', 'report.md', 'report.html'])
    t.ok(fs.existsSync(path.join(out, f)), `${f} written next to the input`);
  const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
  t.equal(report.kind, 'heapsight.analysis');
  t.ok(report.snapshot.nodeCount > 1000);
  t.ok(report.snapshot.totalSize > 0);
  t.same(
    Object.keys(report.summary[0]).sort(),
    ['distance', 'key', 'count', 'name', 'retainedSize', 'selfSize'].sort(),
  );
  for (let i = 1; i < report.summary.length; i++)
    t.ok(report.summary[i - 1].retainedSize >= report.summary[i].retainedSize, 'largest first');
  const rc = report.summary.find((r: any) => r.name === 'RequestContext');
  t.equal(rc.count, 20000, 'one RequestContext per cached request');
  const map = report.largestObjects.find((o: any) => o.className === 'Map');
  t.equal(map.path, '(global) -> __app -> requestCache');
  t.ok(report.statistics.total === report.snapshot.totalSize);
  t.ok(report.timings.find((x: any) => x.phase === 'parse').ms > 0);
  t.ok(report.duplicateStrings.length > 0);
  const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
  t.match(md, /^# Heap snapshot analysis: global-cache-0\.heapsnapshot/);
  t.match(md, /\| RequestContext \| 20,000 \|/);
  t.match(md, /`\(global\) -> __app -> requestCache`/);
  const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
  t.notMatch(html, /(src|href)=["']?https?:/i, 'no network resources');
  t.match(html, /<table class="sortable" id="summary">/);
  t.match(html, /RequestContext/);
});

t.test('snapshot strings are escaped in HTML and Markdown', async (t) => {
  const out = path.join(dir, 'hostile-out');
  const r = await heapsight(['analyze', hostileFile, '--out', out]);
  t.equal(r.code, 0, r.stderr);
  const html = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
  t.notOk(html.includes(HOSTILE), 'no raw tag from a class name');
  t.notOk(html.includes('<script>alert(2)'), 'no raw script from a string');
  t.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'shown escaped');
  t.equal(html.match(/<script>/g)?.length, 1, 'only our own sorting script');
  const md = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
  // code spans show their text literally; outside them no raw tag may remain
  const outsideCode = md.replace(/(`+)[\s\S]*?\1/g, '');
  t.notMatch(outsideCode, /<(img|script)/i, 'no raw HTML outside code spans');
  t.match(md, /\| &lt;img&gt; \|/, 'class name (DevTools shortens <img src=..> to <img>) escaped in table text');
  // every row of a table has as many cells as its header
  const pipes = (l: string) => l.replace(/\\\|/g, '').split('|').length;
  let header = 0;
  for (const line of md.split('\n')) {
    if (!line.startsWith('|')) {
      header = 0;
      continue;
    }
    if (!header) header = pipes(line);
    else t.equal(pipes(line), header, `row keeps its columns: ${line.slice(0, 60)}`);
  }
});

t.test('--json prints the report and writes no files unless --out is given', async (t) => {
  const r = await heapsight(['analyze', hostileFile, '--json', '--top', '2']);
  t.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  t.equal(report.snapshot.nodeCount, 5);
  t.ok(report.largestObjects.length <= 2);
  t.notOk(fs.existsSync(path.join(dir, 'hostile-heapsight')));
});

t.test('gzip input gives the same numbers', async (t) => {
  const gz = path.join(dir, 'hostile.heapsnapshot.gz');
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(hostileFile)));
  const a = JSON.parse((await heapsight(['analyze', hostileFile, '--json'])).stdout);
  const b = JSON.parse((await heapsight(['analyze', gz, '--json'])).stdout);
  t.same(b.summary, a.summary);
  t.equal(b.snapshot.gzip, true);
});

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [],
    field = '',
    quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  return rows;
}

t.test('export nodes: one CSV row per node with the numbers the engine computes', async (t) => {
  const csvFile = path.join(dir, 'nodes.csv');
  const r = await heapsight(['export', 'nodes', hostileFile, '--out', csvFile]);
  t.equal(r.code, 0, r.stderr);
  const rows = parseCsv(fs.readFileSync(csvFile, 'utf8'));
  t.same(rows[0], ['id', 'type', 'name', 'self_size', 'retained_size', 'dominator_id', 'distance']);
  t.equal(rows.length - 1, nodes.length);
  const p = new SnapshotParser();
  p.write(fs.readFileSync(hostileFile));
  const g = p.end();
  const d = computeDominance(g);
  for (let o = 0; o < g.nodeCount; o++) {
    const [id, type, name, self, ret, dom, dist] = rows[o + 1];
    t.same(
      [Number(id), type, Number(self), Number(ret), Number(dom), Number(dist)],
      [
        g.nodeId[o],
        g.nodeTypes[g.nodeType[o]],
        d.shallow[o],
        d.retained[o],
        g.nodeId[d.idom[o]],
        distanceAt(d.distance, o),
      ],
      `row ${o}`,
    );
    if (o === 2) t.equal(name, HOSTILE);
  }
  const stdout = await heapsight(['export', 'nodes', hostileFile]);
  t.equal(stdout.code, 0);
  t.equal(stdout.stdout, fs.readFileSync(csvFile, 'utf8'), 'standard output when no --out');
});

t.test('a worker that runs out of memory gives one clear line', async (t) => {
  const [file] = snapshots('global-cache', path.join(dir, 'oom'), 1);
  const r = await heapsight(['analyze', file, '--max-memory', '4', '--out', path.join(dir, 'oom-out')]);
  t.equal(r.code, 1);
  t.equal(
    r.stderr,
    'heapsight: the analysis ran out of memory (heap limit 4 MB per thread); raise it with --max-memory\n',
  );
});
