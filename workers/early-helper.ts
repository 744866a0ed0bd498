// Loaded first by the worker's entry (task.ts): starts the helper thread while the rest of the worker's modules load
// (about 80 ms), rather than once the first task arrives.
import { workerData } from 'piscina';
import { HelperThread } from './helper-client.js';

/** What the pool tells its workers (Piscina's `workerData`). */
export interface WorkerSetup {
  /** Whether tasks use a helper thread. */
  helper: boolean;
  /** Its heap limit, as the task's `maxMemoryMb`. */
  maxMemoryMb?: number;
}

const setup = workerData as WorkerSetup | undefined;

/** The helper thread started with the worker, if its tasks use one. */
export const earlyHelper: HelperThread | null = setup?.helper ? new HelperThread(setup.maxMemoryMb) : null;
earlyHelper?.warm();
