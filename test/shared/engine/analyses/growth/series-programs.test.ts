// The ranking on leaks the corpus does not have: programs of our own (test/programs) that leak through timers,
// closures, static registries, linked lists, string logs and dictionaries, and programs that do not leak
// (WeakMap caches, cleared timers, ring buffers, rotated logs, drifting caches, a rising backlog).
import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { heapsight, ROOT } from '../../../../helpers/cli.js';
import { snapshots } from '../../../../helpers/corpus.js';
import { buildSnapshot, type TestNode } from '../../../../helpers/snapshot.js';
import type { DiffReport, Suspect } from '../../../../../shared/report/diff-model.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-programs-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
const PROGRAMS = path.join(ROOT, 'test', 'programs');

interface Expected {
  path: RegExp;
  classes: string[];
  second?: Expected;
}

async function diff(t: any, files: string[], out: string, extra: string[] = []): Promise<DiffReport> {
  const r = await heapsight(['diff', ...files, '--out', out, ...extra], { timeoutMs: 300000 });
  t.equal(r.code, 0, `diff exits 0 ${r.stderr}`);
  return JSON.parse(fs.readFileSync(path.join(out, 'diff.json'), 'utf8'));
}

function names(t: any, s: Suspect | undefined, e: Expected, which: string) {
  if (!t.ok(s, `${which} suspect`)) return;
  t.match(s!.path, e.path, `${which} suspect's path ${s!.path}`);
  const got = s!.accumulates.slice(0, 6).map((a) => a.className);
  for (const c of e.classes) t.ok(got.includes(c), `${which} suspect accumulates ${c} (${got.join(', ')})`);
  t.not(s!.confidence, 'low', `${which} suspect is not low confidence`);
}

for (const file of fs
  .readdirSync(PROGRAMS)
  .filter((f) => f.endsWith('.mjs'))
  .sort()) {
  const name = file.replace(/\.mjs$/, '');
  t.test(name, async (t) => {
    const { expected } = (await import(pathToFileURL(path.join(PROGRAMS, file)).href)) as { expected: Expected | null };
    const files = snapshots(path.join(PROGRAMS, file), path.join(dir, name), 3);
    const report = await diff(t, files, path.join(dir, `${name}-out`));
    if (expected === null) {
      t.same(
        report.suspects.map((s) => s.summary),
        [],
        'no suspect',
      );
      return;
    }
    names(t, report.suspects[0], expected, 'first');
    if (expected.second) names(t, report.suspects[1], expected.second, 'second');
    else t.equal(report.suspects.length, 1, 'exactly one suspect');
  });
}

// A hand-made series: a container whose class and edge names are hostile HTML grows by 100 objects of 1 kB per
// snapshot, next to a linked list appended at its tail. Ids stay the same across snapshots, as in one process.
const HOSTILE = '<img src=x onerror=alert(1)>';
const EDGE = '</script><script>alert(2)</script>';
function series(k: number): string {
  const nodes: TestNode[] = [
    { type: 'synthetic', name: '', id: 1, size: 0, edges: [{ type: 'shortcut', name: '1', to: 1 }] },
    {
      type: 'object',
      name: 'global',
      id: 3,
      size: 40,
      edges: [
        { type: 'property', name: EDGE, to: 2 },
        { type: 'property', name: 'list', to: 3 },
      ],
    },
    { type: 'object', name: HOSTILE, id: 5, size: 64, edges: [] },
    { type: 'object', name: 'Chain', id: 7, size: 32, edges: [] },
  ];
  const entries = 100 * (k + 1);
  for (let j = 0; j < entries; j++) {
    nodes[2].edges!.push({ type: 'element', name: j, to: nodes.length });
    nodes.push({ type: 'object', name: 'Entry"&<b>', id: 1001 + 2 * j, size: 1000 });
  }
  // the list: Chain -> Link -> Link -> ..., 80 links of 1 kB more per snapshot
  let prev = 3;
  for (let j = 0; j < 80 * (k + 1); j++) {
    nodes[prev].edges!.push({ type: 'property', name: 'next', to: nodes.length });
    prev = nodes.length;
    nodes.push({ type: 'object', name: 'Link', id: 100001 + 2 * j, size: 1000, edges: [] });
  }
  return buildSnapshot(nodes);
}

