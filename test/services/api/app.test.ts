// The API's answers that need no Redis, through fastify's inject(): tokens, schemas, unknown routes, the OpenAPI
// document, and 503 when Redis cannot be reached (the client here never connects).
import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { buildApi } from '../../../services/api/app.js';
import { loadConfig } from '../../../shared/service/config.js';
import { FileStorage } from '../../../shared/service/storage.js';
import { Store } from '../../../shared/service/store.js';
import { freePort } from '../../helpers/services.js';

const ADMIN = 'admin-token-0123456789';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-inject-'));
// a client of a port where nothing listens: every command fails at once, as when Redis is down
const redis = new Redis({
  port: await freePort(),
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
});
const queue = <T>(name: string) => new Queue<T>(name, { connection: redis });
const config = loadConfig({ HEAPSIGHT_ADMIN_TOKEN: ADMIN, HEAPSIGHT_STORAGE: `file://${dir}` });
const app = buildApi({
  config,
  redis,
  store: new Store(redis),
  storage: new FileStorage(dir),
  queues: { analyses: queue('a'), schedules: queue('s'), deliveries: queue('d') },
});
t.teardown(async () => {
  await app.close();
  redis.disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token?: string, payload?: unknown) => {
  const r = await app.inject({
    method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: r.statusCode, json: String(r.headers['content-type']).includes('json') ? r.json() : null, r };
};

t.test('tokens: none is 401, a wrong one on an admin route 403, before anything else', async (t) => {
  const none = await call('POST', '/v1/projects', undefined, { name: 'shop' });
  t.same([none.status, none.json], [401, { error: 'a bearer token is required' }]);
  t.equal((await call('POST', '/v1/projects', 'not-the-admin', { name: 'shop' })).status, 403);
  t.equal((await call('GET', '/v1/projects/shop/snapshots')).status, 401, 'a project route without a token');
  t.equal((await call('GET', '/v1/projects/shop/snapshots', undefined)).json.error, 'a bearer token is required');
  const malformed = await app.inject({
    method: 'GET',
    url: '/v1/projects/shop/analyses',
    headers: { authorization: 'Basic x' },
  });
  t.equal(malformed.statusCode, 401, 'not a bearer token');
});

t.test('bodies are checked against their schemas, with messages that say what is wrong', async (t) => {
  const bad = await call('POST', '/v1/projects', ADMIN, { name: 'Bad Name!' });
  t.equal(bad.status, 400);
  t.equal(bad.json.error, 'name must be 1-63 characters: a-z, 0-9, ".", "_" or "-"');
  t.same((await call('POST', '/v1/projects', ADMIN, {})).json, { error: 'name is required' });
  t.equal((await call('POST', '/v1/projects', ADMIN, { name: { first: 'shop' } })).status, 400, 'not a string');
  const scopes = await call('POST', '/v1/projects/shop/tokens', ADMIN, { scopes: ['write'] });
  t.same([scopes.status, scopes.json], [400, { error: 'scopes must be a list of "upload", "read", "analyze" or "*"' }]);
  const notJson = await app.inject({
    method: 'POST',
    url: '/v1/projects',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    payload: '{"name":',
  });
  t.equal(notJson.statusCode, 400, 'not JSON');
  t.match(notJson.json(), { error: String });
});

t.test('unknown routes are 404, in the same shape', async (t) => {
  const r = await call('GET', '/v1/nothing-here');
  t.equal(r.status, 404);
  t.match(r.json.error, /^no route GET \/v1\/nothing-here/);
});

t.test('with Redis unreachable: 503 naming the cause, never a hang or a 500', async (t) => {
  const r = await call('POST', '/v1/projects', ADMIN, { name: 'shop' });
  t.equal(r.status, 503);
  t.match(r.json.error, /^Redis is unavailable: /);
  t.equal((await call('GET', '/v1/projects/shop/snapshots', 'hst_some-token')).status, 503, 'looking the token up');
  const ready = await call('GET', '/readyz');
  t.equal(ready.status, 503);
  t.equal(ready.json.checks.storage, 'ok');
  t.not(ready.json.checks.redis, 'ok');
  t.same((await call('GET', '/healthz')).json, { ok: true });
});

t.test('the OpenAPI document comes from the route schemas: a request schema for every body', async (t) => {
  const doc = (await call('GET', '/openapi.json')).json;
  t.equal(doc.openapi, '3.1.0');
  t.notMatch(JSON.stringify(doc), /errorMessage/, 'no validation messages in the description');
  const operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([p, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${p}`, op })),
  );
  const withBody = operations.filter(({ op }) => op.requestBody);
  t.same(
    withBody.map((x) => x.route).sort(),
    [
      'POST /v1/projects',
      'POST /v1/projects/{p}/analyses',
      'POST /v1/projects/{p}/tokens',
      'PUT /v1/projects/{p}/schedules/{name}',
      'PUT /v1/projects/{p}/snapshots',
      'PUT /v1/projects/{p}/webhooks/{name}',
    ],
    'every route that takes a body describes it',
  );
  for (const { route, op } of withBody) {
    for (const [type, c] of Object.entries(op.requestBody.content as Record<string, any>)) {
      t.ok(c.schema && (c.schema.type || c.schema.properties), `${route} (${type}): a schema`);
    }
  }
  t.same(
    Object.keys(withBody.find((x) => x.route === 'PUT /v1/projects/{p}/snapshots')!.op.requestBody.content).sort(),
    ['application/gzip', 'application/octet-stream', 'application/x-gzip'],
  );
  t.match(doc.paths['/v1/projects'].post.requestBody.content['application/json'].schema, {
    required: ['name'],
    properties: { name: { pattern: String } },
  });
  for (const { route, op } of operations.filter((x) => x.route.includes('/v1/'))) {
    t.same(op.security, [{ bearer: [] }], `${route}: a bearer token`);
  }
});
