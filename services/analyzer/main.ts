import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../../shared/config.js';
import { createStorage, type Storage } from '../../shared/storage/index.js';
import { ANALYSIS_QUEUE, keys, Store, type AnalysisJob } from '../../shared/service/store.js';
import { AnalyzerPool } from '../../workers/pool.js';
import { suspectLine } from '../../shared/report/sentences.js';

const REPORTS = ['report.json', 'report.md', 'report.html'];

/**
 * `heapsight analyzer`: takes analysis jobs from the BullMQ queue, copies their snapshots from storage to local
 * files, runs them in the Piscina pool (analyze for one snapshot, diff for several) and puts the reports back.
 * Any number of analyzers may share one Redis and one storage. SIGTERM: stop taking jobs, finish the running ones.
 */
export async function runAnalyzer(config: Config): Promise<void> {
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', () => undefined);
  const store = new Store(connection);
  const storage = createStorage(config.storage);
  const { concurrency, maxMemoryMb, threadsPerTask } = config.analyzer;
  const pool = new AnalyzerPool({ threads: concurrency, maxMemoryMb, threadsPerTask });
  // a job whose analyzer died (its lock lapsed) goes back to the queue for another analyzer
  const lockDuration = config.analyzer.jobLockMs;
  const worker = new Worker<AnalysisJob>(ANALYSIS_QUEUE, (job) => runJob(job, store, storage, pool), {
    connection, concurrency, lockDuration, stalledInterval: Math.max(1000, lockDuration / 2), maxStalledCount: 2,
  });
  worker.on('error', () => undefined);
  process.stderr.write(`heapsight analyzer: ${concurrency} at a time (storage ${storage.description})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await worker.close(); // waits for the running jobs
  await pool.close();
  connection.disconnect();
}

async function runJob(job: Job<AnalysisJob>, store: Store, storage: Storage, pool: AnalyzerPool): Promise<void> {
  const { project, analysis } = job.data;
  const rec = await store.getAnalysis(project, analysis);
  if (!rec) throw new UnrecoverableError(`analysis ${analysis} is gone`);
  await store.updateAnalysis(project, analysis, { status: 'running', progress: 0, error: null, runner: `${os.hostname()}:${process.pid}` });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-job-'));
  const final = (err: unknown) => err instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  try {
    const files: string[] = [];
    for (const [i, id] of rec.snapshots.entries()) {
      const snap = await store.getSnapshot(project, id);
      if (!snap) throw new UnrecoverableError(`snapshot ${id} is gone`);
      // reports name snapshots by file: use the label given at upload, else the id
      fs.mkdirSync(path.join(dir, String(i)));
      const file = path.join(dir, String(i), `${(snap.label ?? id).replace(/[^\w.-]+/g, '_')}.heapsnapshot`);
      await storage.download(snap.key, file);
      files.push(file);
      await job.updateProgress(Math.round((10 * (i + 1)) / rec.snapshots.length));
    }
    const out = path.join(dir, 'out');
    const onProgress = () => undefined;
    let verdict: string[] = [];
    try {
      if (files.length === 1) {
        await pool.analyze({ file: files[0], outDir: out }, onProgress);
      } else {
        const report = await pool.diff({ files, outDir: out }, onProgress);
        for (const [from, to] of [['diff.json', 'report.json'], ['diff.md', 'report.md'], ['diff.html', 'report.html']]) {
          fs.renameSync(path.join(out, from), path.join(out, to));
        }
        verdict = report.suspects.map((s) => `#${s.rank} (${s.confidence}) ${suspectLine(s)}`);
      }
    } catch (err) {
      // the snapshot itself is bad (or too big for the limits): trying again would fail the same way
      throw new UnrecoverableError(String((err as Error).message ?? err).split('\n')[0]);
    }
    await job.updateProgress(90);
    for (const f of REPORTS) await storage.put(keys.report(project, analysis, f), fs.createReadStream(path.join(out, f)));
    await store.updateAnalysis(project, analysis, {
      status: 'completed', progress: 100, reports: REPORTS, verdict, finishedAt: new Date().toISOString(),
    });
    await job.updateProgress(100);
  } catch (err) {
    const message = String((err as Error).message ?? err).split('\n')[0];
    await store.updateAnalysis(project, analysis, final(err)
      ? { status: 'failed', error: message, finishedAt: new Date().toISOString() }
      : { status: 'queued', error: `retrying: ${message}` }).catch(() => undefined);
    throw err;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
