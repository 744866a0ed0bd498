import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../../shared/service/config.js';
import { createStorage, type Storage } from '../../shared/service/storage.js';
import {
  ANALYSIS_JOB_OPTIONS,
  ANALYSIS_QUEUE,
  keys,
  newAnalysis,
  SCHEDULE_QUEUE,
  Store,
  type AnalysisJob,
  type ScheduleJob,
} from '../../shared/service/store.js';
import { AnalyzerPool } from '../../workers/pool.js';
import { suspectLine } from '../../shared/report/sentences.js';
import {
  DELIVERY_QUEUE,
  refuseUrl,
  signature,
  type DeliveryJob,
  type WebhookEvent,
} from '../../shared/service/webhooks.js';
import type { AnalysisRecord } from '../../shared/service/store.js';
import type { Suspect } from '../../shared/report/diff-model.js';
import { recordJob } from '../../shared/service/metrics.js';

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
  const deliveries = new Queue<DeliveryJob>(DELIVERY_QUEUE, { connection });
  deliveries.on('error', () => undefined);
  const notify = (rec: AnalysisRecord, suspects: Suspect[]) =>
    enqueueDeliveries(store, deliveries, config, rec, suspects);
  const budget = new MemoryBudget(config.analyzer.memoryBudgetMb);
  const worker = new Worker<AnalysisJob>(ANALYSIS_QUEUE, (job) => runJob(job, store, storage, pool, notify, budget), {
    connection,
    concurrency,
    lockDuration,
    stalledInterval: Math.max(1000, lockDuration / 2),
    maxStalledCount: 2,
  });
  worker.on('error', () => undefined);
  const sender = new Worker<DeliveryJob>(DELIVERY_QUEUE, (job) => deliver(job, store, config.webhookAllowHosts), {
    connection,
    concurrency: 4,
  });
  sender.on('error', () => undefined);
  const analyses = new Queue<AnalysisJob>(ANALYSIS_QUEUE, { connection });
  analyses.on('error', () => undefined);
  const scheduler = new Worker<ScheduleJob>(SCHEDULE_QUEUE, (job) => runSchedule(job, store, analyses), {
    connection,
    concurrency: 1,
  });
  scheduler.on('error', () => undefined);
  process.stderr.write(`heapsight analyzer: ${concurrency} at a time (storage ${storage.description})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await worker.close(); // waits for the running jobs
  await sender.close();
  await scheduler.close();
  await analyses.close();
  await deliveries.close();
  await pool.close();
  connection.disconnect();
}

type Notify = (rec: AnalysisRecord, suspects: Suspect[]) => Promise<void>;

/**
 * Memory an analysis may need, estimated from its largest snapshot: 2.5 times the JSON (measured: 1.16-1.17 GB for
 * a 1.01 GB snapshot alone, and with an earlier version 2.37 GB for a diff ending with one), a gzip file counted at
 * 6 times its size.
 */
export function memoryNeedMb(sizes: { size: number; gzip: boolean }[]): number {
  const largest = Math.max(...sizes.map((s) => (s.gzip ? 6 : 1) * s.size));
  return Math.ceil((2.5 * largest) / 2 ** 20) + 200;
}

/** Analyses run side by side only while their estimated needs fit the analyzer's memory budget together. */
export class MemoryBudget {
  private used = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly totalMb: number) {}

  async acquire(mb: number): Promise<() => void> {
    if (mb > this.totalMb) {
      throw new UnrecoverableError(
        `the snapshot needs about ${mb} MB to analyse, more than this analyzer's memory budget of ${this.totalMb} MB (HEAPSIGHT_MEMORY_BUDGET_MB)`,
      );
    }
    while (this.used + mb > this.totalMb) await new Promise<void>((r) => this.waiting.push(r));
    this.used += mb;
    return () => {
      this.used -= mb;
      for (const w of this.waiting.splice(0)) w();
    };
  }
}

