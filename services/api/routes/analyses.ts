import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { HeapsightError } from '../../../shared/errors.js';
import { ANALYSIS_JOB_OPTIONS } from '../../../shared/service/queues.js';
import { keys, newAnalysis } from '../../../shared/service/store.js';
import { fromRedis, type ApiDeps } from '../deps.js';
import { answer, authAnswers, bearer, errorAnswer, projectParams } from '../schemas.js';

const REPORT_TYPES: Record<string, string> = {
  'report.json': 'application/json; charset=utf-8',
  'report.md': 'text/markdown; charset=utf-8',
  'report.html': 'text/html; charset=utf-8',
};

const analysisParams = {
  type: 'object',
  properties: { ...projectParams.properties, id: { type: 'string', description: 'the analysis' } },
  required: ['p', 'id'],
} as const;

/** Analyses: asked for (one snapshot is an analyze, several a growth diff), listed, followed, and their reports. */
export const analysisRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: ApiDeps }> = async (app, deps) => {
  const { store, storage, queues } = deps;

  app.post(
    '/v1/projects/:p/analyses',
    {
      config: { access: { project: 'analyze' } },
      schema: {
        summary: 'Analyse one snapshot, or diff several (oldest first)',
        security: bearer,
        params: projectParams,
        body: {
          type: 'object',
          properties: { snapshots: { type: 'array', items: { type: 'string' }, minItems: 1 } },
          required: ['snapshots'],
          errorMessage: 'snapshots must be a non-empty list of snapshot ids, oldest first',
        },
        response: {
          202: answer('{id}: queued'),
          400: { ...errorAnswer, description: 'no such snapshot in the project' },
          ...authAnswers,
        },
      },
    },
    async (req, reply) => {
      const p = req.params.p;
      const ids = req.body.snapshots;
      for (const id of ids) {
        if (!(await store.getSnapshot(p, id)))
          throw new HeapsightError('BAD_REQUEST', `no snapshot ${id} in project ${p}`);
      }
      const rec = newAnalysis(p, ids);
      await store.putAnalysis(rec);
      const job = { project: p, analysis: rec.id };
      await queues.analyses.add(rec.kind, job, { jobId: rec.id, ...ANALYSIS_JOB_OPTIONS }).catch((err) => {
        throw fromRedis(err);
      });
      return reply.code(202).send({ id: rec.id });
    },
  );

  app.get(
    '/v1/projects/:p/analyses',
    {
      config: { access: { project: 'read' } },
      schema: {
        summary: 'List analyses, newest first',
        security: bearer,
        params: projectParams,
        response: { 200: answer('{analyses: [{id, kind, status, snapshots, schedule, createdAt}]}'), ...authAnswers },
      },
    },
    async (req) => ({
      analyses: (await store.listAnalyses(req.params.p)).map((a) => ({
        id: a.id,
        kind: a.kind,
        status: a.status,
        snapshots: a.snapshots,
        schedule: a.schedule ?? null,
        createdAt: a.createdAt,
      })),
    }),
  );

  app.get(
    '/v1/projects/:p/analyses/:id',
    {
      config: { access: { project: 'read' } },
      schema: {
        summary: 'An analysis: status, progress, error, reports and verdict',
        security: bearer,
        params: analysisParams,
        response: {
          200: answer(
            '{id, kind, snapshots, status, progress, error, reports, verdict, runner, createdAt, finishedAt}',
          ),
          ...authAnswers,
        },
      },
    },
    async (req) => {
      const { p, id } = req.params;
      const a = await store.getAnalysis(p, id);
      if (!a) throw new HeapsightError('NOT_FOUND', 'no such analysis');
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
    },
  );

  app.get(
    '/v1/projects/:p/analyses/:id/:file',
    {
      config: { access: { project: 'read' } },
      schema: {
        summary: 'A report: report.json, report.md or report.html (for a diff, its diff reports)',
        security: bearer,
        params: {
          type: 'object',
          properties: {
            ...analysisParams.properties,
            file: { type: 'string', description: 'report.json, .md, .html' },
          },
          required: ['p', 'id', 'file'],
        },
        produces: Object.values(REPORT_TYPES),
        response: { 200: { description: 'the report' }, ...authAnswers },
      },
    },
    async (req, reply) => {
      const { p, id, file } = req.params;
      const type = REPORT_TYPES[file];
      const a = await store.getAnalysis(p, id);
      if (!a || !type) throw new HeapsightError('NOT_FOUND', 'no such report');
      if (!a.reports.includes(file)) {
        throw new HeapsightError(
          'NOT_FOUND',
          a.status === 'completed' ? 'no such report' : `the analysis is ${a.status}`,
        );
      }
      try {
        return reply.type(type).send(await storage.get(keys.report(p, id, file)));
      } catch (err) {
        if (err instanceof HeapsightError && err.code === 'NOT_FOUND')
          throw new HeapsightError('NOT_FOUND', 'no such report');
        throw err;
      }
    },
  );
};
