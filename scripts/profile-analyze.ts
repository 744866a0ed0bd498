// Runs parse + analysis in this thread (no worker), for profiling: node --cpu-prof dist/scripts/profile-analyze.js FILE
import { parseFile } from '../shared/engine/parse/source.js';
import { analyzeSnapshot } from '../shared/engine/pipeline/analyze.js';
const t0 = performance.now();
const g = await parseFile(process.argv[2]);
const parseMs = performance.now() - t0;
const { findings } = await analyzeSnapshot(g, {
  source: process.argv[2],
  fileBytes: 0,
  gzip: false,
  timings: [{ phase: 'parse', ms: parseMs }],
});
console.log(findings.timings.map((t) => `${t.phase}=${t.ms}`).join(' '), 'rss', process.memoryUsage().rss >> 20, 'MB');
