// Piscina task: parses a snapshot and runs the analyses in this worker thread.
import { earlyHelper } from './early-helper.js';
import path from 'node:path';
import { inspectFile, parseFile } from '../shared/engine/parse/source.js';
import { analyzeSnapshot } from '../shared/engine/pipeline/analyze.js';
import { inThisThread, type Helper } from '../shared/engine/pipeline/helper.js';
import { phaseTimer } from '../shared/engine/util/timing.js';
import { analysisReport, diffReport } from '../shared/report/build.js';
import { parseFileSplit } from '../shared/engine/parse/split.js';
import { isShared } from '../shared/engine/graph/transfer.js';
import { HelperThread } from './helper-client.js';
import { collectGarbage, collectGarbageFor } from '../shared/engine/util/gc.js';
import { writeDiffReports, writeReports } from '../shared/report/render/index.js';
import { exportNodesCsv } from '../shared/engine/analyses/export.js';
import type { AnalysisReport, PhaseTiming } from '../shared/report/model.js';
import type { AnalyzeTask, DiffTask, ExportNodesTask, ProgressMessage, ThrownFault, WorkerTask } from './tasks.js';
import { userFacing } from '../shared/errors.js';
import type { DiffReport } from '../shared/report/diff-model.js';
import { SeriesDiff } from '../shared/engine/analyses/growth/series.js';
import type { HeapGraph } from '../shared/engine/graph/graph.js';

export default async function run(task: WorkerTask): Promise<AnalysisReport | DiffReport | { rows: number }> {
  try {
    if (task.kind === 'diff') return await diff(task);
    return task.kind === 'analyze' ? await analyze(task) : await exportNodes(task);
  } catch (err) {
    // errors lose their class and properties between threads: ours go as plain objects with their code
    const ours = userFacing(err);
    if (ours) throw ours.toClone();
    const e = err as Error;
    throw { fault: { message: String(e?.message ?? e), stack: e?.stack } } satisfies ThrownFault;
  } finally {
    task.port?.close();
  }
}

function post(task: WorkerTask, msg: ProgressMessage): void {
  task.port?.postMessage(msg);
}

/** One helper thread per worker thread, kept between tasks (started with the worker when the pool says so). */
let helper: HelperThread | null = earlyHelper;
function helperFor(task: WorkerTask): HelperThread | null {
  if (task.kind === 'export-nodes' || (task.threads ?? 1) < 2) return null;
  return (helper ??= new HelperThread(task.maxMemoryMb));
}

/** The analysis's helper: the helper thread when the graph is on shared memory where it can read it, else this one. */
function analysisHelper(task: WorkerTask, g: HeapGraph): Helper {
  const h = helperFor(task);
  return h && isShared(g) ? h : inThisThread;
}

async function load(
  task: WorkerTask,
  file: string,
  timings: PhaseTiming[],
  label = '',
): Promise<{ g: HeapGraph; size: number; gzip: boolean }> {
  helperFor(task)?.warm();
  const { size, gzip } = inspectFile(file);
  post(task, { type: 'phase', phase: `${label}parse` });
  post(task, { type: 'bytes', bytes: 0, total: size });
  const t0 = performance.now();
  const progress = (bytes: number) => post(task, { type: 'bytes', bytes, total: size });
  const h = helperFor(task);
  const limit = task.kind === 'export-nodes' ? {} : { memoryLimit: task.memoryLimit };
  const g = h
    ? await parseFileSplit(file, h.parseEdges, progress, undefined, limit)
    : await parseFile(file, progress, limit);
  timings.push({ phase: 'parse', ms: performance.now() - t0 });
  collectGarbageFor(g.nodeCount); // read buffers and growable arrays of the parse
  return { g, size, gzip };
}

async function analyze(task: AnalyzeTask): Promise<AnalysisReport> {
  const timings: PhaseTiming[] = [];
  const { g, size, gzip } = await load(task, task.file, timings);
  const opts = {
    source: path.basename(task.file),
    fileBytes: size,
    gzip,
    top: task.top,
    timings,
    onPhase: (phase: string) => post(task, { type: 'phase', phase }),
  };
  const { findings } = await analyzeSnapshot(g, opts, analysisHelper(task, g));
  const report = analysisReport(findings);
  if (task.outDir) writeTimed(task, report.timings, () => writeReports(report, task.outDir!));
  return report;
}

/** Writes the report files, listed as the last phase of the report's own timings. */
function writeTimed(task: WorkerTask, timings: PhaseTiming[], write: () => void): void {
  phaseTimer(timings, (phase) => post(task, { type: 'phase', phase }))('reports', write);
  const last = timings[timings.length - 1];
  last.ms = Math.round(last.ms * 10) / 10;
}

async function exportNodes(task: ExportNodesTask): Promise<{ rows: number }> {
  const { g } = await load(task, task.file, []);
  post(task, { type: 'phase', phase: 'export' });
  return { rows: exportNodesCsv(g, task.out, (phase) => post(task, { type: 'phase', phase })) };
}

/**
 * A growth diff: the snapshots are analysed one after another (each on this thread and the helper), and the series
 * keeps only what later steps need, so no two graphs are held at once.
 */
async function diff(task: DiffTask): Promise<DiffReport> {
  const series = new SeriesDiff(task.files.length);
  const timings: PhaseTiming[] = [];
  for (let i = 0; i < task.files.length; i++) {
    await addToSeries(task, i, series, timings);
    collectGarbage(); // this snapshot's graph and dominator tree: gone before the next parse
  }
  const report = diffReport(series.finish(timings));
  if (task.outDir) writeTimed(task, report.timings, () => writeDiffReports(report, task.outDir!));
  return report;
}

/** Parses and analyses snapshot i, and hands it to the series; nothing of the graph outlives this call. */
async function addToSeries(task: DiffTask, i: number, series: SeriesDiff, timings: PhaseTiming[]): Promise<void> {
  const file = task.files[i];
  const label = `snapshot ${i + 1}/${task.files.length}`;
  const onPhase = (phase: string) => post(task, { type: 'phase', phase: `${label}: ${phase}` });
  const own: PhaseTiming[] = [];
  const { g, size, gzip } = await load(task, file, own, `${label}: `);
  const opts = {
    source: path.basename(file),
    fileBytes: size,
    gzip,
    top: task.top,
    timings: own,
    duplicates: false,
    idOrder: true,
    series: true,
    onPhase,
  };
  const a = await analyzeSnapshot(g, opts, analysisHelper(task, g));
  timings.push(...a.findings.timings);
  series.add(g, a.dominance, a.classes, a.findings, phaseTimer(timings, onPhase), a.idOrder);
}
