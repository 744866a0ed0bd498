import client from 'prom-client';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DURATION_BUCKETS, METRICS_KEY } from '../../shared/service/metrics.js';

/**
 * Prometheus metrics: queue depth per queue and state, analyses completed and failed, and bytes analysed, all
 * collected from Redis when scraped (job durations: see durationHistogram).
 */
export function metricsRegistry(redis: Redis, queues: Queue[]): client.Registry {
  const registry = new client.Registry();
  new client.Gauge({
    name: 'heapsight_queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const q of queues) {
        const counts = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
      }
    },
  });
  const totals = async () => redis.hgetall(METRICS_KEY);
  const counter = (name: string, help: string, field: string) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(Number((await totals())[field] ?? 0));
      },
    });
  counter('heapsight_analyses_completed_total', 'Analyses completed', 'completed');
  counter('heapsight_analyses_failed_total', 'Analyses failed for good', 'failed');
  counter('heapsight_bytes_analysed_total', 'Snapshot bytes analysed', 'bytes');
  return registry;
}

/** Job durations (seconds) as a Prometheus histogram, from the cumulative buckets the analyzers keep in Redis. */
export async function durationHistogram(redis: Redis): Promise<string> {
  const t = await redis.hgetall(METRICS_KEY);
  const name = 'heapsight_job_duration_seconds';
  const lines = [`# HELP ${name} Analysis job durations`, `# TYPE ${name} histogram`];
  for (const b of DURATION_BUCKETS) lines.push(`${name}_bucket{le="${b}"} ${Number(t[`duration_le_${b}`] ?? 0)}`);
  lines.push(`${name}_bucket{le="+Inf"} ${Number(t.duration_count ?? 0)}`);
  lines.push(`${name}_sum ${Number(t.duration_sum ?? 0)}`, `${name}_count ${Number(t.duration_count ?? 0)}`);
  return lines.join('\n') + '\n';
}
