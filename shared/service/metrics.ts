import type { Redis } from 'ioredis';

/** Totals the analyzers keep in Redis (any number of them), read by the API on each scrape. */
export const METRICS_KEY = 'hs:metrics';
export const DURATION_BUCKETS = [1, 5, 15, 60, 300, 1800];

/** What an analyzer adds to the totals when a job ends. */
export async function recordJob(redis: Redis, ok: boolean, bytes: number, seconds: number): Promise<void> {
  const m = redis.multi().hincrby(METRICS_KEY, ok ? 'completed' : 'failed', 1);
  if (ok) {
    m.hincrby(METRICS_KEY, 'bytes', bytes)
      .hincrbyfloat(METRICS_KEY, 'duration_sum', seconds)
      .hincrby(METRICS_KEY, 'duration_count', 1);
    for (const b of DURATION_BUCKETS) if (seconds <= b) m.hincrby(METRICS_KEY, `duration_le_${b}`, 1);
  }
  await m.exec();
}
