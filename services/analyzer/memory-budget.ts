import { UnrecoverableError } from 'bullmq';

/**
 * Memory an analysis may need, estimated from its largest snapshot: 2.5 times the JSON (measured: 1.16-1.17 GB for
 * a 1.01 GB snapshot alone, and with an earlier version 2.37 GB for a diff ending with one), a gzip file counted at
 * 6 times its size.
 */
export function memoryNeedMb(sizes: { size: number; gzip: boolean }[]): number {
  const largest = Math.max(...sizes.map((s) => (s.gzip ? 6 : 1) * s.size));
  return Math.ceil((2.5 * largest) / 2 ** 20) + 200;
}

/**
 * Analyses run side by side only while their estimated needs fit the analyzer's memory budget together
 * (HEAPSIGHT_MEMORY_BUDGET_MB); one that can never fit fails at once, naming the budget.
 */
export class MemoryBudget {
  private used = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly totalMb: number) {}

  async acquire(mb: number): Promise<() => void> {
    if (mb > this.totalMb) {
      throw new UnrecoverableError(
        `the snapshot needs about ${mb} MB to analyse, ` +
          `more than this analyzer's memory budget of ${this.totalMb} MB (HEAPSIGHT_MEMORY_BUDGET_MB)`,
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
