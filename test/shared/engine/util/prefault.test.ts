// Bringing shared arrays' pages into memory from one thread while another writes them changes nothing.
import t from 'tap';
import { Worker } from 'node:worker_threads';
import { prefault } from '../../../../shared/engine/util/prefault.js';

const shared = (n: number) => new Uint32Array(new SharedArrayBuffer(n * 4));

t.test('contents are kept, and the budget bounds the work', async (t) => {
  const a = shared(300_000),
    b = shared(70_001),
    c = shared(5);
  for (const x of [a, b, c]) for (let i = 0; i < x.length; i++) x[i] = (i * 2654435761) >>> 0;
  const bytes = (x: Uint32Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  const before = [a, b, c].map((x) => Buffer.from(bytes(x)));
  t.equal(prefault([a], [b, c], Infinity), (a.length + b.length + c.length) * 4, 'every byte covered');
  [a, b, c].forEach((x, k) => t.ok(bytes(x).equals(before[k]), `array ${k} unchanged`));
  t.equal(prefault([a], [b], -1), 0, 'a spent budget covers nothing');
  t.equal(prefault([], [], Infinity), 0);
});

t.test('what another thread writes meanwhile stays written', async (t) => {
  const n = 8_000_000; // 32 MB, written from the start on while the prefault goes from the end back: they cross
  const a = shared(n),
    ready = new Int32Array(new SharedArrayBuffer(4));
  const writer = new Worker(
    `
    const { workerData: { a, ready } } = require('node:worker_threads');
    Atomics.store(ready, 0, 1);
    Atomics.notify(ready, 0);
    for (let i = 0; i < a.length; i++) a[i] = i + 1;
  `,
    { eval: true, workerData: { a, ready } },
  );
  const done = new Promise((resolve, reject) => {
    writer.once('exit', resolve);
    writer.once('error', reject);
  });
  Atomics.wait(ready, 0, 0, 10_000);
  t.equal(prefault([], [a], Infinity), n * 4);
  await done;
  let wrong = 0;
  for (let i = 0; i < n; i++) if (a[i] !== i + 1) wrong++;
  t.equal(wrong, 0, 'no entry lost or changed');
});
