// The report layer says what the engine found: headers, suspects in sentences, evidence, notes and warnings.
import t from 'tap';
import type { GrowthFindings, SuspectFinding } from '../../../shared/engine/analyses/growth/model.js';
import { analysisReport, diffReport } from '../../../shared/report/build.js';

const finding = (over: Partial<SuspectFinding> = {}): SuspectFinding => ({
  rank: 1,
  confidence: 'high',
  score: 0.91,
  accumulationPoint: { id: 42, className: 'Map', name: 'Map', type: 'object', edge: 'requestCache', heldBy: 'App' },
  path: '(global) -> app -> requestCache -> (table)',
  pathSteps: [],
  growth: {
    retainedSize: [1_000_000, 2_000_000, 3_000_000],
    objectCount: [10, 20, 30],
    perStep: [1_000_000, 1_000_000],
    total: 2_000_000,
    shareOfHeapGrowth: 0.8,
  },
  accumulates: [{ className: 'Session', added: [], totalCount: 200, totalBytes: 1_900_000 }],
  evidence: {
    matchedBy: 'id',
    retention: 0.95,
    arrived: 2_100_000,
    survival: 1,
    steadiness: 1,
    heapGrowth: 2_500_000,
    internalShare: 0.9,
    warmUp: true,
  },
  ...over,
});

const findings = (over: Partial<GrowthFindings> = {}): GrowthFindings => ({
  snapshots: [],
  process: { sameProcess: true, steps: [], looksOlder: [] },
  suspects: [finding()],
  comparisons: [],
  histograms: [],
  trends: { classes: [], containers: [] },
  timings: [],
  ...over,
});

t.test('a suspect in a sentence, and its evidence a sentence per measure', async (t) => {
  const r = diffReport(findings());
  t.equal(r.kind, 'heapsight.diff');
  t.equal(r.version, 1);
  const s = r.suspects[0];
  t.match(s.summary, /^`Map` `requestCache` @42 \(held by App\) at `\(global\) -> app -> requestCache -> \(table\)`/);
  t.match(s.summary, /grew by 1\.00 MB per snapshot \(1\.00 MB → 2\.00 MB → 3\.00 MB\), adding about 100 `Session`/);
  t.same(s.evidence, [
    'Retained size grew in every one of 2 steps: 1.00 MB → 2.00 MB → 3.00 MB',
    '95% of what arrived under it stayed (2.10 MB arrived, it grew 2.00 MB)',
    '100% of what it gained before the last snapshot is still held in the last one',
    'Steady: the smallest step added 100% of the largest',
    "80% of the whole heap's growth (2.50 MB)",
    'Mostly V8 internals (90% compiled code and system objects): often warm-up rather than a leak',
  ]);
  t.same(Object.keys(s), [
    'rank',
    'confidence',
    'score',
    'accumulationPoint',
    'path',
    'pathSteps',
    'growth',
    'accumulates',
    'summary',
    'evidence',
  ]);
});

t.test('across processes: matched by path, said so', async (t) => {
  const r = diffReport(
    findings({
      process: {
        sameProcess: false,
        steps: [{ base: 0, target: 1, matchedIds: 9, comparedIds: 9, sameClass: 2, sameProcess: false }],
        looksOlder: [],
      },
      snapshots: [{}, {}] as GrowthFindings['snapshots'],
      suspects: [finding({ evidence: { matchedBy: 'path', steadiness: 0.5, heapGrowth: 0 } })],
    }),
  );
  t.match(r.process.note, /different processes \(object ids do not match between snapshots 1 and 2\)/);
  t.match(r.suspects[0].evidence[0], /^Found at the same retainer path in all 3 snapshots/);
  t.same(Object.keys(r.process), ['sameProcess', 'warnings', 'steps', 'note']);
});

t.test('a snapshot that looks older gets a warning', async (t) => {
  const r = diffReport(findings({ process: { sameProcess: true, steps: [], looksOlder: [2] } }));
  t.same(r.process.warnings, [
    "Snapshot 3 holds no object newer than snapshot 2's newest: it looks older. Give the snapshots oldest first.",
  ]);
});

t.test('an analysis report is the findings, headed', async (t) => {
  const f = {
    snapshot: {} as never,
    statistics: {} as never,
    summary: [],
    largestObjects: [],
    duplicateStrings: [],
    timings: [],
  };
  const r = analysisReport(f);
  t.same(Object.keys(r).slice(0, 5), ['kind', 'version', 'tool', 'generatedAt', 'snapshot']);
  t.equal(r.kind, 'heapsight.analysis');
  t.match(r.tool, { name: 'heapsight' });
});
