// The Comparison (objects added and removed per class, matched by id) must equal DevTools' Comparison view.
import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFile } from '../../../../shared/engine/parse/source.js';
import { computeDominance } from '../../../../shared/engine/dominators/index.js';
import { classTable } from '../../../../shared/engine/analyses/classes.js';
import { classInstances, compare, type ClassInstances } from '../../../../shared/engine/analyses/comparison.js';
import { buildSnapshot, randomHeap } from '../../../helpers/snapshot.js';
import { runOracleDiff, SCENARIOS, snapshots } from '../../../helpers/corpus.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-compare-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

async function instances(file: string): Promise<ClassInstances> {
  const g = await parseFile(file);
  const d = computeDominance(g);
  return classInstances(g, d, classTable(g, d));
}

async function check(t: any, base: string, target: string) {
  const rows = compare(await instances(base), await instances(target));
  const oracle = runOracleDiff(base, target, dir).classes;
  const ours = new Map(rows.map((r) => [r.key, r]));
  const mismatches: string[] = [];
  for (const o of oracle) {
    const r = ours.get(o.key);
    const fields = [
      'name',
      'addedCount',
      'removedCount',
      'countDelta',
      'addedSize',
      'removedSize',
      'sizeDelta',
    ] as const;
    if (!r || fields.some((f) => r[f] !== o[f]))
      mismatches.push(`${o.key}: oracle ${JSON.stringify(o)} ours ${JSON.stringify(r)}`);
    ours.delete(o.key);
  }
  for (const k of ours.keys()) mismatches.push(`extra ${k}`);
  t.same(mismatches.slice(0, 5), [], `all ${oracle.length} Comparison rows equal`);
  return rows;
}

t.test('corpus: two snapshots of one process', async (t) => {
  for (const s of SCENARIOS) {
    const [a, b] = snapshots(s, path.join(dir, s), 2);
    await t.test(s, async (t) => {
      const rows = await check(t, a, b);
      if (s === 'global-cache') {
        const rc = rows.find((r) => r.name === 'RequestContext')!;
        t.equal(rc.addedCount, 20000, '20,000 RequestContexts cached in the second round');
        t.equal(rc.removedCount, 0);
      }
    });
  }
});

t.test("random heaps (different ids, plain objects classified with the target's interfaces)", async (t) => {
  for (let seed = 40; seed < 50; seed++) {
    const a = path.join(dir, `ra-${seed}.heapsnapshot`),
      b = path.join(dir, `rb-${seed}.heapsnapshot`);
    fs.writeFileSync(a, buildSnapshot(randomHeap(seed, 80)));
    fs.writeFileSync(b, buildSnapshot(randomHeap(seed + 100, 90)));
    await t.test(`seeds ${seed}/${seed + 100}`, (t) => check(t, a, b));
  }
});
