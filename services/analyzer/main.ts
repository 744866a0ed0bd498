import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../../shared/service/config.js';
import { createLogger, logErrors } from '../../shared/service/log.js';
import { ANALYSIS_QUEUE, DELIVERY_QUEUE, SCHEDULE_QUEUE } from '../../shared/service/queues.js';
import type { AnalysisJob, DeliveryJob, ScheduleJob } from '../../shared/service/queues.js';
import { createStorage } from '../../shared/service/storage.js';
import { Store } from '../../shared/service/store.js';
import { AnalyzerPool } from '../../workers/pool.js';
import type { AnalyzerContext } from './context.js';
import { deliver } from './deliveries.js';
import { runJob } from './job.js';
import { MemoryBudget } from './memory-budget.js';
import { runSchedule } from './schedules.js';

/**
 * `heapsight analyzer`: consumes three queues. Analysis jobs run in the Piscina pool (`job.ts`), schedules' ticks
 * queue analyses (`schedules.ts`), webhook deliveries are POSTed (`deliveries.ts`). Any number of analyzers may
 * share one Redis and one storage; a job whose analyzer died (its lock lapsed) goes back to the queue for another.
 * SIGTERM: stop taking jobs, finish the running ones.
 */
export async function runAnalyzer(config: Config): Promise<void> {
  const log = createLogger('analyzer', config.logLevel);
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  logErrors(connection, log, 'Redis');
  const { concurrency, maxMemoryMb, threadsPerTask, jobLockMs: lockDuration } = config.analyzer;
  const storage = createStorage(config.storage);
  const ctx: AnalyzerContext = {
    config,
    store: new Store(connection),
    storage,
    pool: new AnalyzerPool({ threads: concurrency, maxMemoryMb, threadsPerTask }),
    budget: new MemoryBudget(config.analyzer.memoryBudgetMb),
    log,
    queues: {
      analyses: new Queue<AnalysisJob>(ANALYSIS_QUEUE, { connection }),
      deliveries: new Queue<DeliveryJob>(DELIVERY_QUEUE, { connection }),
    },
  };
  const workers = [
    new Worker<AnalysisJob>(ANALYSIS_QUEUE, (job) => runJob(job, ctx), {
      connection,
      concurrency,
      lockDuration,
      stalledInterval: Math.max(1000, lockDuration / 2),
      maxStalledCount: 2,
    }),
    new Worker<DeliveryJob>(DELIVERY_QUEUE, (job) => deliver(job, ctx), { connection, concurrency: 4 }),
    new Worker<ScheduleJob>(SCHEDULE_QUEUE, (job) => runSchedule(job, ctx), { connection, concurrency: 1 }),
  ];
  const said = (name: string) => (err: Error) => log.warn({ err }, `queue ${name}: ${err.message}`);
  for (const w of workers) w.on('error', said(w.name));
  for (const q of Object.values(ctx.queues)) q.on('error', said(q.name));
  workers[1].on('failed', (job, err) => log.warn({ job: job?.id, err: err.message }, 'webhook delivery failed'));
  log.info(`heapsight analyzer: ${concurrency} at a time (storage ${storage.description})`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  for (const w of workers) await w.close(); // the analyses' worker waits for the running jobs
  for (const q of Object.values(ctx.queues)) await q.close();
  await ctx.pool.close();
  connection.disconnect();
}
