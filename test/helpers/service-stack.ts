// The service on real parts for the end-to-end tests: our own redis-server, `heapsight api` and two
// `heapsight analyzer` processes on a storage given, a webhook receiver, and what the tests call them with.
import t from 'tap';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { freePort, startRedis, startService, waitFor, waitHttp, type Service } from './services.js';

export interface StorageUnderTest {
  env: Record<string, string>;
  /** Object names stored under the project's snapshots. */
  snapshotObjects: () => Promise<string[]>;
  stop: () => Promise<void>;
}

/** Starts the stack (stopped when the test ends). */
export async function startStack(makeStorage: (dir: string) => Promise<StorageUnderTest>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-service-'));
  const ADMIN = 'admin-' + crypto.randomBytes(12).toString('hex');
  const LIMIT = 60_000_000;

  const redis = await startRedis();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const storage = await makeStorage(dir);

  // a webhook receiver: records every delivery; answers 500 to the very first one, to see it retried
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let refusedOnce = false;
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d;
    });
    req.on('end', () => {
      if (!refusedOnce) {
        refusedOnce = true;
        res.writeHead(500).end();
        return;
      }
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as import('node:net').AddressInfo).port}/hook`;
  const SECRET = 'whsec-' + crypto.randomBytes(12).toString('hex');
  const deliveries = (event: string) =>
    received.filter((d) => d.headers['x-heapsight-event'] === event).map((d) => ({ ...d, json: JSON.parse(d.body) }));

  const env = {
    ...storage.env,
    REDIS_URL: redis.url,
    PORT: String(port),
    HEAPSIGHT_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    HEAPSIGHT_ADMIN_TOKEN: ADMIN,
    HEAPSIGHT_MAX_UPLOAD_BYTES: String(LIMIT),
    HEAPSIGHT_ANALYZER_CONCURRENCY: '1',
    HEAPSIGHT_JOB_LOCK_MS: '4000',
  };
  const services: Service[] = [startService('api', env), startService('analyzer', env), startService('analyzer', env)];
  t.teardown(async () => {
    for (const s of services) await s.stop('SIGKILL');
    redis.stop();
    await storage.stop();
    receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await waitHttp(`${base}/healthz`);

  async function call(
    method: string,
    url: string,
    token: string | null,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const h: Record<string, string> = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload: any;
    if (body instanceof Buffer || body instanceof Uint8Array) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = 'application/json';
    }
    const r = await fetch(base + url, { method, headers: h, body: payload });
    const text = await r.text();
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: r.status, json, text, type: r.headers.get('content-type') ?? '' };
  }

  async function finished(project: string, id: string, token: string) {
    let last: any;
    await waitFor(
      async () => {
        last = (await call('GET', `/v1/projects/${project}/analyses/${id}`, token)).json;
        return last.status === 'completed' || last.status === 'failed';
      },
      `analysis ${id}`,
      180000,
    );
    return last;
  }

  const storedSnapshots = storage.snapshotObjects;

  /** Waits until an analysis runs; the analyzer process running it, or null when it finished first. */
  async function runningIn(id: string, token: string): Promise<{ pid: number; service: Service | undefined } | null> {
    let a: any;
    await waitFor(
      async () => {
        a = (await call('GET', `/v1/projects/shop/analyses/${id}`, token)).json;
        return (a.status === 'running' && Boolean(a.runner)) || a.status === 'completed';
      },
      'the job to start',
      60000,
    );
    if (a.status === 'completed') return null;
    const pid = Number(String(a.runner).split(':').pop());
    return { pid, service: services.find((s) => s.pids().includes(pid)) };
  }
  return {
    dir,
    ADMIN,
    LIMIT,
    redis,
    base,
    hookUrl,
    SECRET,
    deliveries,
    /** Whether the receiver has refused its first delivery yet. */
    refused: () => refusedOnce,
    env,
    services,
    call,
    finished,
    storedSnapshots,
    runningIn,
  };
}
