import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { HeapsightError } from '../../../shared/errors.js';
import { keys, newId } from '../../../shared/service/store.js';
import type { ApiDeps } from '../deps.js';
import { answer, authAnswers, bearer, errorAnswer, name, projectParams } from '../schemas.js';

/** Content types a snapshot may be sent as: its raw bytes, gzip or not. */
const SNAPSHOT_TYPES = ['application/octet-stream', 'application/gzip', 'application/x-gzip'];

/** Snapshots: uploaded as raw bytes, streamed to storage (never buffered), and listed. */
export const snapshotRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: ApiDeps }> = async (app, deps) => {
  const { config, store, storage } = deps;
  // the body is handed to the route as the stream it is
  app.addContentTypeParser(SNAPSHOT_TYPES, (_req, payload, done) => done(null, payload));

  app.put(
    '/v1/projects/:p/snapshots',
    {
      bodyLimit: Number.MAX_SAFE_INTEGER,
      config: { access: { project: 'upload' } },
      schema: {
        summary: 'Upload a snapshot',
        description: 'The raw snapshot as the body (gzip or not), streamed to storage with its size and sha256.',
        security: bearer,
        params: projectParams,
        querystring: {
          type: 'object',
          properties: { series: name('series'), label: { type: 'string', maxLength: 200 } },
        },
        rawBody: {
          content: SNAPSHOT_TYPES,
          schema: { type: 'string', format: 'binary', description: 'the .heapsnapshot file, gzip or not' },
        },
        response: {
          201: answer('{id, size, sha256}'),
          400: { ...errorAnswer, description: 'an empty upload' },
          413: { ...errorAnswer, description: 'over HEAPSIGHT_MAX_UPLOAD_BYTES: nothing is stored' },
          415: { ...errorAnswer, description: 'not sent as application/octet-stream or application/gzip' },
          ...authAnswers,
        },
      },
      // refused before a byte of the body is read
      preParsing: async (req) => {
        const type = String(req.headers['content-type'] ?? '')
          .split(';')[0]
          .trim();
        if (!SNAPSHOT_TYPES.includes(type)) {
          throw new HeapsightError('UNSUPPORTED_MEDIA_TYPE', 'send the snapshot as application/octet-stream');
        }
        const declared = Number(req.headers['content-length'] ?? NaN);
        if (declared > config.maxUploadBytes) {
          const why = `the upload is ${declared} bytes; the limit is ${config.maxUploadBytes}`;
          throw new HeapsightError('UPLOAD_TOO_LARGE', why);
        }
      },
    },
    async (req, reply) => {
      const p = req.params.p;
      const series = req.query.series ?? 'default';
      const id = newId('snap');
      const key = keys.snapshot(p, id);
      const meta = await storage.put(key, req.body as Readable, config.maxUploadBytes);
      if (meta.size === 0) {
        await storage.delete(key);
        throw new HeapsightError('BAD_REQUEST', 'the upload is empty');
      }
      await store.addSnapshot({
        id,
        project: p,
        series,
        label: req.query.label ?? null,
        size: meta.size,
        sha256: meta.sha256,
        key,
        createdAt: new Date().toISOString(),
      });
      return reply.code(201).send({ id, size: meta.size, sha256: meta.sha256 });
    },
  );

  app.get(
    '/v1/projects/:p/snapshots',
    {
      config: { access: { project: 'read' } },
      schema: {
        summary: 'List snapshots, in upload order',
        security: bearer,
        params: projectParams,
        querystring: { type: 'object', properties: { series: name('series') } },
        response: { 200: answer('{snapshots: [{id, series, label, size, sha256, createdAt}]}'), ...authAnswers },
      },
    },
    async (req) => {
      const list = await store.listSnapshots(req.params.p, req.query.series);
      return { snapshots: list.map(({ key: _key, ...s }) => s) };
    },
  );
};
