import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../shared/service/config.js';
import type { AnalysisJob, DeliveryJob, ScheduleJob } from '../../shared/service/queues.js';
import type { Storage } from '../../shared/service/storage.js';
import type { Store } from '../../shared/service/store.js';

/** What the API's routes work with: the configuration, Redis (the store, the queues) and the storage. */
export interface ApiDeps {
  config: Config;
  redis: Redis;
  store: Store;
  storage: Storage;
  queues: { analyses: Queue<AnalysisJob>; schedules: Queue<ScheduleJob>; deliveries: Queue<DeliveryJob> };
}

/** A queue call that fails to reach Redis answers 503 (see `fromRedis`). */
export { fromRedis } from '../../shared/service/store.js';
