import os from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { AnalysisReport } from '../shared/report/model.js';
import type { AnalyzeTask, DiffTask, ExportNodesTask, ProgressMessage } from './tasks.js';
import type { DiffReport } from '../shared/report/diff-model.js';
import type { WorkerSetup } from './early-helper.js';
import { HeapsightError } from '../shared/errors.js';
import { threadDied } from './died.js';
import type { ThrownFault } from './tasks.js';

export interface PoolOptions {
  /** Worker threads in the pool (analyses at once). */
  threads?: number;
  /** Threads each analysis uses (a helper thread besides the worker); default: 2 when the machine has 2+ cores. */
  threadsPerTask?: number;
  /** Heap limit of each worker thread, in MB (typed arrays are counted by the process, not this limit). */
  maxMemoryMb?: number;
}

const WORKER_FILE = new URL('./task.js', import.meta.url).href;

export const DEFAULT_WORKER_MEMORY_MB = Math.max(512, Math.min(8192, Math.floor(os.totalmem() / (1 << 20) / 2)));

export class AnalyzerPool {
  private readonly pool: Piscina;
  readonly maxMemoryMb: number;
  readonly threadsPerTask: number;

  constructor(opts: PoolOptions = {}) {
    this.maxMemoryMb = opts.maxMemoryMb ?? DEFAULT_WORKER_MEMORY_MB;
    this.threadsPerTask = opts.threadsPerTask ?? (os.availableParallelism() >= 2 ? 2 : 1);
    const threads = opts.threads ?? 1;
    this.pool = new Piscina({
      filename: WORKER_FILE,
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 1000,
      resourceLimits: {
        maxOldGenerationSizeMb: this.maxMemoryMb,
        maxYoungGenerationSizeMb: Math.min(64, Math.max(1, this.maxMemoryMb >> 2)),
      },
      // a worker whose tasks use a helper thread starts it as it starts itself
      workerData: { helper: this.threadsPerTask >= 2, maxMemoryMb: this.maxMemoryMb } satisfies WorkerSetup,
    });
    // A worker that dies outside a task (say, out of memory while starting) is reported on the pool.
    this.pool.on('error', (err: Error) => {
      const e = this.explain(err);
      for (const reject of this.pending) reject(e);
      this.pending.clear();
    });
  }

  private readonly pending = new Set<(e: Error) => void>();

  analyze(
    task: Omit<AnalyzeTask, 'kind' | 'port'>,
    onProgress?: (m: ProgressMessage) => void,
  ): Promise<AnalysisReport> {
    return this.run(
      { kind: 'analyze', threads: this.threadsPerTask, maxMemoryMb: this.maxMemoryMb, ...task },
      onProgress,
    ) as Promise<AnalysisReport>;
  }

  diff(task: Omit<DiffTask, 'kind' | 'port'>, onProgress?: (m: ProgressMessage) => void): Promise<DiffReport> {
    return this.run(
      { kind: 'diff', threads: this.threadsPerTask, maxMemoryMb: this.maxMemoryMb, ...task },
      onProgress,
    ) as Promise<DiffReport>;
  }

  exportNodes(
    task: Omit<ExportNodesTask, 'kind' | 'port'>,
    onProgress?: (m: ProgressMessage) => void,
  ): Promise<{ rows: number }> {
    return this.run({ kind: 'export-nodes', ...task }, onProgress) as Promise<{ rows: number }>;
  }

  private async run(
    task: AnalyzeTask | DiffTask | ExportNodesTask,
    onProgress?: (m: ProgressMessage) => void,
  ): Promise<unknown> {
    const { port1, port2 } = new MessageChannel();
    if (onProgress) port1.on('message', onProgress);
    let reject!: (e: Error) => void;
    const died = new Promise<never>((_, r) => {
      reject = r;
    });
    this.pending.add(reject);
    try {
      return await Promise.race([this.pool.run({ ...task, port: port2 }, { transferList: [port2] }), died]);
    } catch (err) {
      throw this.explain(err);
    } finally {
      this.pending.delete(reject);
      port1.close();
    }
  }

  /**
   * What a task's failure means here. The task sends every error it throws as a plain object (see workers/task.ts):
   * ours with their code, anything else as a fault of the program. An Error object, then, comes from the pool itself:
   * the worker thread died (out of memory, or its runtime stopped).
   */
  private explain(err: unknown): Error {
    if (err instanceof HeapsightError) return err; // explained already (a worker that died outside a task)
    const ours = HeapsightError.revive(err);
    if (ours) return ours;
    const fault = (err as Partial<ThrownFault> | null)?.fault;
    if (fault) return Object.assign(new Error(fault.message), { stack: fault.stack });
    return threadDied(err instanceof Error ? err : new Error(String(err)), this.maxMemoryMb, 'worker');
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
