import type { Readable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../../shared/service/config.js';
import type { Storage } from '../../shared/service/storage.js';
import { HeapsightError } from '../../shared/errors.js';
import { keys, newAnalysis, newId, Store } from '../../shared/service/store.js';
import {
  ANALYSIS_JOB_OPTIONS,
  ANALYSIS_QUEUE,
  DELIVERY_QUEUE,
  type AnalysisJob,
  type ScheduleJob,
} from '../../shared/service/queues.js';
import { EVENTS, refuseUrl, type WebhookEvent } from '../../shared/service/webhooks.js';
import { durationHistogram, metricsRegistry } from './metrics.js';
import { openApi } from './openapi.js';

const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const REPORT_TYPES: Record<string, string> = {
  'report.json': 'application/json; charset=utf-8',
  'report.md': 'text/markdown; charset=utf-8',
  'report.html': 'text/html; charset=utf-8',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Redis or storage could not be reached: the request fails with 503, the message says which. */
function unavailable(err: unknown): HttpError | null {
  const e = err as { code?: string; message?: string; name?: string };
  const msg = String(e?.message ?? '');
  if (
    /ECONNREFUSED|ETIMEDOUT|ENOTFOUND|Connection is closed|max retries|Stream isn't writeable/i.test(msg) ||
    e?.code === 'ECONNREFUSED'
  ) {
    return new HttpError(503, `a backing service is unavailable: ${msg.split('\n')[0]}`);
  }
  return null;
}

/**
 * After refusing an upload, read (and drop) what the client is still sending, so that it gets to read the 413;
 * a client that keeps sending past 64 MB or 10 s more is cut off.
 */
function drain(req: FastifyRequest): void {
  const raw = req.raw;
  if (raw.readableEnded || raw.destroyed) return;
  let more = 0;
  const cut = setTimeout(() => raw.socket?.destroy(), 10_000);
  cut.unref();
  raw.on('data', (d: Buffer) => {
    more += d.length;
    if (more > 64 << 20) raw.socket?.destroy();
  });
  raw.on('end', () => clearTimeout(cut));
  raw.on('close', () => clearTimeout(cut));
  raw.resume();
}

export interface ApiDeps {
  config: Config;
  redis: Redis;
  storage: Storage;
  queue: Queue<AnalysisJob>;
  schedules: Queue<ScheduleJob>;
}

export function buildApi({ config, redis, storage, queue, schedules }: ApiDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1 << 20, forceCloseConnections: 'idle' });
  const store = new Store(redis);

  // snapshots arrive as raw bytes and are streamed, never buffered
  app.addContentTypeParser(
    ['application/octet-stream', 'application/gzip', 'application/x-gzip'],
    (_req, payload, done) => done(null, payload),
  );

  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof HttpError) {
      if (err.status === 413) {
        // refused before reading: let the client finish sending so it reads the answer; refused while streaming
        // (the body was cut): close the connection after answering, it is of no further use
        if (_req.raw.destroyed || _req.raw.readableAborted || _req.raw.errored) reply.header('connection', 'close');
        else drain(_req);
      }
      return reply.code(err.status).send({ error: err.message });
    }
    const down = unavailable(err);
    if (down) return reply.code(503).send({ error: down.message });
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: err.message });
    return reply.code(500).send({ error: `internal error: ${err.message.split('\n')[0]}` });
  });

  const bearer = (req: FastifyRequest) => {
    const h = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    return m ? m[1] : null;
  };
  const isAdmin = (token: string | null) => Boolean(config.adminToken && token && token === config.adminToken);
  const admin = (req: FastifyRequest) => {
    const token = bearer(req);
    if (!token) throw new HttpError(401, 'a bearer token is required');
    if (!isAdmin(token)) throw new HttpError(403, 'this needs the admin token');
  };
  /** The project of the route, when the token may see it; anything else is 404, no token 401. */
  const project = async (req: FastifyRequest, scope: string): Promise<string> => {
    const token = bearer(req);
    if (!token) throw new HttpError(401, 'a bearer token is required');
    const name = (req.params as { p: string }).p;
    if (!isAdmin(token)) {
      const rec = await store.tokenRecord(token);
      if (!rec) throw new HttpError(401, 'unknown token');
      if (rec.project !== name) throw new HttpError(404, `no project ${name}`);
      if (!rec.scopes.includes(scope) && !rec.scopes.includes('*'))
        throw new HttpError(403, `the token lacks the ${scope} scope`);
    }
    if (!(await store.getProject(name))) throw new HttpError(404, `no project ${name}`);
    return name;
  };

  const deliveries = new Queue(DELIVERY_QUEUE, { connection: queue.opts.connection });
  deliveries.on('error', () => undefined);
  app.addHook('onClose', async () => {
    await deliveries.close();
  });
  const registry = metricsRegistry(redis, [queue, schedules, deliveries]);
  app.get('/metrics', async (_req, reply) => {
    const text = (await registry.metrics()) + (await durationHistogram(redis));
    return reply.type(registry.contentType).send(text);
  });
  app.get('/openapi.json', async () => openApi);

  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_req, reply) => {
    const checks: Record<string, string> = {};
    try {
      await redis.ping();
      checks.redis = 'ok';
    } catch (e) {
      checks.redis = (e as Error).message;
    }
    try {
      await storage.ping();
      checks.storage = 'ok';
    } catch (e) {
      checks.storage = (e as Error).message;
    }
    const ok = Object.values(checks).every((v) => v === 'ok');
    return reply.code(ok ? 200 : 503).send({ ok, checks });
  });

  app.post('/v1/projects', async (req, reply) => {
    admin(req);
    const name = (req.body as { name?: unknown } | null)?.name;
    if (typeof name !== 'string' || !NAME.test(name))
      throw new HttpError(400, 'name must be 1-63 characters: a-z, 0-9, ".", "_" or "-"');
    if (!(await store.createProject(name))) throw new HttpError(409, `project ${name} exists`);
    return reply.code(201).send({ name });
  });

  app.post('/v1/projects/:p/tokens', async (req, reply) => {
    admin(req);
    const name = (req.params as { p: string }).p;
    if (!(await store.getProject(name))) throw new HttpError(404, `no project ${name}`);
    const scopes = (req.body as { scopes?: unknown } | null)?.scopes ?? ['*'];
    if (
      !Array.isArray(scopes) ||
      !scopes.every((s) => typeof s === 'string' && ['*', 'upload', 'read', 'analyze'].includes(s))
    ) {
      throw new HttpError(400, 'scopes must be a list of "upload", "read", "analyze" or "*"');
    }
    return reply.code(201).send({ token: await store.createToken(name, scopes as string[]) });
  });

  app.put('/v1/projects/:p/snapshots', { bodyLimit: Number.MAX_SAFE_INTEGER }, async (req, reply) => {
    const p = await project(req, 'upload');
    const q = req.query as { series?: string; label?: string };
    const series = q.series ?? 'default';
    if (!NAME.test(series)) throw new HttpError(400, 'series must be 1-63 characters: a-z, 0-9, ".", "_" or "-"');
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > config.maxUploadBytes)
      throw new HttpError(413, `the upload is ${declared} bytes; the limit is ${config.maxUploadBytes}`);
    const body = req.body as Readable | undefined;
    if (!body || typeof (body as Readable).pipe !== 'function')
      throw new HttpError(415, 'send the snapshot as application/octet-stream');
    const id = newId('snap');
    const key = keys.snapshot(p, id);
    let meta;
    try {
      meta = await storage.put(key, body, config.maxUploadBytes);
    } catch (err) {
      if (err instanceof HeapsightError && err.code === 'UPLOAD_TOO_LARGE') throw new HttpError(413, err.message);
      throw err;
    }
    if (meta.size === 0) {
      await storage.delete(key);
      throw new HttpError(400, 'the upload is empty');
    }
    await store.addSnapshot({
      id,
      project: p,
      series,
      label: q.label ?? null,
      size: meta.size,
      sha256: meta.sha256,
      key,
      createdAt: new Date().toISOString(),
    });
    return reply.code(201).send({ id, size: meta.size, sha256: meta.sha256 });
  });

  app.get('/v1/projects/:p/snapshots', async (req) => {
    const p = await project(req, 'read');
    const series = (req.query as { series?: string }).series;
    const list = await store.listSnapshots(p, series);
    return { snapshots: list.map(({ key: _key, ...s }) => s) };
  });

  app.post('/v1/projects/:p/analyses', async (req, reply) => {
    const p = await project(req, 'analyze');
    const ids = (req.body as { snapshots?: unknown } | null)?.snapshots;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x) => typeof x === 'string')) {
      throw new HttpError(400, 'snapshots must be a non-empty list of snapshot ids, oldest first');
    }
    for (const id of ids as string[])
      if (!(await store.getSnapshot(p, id))) throw new HttpError(400, `no snapshot ${id} in project ${p}`);
    const rec = newAnalysis(p, ids as string[]);
    await store.putAnalysis(rec);
    await queue.add(rec.kind, { project: p, analysis: rec.id }, { jobId: rec.id, ...ANALYSIS_JOB_OPTIONS });
    return reply.code(202).send({ id: rec.id });
  });

  app.get('/v1/projects/:p/analyses', async (req) => {
    const p = await project(req, 'read');
    return {
      analyses: (await store.listAnalyses(p)).map((a) => ({
        id: a.id,
        kind: a.kind,
        status: a.status,
        snapshots: a.snapshots,
        schedule: a.schedule ?? null,
        createdAt: a.createdAt,
      })),
    };
  });

  app.put('/v1/projects/:p/schedules/:name', async (req, reply) => {
    const p = await project(req, '*');
    const name = (req.params as { name: string }).name;
    if (!NAME.test(name)) throw new HttpError(400, 'name must be 1-63 characters: a-z, 0-9, ".", "_" or "-"');
    const b = (req.body ?? {}) as { cron?: unknown; tz?: unknown; series?: unknown };
    if (typeof b.cron !== 'string' || !/^\S+(\s+\S+){4,5}$/.test(b.cron.trim()))
      throw new HttpError(400, 'cron must be a cron expression of 5 or 6 fields');
    const tz = typeof b.tz === 'string' ? b.tz : 'UTC';
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
    } catch {
      throw new HttpError(400, `unknown time zone ${tz}`);
    }
    if (typeof b.series !== 'string' || !NAME.test(b.series)) throw new HttpError(400, 'series is required');
    const old = await store.schedule(p, name);
    try {
      await schedules.upsertJobScheduler(
        `${p}/${name}`,
        { pattern: b.cron.trim(), tz },
        { name: 'run', data: { project: p, schedule: name } },
      );
    } catch (err) {
      throw new HttpError(400, `bad cron: ${(err as Error).message.split('\n')[0]}`);
    }
    await store.putSchedule({
      project: p,
      name,
      cron: b.cron.trim(),
      tz,
      series: b.series,
      createdAt: old?.createdAt ?? new Date().toISOString(),
      lastSnapshot: old?.series === b.series ? old.lastSnapshot : null,
      lastRun: old?.lastRun ?? null,
      lastAnalysis: old?.lastAnalysis ?? null,
    });
    return reply.code(old ? 200 : 201).send({ name, cron: b.cron.trim(), tz, series: b.series });
  });

  app.get('/v1/projects/:p/schedules/:name', async (req) => {
    const p = await project(req, 'read');
    const s = await store.schedule(p, (req.params as { name: string }).name);
    if (!s) throw new HttpError(404, 'no such schedule');
    return s;
  });

  app.delete('/v1/projects/:p/schedules/:name', async (req, reply) => {
    const p = await project(req, '*');
    const name = (req.params as { name: string }).name;
    if (!(await store.deleteSchedule(p, name))) throw new HttpError(404, 'no such schedule');
    await schedules.removeJobScheduler(`${p}/${name}`);
    return reply.code(204).send();
  });

  app.get('/v1/projects/:p/analyses/:id', async (req) => {
    const p = await project(req, 'read');
    const a = await store.getAnalysis(p, (req.params as { id: string }).id);
    if (!a) throw new HttpError(404, 'no such analysis');
    return {
      id: a.id,
      kind: a.kind,
      snapshots: a.snapshots,
      status: a.status,
      progress: a.progress,
      error: a.error,
      reports: a.reports.map((f) => `/v1/projects/${p}/analyses/${a.id}/${f}`),
      verdict: a.verdict,
      runner: a.runner ?? null,
      createdAt: a.createdAt,
      finishedAt: a.finishedAt,
    };
  });

  app.put('/v1/projects/:p/webhooks/:name', async (req, reply) => {
    const p = await project(req, '*');
    const name = (req.params as { name: string }).name;
    if (!NAME.test(name)) throw new HttpError(400, 'name must be 1-63 characters: a-z, 0-9, ".", "_" or "-"');
    const b = (req.body ?? {}) as { url?: unknown; secret?: unknown; events?: unknown };
    if (typeof b.url !== 'string') throw new HttpError(400, 'url is required');
    if (typeof b.secret !== 'string' || b.secret.length < 16)
      throw new HttpError(400, 'secret must be at least 16 characters');
    const events = b.events ?? [...EVENTS];
    if (!Array.isArray(events) || !events.length || !events.every((e) => (EVENTS as readonly string[]).includes(e))) {
      throw new HttpError(400, `events must be a list of ${EVENTS.join(', ')}`);
    }
    const why = await refuseUrl(b.url, config.webhookAllowHosts);
    if (why) throw new HttpError(400, why);
    const existed = Boolean(await store.webhook(p, name));
    await store.putWebhook(p, {
      name,
      url: b.url,
      secret: b.secret,
      events: events as WebhookEvent[],
      createdAt: new Date().toISOString(),
    });
    return reply.code(existed ? 200 : 201).send({ name, url: b.url, events });
  });

  app.get('/v1/projects/:p/webhooks', async (req) => {
    const p = await project(req, 'read');
    return { webhooks: (await store.webhooks(p)).map(({ secret: _s, ...w }) => w) };
  });

  app.delete('/v1/projects/:p/webhooks/:name', async (req, reply) => {
    const p = await project(req, '*');
    if (!(await store.deleteWebhook(p, (req.params as { name: string }).name)))
      throw new HttpError(404, 'no such webhook');
    return reply.code(204).send();
  });

  app.get('/v1/projects/:p/analyses/:id/:file', async (req, reply: FastifyReply) => {
    const p = await project(req, 'read');
    const { id, file } = req.params as { id: string; file: string };
    const type = REPORT_TYPES[file];
    const a = await store.getAnalysis(p, id);
    if (!a || !type) throw new HttpError(404, 'no such report');
    if (!a.reports.includes(file))
      throw new HttpError(404, a.status === 'completed' ? 'no such report' : `the analysis is ${a.status}`);
    try {
      const stream = await storage.get(keys.report(p, id, file));
      return reply.type(type).send(stream);
    } catch (err) {
      if (err instanceof HeapsightError && err.code === 'NOT_FOUND') throw new HttpError(404, 'no such report');
      throw err;
    }
  });

  return app;
}

export { ANALYSIS_QUEUE };
