import type { Queue } from 'bullmq';
import type { Config } from '../../shared/service/config.js';
import type { Logger } from '../../shared/service/log.js';
import type { AnalysisJob, DeliveryJob } from '../../shared/service/queues.js';
import type { Storage } from '../../shared/service/storage.js';
import type { Store } from '../../shared/service/store.js';
import type { AnalyzerPool } from '../../workers/pool.js';
import type { MemoryBudget } from './memory-budget.js';

/** What an analyzer's jobs work with. */
export interface AnalyzerContext {
  config: Config;
  store: Store;
  storage: Storage;
  pool: AnalyzerPool;
  budget: MemoryBudget;
  log: Logger;
  queues: { analyses: Queue<AnalysisJob>; deliveries: Queue<DeliveryJob> };
}
