// The analyzer's memory budget: analyses run side by side only while their estimated needs fit together, and one
// that can never fit fails at once with a message naming the limit.
import t from 'tap';
import { MemoryBudget, memoryNeedMb } from '../services/analyzer/main.js';

t.test('estimates: 2.5 times the largest snapshot, gzip counted at 6 times its size', async (t) => {
  t.equal(memoryNeedMb([{ size: 2 ** 30, gzip: false }]), 2560 + 200);
  t.equal(memoryNeedMb([{ size: 100 * 2 ** 20, gzip: false }, { size: 400 * 2 ** 20, gzip: false }]), 1000 + 200);
  t.equal(memoryNeedMb([{ size: 100 * 2 ** 20, gzip: true }]), 1500 + 200);
});

t.test('too big for the budget: a clear error, at once', async (t) => {
  const b = new MemoryBudget(1000);
  await t.rejects(b.acquire(1001), /needs about 1001 MB to analyse, more than this analyzer's memory budget of 1000 MB \(HEAPSIGHT_MEMORY_BUDGET_MB\)/);
});

t.test('two that do not fit together run one after the other', async (t) => {
  const b = new MemoryBudget(1000);
  const release1 = await b.acquire(600);
  let second = false;
  const p = b.acquire(600).then((r) => { second = true; return r; });
  await new Promise((r) => setTimeout(r, 50));
  t.notOk(second, 'the second waits');
  const release3 = await b.acquire(300);
  t.pass('a small one still fits beside the first');
  release1();
  const release2 = await p;
  t.ok(second, 'the second starts when the first ends');
  release2();
  release3();
});
