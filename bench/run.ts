// npm run bench: heapsight against the DevTools oracle on the same snapshots in the same run, and, with
// BENCH_BEFORE, against another build of heapsight, runs alternated. See docs/performance.md for how to read it.
//
// BENCH_SIZES      which snapshots (default 50MB,200MB,1GB,2GB,2GB-strings,4GB-strings; also 4GB), or
// BENCH_SCALES     global-cache scales instead (the older way)
// BENCH_DIR        where snapshots are made, once, and kept (default $TMPDIR/heapsight-bench)
// BENCH_RUNS       runs of heapsight per snapshot, back to back (default 3): the median is shown, and the first
// BENCH_BEFORE     a checkout of another heapsight version, built (`npm run build`): run alternately with this one
// BENCH_NO_ORACLE  1: leave the DevTools oracle out; BENCH_ORACLE_MAX_MB caps the memory it may take
// BENCH_DIFF_SCALE global-cache scale of the 3-snapshot diff benchmark (default 4; 0 leaves it out)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalysisReport } from '../shared/report/model.js';
import { measure, median, warm, type Run } from './measure.js';
import { byScale, series, sizes as knownSizes, type Places } from './snapshots.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const places: Places = {
  root,
  shared: path.resolve(root, '..', 'shared'),
  benchDir: process.env.BENCH_DIR ?? path.join(os.tmpdir(), 'heapsight-bench'),
};
const skipOracle = process.env.BENCH_NO_ORACLE === '1';
const oracleMaxMb = Number(process.env.BENCH_ORACLE_MAX_MB ?? (os.totalmem() / 1048576) * 0.85);
const diffScale = Number(process.env.BENCH_DIFF_SCALE ?? '4');
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? '3'));
const before = process.env.BENCH_BEFORE ? path.resolve(process.env.BENCH_BEFORE) : null;
const bins = [path.join(root, 'bin', 'heapsight.js'), ...(before ? [path.join(before, 'bin', 'heapsight.js')] : [])];

const SIZES = knownSizes(places);
const sizes = process.env.BENCH_SCALES
  ? process.env.BENCH_SCALES.split(',').map((x) => byScale(places, Number(x)))
  : (process.env.BENCH_SIZES ?? '50MB,200MB,1GB,2GB,2GB-strings,4GB-strings').split(',').map((k) => {
      if (!SIZES[k]) throw new Error(`unknown size ${k} in BENCH_SIZES (known: ${Object.keys(SIZES).join(', ')})`);
      return SIZES[k];
    });

const oracle = skipOracle
  ? ''
  : execFileSync('bash', [path.join(places.shared, 'oracle', 'setup.sh')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;

const mb = (n: number) => (n / 1e6).toFixed(0);
const sec = (r: Run) => `${(r.ms / 1000).toFixed(2)} s`;
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** `runs` runs of each build's command (this one first), alternated; for each build, its runs in order. */
async function alternated(args: (bin: string, i: number) => string[], what: string): Promise<Run[][]> {
  const all: Run[][] = bins.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [b, bin] of bins.entries()) {
      const r = await measure(process.execPath, args(bin, b));
      if (r.code !== 0) throw new Error(`${what} failed (${bin}): ${r.stderr}`);
      all[b].push(r);
    }
  }
  return all;
}

const rows: string[] = [];
const phases: { size: string; timings: AnalysisReport['timings'] }[] = [];
for (const { what, file: make } of sizes) {
  const file = make();
  const size = fs.statSync(file).size;
  const out = (b: number) => path.join(path.dirname(file), b === 0 ? 'heapsight-report' : 'heapsight-report-before');
  warm(file);
  const [ours, theirs] = await alternated((bin, b) => [bin, 'analyze', file, '--out', out(b)], `analyze ${file}`);
  const report: AnalysisReport = JSON.parse(fs.readFileSync(path.join(out(0), 'report.json'), 'utf8'));
  const m = median(ours);
  let ref: Run | null = null;
  const oracleFits = (size / 1048576) * 4.5 < oracleMaxMb;
  if (!skipOracle && oracleFits) {
    ref = await measure(process.execPath, [`--max-old-space-size=${Math.floor(oracleMaxMb)}`, oracle, file]);
    if (ref.code !== 0) {
      console.error(`oracle failed on ${file}: ${ref.stderr.slice(-300)}`);
      ref = null;
    }
  }
  const line = [
    `${mb(size)} MB`,
    what,
    report.snapshot.nodeCount.toLocaleString('en-US'),
    sec(m),
    sec(ours[0]),
    `${(m.ms / (size / 1e6)).toFixed(1)}`,
    `${m.peakRssMb.toFixed(0)} MB`,
    `${((m.peakRssMb * 1048576) / size).toFixed(2)}`,
    ref ? sec(ref) : skipOracle || oracleFits ? '-' : 'does not fit',
    ref ? `${ref.peakRssMb.toFixed(0)} MB` : '-',
    ref ? `${(ref.ms / m.ms).toFixed(1)}x` : '-',
    ref ? `${(m.peakRssMb / ref.peakRssMb).toFixed(2)}` : '-',
  ];
  if (theirs) {
    const t = median(theirs);
    const each = (rs: Run[]) => rs.map((r) => (r.ms / 1000).toFixed(2)).join(', ');
    line.push(`${each(theirs)} s`, `${each(ours)} s`, `${(m.ms / t.ms).toFixed(2)}`);
    line.push(`${t.peakRssMb.toFixed(0)} MB`, `${(m.peakRssMb / t.peakRssMb).toFixed(2)}`);
  }
  rows.push(row(line));
  phases.push({ size: `${mb(size)} MB`, timings: report.timings });
  console.error(rows[rows.length - 1]);
}