async function runJob(
  job: Job<AnalysisJob>,
  store: Store,
  storage: Storage,
  pool: AnalyzerPool,
  notify: Notify,
  budget: MemoryBudget,
): Promise<void> {
  const { project, analysis } = job.data;
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
    const files = await fetchSnapshots(rec.snapshots, project, store, storage, dir);
    await progress(10);
    const sizes = files.map((f) => ({ size: fs.statSync(f).size, gzip: isGzip(f) }));
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
        for (const [from, to] of [
          ['diff.json', 'report.json'],
          ['diff.md', 'report.md'],
          ['diff.html', 'report.html'],
        ]) {
          fs.renameSync(path.join(out, from), path.join(out, to));
        }
      }
    } catch (err) {
      // the snapshot itself is bad (or too big for the limits): trying again would fail the same way
      throw new UnrecoverableError(String((err as Error).message ?? err).split('\n')[0]);
    } finally {
      release();
    }
    await progress(90);
    for (const f of REPORTS)
      await storage.put(keys.report(project, analysis, f), fs.createReadStream(path.join(out, f)));
    const done = await store.updateAnalysis(project, analysis, {
      status: 'completed',
      progress: 100,
      reports: REPORTS,
      finishedAt: new Date().toISOString(),
      verdict: suspects.map((s) => `#${s.rank} (${s.confidence}) ${suspectLine(s)}`),
    });
    await job.updateProgress(100);
    if (done) await notify(done, suspects);
    await recordJob(
      store.redis,
      true,
      sizes.reduce((sum, x) => sum + x.size, 0),
      (performance.now() - t0) / 1000,
    ).catch(() => undefined);
  } catch (err) {
    const message = String((err as Error).message ?? err).split('\n')[0];
    const failed = await store
      .updateAnalysis(
        project,
        analysis,
        final(err)
          ? { status: 'failed', error: message, finishedAt: new Date().toISOString() }
          : { status: 'queued', error: `retrying: ${message}` },
      )
      .catch(() => null);
    if (failed?.status === 'failed') {
      await notify(failed, []).catch(() => undefined);
      await recordJob(store.redis, false, 0, 0).catch(() => undefined);
    }
    throw err;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Copies an analysis's snapshots from storage into local files, named by their labels (reports name them so). */
async function fetchSnapshots(
  ids: string[],
  project: string,
  store: Store,
  storage: Storage,
  dir: string,
): Promise<string[]> {
  const files: string[] = [];
  for (const [i, id] of ids.entries()) {
    const snap = await store.getSnapshot(project, id);
    if (!snap) throw new UnrecoverableError(`snapshot ${id} is gone`);
    fs.mkdirSync(path.join(dir, String(i)));
    const file = path.join(dir, String(i), `${(snap.label ?? id).replace(/[^\w.-]+/g, '_')}.heapsnapshot`);
    await storage.download(snap.key, file);
    files.push(file);
  }
  return files;
}

function isGzip(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    return fs.readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/** One delivery job per subscribed webhook and event: analysis.completed or .failed, and leak.suspected. */
async function enqueueDeliveries(
  store: Store,
  queue: Queue<DeliveryJob>,
  config: Config,
  rec: AnalysisRecord,
  suspects: Suspect[],
): Promise<void> {
  const events: WebhookEvent[] = [rec.status === 'completed' ? 'analysis.completed' : 'analysis.failed'];
  if (suspects.length) events.push('leak.suspected');
  const hooks = await store.webhooks(rec.project);
  const base = `${config.publicUrl ?? ''}/v1/projects/${rec.project}/analyses/${rec.id}`;
  for (const event of events) {
    const body = JSON.stringify({
      event,
      project: rec.project,
      analysis: {
        id: rec.id,
        kind: rec.kind,
        status: rec.status,
        error: rec.error,
        snapshots: rec.snapshots,
        url: base,
      },
      verdict: rec.verdict.length
        ? rec.verdict
        : [rec.status === 'failed' ? `The analysis failed: ${rec.error}` : 'No leak suspects.'],
      suspects: suspects.map((s) => ({
        rank: s.rank,
        confidence: s.confidence,
        summary: suspectLine(s),
        path: s.path,
        accumulationPoint: s.accumulationPoint,
        growth: { total: s.growth.total, perStep: s.growth.perStep },
      })),
      reports: rec.reports.length
        ? { json: `${base}/report.json`, md: `${base}/report.md`, html: `${base}/report.html` }
        : null,
      sentAt: new Date().toISOString(),
    });
    for (const h of hooks) {
      if (!h.events.includes(event)) continue;
      await queue.add(
        event,
        { project: rec.project, webhook: h.name, event, body },
        {
          attempts: 6,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: 1000,
          removeOnFail: 1000,
        },
      );
    }
  }
}

/** POSTs one payload, signed; a non-2xx answer or a network failure is retried by the queue with backoff. */
async function deliver(job: Job<DeliveryJob>, store: Store, allowHosts: string[]): Promise<void> {
  const { project, webhook, body } = job.data;
  const h = await store.webhook(project, webhook);
  if (!h) return; // deleted since
  const why = await refuseUrl(h.url, allowHosts);
  if (why) throw new UnrecoverableError(why);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const r = await fetch(h.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'heapsight-webhooks',
      'x-heapsight-event': job.data.event,
      'x-heapsight-delivery': String(job.id),
      'x-heapsight-timestamp': timestamp,
      'x-heapsight-signature': signature(h.secret, timestamp, body),
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  await r.body?.cancel();
  if (r.status < 200 || r.status >= 300) throw new Error(`webhook ${webhook} answered ${r.status}`);
}

/**
 * A schedule's tick: the snapshots its series received since the last run, diffed against the previous run's last
 * snapshot (an analyze when there is only one snapshot in all). Nothing new: nothing to do. A lock in Redis keeps
 * two analyzers from running the same schedule at once.
 */
async function runSchedule(job: Job<ScheduleJob>, store: Store, analyses: Queue<AnalysisJob>): Promise<void> {
  const { project, schedule } = job.data;
  const lock = `hs:schedule-lock:${project}:${schedule}`;
  if ((await store.redis.set(lock, String(job.id), 'PX', 60_000, 'NX')) !== 'OK') return;
  try {
    const s = await store.schedule(project, schedule);
    if (!s) return;
    const all = await store.listSnapshots(project, s.series);
    const at = s.lastSnapshot ? all.findIndex((x) => x.id === s.lastSnapshot) : -1;
    const fresh = all.slice(at + 1);
    const now = new Date().toISOString();
    if (!fresh.length) {
      await store.putSchedule({ ...s, lastRun: now });
      return;
    }
    const ids = [...(at >= 0 ? [s.lastSnapshot!] : []), ...fresh.map((x) => x.id)];
    const rec = newAnalysis(project, ids, { schedule });
    await store.putAnalysis(rec);
    await analyses.add(rec.kind, { project, analysis: rec.id }, { jobId: rec.id, ...ANALYSIS_JOB_OPTIONS });
    await store.putSchedule({ ...s, lastSnapshot: fresh[fresh.length - 1].id, lastRun: now, lastAnalysis: rec.id });
  } finally {
    await store.redis.del(lock);
  }
}
