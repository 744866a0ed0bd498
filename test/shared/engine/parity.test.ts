// Parity with Chrome DevTools: every node's retained size, every Summary row and the Statistics must equal what
// DevTools' own heap snapshot code (../shared/oracle) computes, on real snapshots and on random hand-built heaps.
import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parity } from '../../helpers/parity.js';
import { buildSnapshot, randomHeap } from '../../helpers/snapshot.js';
import { browserSnapshots, node24, runOracle, SCENARIOS, snapshots } from '../../helpers/corpus.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-parity-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

async function check(t: any, file: string) {
  const o = runOracle(file, dir);
  const r = await parity(file, o.nodes, o.classes);
  t.equal(
    r.nodeMismatches,
    0,
    `retained size of all ${r.nodes} nodes equal (${r.firstNodeMismatches.slice(0, 3).join('; ')})`,
  );
  t.same(r.classMismatches, [], `all ${r.classes} Summary rows equal (name, count, shallow, retained, distance)`);
  t.ok(r.statisticsEqual, 'Statistics equal');
  t.ok(r.totalSizeEqual, 'total size equal');
  return r;
}

t.test('corpus scenarios, Node 20 format (7 node fields), two snapshots each', async (t) => {
  t.ok(SCENARIOS.length >= 4, `corpus scenarios found: ${SCENARIOS.join(', ')}`);
  for (const s of SCENARIOS) {
    for (const file of snapshots(s, path.join(dir, 'n20'), 2)) await t.test(path.basename(file), (t) => check(t, file));
  }
});

t.test('corpus scenario in Node 24 format (6 node fields, extra_native_bytes)', async (t) => {
  const [file] = snapshots('global-cache', path.join(dir, 'n24'), 1, 1, node24());
  t.notMatch(fs.readFileSync(file).subarray(0, 300).toString(), /trace_node_id/, 'no trace_node_id field');
  await check(t, file);
});

const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
t.test(
  'browser page with detached DOM (Chromium)',
  { skip: fs.existsSync(chromium) ? false : `no Chromium at ${chromium} (apt-get install chromium)` },
  async (t) => {
    const files = browserSnapshots('detached-dom', path.join(dir, 'browser'), 2)!;
    for (const file of files) await t.test(path.basename(file), (t) => check(t, file));
  },
);

t.test('random heaps: weak, shortcut, hidden, WeakMap and DOM edge cases', async (t) => {
  for (let seed = 1; seed <= 30; seed++) {
    const file = path.join(dir, `random-${seed}.heapsnapshot`);
    fs.writeFileSync(file, buildSnapshot(randomHeap(seed, 30 + seed * 5), { fields: seed % 2 ? 7 : 6 }));
    await t.test(`seed ${seed}`, (t) => check(t, file));
  }
});
