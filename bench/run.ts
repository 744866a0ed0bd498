// npm run bench: heapsight against the DevTools oracle on the same snapshots in the same run.
// Sizes come from BENCH_SIZES (default "50MB,200MB,1GB,2GB,2GB-strings,4GB-strings"; see SIZES below), or BENCH_SCALES
// (global-cache scales, the older way). Snapshots are generated once into BENCH_DIR (default:
// $TMPDIR/heapsight-bench) and reused. The oracle runs where it fits in memory (about 4.5x the file's size; cap with
// BENCH_ORACLE_MAX_MB), or not at all with BENCH_NO_ORACLE=1. heapsight runs BENCH_RUNS times per snapshot (default
// 3, back to back); the table gives the median run and the first, which may also pay for memory a virtual
// machine's host took back while the machine was idle (see the README's "Measuring").
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalysisReport } from '../shared/report/model.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shared = path.resolve(root, '..', 'shared');
const benchDir = process.env.BENCH_DIR ?? path.join(os.tmpdir(), 'heapsight-bench');
const skipOracle = process.env.BENCH_NO_ORACLE === '1';
const oracleMaxMb = Number(process.env.BENCH_ORACLE_MAX_MB ?? (os.totalmem() / 1048576) * 0.85);
/** global-cache scale of the 3-snapshot diff benchmark (0 skips it). */
const diffScale = Number(process.env.BENCH_DIFF_SCALE ?? '4');
const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? '3'));

interface Run {
  ms: number;
  peakRssMb: number;
  code: number | null;
  stderr: string;
}

/** A process and its descendants, from /proc (the CLI may run its work in a child: see services/cli/launch.ts). */
function processTree(pid: number): number[] {
  const out = [pid];
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const kids = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (kids) for (const k of kids.split(' ')) out.push(...processTree(Number(k)));
    }
  } catch {
    /* gone */
  }
  return out;
}

/**
 * Wall time and peak RSS of one command: the largest VmHWM of any of its processes (as GNU time's "maximum
 * resident set size"), read from /proc while it runs and once more at the end.
 */
function measure(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peak = 0;
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const sample = () => {
      for (const pid of processTree(child.pid!)) {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
          if (m) peak = Math.max(peak, Number(m[1]) / 1024);
        } catch {
          /* gone */
        }
      }
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
    execFileSync(
      process.execPath,
      [
        '--expose-gc',
        '--max-old-space-size=16384',
        path.join(shared, 'corpus', 'snap.mjs'),
        'global-cache',
        dir,
        '3',
        String(scale),
      ],
      { stdio: 'inherit' },
    );
  }
  return files;
}

/** Runs a corpus scenario (a name, or a path to a scenario file) for one round at `scale`, once. */
function generated(scenario: string, scale: number): string {
  const name = path.basename(scenario, '.mjs');
  const dir = path.join(benchDir, `${name}-s${scale}`);
  const file = path.join(dir, `${name}-0.heapsnapshot`);
  if (!fs.existsSync(file)) {
    console.error(`generating ${file} (${name}, 1 round, scale ${scale})...`);
    execFileSync(
      process.execPath,
      [
        '--expose-gc',
        `--max-old-space-size=${Math.floor((os.totalmem() / 1048576) * 0.9)}`,
        path.join(shared, 'corpus', 'snap.mjs'),
        scenario,
        dir,
        '1',
        String(scale),
      ],
      { stdio: 'inherit' },
    );
  }
  return file;
}

/** K copies of a generated snapshot in one (see replicate.ts): sizes V8's writer cannot reach on this machine. */
function replicated(source: string, k: number): string {
  const file = source.replace(/\.heapsnapshot$/, `-x${k}.heapsnapshot`);
  if (!fs.existsSync(file)) {
    console.error(`writing ${file} (${k} copies of ${path.basename(source)})...`);
    execFileSync(process.execPath, [path.join(root, 'dist', 'bench', 'replicate.js'), source, file, String(k)], {
      stdio: 'inherit',
    });
  }
  return file;
}

