// The analyzer's memory budget: analyses run side by side only while their estimated needs fit together, and one
// that can never fit fails at once with a message naming the limit.
import t from 'tap';
import { MemoryBudget, memoryNeedMb } from '../../../services/analyzer/memory-budget.js';

t.test('estimates: 2.5 times the largest snapshot, gzip counted at 6 times its size', async (t) => {
  t.equal(memoryNeedMb([{ size: 2 ** 30, gzip: false }]), 2560 + 200);
  t.equal(
    memoryNeedMb([
      { size: 100 * 2 ** 20, gzip: false },
      { size: 400 * 2 ** 20, gzip: false },
    ]),
    1000 + 200,
  );
  t.equal(memoryNeedMb([{ size: 100 * 2 ** 20, gzip: true }]), 1500 + 200);
});

t.test('too big for the budget: a clear error, at once', async (t) => {
  const b = new MemoryBudget(1000);
  await t.rejects(
    b.acquire(1001),
    /needs about 1001 MB to analyse, more than this analyzer's memory budget of 1000 MB \(HEAPSIGHT_MEMORY_BUDGET_MB\)/,
  );
});

t.test('two that do not fit together run one after the other', async (t) => {
  const b = new MemoryBudget(1000);
  const release1 = await b.acquire(600);
  let second = false;
  const p = b.acquire(600).then((r) => {
    second = true;
    return r;
  });
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

t.test(
  'a snapshot too large for the limit is refused from its header: one line naming the counts and the limit, ' +
    'nothing written',
  async (t) => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const zlib = await import('node:zlib');
    const { buildSnapshot, randomHeap } = await import('../../helpers/snapshot.js');
    const { heapsight } = await import('../../helpers/cli.js');
    const { analysisMemoryMb } = await import('../../../shared/engine/parse/memory-limit.js');
    const { AnalyzerPool } = await import('../../../workers/pool.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-limit-'));
    t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
    const text = buildSnapshot(randomHeap(3, 20000));
    const plain = path.join(dir, 'a.heapsnapshot'),
      gz = path.join(dir, 'b.heapsnapshot.gz');
    fs.writeFileSync(plain, text);
    fs.writeFileSync(gz, zlib.gzipSync(text, { level: 9 }));
    const counts = /"node_count":(\d+),"edge_count":(\d+)/.exec(text.replace(/\s/g, ''))!;
    const need = analysisMemoryMb(Number(counts[1]), Number(counts[2]));
    t.ok(need > 150, `estimate ${need} MB`);

    for (const args of [
      ['analyze', plain],
      ['analyze', gz],
      ['diff', gz, plain],
    ]) {
      const out = path.join(dir, `out-${args[0]}-${path.basename(args[1])}`);
      const r = await heapsight([...args, '--memory-limit', '150', '--out', out]);
      t.equal(r.code, 1, args.join(' '));
      t.equal(
        r.stderr,
        `heapsight: the snapshot holds ${Number(counts[1]).toLocaleString('en-US')} nodes ` +
          `and ${Number(counts[2]).toLocaleString('en-US')} edges: ` +
          `analysing it needs about ${need} MB, more than the limit of 150 MB (--memory-limit)\n`,
      );
      t.notOk(fs.existsSync(path.join(out, args[0] === 'diff' ? 'diff.json' : 'report.json')), 'no report');
    }
    const ok = await heapsight(['analyze', gz, '--memory-limit', String(need), '--out', path.join(dir, 'fits')]);
    t.equal(ok.code, 0, 'a limit the estimate fits in: analysed');

    // the analyzer service passes its budget the same way
    const pool = new AnalyzerPool({ threads: 1 });
    t.teardown(() => pool.close());
    await t.rejects(
      pool.analyze({ file: gz, memoryLimit: { mb: 100, name: 'HEAPSIGHT_MEMORY_BUDGET_MB' } }),
      /more than the limit of 100 MB \(HEAPSIGHT_MEMORY_BUDGET_MB\)$/,
    );
  },
);
