import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { HeapsightError } from '../../../shared/errors.js';
import { EVENTS, refuseUrl } from '../../../shared/service/webhooks.js';
import type { ApiDeps } from '../deps.js';
import { answer, authAnswers, bearer, errorAnswer, name, projectParams } from '../schemas.js';

/** The project and the webhook's name: checked when it is made, any name else (an unknown one is not found). */
const webhookParamsNew = {
  type: 'object',
  properties: { ...projectParams.properties, name: name('name') },
  required: ['p', 'name'],
} as const;
const webhookParams = {
  type: 'object',
  properties: { ...projectParams.properties, name: { type: 'string', description: 'the webhook' } },
  required: ['p', 'name'],
} as const;

/** Webhooks: signed POSTs to a URL on the events asked for (see services/analyzer/deliveries.ts). */
export const webhookRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: ApiDeps }> = async (app, deps) => {
  const { config, store } = deps;

  app.put(
    '/v1/projects/:p/webhooks/:name',
    {
      config: { access: { project: '*' } },
      schema: {
        summary: 'Create or replace a webhook',
        description:
          'Refused when its host is a private or loopback address not listed in HEAPSIGHT_WEBHOOK_ALLOW_HOSTS. ' +
          `Events: ${EVENTS.join(', ')} (all by default).`,
        security: bearer,
        params: webhookParamsNew,
        body: {
          type: 'object',
          properties: {
            url: { type: 'string', errorMessage: 'url is required' },
            secret: { type: 'string', minLength: 16, errorMessage: 'secret must be at least 16 characters' },
            events: {
              type: 'array',
              items: { type: 'string', enum: EVENTS },
              minItems: 1,
              errorMessage: `events must be a list of ${EVENTS.join(', ')}`,
            },
          },
          required: ['url', 'secret'],
          errorMessage: {
            required: { url: 'url is required', secret: 'secret must be at least 16 characters' },
          },
        },
        response: {
          200: answer('{name, url, events}: replaced'),
          201: answer('{name, url, events}: created'),
          400: { ...errorAnswer, description: 'a bad URL, a private host or an unknown event' },
          ...authAnswers,
        },
      },
    },
    async (req, reply) => {
      const { p, name } = req.params;
      const { url, secret } = req.body;
      const events = req.body.events ?? [...EVENTS];
      const why = await refuseUrl(url, config.webhookAllowHosts);
      if (why) throw new HeapsightError('BAD_REQUEST', why);
      const existed = Boolean(await store.webhook(p, name));
      await store.putWebhook(p, { name, url, secret, events, createdAt: new Date().toISOString() });
      return reply.code(existed ? 200 : 201).send({ name, url, events });
    },
  );

  app.get(
    '/v1/projects/:p/webhooks',
    {
      config: { access: { project: 'read' } },
      schema: {
        summary: 'List the webhooks (without their secrets)',
        security: bearer,
        params: projectParams,
        response: { 200: answer('{webhooks: [{name, url, events, createdAt}]}'), ...authAnswers },
      },
    },
    async (req) => ({ webhooks: (await store.webhooks(req.params.p)).map(({ secret: _s, ...w }) => w) }),
  );

  app.delete(
    '/v1/projects/:p/webhooks/:name',
    {
      config: { access: { project: '*' } },
      schema: {
        summary: 'Remove a webhook',
        security: bearer,
        params: webhookParams,
        response: { 204: { description: 'removed' }, ...authAnswers },
      },
    },
    async (req, reply) => {
      if (!(await store.deleteWebhook(req.params.p, req.params.name))) {
        throw new HeapsightError('NOT_FOUND', 'no such webhook');
      }
      return reply.code(204).send();
    },
  );
};
