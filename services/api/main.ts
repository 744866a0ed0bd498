import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../../shared/service/config.js';
import { createLogger, logErrors } from '../../shared/service/log.js';
import { ANALYSIS_QUEUE, DELIVERY_QUEUE, SCHEDULE_QUEUE } from '../../shared/service/queues.js';
import type { AnalysisJob, DeliveryJob, ScheduleJob } from '../../shared/service/queues.js';
import { createStorage } from '../../shared/service/storage.js';
import { Store } from '../../shared/service/store.js';
import { buildApi } from './app.js';

/** `heapsight api`: the HTTP API until SIGTERM or SIGINT. */
export async function runApi(config: Config): Promise<void> {
  const log = createLogger('api', config.logLevel);
  // requests fail fast with 503 when Redis is down, instead of waiting for it
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  logErrors(redis, log, 'Redis');
  const queueConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  logErrors(queueConnection, log, 'Redis (queues)');
  const queues = {
    analyses: new Queue<AnalysisJob>(ANALYSIS_QUEUE, { connection: queueConnection }),
    schedules: new Queue<ScheduleJob>(SCHEDULE_QUEUE, { connection: queueConnection }),
    deliveries: new Queue<DeliveryJob>(DELIVERY_QUEUE, { connection: queueConnection }),
  };
  for (const q of Object.values(queues)) q.on('error', (err) => log.warn({ err }, `queue ${q.name}: ${err.message}`));
  const storage = createStorage(config.storage);
  const app = buildApi({ config, redis, store: new Store(redis), storage, queues }, log);
  await app.listen({ port: config.port, host: '0.0.0.0' });
  log.info(`heapsight api listening on :${config.port} (storage ${storage.description})`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  // in-flight requests get a few seconds; then the process goes anyway
  await Promise.race([app.close(), new Promise((r) => setTimeout(r, 5000).unref())]);
  for (const q of Object.values(queues)) await q.close();
  queueConnection.disconnect(); // BullMQ leaves connections it was given open
  redis.disconnect();
}
