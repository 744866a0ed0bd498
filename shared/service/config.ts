import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { HeapsightError } from '../errors.js';

/** Configuration of the service processes, from environment variables. */
export interface Config {
  port: number;
  redisUrl: string;
  storage: StorageConfig;
  adminToken: string | null;
  maxUploadBytes: number;
  webhookAllowHosts: string[];
  /** Where the API is reached from outside, for absolute report links in webhooks. */
  publicUrl: string | null;
  /** How much the processes log (pino's levels), one JSON object per line on standard output. */
  logLevel: LogLevel;
  analyzer: {
    concurrency: number;
    maxMemoryMb: number | undefined;
    threadsPerTask: number | undefined;
    jobLockMs: number;
    memoryBudgetMb: number;
  };
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type StorageConfig =
  | { kind: 'file'; root: string }
  | { kind: 's3'; bucket: string; prefix: string; endpoint: string | undefined; region: string };

const positive = (name: string) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a positive whole number`)
    .transform(Number)
    .refine((n) => n > 0, `${name} must be a positive whole number`);

const schema = z.object({
  PORT: positive('PORT').optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://')
    .optional(),
  HEAPSIGHT_STORAGE: z
    .string()
    .regex(/^(file:\/\/|s3:\/\/[^/]+)/, 'HEAPSIGHT_STORAGE must be file://PATH or s3://BUCKET/PREFIX')
    .optional(),
  HEAPSIGHT_ADMIN_TOKEN: z.string().min(16, 'HEAPSIGHT_ADMIN_TOKEN must be at least 16 characters').optional(),
  HEAPSIGHT_MAX_UPLOAD_BYTES: positive('HEAPSIGHT_MAX_UPLOAD_BYTES').optional(),
  HEAPSIGHT_WEBHOOK_ALLOW_HOSTS: z.string().optional(),
  HEAPSIGHT_ANALYZER_CONCURRENCY: positive('HEAPSIGHT_ANALYZER_CONCURRENCY').optional(),
  HEAPSIGHT_MAX_MEMORY_MB: positive('HEAPSIGHT_MAX_MEMORY_MB').optional(),
  HEAPSIGHT_THREADS: positive('HEAPSIGHT_THREADS').optional(),
  HEAPSIGHT_JOB_LOCK_MS: positive('HEAPSIGHT_JOB_LOCK_MS').optional(),
  HEAPSIGHT_MEMORY_BUDGET_MB: positive('HEAPSIGHT_MEMORY_BUDGET_MB').optional(),
  HEAPSIGHT_LOG_LEVEL: z
    .enum(LOG_LEVELS, { message: `HEAPSIGHT_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
    .optional(),
  S3_ENDPOINT: z.string().url('S3_ENDPOINT must be a URL').optional(),
  HEAPSIGHT_PUBLIC_URL: z.string().url('HEAPSIGHT_PUBLIC_URL must be a URL').optional(),
  AWS_REGION: z.string().optional(),
});

/** Reads the configuration; throws a BAD_CONFIG error naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const picked = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const r = schema.safeParse(picked);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new HeapsightError('BAD_CONFIG', `invalid configuration: ${issue.message} (${String(issue.path[0])})`);
  }
  const e = r.data;
  const storageUrl = e.HEAPSIGHT_STORAGE ?? `file://${path.resolve('data')}`;
  let storage: StorageConfig;
  if (storageUrl.startsWith('file://')) {
    storage = { kind: 'file', root: path.resolve(storageUrl.slice('file://'.length) || '.') };
  } else {
    const rest = storageUrl.slice('s3://'.length);
    const slash = rest.indexOf('/');
    const bucket = slash < 0 ? rest : rest.slice(0, slash);
    const prefix = slash < 0 ? '' : rest.slice(slash + 1).replace(/\/+$/, '');
    storage = {
      kind: 's3',
      bucket,
      prefix: prefix ? prefix + '/' : '',
      endpoint: e.S3_ENDPOINT,
      region: e.AWS_REGION ?? 'us-east-1',
    };
  }
  return {
    port: e.PORT ?? 8080,
    redisUrl: e.REDIS_URL ?? 'redis://127.0.0.1:6379',
    storage,
    adminToken: e.HEAPSIGHT_ADMIN_TOKEN ?? null,
    maxUploadBytes: e.HEAPSIGHT_MAX_UPLOAD_BYTES ?? 8 * 1024 ** 3,
    webhookAllowHosts: (e.HEAPSIGHT_WEBHOOK_ALLOW_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    publicUrl: e.HEAPSIGHT_PUBLIC_URL ? e.HEAPSIGHT_PUBLIC_URL.replace(/\/+$/, '') : null,
    logLevel: e.HEAPSIGHT_LOG_LEVEL ?? 'info',
    analyzer: {
      concurrency: e.HEAPSIGHT_ANALYZER_CONCURRENCY ?? Math.max(1, Math.floor(os.availableParallelism() / 2)),
      maxMemoryMb: e.HEAPSIGHT_MAX_MEMORY_MB,
      threadsPerTask: e.HEAPSIGHT_THREADS,
      jobLockMs: e.HEAPSIGHT_JOB_LOCK_MS ?? 30_000,
      memoryBudgetMb: e.HEAPSIGHT_MEMORY_BUDGET_MB ?? Math.floor((0.75 * os.totalmem()) / 2 ** 20),
    },
  };
}
