// npm run demo: runs a small leaking program, takes three heap snapshots of it, analyses each one, then diffs them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnalyzerPool } from '../workers/pool.js';
import { bytes, count } from '../shared/report/format.js';
import { defaultOutDir } from '../services/cli/main.js';
import { suspectLine } from '../shared/report/sentences.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outdir = path.join(root, 'demo');
fs.rmSync(outdir, { recursive: true, force: true });
console.log('1. Running scripts/demo/leaky-service.mjs: 5,000 requests per round, a heap snapshot after each round');
const files = execFileSync(
  process.execPath,
  ['--expose-gc', path.join(root, 'scripts/demo/leaky-service.mjs'), outdir, '3'],
  { encoding: 'utf8' },
)
  .trim()
  .split('\n');
for (const f of files) console.log(`   ${path.relative(root, f)} (${bytes(fs.statSync(f).size)})`);

console.log('\n2. Analysing each snapshot (npx heapsight analyze FILE)');
const pool = new AnalyzerPool();
const rows: string[][] = [];
const sessionCounts: number[] = [];
let holder = '';
let verdict: string[];
const diffDir = path.join(outdir, 'diff');
try {
  for (const file of files) {
    const out = defaultOutDir(file);
    const r = await pool.analyze({ file, outDir: out });
    const top = r.largestObjects[0];
    const session = r.summary.find((s) => s.name === 'Session');
    sessionCounts.push(session?.count ?? 0);
    holder = `${top.className} at ${top.path}`;
    rows.push([
      path.basename(file),
      count(r.snapshot.nodeCount),
      bytes(r.snapshot.totalSize),
      count(session?.count ?? 0),
      bytes(session?.retainedSize ?? 0),
      `${top.className} ${bytes(top.retainedSize)} via ${top.path}`,
    ]);
    console.log(`   ${path.relative(root, out)}/report.{json,md,html}`);
  }
  console.log(`\n3. Diffing the three (npx heapsight diff ${files.map((f) => path.basename(f)).join(' ')})`);
  const d = await pool.diff({ files, outDir: diffDir });
  verdict = d.suspects.length
    ? d.suspects.map((s) => `   suspect ${s.rank} (${s.confidence}): ${suspectLine(s)}`)
    : ['   no leak suspects'];
  console.log(`   ${path.relative(root, diffDir)}/diff.{json,md,html}`);
} finally {
  await pool.close();
}
console.log('\n4. What grows:\n');
const head = ['snapshot', 'objects', 'total', 'Session count', 'Session retained', 'largest retainer'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => '   ' + r.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(line(head));
for (const r of rows) console.log(line(r));
console.log(`\nSession objects: ${sessionCounts.map(count).join(' -> ')}; the ${holder} holds them.`);
console.log("\n5. Who holds it (the diff's leak suspects):\n");
for (const v of verdict) console.log(v);
console.log(
  `\nOpen ${path.relative(root, diffDir)}/diff.html in a browser for the growth report, and ` +
    `${path.relative(root, defaultOutDir(files[files.length - 1]))}/report.html for the last snapshot.`,
);
