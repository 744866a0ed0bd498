import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { fromRedis } from '../../../shared/service/store.js';
import type { ApiDeps } from '../deps.js';
import { durationHistogram, metricsRegistry } from '../metrics.js';
import { answer } from '../schemas.js';

/** Liveness, readiness, Prometheus metrics and the OpenAPI description: no token needed. */
export const healthRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: ApiDeps }> = async (app, deps) => {
  const { redis, storage, queues } = deps;
  const registry = metricsRegistry(redis, [queues.analyses, queues.schedules, queues.deliveries]);

  app.get('/healthz', { schema: { summary: 'Alive', response: { 200: answer('{ok: true}') } } }, async () => ({
    ok: true,
  }));

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Redis and storage reachable',
        response: { 200: answer('{ok, checks}'), 503: answer('{ok: false, checks}: what cannot be reached') },
      },
    },
    async (_req, reply) => {
      const checks: Record<string, string> = {};
      const check = async (name: string, ping: () => Promise<unknown>) => {
        try {
          await ping();
          checks[name] = 'ok';
        } catch (e) {
          checks[name] = (e as Error).message;
        }
      };
      await check('redis', () => redis.ping());
      await check('storage', () => storage.ping());
      const ok = Object.values(checks).every((v) => v === 'ok');
      return reply.code(ok ? 200 : 503).send({ ok, checks });
    },
  );

  app.get(
    '/metrics',
    { schema: { summary: 'Prometheus metrics', produces: ['text/plain'], response: { 200: { type: 'string' } } } },
    async (_req, reply) => {
      try {
        const text = (await registry.metrics()) + (await durationHistogram(redis));
        return reply.type(registry.contentType).send(text);
      } catch (err) {
        throw fromRedis(err);
      }
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
};
