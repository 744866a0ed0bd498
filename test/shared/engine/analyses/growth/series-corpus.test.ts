// `heapsight diff` on three snapshots of each corpus scenario: the first suspect names what the corpus README says,
// `stable` gets none, and every Comparison table equals DevTools' Comparison view (the oracle's --diff).
import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { heapsight } from '../../../../helpers/cli.js';
import { browserSnapshots, node24, runOracleDiff, SCENARIOS, snapshots } from '../../../../helpers/corpus.js';
import type { DiffReport } from '../../../../../shared/report/diff-model.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-diff-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

async function diff(t: any, files: string[], out: string): Promise<DiffReport> {
  const r = await heapsight(['diff', ...files, '--out', out], { timeoutMs: 300000 });
  t.equal(r.code, 0, `diff exits 0 ${r.stderr}`);
  t.equal(r.stderr, '', 'nothing on stderr');
  return JSON.parse(fs.readFileSync(path.join(out, 'diff.json'), 'utf8'));
}

/** Our Comparison rows against the oracle's, field by field. */
function sameAsOracle(t: any, report: DiffReport, files: string[], where: string) {
  for (const c of report.comparisons) {
    const oracle = runOracleDiff(files[c.base], files[c.target], where).classes;
    const ours = new Map(c.rows.map((r) => [r.key, r]));
    const bad: string[] = [];
    const fields = [
      'name',
      'addedCount',
      'removedCount',
      'countDelta',
      'addedSize',
      'removedSize',
      'sizeDelta',
    ] as const;
    for (const o of oracle) {
      const r = ours.get(o.key);
      if (!r || fields.some((f) => r[f] !== o[f]))
        bad.push(`${o.key}: oracle ${JSON.stringify(o)} ours ${JSON.stringify(r)}`);
      ours.delete(o.key);
    }
    for (const k of ours.keys()) bad.push(`extra row ${k}`);
    t.same(
      bad.slice(0, 5),
      [],
      `${c.kind} ${c.base + 1} -> ${c.target + 1}: all ${oracle.length} rows equal the oracle's`,
    );
  }
}

const README: Record<string, (t: any, r: DiffReport) => void> = {
  'global-cache': (t, r) => {
    const s = r.suspects[0];
    t.equal(s.accumulationPoint.className, 'Map');
    t.equal(s.accumulationPoint.edge, 'requestCache');
    t.equal(s.path, '(global) -> __app -> requestCache -> (table)');
    const rc = s.accumulates.find((a) => a.className === 'RequestContext');
    t.same(
      rc?.added.map((a) => a.count),
      [20000, 20000],
      '20,000 RequestContext added in each step',
    );
    const trend = r.trends.classes.find((c) => c.name === 'RequestContext');
    t.same(trend?.count, [20000, 40000, 60000], 'RequestContext count per snapshot in the class trend');
    t.ok(trend?.grows.includes('count') && trend.grows.includes('retainedSize'));
  },
  'unbounded-queue': (t, r) => {
    const s = r.suspects[0];
    t.equal(s.accumulationPoint.edge, 'items');
    t.equal(s.accumulationPoint.heldBy, 'WorkQueue');
    t.match(s.path, /__queue -> items/);
    t.match(s.summary, /WorkQueue/);
  },
  'listener-leak': (t, r) => {
    const s = r.suspects[0];
    t.match(s.path, /_events -> tick$/);
    t.equal(s.accumulationPoint.heldBy, 'EventEmitter');
    const conn = s.accumulates.find((a) => a.className === 'Connection');
    t.same(
      conn?.added.map((a) => a.count),
      [5000, 5000],
      '5,000 Connection added in each step',
    );
    t.match(s.summary, /Connection/);
  },
  stable: (t, r) => {
    t.same(r.suspects, [], 'no suspect for a bounded LRU with churn');
  },
};

