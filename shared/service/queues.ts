import type { WebhookEvent } from './webhooks.js';

/**
 * The service's BullMQ queues, their jobs and how each is retried. The API and any number of analyzers share them
 * through one Redis.
 */

/** Schedules' ticks (BullMQ job schedulers, one per schedule). */
export const SCHEDULE_QUEUE = 'heapsight-schedules';
export interface ScheduleJob {
  project: string;
  schedule: string;
}

/** The BullMQ queue analyses go through. */
export const ANALYSIS_QUEUE = 'heapsight-analyses';
export interface AnalysisJob {
  project: string;
  analysis: string;
}

/** Job options of an analysis: retried with backoff when storage or Redis fail. */
export const ANALYSIS_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: 1000,
  removeOnFail: 1000,
} as const;

/** The queue webhook deliveries go through, retried with backoff on their own. */
export const DELIVERY_QUEUE = 'heapsight-webhooks';
export interface DeliveryJob {
  project: string;
  webhook: string;
  event: WebhookEvent;
  body: string;
}

/** Job options of a webhook delivery: retried with exponential backoff until the receiver answers 2xx. */
export const DELIVERY_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: 1000,
  removeOnFail: 1000,
} as const;
