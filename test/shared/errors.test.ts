// The one error convention: a stable code, its exit code and HTTP status, and a form that survives other threads.
import t from 'tap';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { ERROR_CODES, HeapsightError, userFacing } from '../../shared/errors.js';

t.test('each code has an exit code and an HTTP status; the error carries them', async (t) => {
  for (const [code, { exit, status }] of Object.entries(ERROR_CODES)) {
    const e = new HeapsightError(code as keyof typeof ERROR_CODES, `something ${code}`);
    t.equal(e.exitCode, exit, code);
    t.equal(e.status, status, code);
    t.ok(status >= 400 && status < 600, `${code}: an error status`);
  }
  t.equal(new HeapsightError('BAD_USAGE', 'x').exitCode, 2, 'a wrong command line exits with 2');
  t.equal(new HeapsightError('UNAVAILABLE', 'x').status, 503);
});

t.test('the code survives a structured clone to another thread and back; the class alone would not', async (t) => {
  const src = `
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', (m) => parentPort.postMessage(m));`;
  const echo = new Worker(src, { eval: true });
  const roundTrip = (v: unknown) =>
    new Promise<unknown>((resolve) => {
      echo.once('message', resolve);
      echo.postMessage(v);
    });
  const e = new HeapsightError('SNAPSHOT_TOO_LARGE', 'the snapshot needs 9 GB');
  const bare = (await roundTrip(e)) as Error & { code?: string };
  t.equal(bare.code, undefined, 'an Error object arrives without its code');
  const back = HeapsightError.revive(await roundTrip(e.toClone()));
  t.ok(back instanceof HeapsightError);
  t.equal(back?.code, 'SNAPSHOT_TOO_LARGE');
  t.equal(back?.message, 'the snapshot needs 9 GB');
  t.equal(HeapsightError.revive(await roundTrip({ heapsightError: { code: 'NO_SUCH_CODE', message: 'x' } })), null);
  t.equal(HeapsightError.revive(new Error('plain')), null);
  await echo.terminate();
});

t.test('system errors say something to the user; other errors are faults of the program', async (t) => {
  let sys: unknown;
  try {
    fs.readFileSync('/no/such/file/anywhere');
  } catch (err) {
    sys = err;
  }
  const e = userFacing(sys);
  t.equal(e?.code, 'SYSTEM');
  t.match(e?.message, /^ENOENT: no such file or directory/);
  t.equal(userFacing(new TypeError('x is undefined')), null);
  const ours = new HeapsightError('NOT_FOUND', 'no project shop');
  t.equal(userFacing(ours), ours);
});
