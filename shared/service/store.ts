import crypto from 'node:crypto';
import { ReplyError, type Redis } from 'ioredis';
import { HeapsightError } from '../errors.js';
import type { Webhook } from './webhooks.js';

/**
 * What the service knows besides the objects in storage: projects, hashed tokens, snapshots and analyses, in
 * Redis (the same Redis BullMQ uses), as JSON values under `hs:` keys.
 */
export interface Project {
  name: string;
  createdAt: string;
}
export interface TokenRecord {
  project: string;
  scopes: string[];
  createdAt: string;
}
export interface SnapshotRecord {
  id: string;
  project: string;
  series: string;
  label: string | null;
  size: number;
  sha256: string;
  key: string;
  createdAt: string;
}
export type AnalysisStatus = 'queued' | 'running' | 'completed' | 'failed';
export interface AnalysisRecord {
  id: string;
  project: string;
  kind: 'analyze' | 'diff';
  snapshots: string[];
  status: AnalysisStatus;
  progress: number;
  error: string | null;
  /** Report names available (report.json, report.md, report.html). */
  reports: string[];
  /** The suspects in one sentence each, when it was a diff. */
  verdict: string[];
  /** The analyzer process running (or that last ran) it: host:pid. */
  runner?: string;
  /** The schedule that started it, if one did. */
  schedule?: string;
  createdAt: string;
  finishedAt: string | null;
}

export const newId = (prefix: string) => `${prefix}_${crypto.randomBytes(9).toString('base64url')}`;
export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export class Store {
  constructor(readonly redis: Redis) {}

  private async getJson<T>(key: string): Promise<T | null> {
    const v = await this.redis.get(key);
    return v === null ? null : (JSON.parse(v) as T);
  }

  getProject(name: string) {
    return this.getJson<Project>(`hs:project:${name}`);
  }

  /** Creates a project; false when it exists already. */
  async createProject(name: string): Promise<boolean> {
    const p: Project = { name, createdAt: new Date().toISOString() };
    return (await this.redis.set(`hs:project:${name}`, JSON.stringify(p), 'NX')) === 'OK';
  }

  /** A new token for a project: returned once, stored only as its hash. */
  async createToken(project: string, scopes: string[]): Promise<string> {
    const token = `hst_${crypto.randomBytes(24).toString('base64url')}`;
    const rec: TokenRecord = { project, scopes, createdAt: new Date().toISOString() };
    await this.redis.set(`hs:token:${hashToken(token)}`, JSON.stringify(rec));
    return token;
  }

  tokenRecord(token: string) {
    return this.getJson<TokenRecord>(`hs:token:${hashToken(token)}`);
  }

  async addSnapshot(s: SnapshotRecord): Promise<void> {
    await this.redis
      .multi()
      .set(`hs:snapshot:${s.project}:${s.id}`, JSON.stringify(s))
      .rpush(`hs:snapshots:${s.project}`, s.id)
      .rpush(`hs:series:${s.project}:${s.series}`, s.id)
      .exec();
  }

  getSnapshot(project: string, id: string) {
    return this.getJson<SnapshotRecord>(`hs:snapshot:${project}:${id}`);
  }

  async listSnapshots(project: string, series?: string): Promise<SnapshotRecord[]> {
    const ids = await this.redis.lrange(series ? `hs:series:${project}:${series}` : `hs:snapshots:${project}`, 0, -1);
    if (!ids.length) return [];
    const vals = await this.redis.mget(ids.map((id) => `hs:snapshot:${project}:${id}`));
    return vals.filter((v): v is string => v !== null).map((v) => JSON.parse(v));
  }

  async putWebhook(project: string, w: Webhook): Promise<void> {
    await this.redis.hset(`hs:webhooks:${project}`, w.name, JSON.stringify(w));
  }

  async webhooks(project: string): Promise<Webhook[]> {
    return Object.values(await this.redis.hgetall(`hs:webhooks:${project}`)).map((v) => JSON.parse(v));
  }

  async webhook(project: string, name: string): Promise<Webhook | null> {
    const v = await this.redis.hget(`hs:webhooks:${project}`, name);
    return v === null ? null : JSON.parse(v);
  }

  async deleteWebhook(project: string, name: string): Promise<boolean> {
    return (await this.redis.hdel(`hs:webhooks:${project}`, name)) > 0;
  }

  async putAnalysis(a: AnalysisRecord): Promise<void> {
    await this.redis
      .multi()
      .set(`hs:analysis:${a.project}:${a.id}`, JSON.stringify(a))
      .zadd(`hs:analyses:${a.project}`, 'NX', Date.parse(a.createdAt), a.id)
      .exec();
  }

  /** The project's analyses, newest first. */
  async listAnalyses(project: string, limit = 100): Promise<AnalysisRecord[]> {
    const ids = await this.redis.zrevrange(`hs:analyses:${project}`, 0, limit - 1);
    if (!ids.length) return [];
    const vals = await this.redis.mget(ids.map((id) => `hs:analysis:${project}:${id}`));
    return vals.filter((v): v is string => v !== null).map((v) => JSON.parse(v));
  }

  async putSchedule(s: Schedule): Promise<void> {
    await this.redis.hset(`hs:schedules:${s.project}`, s.name, JSON.stringify(s));
  }

  async schedule(project: string, name: string): Promise<Schedule | null> {
    const v = await this.redis.hget(`hs:schedules:${project}`, name);
    return v === null ? null : JSON.parse(v);
  }

  async deleteSchedule(project: string, name: string): Promise<boolean> {
    return (await this.redis.hdel(`hs:schedules:${project}`, name)) > 0;
  }

  getAnalysis(project: string, id: string) {
    return this.getJson<AnalysisRecord>(`hs:analysis:${project}:${id}`);
  }

  async updateAnalysis(project: string, id: string, change: Partial<AnalysisRecord>): Promise<AnalysisRecord | null> {
    const a = await this.getAnalysis(project, id);
    if (!a) return null;
    const next = { ...a, ...change };
    await this.putAnalysis(next);
    return next;
  }
}

