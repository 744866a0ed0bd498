import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { HeapsightError } from '../../../shared/errors.js';
import type { ApiDeps } from '../deps.js';
import { SCOPES } from '../plugins/auth.js';
import { answer, authAnswers, bearer, errorAnswer, name, projectParams } from '../schemas.js';

/** Projects and their tokens: the admin's. */
export const projectRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: ApiDeps }> = async (app, { store }) => {
  app.post(
    '/v1/projects',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Create a project',
        description: 'Needs the admin token (HEAPSIGHT_ADMIN_TOKEN).',
        security: bearer,
        body: {
          type: 'object',
          properties: { name: name('name') },
          required: ['name'],
          errorMessage: { required: { name: 'name is required' } },
        },
        response: {
          201: answer('{name}'),
          400: { ...errorAnswer, description: 'a bad name' },
          409: { ...errorAnswer, description: 'the project exists' },
          ...authAnswers,
        },
      },
    },
    async (req, reply) => {
      const { name } = req.body;
      if (!(await store.createProject(name))) throw new HeapsightError('CONFLICT', `project ${name} exists`);
      return reply.code(201).send({ name });
    },
  );

  app.post(
    '/v1/projects/:p/tokens',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Create a project token (shown once, stored as its sha256)',
        description: 'Needs the admin token. Scopes: upload, read, analyze, or * for all (the default).',
        security: bearer,
        params: projectParams,
        body: {
          type: 'object',
          properties: {
            scopes: {
              type: 'array',
              items: { type: 'string', enum: SCOPES },
              errorMessage: 'scopes must be a list of "upload", "read", "analyze" or "*"',
            },
          },
        },
        response: { 201: answer('{token}'), ...authAnswers },
      },
    },
    async (req, reply) => {
      const p = req.params.p;
      if (!(await store.getProject(p))) throw new HeapsightError('NOT_FOUND', `no project ${p}`);
      const scopes = req.body?.scopes ?? ['*'];
      return reply.code(201).send({ token: await store.createToken(p, scopes) });
    },
  );
};
