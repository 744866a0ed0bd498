import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { VERSION } from '../../../shared/version.js';

/**
 * The OpenAPI 3.1 description of the routes, made by @fastify/swagger from the same schemas fastify validates
 * requests with, and served at /openapi.json. Registered before the routes, so it sees each as it is added.
 */
export const openapi = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'heapsight',
        version: VERSION,
        description: 'Heap snapshot analysis as a service: upload, analyse, diff, schedule, notify.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: ({ schema, url }) => ({ schema: described(schema) as typeof schema, url }),
  });
});

/**
 * A route's schema as the description shows it: a body fastify does not check (the snapshot's raw bytes, declared as
 * `rawBody` with its content types) described as the body, and without ajv-errors' messages, which are for answers.
 */
function described(schema: unknown): unknown {
  const { rawBody, ...rest } = (schema ?? {}) as { rawBody?: { content: string[]; schema: object } };
  return withoutMessages(rawBody ? { ...rest, body: rawBody.schema, consumes: rawBody.content } : rest);
}

/** A schema without its `errorMessage` keywords (not OpenAPI's), however deep. */
function withoutMessages(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutMessages);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => k !== 'errorMessage')
      .map(([k, x]) => [k, withoutMessages(x)]),
  );
}
