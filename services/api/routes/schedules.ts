import type { FastifyPluginAsyncJsonSchemaToTs } from '@fastify/type-provider-json-schema-to-ts';
import { CronExpressionParser } from 'cron-parser';
import { HeapsightError } from '../../../shared/errors.js';
import { fromRedis, type ApiDeps } from '../deps.js';
import { answer, authAnswers, bearer, errorAnswer, name, projectParams } from '../schemas.js';

/** The project and the schedule's name: checked when it is made, any name else (an unknown one is not found). */
const scheduleParamsNew = {
  type: 'object',
  properties: { ...projectParams.properties, name: name('name') },
  required: ['p', 'name'],
} as const;
const scheduleParams = {
  type: 'object',
  properties: { ...projectParams.properties, name: { type: 'string', description: 'the schedule' } },
  required: ['p', 'name'],
} as const;

/**
 * Schedules: on each tick of a cron (a BullMQ job scheduler), the snapshots a series received since the last run
 * are analysed, diffed against the previous run's last snapshot (see services/analyzer/schedules.ts).
 */
export const scheduleRoutes: FastifyPluginAsyncJsonSchemaToTs<{ Options: ApiDeps }> = async (app, deps) => {
  const { store, queues } = deps;

  app.put(
    '/v1/projects/:p/schedules/:name',
    {
      config: { access: { project: '*' } },
      schema: {
        summary: 'Create or replace a schedule',
        description: 'A 5-field cron (or 6 with seconds) in a time zone (UTC by default), over a series.',
        security: bearer,
        params: scheduleParamsNew,
        body: {
          type: 'object',
          properties: {
            cron: {
              type: 'string',
              pattern: '^\\s*\\S+(\\s+\\S+){4,5}\\s*$',
              errorMessage: 'cron must be a cron expression of 5 or 6 fields',
            },
            tz: { type: 'string', description: 'an IANA time zone' },
            series: name('series'),
          },
          required: ['cron', 'series'],
          errorMessage: {
            required: { cron: 'cron must be a cron expression of 5 or 6 fields', series: 'series is required' },
          },
        },
        response: {
          200: answer('{name, cron, tz, series}: replaced'),
          201: answer('{name, cron, tz, series}: created'),
          400: { ...errorAnswer, description: 'a bad cron, time zone or series' },
          ...authAnswers,
        },
      },
    },
    async (req, reply) => {
      const { p, name } = req.params;
      const cron = req.body.cron.trim();
      const { series } = req.body;
      const tz = req.body.tz ?? 'UTC';
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
      } catch {
        throw new HeapsightError('BAD_REQUEST', `unknown time zone ${tz}`);
      }
      try {
        // the parser BullMQ's job schedulers use: what it accepts, they run
        CronExpressionParser.parse(cron, { tz });
      } catch (err) {
        throw new HeapsightError('BAD_REQUEST', `bad cron: ${String((err as Error).message).split('\n')[0]}`);
      }
      const old = await store.schedule(p, name);
      const tick = { name: 'run', data: { project: p, schedule: name } };
      await queues.schedules.upsertJobScheduler(`${p}/${name}`, { pattern: cron, tz }, tick).catch((err) => {
        throw fromRedis(err);
      });
      await store.putSchedule({
        project: p,
        name,
        cron,
        tz,
        series,
        createdAt: old?.createdAt ?? new Date().toISOString(),
        lastSnapshot: old?.series === series ? old.lastSnapshot : null,
        lastRun: old?.lastRun ?? null,
        lastAnalysis: old?.lastAnalysis ?? null,
      });
      return reply.code(old ? 200 : 201).send({ name, cron, tz, series });
    },
  );

  app.get(
    '/v1/projects/:p/schedules/:name',
    {
      config: { access: { project: 'read' } },
      schema: {
        summary: 'A schedule and its last run (lastRun, lastSnapshot, lastAnalysis)',
        security: bearer,
        params: scheduleParams,
        response: { 200: answer('the schedule'), ...authAnswers },
      },
    },
    async (req) => {
      const s = await store.schedule(req.params.p, req.params.name);
      if (!s) throw new HeapsightError('NOT_FOUND', 'no such schedule');
      return { ...s };
    },
  );

  app.delete(
    '/v1/projects/:p/schedules/:name',
    {
      config: { access: { project: '*' } },
      schema: {
        summary: 'Remove a schedule',
        security: bearer,
        params: scheduleParams,
        response: { 204: { description: 'removed' }, ...authAnswers },
      },
    },
    async (req, reply) => {
      const { p, name } = req.params;
      if (!(await store.deleteSchedule(p, name))) throw new HeapsightError('NOT_FOUND', 'no such schedule');
      await queues.schedules.removeJobScheduler(`${p}/${name}`).catch((err) => {
        throw fromRedis(err);
      });
      return reply.code(204).send();
    },
  );
};
