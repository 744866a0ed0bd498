import { UnrecoverableError, type Job } from 'bullmq';
import type { Suspect } from '../../shared/report/diff-model.js';
import { suspectLine } from '../../shared/report/sentences.js';
import { DELIVERY_JOB_OPTIONS, type DeliveryJob } from '../../shared/service/queues.js';
import type { AnalysisRecord } from '../../shared/service/store.js';
import { refuseUrl, signature, type WebhookEvent } from '../../shared/service/webhooks.js';
import type { AnalyzerContext } from './context.js';

/**
 * Webhook deliveries: a job per webhook and event on their own queue, POSTed signed (X-Heapsight-Signature:
 * HMAC-SHA256 of the timestamp and the body) and retried with backoff until the receiver answers 2xx.
 */

/** One delivery job per subscribed webhook and event: analysis.completed or .failed, and leak.suspected. */
export async function notify(ctx: AnalyzerContext, rec: AnalysisRecord, suspects: Suspect[]): Promise<void> {
  const { store, config } = ctx;
  const events: WebhookEvent[] = [rec.status === 'completed' ? 'analysis.completed' : 'analysis.failed'];
  if (suspects.length) events.push('leak.suspected');
  const hooks = await store.webhooks(rec.project);
  const base = `${config.publicUrl ?? ''}/v1/projects/${rec.project}/analyses/${rec.id}`;
  for (const event of events) {
    const body = JSON.stringify({
      event,
      project: rec.project,
      analysis: {
        id: rec.id,
        kind: rec.kind,
        status: rec.status,
        error: rec.error,
        snapshots: rec.snapshots,
        url: base,
      },
      verdict: rec.verdict.length
        ? rec.verdict
        : [rec.status === 'failed' ? `The analysis failed: ${rec.error}` : 'No leak suspects.'],
      suspects: suspects.map((s) => ({
        rank: s.rank,
        confidence: s.confidence,
        summary: suspectLine(s),
        path: s.path,
        accumulationPoint: s.accumulationPoint,
        growth: { total: s.growth.total, perStep: s.growth.perStep },
      })),
      reports: rec.reports.length
        ? { json: `${base}/report.json`, md: `${base}/report.md`, html: `${base}/report.html` }
        : null,
      sentAt: new Date().toISOString(),
    });
    for (const h of hooks) {
      if (!h.events.includes(event)) continue;
      await ctx.queues.deliveries.add(
        event,
        { project: rec.project, webhook: h.name, event, body },
        DELIVERY_JOB_OPTIONS,
      );
    }
  }
}

/** POSTs one payload, signed; a non-2xx answer or a network failure is retried by the queue with backoff. */
export async function deliver(job: Job<DeliveryJob>, { store, config }: AnalyzerContext): Promise<void> {
  const allowHosts = config.webhookAllowHosts;
  const { project, webhook, body } = job.data;
  const h = await store.webhook(project, webhook);
  if (!h) return; // deleted since
  const why = await refuseUrl(h.url, allowHosts);
  if (why) throw new UnrecoverableError(why);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const r = await fetch(h.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'heapsight-webhooks',
      'x-heapsight-event': job.data.event,
      'x-heapsight-delivery': String(job.id),
      'x-heapsight-timestamp': timestamp,
      'x-heapsight-signature': signature(h.secret, timestamp, body),
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  await r.body?.cancel();
  if (r.status < 200 || r.status >= 300) throw new Error(`webhook ${webhook} answered ${r.status}`);
}