for (const s of SCENARIOS) {
  t.test(s, async (t) => {
    const files = snapshots(s, path.join(dir, s), 3);
    const report = await diff(t, files, path.join(dir, `${s}-out`));
    t.equal(report.kind, 'heapsight.diff');
    t.equal(report.snapshots.length, 3);
    t.ok(report.process.sameProcess, 'one process');
    t.same(
      report.comparisons.map((c) => [c.kind, c.base, c.target]),
      [
        ['first-last', 0, 2],
        ['step', 0, 1],
        ['step', 1, 2],
      ],
    );
    sameAsOracle(t, report, files, dir);
    for (const c of report.comparisons) {
      for (const row of c.rows) {
        if (row.retainedDelta !== row.retainedAfter - row.retainedBefore) {
          t.fail(`retained delta of ${row.key}`);
          break;
        }
      }
    }
    if (s !== 'stable') {
      t.ok(report.suspects.length >= 1, 'a suspect');
      t.equal(report.suspects[0].confidence, 'high');
      t.equal(report.suspects[0].rank, 1);
      const g = report.suspects[0].growth;
      t.ok(
        g.perStep.every((x) => x > 0),
        'grew in every step',
      );
      t.ok(g.retainedSize.every((x, i) => i === 0 || (x ?? 0) > (g.retainedSize[i - 1] ?? 0)));
      t.ok(
        report.trends.containers.some((c) => c.id === report.suspects[0].accumulationPoint.id),
        'the point is among the growing containers',
      );
    }
    README[s]?.(t, report);
    const md = fs.readFileSync(path.join(dir, `${s}-out`, 'diff.md'), 'utf8');
    t.ok(md.indexOf('## Leak suspects') < md.indexOf('## Comparison'), 'Markdown: suspects before the tables');
    const html = fs.readFileSync(path.join(dir, `${s}-out`, 'diff.html'), 'utf8');
    t.match(html, /<svg class="chart"/, 'HTML: a chart');
    t.match(html, /<table class="sortable">/, 'HTML: sortable tables');
  });
}

t.test('snapshots of different processes are detected and compared by class name', async (t) => {
  const a = snapshots('global-cache', path.join(dir, 'run-a'), 2);
  const b = snapshots('global-cache', path.join(dir, 'run-b'), 2);
  const report = await diff(t, [a[0], b[1]], path.join(dir, 'cross-out'));
  t.notOk(report.process.sameProcess);
  t.match(report.process.note, /different processes/);
  t.same(report.comparisons, [], 'no id-matched Comparison');
  t.equal(report.suspects.length, 1, 'one suspect, matched by retainer path');
  t.equal(report.suspects[0].path, '(global) -> __app -> requestCache');
  t.equal(report.suspects[0].confidence, 'medium', 'never high across processes');
  const rows = report.histograms[0].rows;
  const rc = rows.find((r) => r.name === 'RequestContext')!;
  t.equal(rc.countBefore, 20000);
  t.equal(rc.countAfter, 40000);
  t.equal(rc.countDelta, 20000);
  t.ok(
    report.trends.containers.some((c) => c.matchedBy === 'path' && /requestCache/.test(c.path)),
    'the cache is followed by its path',
  );

  const mixed = await diff(t, [a[0], a[1], b[1]], path.join(dir, 'mixed-out'));
  t.same(
    mixed.process.steps.map((s) => s.sameProcess),
    [true, false],
    'the restart is between the 2nd and 3rd snapshot',
  );
  t.notOk(mixed.process.sameProcess);
  t.match(await heapsight(['diff', a[0], b[1], '--json']).then((r) => r.stdout), /"sameProcess": false/);

  const sa = snapshots('stable', path.join(dir, 'stable-a'), 2);
  const sb = snapshots('stable', path.join(dir, 'stable-b'), 2);
  const stable = await diff(t, [sa[0], sb[1]], path.join(dir, 'stable-cross-out'));
  t.notOk(stable.process.sameProcess);
  t.same(stable.suspects, [], 'no suspect for the stable scenario across processes either');
});

const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
t.test(
  'browser: detached DOM rows kept in an array',
  { skip: fs.existsSync(chromium) ? false : `no Chromium at ${chromium}` },
  async (t) => {
    const files = browserSnapshots('detached-dom', path.join(dir, 'browser'), 3)!;
    const report = await diff(t, files, path.join(dir, 'browser-out'));
    const s = report.suspects[0];
    t.ok(s, 'a suspect');
    t.match(s.path, /undoHistory$/, 'the corpus README names undoHistory');
    t.ok(
      s.accumulates.some((a) => a.className === 'Detached <li>'),
      'Detached <li> accumulates (moved out of the document, not new)',
    );
    t.match(s.summary, /Detached <li>/);
  },
);

t.test("Node 24's snapshot format (6 node fields)", async (t) => {
  const files = snapshots('global-cache', path.join(dir, 'node24'), 3, 1, node24());
  const report = await diff(t, files, path.join(dir, 'node24-out'));
  t.equal(report.snapshots[0].nodeFields, 6);
  t.equal(report.suspects[0]?.path, '(global) -> __app -> requestCache -> (table)');
  sameAsOracle(t, { ...report, comparisons: report.comparisons.slice(0, 1) }, files, dir);
});
