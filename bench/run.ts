// npm run bench: heapsight against the DevTools oracle on the same snapshots in the same run.
// Sizes come from BENCH_SCALES (global-cache scale per snapshot; default "12,60" = ~200 MB and ~1 GB).
// Snapshots are generated once into BENCH_DIR (default: $TMPDIR/heapsight-bench) and reused.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(root, '..', 'shared');
const benchDir = process.env.BENCH_DIR ?? path.join(os.tmpdir(), 'heapsight-bench');
const scales = (process.env.BENCH_SCALES ?? '12,60').split(',').map(Number).filter((n) => n > 0);
const skipOracle = process.env.BENCH_NO_ORACLE === '1';
/** global-cache scale of the 3-snapshot diff benchmark (0 skips it). */
const diffScale = Number(process.env.BENCH_DIFF_SCALE ?? '4');

interface Run { ms: number; peakRssMb: number; code: number | null; stderr: string }

/** Wall time and peak RSS (VmHWM, read from /proc while it runs and once more at the end) of one command. */
function measure(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peak = 0;
    child.stderr.on('data', (d) => { stderr += d; });
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch { /* gone */ }
    };
    const timer = setInterval(sample, 20);
    child.on('exit', () => sample());
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - t0, peakRssMb: peak, code, stderr });
    });
  });
}

/** Three snapshots of one global-cache process at `scale`, generated once. */
function seriesFor(scale: number): string[] {
  const dir = path.join(benchDir, `global-cache-series-s${scale}`);
  const files = [0, 1, 2].map((i) => path.join(dir, `global-cache-${i}.heapsnapshot`));
  if (!files.every((f) => fs.existsSync(f))) {
    console.error(`generating ${dir} (global-cache, 3 rounds, scale ${scale})...`);
    execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=16384', path.join(shared, 'corpus', 'snap.mjs'), 'global-cache', dir, '3', String(scale)], { stdio: 'inherit' });
  }
  return files;
}

function snapshotFor(scale: number): string {
  const dir = path.join(benchDir, `global-cache-s${scale}`);
  const file = path.join(dir, 'global-cache-0.heapsnapshot');
  if (!fs.existsSync(file)) {
    console.error(`generating ${file} (global-cache, 1 round, scale ${scale})...`);
    execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=16384', path.join(shared, 'corpus', 'snap.mjs'), 'global-cache', dir, '1', String(scale)], { stdio: 'inherit' });
  }
  return file;
}

function oraclePath(): string {
  return execFileSync('bash', [path.join(shared, 'oracle', 'setup.sh')], { encoding: 'utf8' }).trim().split('\n').pop()!;
}

const mb = (n: number) => (n / 1e6).toFixed(0);
const rows: string[] = [];
const phaseRows: string[] = [];
const oracle = skipOracle ? '' : oraclePath();
for (const scale of scales) {
  const file = snapshotFor(scale);
  const size = fs.statSync(file).size;
  const out = path.join(benchDir, `report-s${scale}`);
  const ours = await measure(process.execPath, [path.join(root, 'bin', 'heapsight.js'), 'analyze', file, '--out', out]);
  if (ours.code !== 0) throw new Error(`heapsight failed: ${ours.stderr}`);
  const report = JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8'));
  let ref: Run | null = null;
  if (!skipOracle) {
    ref = await measure(process.execPath, ['--max-old-space-size=32768', oracle, file]);
    if (ref.code !== 0) { console.error(`oracle failed at scale ${scale}: ${ref.stderr.slice(-300)}`); ref = null; }
  }
  const line = [`${mb(size)} MB`, report.snapshot.nodeCount.toLocaleString('en-US'), `${(ours.ms / 1000).toFixed(2)} s`, `${ours.peakRssMb.toFixed(0)} MB`,
    ref ? `${(ref.ms / 1000).toFixed(2)} s` : '-', ref ? `${ref.peakRssMb.toFixed(0)} MB` : '-',
    ref ? `${(ref.ms / ours.ms).toFixed(1)}x` : '-', ref ? `${(ours.peakRssMb / ref.peakRssMb).toFixed(2)}` : '-'];
  rows.push(`| ${line.join(' | ')} |`);
  phaseRows.push(`| ${mb(size)} MB | ${report.timings.map((t: any) => `${t.phase} ${Math.round(t.ms)}`).join(', ')} |`);
  console.error(rows[rows.length - 1]);
}
console.log(`\nheapsight analyze vs the DevTools oracle (loading + all DevTools' computations), ${os.cpus().length} cores, Node ${process.version}\n`);
console.log('| snapshot | nodes | heapsight time | heapsight peak RSS | oracle time | oracle peak RSS | speed-up | memory ratio |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(r);
console.log('\nheapsight time per phase (ms):\n\n| snapshot | phases |\n| ---: | --- |');
for (const r of phaseRows) console.log(r);

if (diffScale > 0) {
  const files = seriesFor(diffScale);
  const bin = path.join(root, 'bin', 'heapsight.js');
  const sizes = files.map((f) => fs.statSync(f).size);
  const diff = await measure(process.execPath, [bin, 'diff', ...files, '--out', path.join(benchDir, `diff-s${diffScale}`)]);
  if (diff.code !== 0) throw new Error(`heapsight diff failed: ${diff.stderr}`);
  const singles: Run[] = [];
  for (const [i, f] of files.entries()) {
    const r = await measure(process.execPath, [bin, 'analyze', f, '--out', path.join(benchDir, `diff-s${diffScale}-single-${i}`)]);
    if (r.code !== 0) throw new Error(`heapsight analyze failed: ${r.stderr}`);
    singles.push(r);
  }
  let ref: Run | null = null;
  if (!skipOracle) {
    ref = await measure(process.execPath, ['--max-old-space-size=32768', oracle, '--diff', files[0], files[2], path.join(benchDir, `oracle-diff-s${diffScale}.json`)]);
    if (ref.code !== 0) { console.error(`oracle --diff failed: ${ref.stderr.slice(-300)}`); ref = null; }
  }
  const sum = singles.reduce((s, r) => s + r.ms, 0);
  const peak = Math.max(...singles.map((r) => r.peakRssMb));
  const report = JSON.parse(fs.readFileSync(path.join(benchDir, `diff-s${diffScale}`, 'diff.json'), 'utf8'));
  console.log(`\nheapsight diff of 3 snapshots (${sizes.map((b) => `${mb(b)} MB`).join(', ')}) against three analyze runs of the same files${ref ? ' and the oracle\'s Comparison of the first and last' : ''}\n`);
  console.log('| run | time | peak RSS | time ratio | memory ratio |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(`| heapsight diff A B C | ${(diff.ms / 1000).toFixed(2)} s | ${diff.peakRssMb.toFixed(0)} MB | 1.00 | 1.00 |`);
  console.log(`| 3 x heapsight analyze (sum of times, largest peak) | ${(sum / 1000).toFixed(2)} s | ${peak.toFixed(0)} MB | ${(sum / diff.ms).toFixed(2)} | ${(peak / diff.peakRssMb).toFixed(2)} |`);
  if (ref) console.log(`| oracle --diff A C | ${(ref.ms / 1000).toFixed(2)} s | ${ref.peakRssMb.toFixed(0)} MB | ${(ref.ms / diff.ms).toFixed(2)} | ${(ref.peakRssMb / diff.peakRssMb).toFixed(2)} |`);
  console.log(`\ndiff time per phase (ms), all snapshots: ${report.timings.map((t: any) => `${t.phase} ${Math.round(t.ms)}`).join(', ')}`);
  console.log(`first suspect: ${report.suspects[0]?.summary ?? 'none'}`);
}
