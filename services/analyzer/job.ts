import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UnrecoverableError, type Job } from 'bullmq';
import { inspectFile } from '../../shared/engine/parse/source.js';
import type { Suspect } from '../../shared/report/diff-model.js';
import { suspectLine } from '../../shared/report/sentences.js';
import { recordJob } from '../../shared/service/metrics.js';
import type { AnalysisJob } from '../../shared/service/queues.js';
import { keys, type AnalysisRecord } from '../../shared/service/store.js';
import type { AnalyzerContext } from './context.js';
import { notify } from './deliveries.js';
import { memoryNeedMb } from './memory-budget.js';

const REPORTS = ['report.json', 'report.md', 'report.html'];

/**
 * One analysis job: its snapshots copied from storage to local files, run in the worker pool (analyze for one
 * snapshot, diff for several) within the memory budget, the reports put back, the record updated and the webhooks
 * told. A failure of storage or Redis is retried by the queue with backoff; a bad snapshot (or one too large for the
 * limits) fails at once, as trying again would fail the same way.
 */
export async function runJob(job: Job<AnalysisJob>, ctx: AnalyzerContext): Promise<void> {
  const { store, storage, pool, budget } = ctx;
  const { project, analysis } = job.data;
  const log = ctx.log.child({ job: job.id, project, analysis });
  const rec = await store.getAnalysis(project, analysis);
  if (!rec) throw new UnrecoverableError(`analysis ${analysis} is gone`);
  await store.updateAnalysis(project, analysis, {
    status: 'running',
    progress: 0,
    error: null,
    runner: `${os.hostname()}:${process.pid}`,
  });
  const t0 = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-job-'));
  const final = (err: unknown) => err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const progress = async (n: number) => {
    await job.updateProgress(n);
    await store.updateAnalysis(project, analysis, { progress: n });
  };
  try {
    const files = await fetchSnapshots(rec, ctx, dir);
    await progress(10);
    const sizes = files.map((f) => inspectFile(f));
    const release = await budget.acquire(memoryNeedMb(sizes));
    const out = path.join(dir, 'out');
    let suspects: Suspect[] = [];
    try {
      // the budget estimate above goes by file size; the parse checks the node and edge counts against it too
      const memoryLimit = { mb: budget.totalMb, name: "this analyzer's memory budget, HEAPSIGHT_MEMORY_BUDGET_MB" };
      if (files.length === 1) {
        await pool.analyze({ file: files[0], outDir: out, memoryLimit });
      } else {
        suspects = (await pool.diff({ files, outDir: out, memoryLimit })).suspects;
        for (const f of REPORTS) fs.renameSync(path.join(out, f.replace('report', 'diff')), path.join(out, f));
      }
    } catch (err) {
      throw new UnrecoverableError(String((err as Error).message ?? err).split('\n')[0]);
    } finally {
      release();
    }
    await progress(90);
    for (const f of REPORTS) {
      await storage.put(keys.report(project, analysis, f), fs.createReadStream(path.join(out, f)));
    }
    const done = await store.updateAnalysis(project, analysis, {
      status: 'completed',
      progress: 100,
      reports: REPORTS,
      finishedAt: new Date().toISOString(),
      verdict: suspects.map((s) => `#${s.rank} (${s.confidence}) ${suspectLine(s)}`),
    });
    await job.updateProgress(100);
    log.info({ ms: Math.round(performance.now() - t0), suspects: suspects.length }, 'analysis completed');
    if (done) await notify(ctx, done, suspects);
    const bytes = sizes.reduce((sum, x) => sum + x.size, 0);
    await recordJob(store.redis, true, bytes, (performance.now() - t0) / 1000).catch((e: Error) =>
      log.warn({ err: e }, 'could not count the job in the metrics'),
    );
  } catch (err) {
    const message = String((err as Error).message ?? err).split('\n')[0];
    const change = final(err)
      ? { status: 'failed' as const, error: message, finishedAt: new Date().toISOString() }
      : { status: 'queued' as const, error: `retrying: ${message}` };
    log.warn({ err }, final(err) ? `analysis failed: ${message}` : `analysis will be retried: ${message}`);
    const failed = await store.updateAnalysis(project, analysis, change).catch((e: Error) => {
      log.error({ err: e }, 'could not record the failure');
      return null;
    });
    if (failed?.status === 'failed') {
      await notify(ctx, failed, []).catch((e: Error) => log.error({ err: e }, 'could not queue the webhooks'));
      await recordJob(store.redis, false, 0, 0).catch((e: Error) =>
        log.warn({ err: e }, 'could not count the job in the metrics'),
      );
    }
    throw err;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Copies an analysis's snapshots from storage into local files, named by their labels (reports name them so). */
async function fetchSnapshots(
  rec: AnalysisRecord,
  { store, storage }: AnalyzerContext,
  dir: string,
): Promise<string[]> {
  const files: string[] = [];
  for (const [i, id] of rec.snapshots.entries()) {
    const snap = await store.getSnapshot(rec.project, id);
    if (!snap) throw new UnrecoverableError(`snapshot ${id} is gone`);
    fs.mkdirSync(path.join(dir, String(i)));
    const file = path.join(dir, String(i), `${(snap.label ?? id).replace(/[^\w.-]+/g, '_')}.heapsnapshot`);
    await storage.download(snap.key, file);
    files.push(file);
  }
  return files;
}
