import { VERSION } from '../../shared/version.js';

type Op = { summary: string; admin?: boolean; body?: string; responses: Record<string, string>; raw?: boolean };

const routes: Record<string, Record<string, Op>> = {
  '/v1/projects': {
    post: {
      summary: 'Create a project',
      admin: true,
      body: '{name}',
      responses: { 201: 'created', 400: 'bad name', 401: 'no token', 403: 'not admin', 409: 'exists' },
    },
  },
  '/v1/projects/{p}/tokens': {
    post: {
      summary: 'Create a project token (shown once, stored hashed)',
      admin: true,
      body: '{scopes}',
      responses: { 201: '{token}', 404: 'no project' },
    },
  },
  '/v1/projects/{p}/snapshots': {
    put: {
      summary: 'Upload a snapshot (raw body, gzip or not; query: series, label)',
      raw: true,
      responses: { 201: '{id, size, sha256}', 413: 'over HEAPSIGHT_MAX_UPLOAD_BYTES', 404: 'no such project' },
    },
    get: { summary: 'List snapshots (query: series)', responses: { 200: '{snapshots}' } },
  },
  '/v1/projects/{p}/analyses': {
    post: {
      summary: 'Analyse one snapshot, or diff several (oldest first)',
      body: '{snapshots: [id, ...]}',
      responses: { 202: '{id}', 400: 'unknown snapshot' },
    },
    get: { summary: 'List analyses, newest first', responses: { 200: '{analyses}' } },
  },
  '/v1/projects/{p}/analyses/{id}': {
    get: {
      summary: 'Status of an analysis',
      responses: { 200: '{status, progress, error, reports, verdict}', 404: 'no such analysis' },
    },
  },
  '/v1/projects/{p}/analyses/{id}/{file}': {
    get: {
      summary: 'A report: report.json, report.md or report.html',
      responses: { 200: 'the report', 404: 'not there (yet)' },
    },
  },
  '/v1/projects/{p}/schedules/{name}': {
    put: {
      summary: 'Create or replace a schedule',
      body: '{cron, tz, series}',
      responses: { 201: 'created', 200: 'replaced', 400: 'bad cron, time zone or series' },
    },
    get: { summary: 'A schedule and its last run', responses: { 200: 'the schedule' } },
    delete: { summary: 'Remove a schedule', responses: { 204: 'removed' } },
  },
  '/v1/projects/{p}/webhooks/{name}': {
    put: {
      summary: 'Create or replace a webhook',
      body: '{url, secret, events}',
      responses: { 201: 'created', 200: 'replaced', 400: 'bad URL, private host or events' },
    },
    delete: { summary: 'Remove a webhook', responses: { 204: 'removed' } },
  },
  '/v1/projects/{p}/webhooks': { get: { summary: 'List webhooks (no secrets)', responses: { 200: '{webhooks}' } } },
  '/healthz': { get: { summary: 'Alive', responses: { 200: '{ok}' } } },
  '/readyz': { get: { summary: 'Redis and storage reachable', responses: { 200: 'ready', 503: 'not ready' } } },
  '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: 'text exposition format' } } },
};

/** The OpenAPI description of the routes, served at /openapi.json. */
export const openApi = {
  openapi: '3.1.0',
  info: {
    title: 'heapsight',
    version: VERSION,
    description: 'Heap snapshot analysis as a service: upload, analyse, diff, schedule, notify.',
  },
  components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  paths: Object.fromEntries(
    Object.entries(routes).map(([path, ops]) => [
      path,
      Object.fromEntries(
        Object.entries(ops).map(([method, op]) => [
          method,
          {
            summary: op.summary,
            ...(path.startsWith('/v1') ? { security: [{ bearer: [] }] } : {}),
            ...(op.admin ? { description: 'Needs the admin token (HEAPSIGHT_ADMIN_TOKEN).' } : {}),
            ...(op.body
              ? {
                  requestBody: {
                    required: true,
                    content: { 'application/json': { schema: { type: 'object', description: op.body } } },
                  },
                }
              : {}),
            ...(op.raw
              ? {
                  requestBody: {
                    required: true,
                    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
                  },
                }
              : {}),
            responses: Object.fromEntries(Object.entries(op.responses).map(([code, d]) => [code, { description: d }])),
          },
        ]),
      ),
    ]),
  ),
};
