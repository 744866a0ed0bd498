// With Redis unreachable the API stays up and says so: 503 with a clear message, never a hang or a 500.
import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startService, waitHttp } from '../../helpers/services.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-down-'));
const port = await freePort();
const deadRedis = await freePort(); // nothing listens there
const api = startService('api', {
  PORT: String(port),
  REDIS_URL: `redis://127.0.0.1:${deadRedis}`,
  HEAPSIGHT_STORAGE: `file://${dir}`,
  HEAPSIGHT_ADMIN_TOKEN: 'admin-token-0123456789',
});
t.teardown(async () => {
  await api.stop('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});
await waitHttp(`http://127.0.0.1:${port}/healthz`);

t.test('readiness and requests: 503 naming the cause', async (t) => {
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  t.equal(ready.status, 503);
  const r = (await ready.json()) as any;
  t.equal(r.checks.storage, 'ok');
  t.not(r.checks.redis, 'ok');
  const t0 = Date.now();
  const list = await fetch(`http://127.0.0.1:${port}/v1/projects/shop/snapshots`, {
    headers: { authorization: 'Bearer hst_x' },
  });
  t.equal(list.status, 503);
  t.match(((await list.json()) as any).error, /unavailable/);
  t.ok(Date.now() - t0 < 5000, 'fails fast');
  const create = await fetch(`http://127.0.0.1:${port}/v1/projects`, {
    method: 'POST',
    headers: { authorization: 'Bearer admin-token-0123456789', 'content-type': 'application/json' },
    body: '{"name":"shop"}',
  });
  t.equal(create.status, 503);
});
