import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { Ajv } from 'ajv';
import ajvErrors from 'ajv-errors';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { newId } from '../../shared/service/store.js';
import type { ApiDeps } from './deps.js';
import { auth } from './plugins/auth.js';
import { errors } from './plugins/errors.js';
import { openapi } from './plugins/openapi.js';
import { analysisRoutes } from './routes/analyses.js';
import { healthRoutes } from './routes/health.js';
import { projectRoutes } from './routes/projects.js';
import { scheduleRoutes } from './routes/schedules.js';
import { snapshotRoutes } from './routes/snapshots.js';
import { webhookRoutes } from './routes/webhooks.js';

export type { ApiDeps } from './deps.js';

/** ajv-errors, which reads the schemas' `errorMessage` (CommonJS: its plugin is the module's `default`). */
const errorMessages = (ajv: Ajv) => ajvErrors.default(ajv);

/**
 * The HTTP API: fastify with its plugins, each route group a plugin of its own. Requests are checked in this order:
 * the bearer token (auth.ts, onRequest), then the route's schema for params, query and body (messages from the
 * schemas' `errorMessage`), then the handler. Every error answers `{error: "one line"}` (errors.ts). `logger`: the
 * process's (each request logged with its id, from X-Request-Id or made here); none by default (tests).
 */
export function buildApi(deps: ApiDeps, logger?: FastifyBaseLogger): FastifyInstance {
  const app = Fastify<Server, IncomingMessage, ServerResponse, FastifyBaseLogger>({
    loggerInstance: logger,
    bodyLimit: 1 << 20,
    forceCloseConnections: 'idle',
    requestIdHeader: 'x-request-id',
    genReqId: () => newId('req'),
    ajv: { customOptions: { allErrors: true }, plugins: [errorMessages] },
    // a request that fails its schema answers with the schema's message for what failed first
    schemaErrorFormatter: (errs, dataVar) => {
      const e = errs[0];
      return new Error(e.keyword === 'errorMessage' ? e.message : `${dataVar}${e.instancePath} ${e.message}`);
    },
  }).withTypeProvider<JsonSchemaToTsProvider>();
  // every answer says which request it was, as the log does
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.register(errors);
  app.register(openapi);
  app.register(auth, { adminToken: deps.config.adminToken, store: deps.store });
  for (const routes of [healthRoutes, projectRoutes, snapshotRoutes, analysisRoutes, scheduleRoutes, webhookRoutes]) {
    app.register(routes, deps);
  }
  return app;
}