// Every method's failure to reach Redis is said as UNAVAILABLE (see `fromRedis`), so the API answers 503.
for (const name of Object.getOwnPropertyNames(Store.prototype)) {
  const method = Reflect.get(Store.prototype, name);
  if (name === 'constructor' || typeof method !== 'function') continue;
  Reflect.set(Store.prototype, name, function (this: Store, ...args: unknown[]) {
    return Promise.resolve(method.apply(this, args)).catch((err: unknown) => {
      throw fromRedis(err);
    });
  });
}

/**
 * A failure of a Redis call as the user is told it: an error Redis answered with (a wrong command: a fault of the
 * program) as it is; anything else (no connection, no retries left, the client closed) as UNAVAILABLE.
 */
export function fromRedis(err: unknown): unknown {
  if (err instanceof ReplyError || err instanceof HeapsightError) return err;
  const message = String((err as Error)?.message ?? err).split('\n')[0];
  return new HeapsightError('UNAVAILABLE', `Redis is unavailable: ${message}`, { cause: err });
}

/** Storage keys: everything of a project under its name. */
export const keys = {
  snapshot: (project: string, id: string) => `projects/${project}/snapshots/${id}.heapsnapshot`,
  report: (project: string, analysis: string, file: string) => `projects/${project}/analyses/${analysis}/${file}`,
};

/** A schedule: the series' new snapshots analysed on a cron, diffed against the previous run's last snapshot. */
export interface Schedule {
  project: string;
  name: string;
  cron: string;
  tz: string;
  series: string;
  createdAt: string;
  /** The last snapshot the previous run covered: the next run starts from it. */
  lastSnapshot: string | null;
  lastRun: string | null;
  lastAnalysis: string | null;
}

/** A new analysis record over `snapshots` (oldest first): an analyze for one, a diff for several. */
export function newAnalysis(project: string, snapshots: string[], extra: Partial<AnalysisRecord> = {}): AnalysisRecord {
  return {
    id: newId('an'),
    project,
    kind: snapshots.length === 1 ? 'analyze' : 'diff',
    snapshots,
    status: 'queued',
    progress: 0,
    error: null,
    reports: [],
    verdict: [],
    createdAt: new Date().toISOString(),
    finishedAt: null,
    ...extra,
  };
}
