import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../../shared/service/config.js';
import { createStorage } from '../../shared/service/storage.js';
import { ANALYSIS_QUEUE, SCHEDULE_QUEUE, type AnalysisJob, type ScheduleJob } from '../../shared/service/queues.js';
import { buildApi } from './app.js';

/** `heapsight api`: the HTTP API until SIGTERM or SIGINT. */
export async function runApi(config: Config): Promise<void> {
  // requests fail fast with 503 when Redis is down, instead of waiting for it
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  redis.on('error', () => undefined);
  const queueConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  queueConnection.on('error', () => undefined);
  const queue = new Queue<AnalysisJob>(ANALYSIS_QUEUE, { connection: queueConnection });
  queue.on('error', () => undefined);
  const schedules = new Queue<ScheduleJob>(SCHEDULE_QUEUE, { connection: queueConnection });
  schedules.on('error', () => undefined);
  const storage = createStorage(config.storage);
  const app = buildApi({ config, redis, storage, queue, schedules });
  await app.listen({ port: config.port, host: '0.0.0.0' });
  process.stderr.write(`heapsight api listening on :${config.port} (storage ${storage.description})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  // in-flight requests get a few seconds; then the process goes anyway
  await Promise.race([app.close(), new Promise((r) => setTimeout(r, 5000).unref())]);
  await queue.close();
  await schedules.close();
  queueConnection.disconnect(); // BullMQ leaves connections it was given open
  redis.disconnect();
}