const cores = `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}`;
console.log(`\nheapsight analyze vs the DevTools oracle (loading and all of DevTools' computations), ${cores}\n`);
const versus = before ? `; before: ${before}, its runs alternated with ours` : '';
console.log(
  `(heapsight: median of ${runs} runs back to back, and the first of them; peak RSS: the largest; ` +
    `speed-up: the oracle's time over the median${versus})\n`,
);
const heads = ['snapshot', 'made from', 'nodes', 'heapsight time', 'first run', 'ms per MB', 'heapsight peak RSS'];
heads.push('RSS / file size', 'oracle time', 'oracle peak RSS', 'speed-up', 'memory vs oracle');
if (before)
  heads.push('before: runs', 'after: runs', 'time after / before', 'before: peak RSS', 'memory after / before');
console.log(row(heads));
console.log(row(heads.map((_, i) => (i === 1 ? '---' : '---:'))));
for (const r of rows) console.log(r);

// time per phase: one column per phase, in the order they first appear
const names: string[] = [];
for (const p of phases) for (const t of p.timings) if (!names.includes(t.phase)) names.push(t.phase);
console.log('\nheapsight time per phase (ms; "(helper thread)" phases run alongside the others):\n');
console.log(row(['snapshot', ...names]));
console.log(row(['---:', ...names.map(() => '---:')]));
for (const p of phases) {
  const ms = (name: string) => p.timings.find((x) => x.phase === name)?.ms;
  console.log(row([p.size, ...names.map((n) => (ms(n) === undefined ? '-' : Math.round(ms(n)!)))]));
}

if (diffScale > 0) {
  const files = series(places, diffScale);
  files.forEach(warm);
  const outDir = (b: number) => path.join(places.benchDir, `diff-s${diffScale}${b ? '-before' : ''}`);
  const [diffs, beforeDiffs] = await alternated((bin, b) => [bin, 'diff', ...files, '--out', outDir(b)], 'diff');
  const diff = median(diffs);
  const singles: Run[] = [];
  for (const [i, f] of files.entries()) {
    const r = await measure(process.execPath, [bins[0], 'analyze', f, '--out', `${outDir(0)}-single-${i}`]);
    if (r.code !== 0) throw new Error(`heapsight analyze failed: ${r.stderr}`);
    singles.push(r);
  }
  let ref: Run | null = null;
  if (!skipOracle) {
    const json = path.join(places.benchDir, `oracle-diff-s${diffScale}.json`);
    ref = await measure(process.execPath, ['--max-old-space-size=32768', oracle, '--diff', files[0], files[2], json]);
    if (ref.code !== 0) {
      console.error(`oracle --diff failed: ${ref.stderr.slice(-300)}`);
      ref = null;
    }
  }
  const sum = singles.reduce((s, r) => s + r.ms, 0);
  const peak = Math.max(...singles.map((r) => r.peakRssMb));
  const report = JSON.parse(fs.readFileSync(path.join(outDir(0), 'diff.json'), 'utf8'));
  const of = files.map((f) => `${mb(fs.statSync(f).size)} MB`).join(', ');
  const oracleToo = ref ? " and the oracle's Comparison of the first and last" : '';
  console.log(`\nheapsight diff of 3 snapshots (${of}) against three analyze runs of the same files${oracleToo}\n`);
  console.log('| run | time | peak RSS | time ratio | memory ratio |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const ratios = (r: { ms: number; peakRssMb: number }) => [
    (r.ms / diff.ms).toFixed(2),
    (r.peakRssMb / diff.peakRssMb).toFixed(2),
  ];
  const line = (name: string, r: { ms: number; peakRssMb: number }) =>
    console.log(row([name, `${(r.ms / 1000).toFixed(2)} s`, `${r.peakRssMb.toFixed(0)} MB`, ...ratios(r)]));
  line(`heapsight diff A B C (median of ${runs})`, diff);
  line('3 x heapsight analyze (sum of times, largest peak)', { ms: sum, peakRssMb: peak });
  if (beforeDiffs) line(`before: heapsight diff A B C (median of ${runs}, alternated)`, median(beforeDiffs));
  if (ref) line('oracle --diff A C', ref);
  const timings = report.timings.map((t: { phase: string; ms: number }) => `${t.phase} ${Math.round(t.ms)}`);
  console.log(`\ndiff time per phase (ms), all snapshots: ${timings.join(', ')}`);
  console.log(`first suspect: ${report.suspects[0]?.summary ?? 'none'}`);
}