t.test('hand-made series: hostile names are escaped, a linked list is held by its head', async (t) => {
  const files = [0, 1, 2].map((k) => {
    const f = path.join(dir, `hand-${k}.heapsnapshot`);
    fs.writeFileSync(f, series(k));
    return f;
  });
  const out = path.join(dir, 'hand-out');
  const report = await diff(t, files, out);
  t.equal(report.suspects.length, 2);
  const [first, second] = report.suspects;
  t.equal(
    first.accumulationPoint.className,
    '<img>',
    'the larger growth first (named as DevTools names <tag ...> objects)',
  );
  t.equal(first.accumulationPoint.name, HOSTILE);
  t.equal(first.accumulationPoint.edge, EDGE);
  t.same(first.growth.perStep, [100000, 100000]);
  t.same(
    first.accumulates[0].added.map((a) => a.count),
    [100, 100],
  );
  t.equal(second.accumulationPoint.className, 'Link', 'the list is held by its first link, not its last old one');
  t.equal(second.path, '(global) -> list -> next');
  const html = fs.readFileSync(path.join(out, 'diff.html'), 'utf8');
  t.notOk(html.includes('<img'), 'no raw hostile class or object name in HTML');
  t.notOk(html.includes('alert(2)</script>'), 'no raw hostile edge name in HTML');
  t.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'shown escaped');
  const md = fs.readFileSync(path.join(out, 'diff.md'), 'utf8');
  const outsideCode = md.replace(/(`+)[^`]*?\1/g, '');
  t.notOk(/<img|<\/?script/.test(outsideCode), 'no raw HTML in Markdown outside code spans');

  // a gzipped snapshot in the series (parsed on one thread) changes nothing
  const gz = files[1] + '.gz';
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(files[1])));
  const mixed = await diff(t, [files[0], gz, files[2]], path.join(dir, 'hand-gz'));
  t.same(
    mixed.suspects.map((s) => s.summary),
    report.suspects.map((s) => s.summary),
    'same suspects with the middle snapshot gzipped',
  );
  // the same three files in a different order do not leak: growth must be in every step
  const shuffled = await diff(t, [files[2], files[0], files[1]], path.join(dir, 'hand-shuffled'));
  t.same(shuffled.suspects, []);
  t.match(
    shuffled.process.warnings.join('\n'),
    /Snapshot 2 holds no object newer than snapshot 1's newest/,
    'out of order: said so',
  );
  t.same(report.process.warnings, [], 'in order: no warning');
  // two snapshots: one step is enough to name it, with less confidence
  const two = await diff(t, [files[0], files[2]], path.join(dir, 'hand-two'));
  t.equal(two.suspects[0]?.accumulationPoint.name, HOSTILE);
  t.not(two.suspects[0]?.confidence, 'high', 'one step is not enough for high confidence');
});

t.test('bad input: one line, non-zero exit, nothing written', async (t) => {
  const good = path.join(dir, 'hand-0.heapsnapshot');
  if (!fs.existsSync(good)) fs.writeFileSync(good, series(0));
  const bad = path.join(dir, 'truncated.heapsnapshot');
  fs.writeFileSync(bad, series(1).slice(0, 500));
  const out = path.join(dir, 'bad-out');
  const cases: [string[], number, RegExp][] = [
    [['diff', good], 2, /at least two snapshots/],
    [['diff', good, path.join(dir, 'missing.heapsnapshot'), '--out', out], 1, /cannot read .*missing\.heapsnapshot/],
    [['diff', good, dir, '--out', out], 1, /is a folder/],
    [['diff', good, bad, '--out', out], 1, /truncated/],
  ];
  for (const [args, code, msg] of cases) {
    const r = await heapsight(args);
    t.equal(
      r.code,
      code,
      `exit ${code}: ${args
        .slice(1)
        .map((a) => path.basename(a))
        .join(' ')}`,
    );
    t.match(r.stderr, msg);
    t.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    t.notMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  t.notOk(fs.existsSync(path.join(out, 'diff.json')), 'no report written');
});