const strings = path.join(root, 'bench', 'scenarios', 'distinct-strings.mjs');
/** The benchmark's snapshots by size: real corpus snapshots up to 2 GB, then two copies of a 2 GB one. */
const SIZES: Record<string, { what: string; file: () => string }> = {
  '50MB': { what: 'global-cache, scale 3', file: () => generated('global-cache', 3) },
  '200MB': { what: 'global-cache, scale 12', file: () => generated('global-cache', 12) },
  '1GB': { what: 'global-cache, scale 60', file: () => generated('global-cache', 60) },
  '2GB': { what: 'global-cache, scale 120', file: () => generated('global-cache', 120) },
  '2GB-strings': { what: 'distinct strings, scale 64', file: () => generated(strings, 64) },
  '4GB-strings': { what: '2 copies of 2GB-strings', file: () => replicated(generated(strings, 64), 2) },
  '4GB': { what: '2 copies of 2GB', file: () => replicated(generated('global-cache', 120), 2) },
};
const sizes = process.env.BENCH_SCALES
  ? process.env.BENCH_SCALES.split(',').map((x) => ({
      what: `global-cache, scale ${x}`,
      file: () => generated('global-cache', Number(x)),
    }))
  : (process.env.BENCH_SIZES ?? '50MB,200MB,1GB,2GB,2GB-strings,4GB-strings').split(',').map((k) => {
      if (!SIZES[k]) throw new Error(`unknown size ${k} in BENCH_SIZES (known: ${Object.keys(SIZES).join(', ')})`);
      return SIZES[k];
    });

function oraclePath(): string {
  return execFileSync('bash', [path.join(shared, 'oracle', 'setup.sh')], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;
}

/**
 * Reads a file once, untimed, so that every run (ours, the oracle's, whichever comes first) starts with it in the
 * page cache: a snapshot just written, or just generated here, may have been pushed out by what came since.
 */
function warm(file: string): void {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 24);
  try {
    while (fs.readSync(fd, buf, 0, buf.length, null) > 0);
  } finally {
    fs.closeSync(fd);
  }
}

