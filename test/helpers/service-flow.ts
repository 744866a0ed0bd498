// The batch service end to end on real parts (see service-stack.ts): corpus snapshots uploaded over HTTP, analysed,
// scheduled and reported through webhooks; run by service-local.test.ts (a folder) and service-s3.test.ts (an S3
// server, s3rver, through @aws-sdk/client-s3).
import t from 'tap';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { heapsight } from './cli.js';
import { snapshots } from './corpus.js';
import { startService, waitFor, type Service } from './services.js';
import { startStack, type StorageUnderTest } from './service-stack.js';

export type { StorageUnderTest } from './service-stack.js';

export async function serviceFlow(makeStorage: (dir: string) => Promise<StorageUnderTest>): Promise<void> {
  const stack = await startStack(makeStorage);
  const { dir, ADMIN, LIMIT, redis, base, hookUrl, SECRET, deliveries, env, services } = stack;
  const { call, finished, storedSnapshots, runningIn } = stack;

  t.test('readiness, projects and tokens', async (t) => {
    t.same((await call('GET', '/readyz', null)).json, { ok: true, checks: { redis: 'ok', storage: 'ok' } });
    t.equal((await call('POST', '/v1/projects', null, { name: 'shop' })).status, 401, 'no token: 401');
    t.equal((await call('POST', '/v1/projects', 'wrong-token', { name: 'shop' })).status, 403, 'not the admin: 403');
    t.equal((await call('POST', '/v1/projects', ADMIN, { name: 'Bad Name!' })).status, 400);
    t.equal((await call('POST', '/v1/projects', ADMIN, { name: 'shop' })).status, 201);
    t.equal((await call('POST', '/v1/projects', ADMIN, { name: 'shop' })).status, 409, 'twice: 409');
    t.equal((await call('POST', '/v1/projects', ADMIN, { name: 'other' })).status, 201);
  });

  let shopToken = '',
    otherToken = '';
  t.test('tokens are shown once and stored hashed', async (t) => {
    const r = await call('POST', '/v1/projects/shop/tokens', ADMIN, { scopes: ['*'] });
    t.equal(r.status, 201);
    shopToken = r.json.token;
    otherToken = (await call('POST', '/v1/projects/other/tokens', ADMIN, { scopes: ['*'] })).json.token;
    t.match(shopToken, /^hst_/);
    const { Redis } = await import('ioredis');
    const c = new Redis(redis.url);
    const all = await c.keys('hs:*');
    const values = await Promise.all(
      all.filter((k) => !k.startsWith('hs:series') && !k.startsWith('hs:snapshots')).map((k) => c.get(k)),
    );
    c.disconnect();
    t.notOk(
      all.some((k) => k.includes(shopToken)) || values.some((v) => v?.includes(shopToken)),
      'the token itself is nowhere in Redis',
    );
    t.ok(all.includes(`hs:token:${crypto.createHash('sha256').update(shopToken).digest('hex')}`), 'its sha256 is');
  });

  const files = snapshots('global-cache', path.join(dir, 'corpus'), 3);
  const ids: string[] = [];
  t.test('uploads: streamed, sized and hashed; one gzipped', async (t) => {
    for (const [i, f] of files.entries()) {
      const gz = i === 1;
      const bytes = gz ? zlib.gzipSync(fs.readFileSync(f)) : fs.readFileSync(f);
      const r = await call('PUT', `/v1/projects/shop/snapshots?series=web&label=round-${i}`, shopToken, bytes, {
        'content-type': gz ? 'application/gzip' : 'application/octet-stream',
      });
      t.equal(r.status, 201, `upload ${i}: ${r.text}`);
      t.equal(r.json.size, bytes.length);
      t.equal(r.json.sha256, crypto.createHash('sha256').update(bytes).digest('hex'));
      ids.push(r.json.id);
    }
    const list = await call('GET', '/v1/projects/shop/snapshots?series=web', shopToken);
    t.same(
      list.json.snapshots.map((s: any) => s.id),
      ids,
      'listed in upload order',
    );
    t.same(
      list.json.snapshots.map((s: any) => s.label),
      ['round-0', 'round-1', 'round-2'],
    );
  });

  t.test('project isolation', async (t) => {
    t.equal(
      (await call('GET', '/v1/projects/shop/snapshots', otherToken)).status,
      404,
      "another project's token sees 404",
    );
    t.equal(
      (
        await call('PUT', '/v1/projects/shop/snapshots', otherToken, Buffer.from('x'), {
          'content-type': 'application/octet-stream',
        })
      ).status,
      404,
    );
    t.equal((await call('POST', '/v1/projects/shop/analyses', otherToken, { snapshots: ids })).status, 404);
    t.equal((await call('GET', '/v1/projects/shop/snapshots', null)).status, 401, 'no token: 401');
    t.equal((await call('GET', '/v1/projects/other/snapshots', otherToken)).json.snapshots.length, 0);
    t.equal(
      (await call('POST', '/v1/projects/other/analyses', otherToken, { snapshots: [ids[0]] })).status,
      400,
      "another project's snapshot id is unknown here",
    );
  });

  t.test('webhooks: private hosts refused unless listed, then one saved', async (t) => {
    const put = (url: string, extra = {}) =>
      call('PUT', '/v1/projects/shop/webhooks/incidents', shopToken, { url, secret: SECRET, ...extra });
    const priv = await put('http://10.1.2.3/hook');
    t.equal(priv.status, 400);
    t.match(priv.json.error, /private or loopback address \(10\.1\.2\.3\); list it in HEAPSIGHT_WEBHOOK_ALLOW_HOSTS/);
    t.equal((await put('http://localhost:9/hook')).status, 400, 'localhost is loopback and not listed');
    t.equal((await put('ftp://example.com/x')).status, 400);
    t.equal((await put(hookUrl, { events: ['analysis.done'] })).status, 400, 'unknown event');
    t.equal(
      (await call('PUT', '/v1/projects/shop/webhooks/incidents', shopToken, { url: hookUrl, secret: 'short' })).status,
      400,
    );
    t.equal((await put(hookUrl)).status, 201, '127.0.0.1 is listed');
    const list = await call('GET', '/v1/projects/shop/webhooks', shopToken);
    t.equal(list.json.webhooks[0].url, hookUrl);
    t.notOk(list.text.includes(SECRET), 'the secret is not shown');
    t.equal((await call('GET', '/v1/projects/shop/webhooks', otherToken)).status, 404);
  });

  t.test('a growth analysis over the three names the corpus culprit', async (t) => {
    const r = await call('POST', '/v1/projects/shop/analyses', shopToken, { snapshots: ids });
    t.equal(r.status, 202);
    const a = await finished('shop', r.json.id, shopToken);
    t.equal(a.status, 'completed', a.error ?? '');
    t.equal(a.kind, 'diff');
    t.match(a.verdict[0], /Map requestCache @\d+ at \(global\) -> __app -> requestCache -> \(table\)/);
    // the signed webhooks: analysis.completed (the first attempt was refused with 500 and retried) and leak.suspected
    await waitFor(
      async () =>
        deliveries('analysis.completed').some((d) => d.json.analysis.id === r.json.id) &&
        deliveries('leak.suspected').some((d) => d.json.analysis.id === r.json.id),
      'webhook deliveries',
      60000,
    );
    for (const d of [...deliveries('analysis.completed'), ...deliveries('leak.suspected')].filter(
      (x) => x.json.analysis.id === r.json.id,
    )) {
      const ts = String(d.headers['x-heapsight-timestamp']);
      const expect = 'sha256=' + crypto.createHmac('sha256', SECRET).update(`${ts}.${d.body}`).digest('hex');
      t.equal(d.headers['x-heapsight-signature'], expect, `${d.json.event}: signature verifies`);
      t.ok(Math.abs(Date.now() / 1000 - Number(ts)) < 300, 'fresh timestamp');
      t.match(d.json.verdict[0], /requestCache/, 'the verdict in one sentence');
      t.equal(d.json.reports.html, `/v1/projects/shop/analyses/${r.json.id}/report.html`);
    }
    t.ok(stack.refused(), 'a refused delivery was retried');
    t.equal(
      deliveries('leak.suspected').find((d) => d.json.analysis.id === r.json.id)!.json.suspects[0].accumulationPoint
        .edge,
      'requestCache',
    );
    const json = await call('GET', `/v1/projects/shop/analyses/${r.json.id}/report.json`, shopToken);
    t.equal(json.status, 200);
    t.match(json.type, /application\/json/);
    t.equal(json.json.suspects[0].accumulationPoint.edge, 'requestCache');
    t.same(
      json.json.snapshots.map((s: any) => s.source),
      ['round-0.heapsnapshot', 'round-1.heapsnapshot', 'round-2.heapsnapshot'],
    );
    t.equal(json.json.snapshots[1].gzip, true);
    const md = await call('GET', `/v1/projects/shop/analyses/${r.json.id}/report.md`, shopToken);
    t.match(md.type, /text\/markdown/);
    t.match(md.text, /## Leak suspects/);
    const html = await call('GET', `/v1/projects/shop/analyses/${r.json.id}/report.html`, shopToken);
    t.match(html.type, /text\/html/);
    t.equal((await call('GET', `/v1/projects/shop/analyses/${r.json.id}/report.exe`, shopToken)).status, 404);
    t.equal((await call('GET', `/v1/projects/shop/analyses/${r.json.id}`, otherToken)).status, 404);

    const one = await call('POST', '/v1/projects/shop/analyses', shopToken, { snapshots: [ids[2]] });
    const b = await finished('shop', one.json.id, shopToken);
    t.equal(b.status, 'completed');
    t.equal(b.kind, 'analyze');
    const rep = await call('GET', `/v1/projects/shop/analyses/${one.json.id}/report.json`, shopToken);
    t.equal(rep.json.kind, 'heapsight.analysis');
    t.match(rep.json.largestObjects[0].path, /requestCache/);
  });

  t.test("a schedule fires: the series since the last run, diffed against the last run's last snapshot", async (t) => {
    const sched = await call('PUT', '/v1/projects/shop/schedules/nightly', shopToken, {
      cron: '* * * * * *',
      tz: 'Europe/Paris',
      series: 'web',
    });
    t.equal(sched.status, 201, sched.text);
    t.equal(
      (await call('PUT', '/v1/projects/shop/schedules/bad', shopToken, { cron: 'every night', series: 'web' })).status,
      400,
    );
    t.equal(
      (
        await call('PUT', '/v1/projects/shop/schedules/bad', shopToken, {
          cron: '0 3 * * *',
          tz: 'Mars/Olympus',
          series: 'web',
        })
      ).status,
      400,
    );
    let s: any;
    await waitFor(
      async () => {
        s = (await call('GET', '/v1/projects/shop/schedules/nightly', shopToken)).json;
        return Boolean(s.lastAnalysis);
      },
      'the schedule to fire',
      30000,
    );
    const first = await finished('shop', s.lastAnalysis, shopToken);
    t.equal(first.status, 'completed');
    t.same(first.snapshots, ids, 'the first run takes the whole series');
    t.match(first.verdict[0], /requestCache/);
    // more ticks with nothing new: no new analysis
    await new Promise((r) => setTimeout(r, 2500));
    const again = (await call('GET', '/v1/projects/shop/schedules/nightly', shopToken)).json;
    t.equal(again.lastAnalysis, s.lastAnalysis, 'nothing new, nothing run');
    t.not(again.lastRun, s.lastRun, 'but it did tick');
    // a new snapshot: the next run diffs it against the last run's last snapshot
    const up = await call(
      'PUT',
      '/v1/projects/shop/snapshots?series=web&label=round-3',
      shopToken,
      fs.readFileSync(files[2]),
      { 'content-type': 'application/octet-stream' },
    );
    await waitFor(
      async () => {
        s = (await call('GET', '/v1/projects/shop/schedules/nightly', shopToken)).json;
        return s.lastAnalysis !== again.lastAnalysis;
      },
      'the next run',
      30000,
    );
    const second = await finished('shop', s.lastAnalysis, shopToken);
    t.same(second.snapshots, [ids[2], up.json.id]);
    t.equal(second.status, 'completed');
    const listed = (await call('GET', '/v1/projects/shop/analyses', shopToken)).json.analyses;
    t.equal(listed.filter((a: any) => a.schedule === 'nightly').length, 2, 'two scheduled analyses in all');
    t.equal((await call('DELETE', '/v1/projects/shop/schedules/nightly', shopToken)).status, 204);
  });

  t.test("a garbage upload is stored, and its analysis fails with the parser's one line", async (t) => {
    const r = await call(
      'PUT',
      '/v1/projects/shop/snapshots?series=junk',
      shopToken,
      Buffer.from('this is not a heap snapshot\n'),
      { 'content-type': 'application/octet-stream' },
    );
    t.equal(r.status, 201);
    const an = await call('POST', '/v1/projects/shop/analyses', shopToken, { snapshots: [r.json.id] });
    const a = await finished('shop', an.json.id, shopToken);
    t.equal(a.status, 'failed');
    t.match(a.error, /not a heap snapshot/);
    t.notMatch(a.error, /\n/, 'one line');
    t.same(a.reports, []);
    await waitFor(
      async () => deliveries('analysis.failed').some((d) => d.json.analysis.id === an.json.id),
      'analysis.failed',
      60000,
    );
    t.match(
      deliveries('analysis.failed').find((d) => d.json.analysis.id === an.json.id)!.json.analysis.error,
      /not a heap snapshot/,
    );
    t.equal((await call('GET', `/v1/projects/shop/analyses/${an.json.id}/report.json`, shopToken)).status, 404);
  });

  t.test('uploads over the limit: 413, and nothing left behind', async (t) => {
    const before = await storedSnapshots();
    const listedBefore = (await call('GET', '/v1/projects/shop/snapshots', shopToken)).json.snapshots.length;
    const big = Buffer.alloc(LIMIT + 1, 32);
    const declared = await call('PUT', '/v1/projects/shop/snapshots', shopToken, big, {
      'content-type': 'application/octet-stream',
    });
    t.equal(declared.status, 413, 'declared length over the limit');
    t.match(declared.json.error, /limit/);
    // no Content-Length: the limit is found while streaming
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 61; i++) c.enqueue(new Uint8Array(1_000_000));
        c.close();
      },
    });
    const r = await fetch(`${base}/v1/projects/shop/snapshots`, {
      method: 'PUT',
      body: stream,
      headers: { authorization: `Bearer ${shopToken}`, 'content-type': 'application/octet-stream' },
      duplex: 'half',
    } as RequestInit);
    t.equal(r.status, 413, 'streamed past the limit');
    t.same(await storedSnapshots(), before, 'no new or partial object in storage');
    t.equal(
      (await call('GET', '/v1/projects/shop/snapshots', shopToken)).json.snapshots.length,
      listedBefore,
      'none listed either',
    );
  });

  t.test('an analyzer killed mid-job: the other one completes the job', async (t) => {
    const r = await call('POST', '/v1/projects/shop/analyses', shopToken, { snapshots: ids });
    const started = await runningIn(r.json.id, shopToken);
    if (!started) {
      t.comment('the job finished before it could be killed');
      return;
    }
    const { pid, service: victim } = started;
    t.ok(victim, `the job runs in one of our analyzers (pid ${pid})`);
    victim!.child.kill('SIGKILL');
    const a = await finished('shop', r.json.id, shopToken);
    t.equal(a.status, 'completed', 'completed by the other analyzer');
    t.not(Number(String(a.runner).split(':').pop()), pid, 'by another process');
    t.match(a.verdict[0], /requestCache/);
    // a replacement, so the SIGTERM test below has two analyzers again
    services.splice(services.indexOf(victim!), 1, startService('analyzer', env));
  });

  t.test('SIGTERM during a job: the analyzer finishes it, then exits', async (t) => {
    const r = await call('POST', '/v1/projects/shop/analyses', shopToken, { snapshots: ids });
    const started = await runningIn(r.json.id, shopToken);
    if (!started) {
      t.comment('the job finished before the signal');
      return;
    }
    const { pid, service: runner } = started as { pid: number; service: Service };
    t.ok(runner, 'the job runs in one of our analyzers');
    const code = await runner.stop('SIGTERM');
    t.equal(code, 0, 'exit 0 after the job');
    const a = (await call('GET', `/v1/projects/shop/analyses/${r.json.id}`, shopToken)).json;
    t.equal(a.status, 'completed', 'the running job was finished before exiting');
    t.equal(Number(String(a.runner).split(':').pop()), pid, 'by the analyzer that was stopped');
    services.splice(services.indexOf(runner), 1, startService('analyzer', env));
  });

  t.test('metrics and the OpenAPI description', async (t) => {
    const m = await call('GET', '/metrics', null);
    t.equal(m.status, 200);
    t.match(m.text, /heapsight_queue_jobs\{queue="heapsight-analyses",state="waiting"\} \d+/);
    const completed = Number(/heapsight_analyses_completed_total (\d+)/.exec(m.text)?.[1]);
    t.ok(completed >= 5, `analyses completed: ${completed}`);
    t.ok(Number(/heapsight_analyses_failed_total (\d+)/.exec(m.text)?.[1]) >= 1, 'the garbage one failed');
    t.ok(Number(/heapsight_bytes_analysed_total (\d+)/.exec(m.text)?.[1]) > 100e6, 'bytes analysed');
    t.match(m.text, /heapsight_job_duration_seconds_bucket\{le="\+Inf"\} \d+/);
    t.equal(Number(/heapsight_job_duration_seconds_count (\d+)/.exec(m.text)?.[1]), completed);
    const o = await call('GET', '/openapi.json', null);
    t.equal(o.json.openapi, '3.1.0');
    for (const p of [
      '/v1/projects',
      '/v1/projects/{p}/snapshots',
      '/v1/projects/{p}/analyses/{id}',
      '/v1/projects/{p}/schedules/{name}',
      '/v1/projects/{p}/webhooks/{name}',
    ]) {
      t.ok(o.json.paths[p], `describes ${p}`);
    }
  });

  t.test('invalid configuration: one line, exit 1', async (t) => {
    const r = await heapsight(['api'], { env: { PORT: 'eighty' } });
    t.equal(r.code, 1);
    t.match(r.stderr, /^heapsight: invalid configuration: PORT must be a positive whole number/);
    t.equal(r.stderr.trim().split('\n').length, 1);
    const s = await heapsight(['analyzer'], { env: { HEAPSIGHT_STORAGE: 'ftp://x' } });
    t.equal(s.code, 1);
    t.match(s.stderr, /HEAPSIGHT_STORAGE must be file:\/\/PATH or s3:\/\/BUCKET\/PREFIX/);
  });

  t.test('SIGTERM: the processes stop cleanly', async (t) => {
    for (const s of services) t.equal(await s.stop('SIGTERM'), 0, 'exit 0');
  });
}