const mb = (n: number) => (n / 1e6).toFixed(0);
const rows: string[] = [];
const phases: { size: string; timings: { phase: string; ms: number }[] }[] = [];
const oracle = skipOracle ? '' : oraclePath();
for (const { what, file: make } of sizes) {
  const file = make();
  const size = fs.statSync(file).size;
  const out = path.join(path.dirname(file), 'heapsight-report');
  warm(file);
  const all: { run: Run; report: AnalysisReport }[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await measure(process.execPath, [
      path.join(root, 'bin', 'heapsight.js'),
      'analyze',
      file,
      '--out',
      out,
    ]);
    if (run.code !== 0) throw new Error(`heapsight failed on ${file}: ${run.stderr}`);
    all.push({ run, report: JSON.parse(fs.readFileSync(path.join(out, 'report.json'), 'utf8')) });
  }
  // the median run by time, with its own phases; the peak is the largest of all runs
  const { run: median, report } = [...all].sort((a, b) => a.run.ms - b.run.ms)[(runs - 1) >> 1];
  const ours: Run = { ...median, peakRssMb: Math.max(...all.map((a) => a.run.peakRssMb)) };
  const first = all[0].run;
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
    `${(ours.ms / 1000).toFixed(2)} s`,
    `${(first.ms / 1000).toFixed(2)} s`,
    `${(ours.ms / (size / 1e6)).toFixed(1)}`,
    `${ours.peakRssMb.toFixed(0)} MB`,
    `${((ours.peakRssMb * 1048576) / size).toFixed(2)}`,
    ref ? `${(ref.ms / 1000).toFixed(2)} s` : skipOracle || oracleFits ? '-' : 'does not fit',
    ref ? `${ref.peakRssMb.toFixed(0)} MB` : '-',
    ref ? `${(ref.ms / ours.ms).toFixed(1)}x` : '-',
    ref ? `${(ours.peakRssMb / ref.peakRssMb).toFixed(2)}` : '-',
  ];
  rows.push(`| ${line.join(' | ')} |`);
  phases.push({ size: `${mb(size)} MB`, timings: report.timings });
  console.error(rows[rows.length - 1]);
}
console.log(
  `\nheapsight analyze vs the DevTools oracle (loading + all DevTools' computations), ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}\n`,
);
console.log(
  `(heapsight: median of ${runs} runs back to back, and the first of them; peak RSS: the largest; speed-up: the oracle's time over the median)\n`,
);
console.log(
  '| snapshot | made from | nodes | heapsight time | first run | ms per MB | heapsight peak RSS | RSS / file size | oracle time | oracle peak RSS | speed-up | memory vs oracle |',
);
console.log('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(r);
// time per phase: one column per phase, in the order they first appear
const names: string[] = [];
for (const p of phases) for (const t of p.timings) if (!names.includes(t.phase)) names.push(t.phase);
console.log('\nheapsight time per phase (ms; "(helper thread)" phases run alongside the others):\n');
console.log(`| snapshot | ${names.join(' | ')} |`);
console.log(`| ---: | ${names.map(() => '---:').join(' | ')} |`);
for (const p of phases)
  console.log(
    `| ${p.size} | ${names
      .map((n) => {
        const t = p.timings.find((x) => x.phase === n);
        return t ? Math.round(t.ms) : '-';
      })
      .join(' | ')} |`,
  );

if (diffScale > 0) {
  const files = seriesFor(diffScale);
  const bin = path.join(root, 'bin', 'heapsight.js');
  const sizes = files.map((f) => fs.statSync(f).size);
  files.forEach(warm);
  const diff = await measure(process.execPath, [
    bin,
    'diff',
    ...files,
    '--out',
    path.join(benchDir, `diff-s${diffScale}`),
  ]);
  if (diff.code !== 0) throw new Error(`heapsight diff failed: ${diff.stderr}`);
  const singles: Run[] = [];
  for (const [i, f] of files.entries()) {
    const r = await measure(process.execPath, [
      bin,
      'analyze',
      f,
      '--out',
      path.join(benchDir, `diff-s${diffScale}-single-${i}`),
    ]);
    if (r.code !== 0) throw new Error(`heapsight analyze failed: ${r.stderr}`);
    singles.push(r);
  }
  let ref: Run | null = null;
  if (!skipOracle) {
    ref = await measure(process.execPath, [
      '--max-old-space-size=32768',
      oracle,
      '--diff',
      files[0],
      files[2],
      path.join(benchDir, `oracle-diff-s${diffScale}.json`),
    ]);
    if (ref.code !== 0) {
      console.error(`oracle --diff failed: ${ref.stderr.slice(-300)}`);
      ref = null;
    }
  }
  const sum = singles.reduce((s, r) => s + r.ms, 0);
  const peak = Math.max(...singles.map((r) => r.peakRssMb));
  const report = JSON.parse(fs.readFileSync(path.join(benchDir, `diff-s${diffScale}`, 'diff.json'), 'utf8'));
  console.log(
    `\nheapsight diff of 3 snapshots (${sizes.map((b) => `${mb(b)} MB`).join(', ')}) against three analyze runs of the same files${ref ? " and the oracle's Comparison of the first and last" : ''}\n`,
  );
  console.log('| run | time | peak RSS | time ratio | memory ratio |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  console.log(
    `| heapsight diff A B C | ${(diff.ms / 1000).toFixed(2)} s | ${diff.peakRssMb.toFixed(0)} MB | 1.00 | 1.00 |`,
  );
  console.log(
    `| 3 x heapsight analyze (sum of times, largest peak) | ${(sum / 1000).toFixed(2)} s | ${peak.toFixed(0)} MB | ${(sum / diff.ms).toFixed(2)} | ${(peak / diff.peakRssMb).toFixed(2)} |`,
  );
  if (ref)
    console.log(
      `| oracle --diff A C | ${(ref.ms / 1000).toFixed(2)} s | ${ref.peakRssMb.toFixed(0)} MB | ${(ref.ms / diff.ms).toFixed(2)} | ${(ref.peakRssMb / diff.peakRssMb).toFixed(2)} |`,
    );
  console.log(
    `\ndiff time per phase (ms), all snapshots: ${report.timings.map((t: { phase: string; ms: number }) => `${t.phase} ${Math.round(t.ms)}`).join(', ')}`,
  );
  console.log(`first suspect: ${report.suspects[0]?.summary ?? 'none'}`);
}
