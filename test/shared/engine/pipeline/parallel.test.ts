// The two-thread path (split parse, helper-thread analyses) must give exactly what one thread gives.
import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFile } from '../../../../shared/engine/parse/source.js';
import { parseFileSplit } from '../../../../shared/engine/parse/split.js';
import * as split from '../../../../shared/engine/parse/split.js';
import { analyzeSnapshot } from '../../../../shared/engine/pipeline/analyze.js';
import type { HelperJob } from '../../../../shared/engine/pipeline/helper.js';
import { graphFromMessage, graphToMessage, isShared } from '../../../../shared/engine/graph/transfer.js';
import { StringTable, WELL_KNOWN } from '../../../../shared/engine/graph/strings.js';
import type { HeapGraph } from '../../../../shared/engine/graph/graph.js';
import { HelperThread } from '../../../../workers/helper-client.js';
import { inboundBound } from '../../../../shared/engine/dominators/essential.js';
import { predSlots } from '../../../../shared/engine/dominators/semi-nca.js';
import { typeCodes } from '../../../../shared/engine/graph/graph.js';
import { buildSnapshot, randomHeap } from '../../../helpers/snapshot.js';
import { SCENARIOS, snapshots } from '../../../helpers/corpus.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-parallel-'));
const helper = new HelperThread(2048);
t.teardown(async () => {
  await helper.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const columns = ['nodeType', 'nodeName', 'nodeId', 'selfSize', 'firstEdge', 'edgeTypeTo', 'edgeName'] as const;

function sameGraph(t: any, a: HeapGraph, b: HeapGraph) {
  for (const c of columns)
    t.ok(
      Buffer.from(a[c].buffer, a[c].byteOffset, a[c].byteLength).equals(
        Buffer.from(b[c].buffer, b[c].byteOffset, b[c].byteLength),
      ),
      `${c} equal`,
    );
  t.ok(Buffer.from(a.strings.bytes).equals(Buffer.from(b.strings.bytes)), 'string bytes equal');
  t.same(Array.from(a.strings.offsets), Array.from(b.strings.offsets), 'string offsets equal');
  t.same(
    [a.nodeCount, a.edgeCount, a.byteLength, a.locations.count],
    [b.nodeCount, b.edgeCount, b.byteLength, b.locations.count],
  );
  for (const c of ['ordinal', 'scriptId', 'line', 'column'] as const)
    t.same(Array.from(b.locations[c]), Array.from(a.locations[c]), `locations: ${c}`);
}

const strip = (r: any) => ({ ...r, generatedAt: null, timings: null });

/** A helper job with nothing to wait for and the DOM state left to the helper. */
const job = (g: HeapGraph, over: Partial<HelperJob> & Pick<HelperJob, 'inbound'>): HelperJob => ({
  g,
  domState: new Uint8Array(0),
  top: 0,
  options: { idOrder: false, keepShapes: false },
  gate: null,
  ahead: null,
  ...over,
});

async function check(t: any, file: string) {
  const before = split.splitCount;
  const one = await parseFile(file);
  const two = await parseFileSplit(file, helper.parseEdges, undefined, 0);
  t.equal(split.splitCount, before + 1, 'the parse was split');
  t.ok(isShared(two), 'columns are shared');
  sameGraph(t, one, two);
  // what lies between the edges and the strings (the locations), read by either thread
  for (const after of ['helper', 'here'] as const) {
    await t.test(`locations read ${after === 'here' ? 'by this thread' : 'by the other one'}`, async (t: any) => {
      sameGraph(t, one, await parseFileSplit(file, helper.parseEdges, undefined, 0, { after }));
      t.equal(split.splitCount, before + (after === 'helper' ? 2 : 3));
      if (fs.readFileSync(file, 'latin1').includes('"locations"'))
        t.equal(split.lastSections?.andAfter, after === 'helper', 'read where asked');
    });
  }
  // the names the split parse looked up travel with the graph, and read as a fresh lookup in the other thread would
  const moved = graphFromMessage(graphToMessage(two)).strings;
  const fresh = new StringTable(two.strings.bytes, two.strings.offsets);
  t.same(new Map(moved.known()), fresh.indexesOf(WELL_KNOWN), 'names looked up before the graph moved');
  const opts = { source: path.basename(file), fileBytes: 0, gzip: false };
  const a = (await analyzeSnapshot(one, opts)).findings;
  // with the helper bringing the dominator search's memory in, as on large graphs, whatever this one's size; and not
  const b = (await analyzeSnapshot(two, { ...opts, prefaultMinNodes: 0 }, helper)).findings;
  t.same(strip(b), strip(a), 'the same report');
  t.same(
    strip((await analyzeSnapshot(two, { ...opts, prefaultMinNodes: Infinity }, helper)).findings),
    strip(a),
    'the same report, memory not brought in',
  );
  t.ok(
    b.timings.some((x) => x.phase === 'duplicate strings (helper thread)'),
    'the helper did its share',
  );
}

t.test('what lies between the edges and the strings goes to the thread with less to read', async (t) => {
  // the 1.01 GB corpus snapshot's parts (MB): nodes 382, edges 554, locations 23, strings 55
  t.notOk(split.afterEdgesToHelper(382, 554, 23, 55), 'the edges are the larger part: the locations stay here');
  // the 2 GB one of distinct strings: nodes 282, edges 507, strings 1232
  t.ok(split.afterEdgesToHelper(282, 507, 0.1, 1232), 'the strings are the larger part: the locations go');
  t.ok(split.afterEdgesToHelper(100, 100, 10, 100));
  t.notOk(split.afterEdgesToHelper(100, 300, 10, 60));
});

t.test('corpus snapshots', async (t) => {
  for (const s of SCENARIOS) {
    const [file] = snapshots(s, path.join(dir, s), 1);
    await t.test(s, (t) => check(t, file));
  }
});

t.test('random heaps', async (t) => {
  for (let seed = 100; seed < 110; seed++) {
    const file = path.join(dir, `random-${seed}.heapsnapshot`);
    fs.writeFileSync(file, buildSnapshot(randomHeap(seed, 60), { fields: seed % 2 ? 7 : 6 }));
    await t.test(`seed ${seed}`, (t) => check(t, file));
  }
});

t.test('a snapshot whose sections are not in the usual order is parsed on one thread, to the same graph', async (t) => {
  const o = JSON.parse(buildSnapshot(randomHeap(11, 60)));
  // the strings between the nodes and the edges: the other thread finds no edges key where it looks
  const file = path.join(dir, 'reordered.heapsnapshot');
  fs.writeFileSync(
    file,
    JSON.stringify({
      snapshot: o.snapshot,
      nodes: o.nodes,
      strings: o.strings,
      edges: o.edges,
      locations: o.locations ?? [],
    }),
  );
  const before = split.splitCount;
  const one = await parseFile(file);
  const two = await parseFileSplit(file, helper.parseEdges, undefined, 0);
  t.equal(split.splitCount, before, 'not split');
  sameGraph(t, one, two);
});

t.test('errors read the same whichever thread finds them', async (t) => {
  const nodes = randomHeap(7, 50);
  const good = JSON.parse(buildSnapshot(nodes));
  const cases: [string, (o: any) => string][] = [
    [
      'bad to_node in the edges',
      (o) => {
        o.edges[o.edges.length - 1] = 7 * 9999;
        return JSON.stringify(o);
      },
    ],
    ['negative number in the edges', (o) => JSON.stringify(o).replace('"edges":[', '"edges":[-')],
    [
      'bad node type',
      (o) => {
        o.nodes[7] = 77;
        return JSON.stringify(o);
      },
    ],
    [
      'edge count off',
      (o) => {
        o.snapshot.edge_count += 1;
        return JSON.stringify(o);
      },
    ],
    ['truncated in the strings', (o) => JSON.stringify(o).slice(0, -20)],
    [
      'node name past the strings',
      (o) => {
        o.nodes[7 * 3 + 1] = 999999;
        return JSON.stringify(o);
      },
    ],
    [
      'edge name past the strings',
      (o) => {
        const types: string[] = o.snapshot.meta.edge_types[0];
        const k = o.edges.findIndex(
          (v: number, i: number) => i % 3 === 0 && i > 30 && types[v] !== 'element' && types[v] !== 'hidden',
        );
        o.edges[k + 1] = 999999;
        return JSON.stringify(o);
      },
    ],
  ];
  for (const [name, make] of cases) {
    const file = path.join(dir, name.replace(/ /g, '-') + '.heapsnapshot');
    fs.writeFileSync(file, make(structuredClone(good)));
    const one = await parseFile(file).then(
      () => null,
      (e) => e,
    );
    const two = await parseFileSplit(file, helper.parseEdges, undefined, 0).then(
      () => null,
      (e) => e,
    );
    t.ok(one, `${name}: rejected`);
    t.equal(two?.message, one?.message, `${name}: same message`);
    t.equal(two?.name, 'ParseError');
  }
});

t.test(
  'the helper makes the table of predecessors for the search and brings its working arrays into memory untouched',
  async (t) => {
    const file = path.join(dir, 'ahead.heapsnapshot');
    fs.writeFileSync(file, buildSnapshot(randomHeap(5, 400)));
    const g = await parseFile(file, undefined, { shared: true });
    const n1 = g.nodeCount + 1;
    const into = new Uint32Array(new SharedArrayBuffer(n1 * 4));
    const sab = () => new Uint32Array(new SharedArrayBuffer(n1 * 4));
    const ahead = { scratch: sab(), parent: sab(), semi: sab() };
    for (const a of Object.values(ahead)) for (let i = 0; i < n1; i++) a[i] = i * 7 + 1;
    const work = helper.start(job(g, { inbound: into, ahead }));
    const counted = (await work.inbound)!;
    t.same(into, inboundBound(g, typeCodes(g), new Uint32Array(n1)), 'the bound');
    t.ok(counted.preds && counted.preds.buffer instanceof SharedArrayBuffer, 'a shared table');
    t.equal(counted.preds!.length, predSlots(into, g.nodeCount), 'sized by the bound');
    t.ok(
      counted.preds!.every((x) => x === 0),
      'all zeros',
    );
    await work.duplicates; // the helper is past its prefault
    for (const [k, a] of Object.entries(ahead))
      t.ok(
        a.every((x, i) => x === i * 7 + 1),
        `${k} unchanged`,
      );
    // without the arrays, no table
    const plain = helper.start(job(g, { inbound: new Uint32Array(new SharedArrayBuffer(n1 * 4)) }));
    t.equal((await plain.inbound)!.preds, null);
    await plain.duplicates;
  },
);

t.test('a helper thread that dies fails the work waiting on it, with one clear line', async (t) => {
  const doomed = new HelperThread(1); // 1 MB of heap: the thread cannot even start
  const file = path.join(dir, 'doomed.heapsnapshot');
  fs.writeFileSync(file, buildSnapshot(randomHeap(3, 80)));
  const g = await parseFile(file, undefined, { shared: true });
  const work = doomed.start(job(g, { top: 5, inbound: new Uint32Array(new SharedArrayBuffer((g.nodeCount + 1) * 4)) }));
  await t.rejects(Promise.resolve(work.inbound), {
    code: 'WORKER_DIED',
    message: 'the analysis ran out of memory (heap limit 1 MB per thread); raise it with --max-memory',
  });
  await t.rejects(Promise.resolve(work.shallow), {
    code: 'WORKER_DIED',
    message: 'the analysis ran out of memory (heap limit 1 MB per thread); raise it with --max-memory',
  });
  await t.rejects(Promise.resolve(work.duplicates), { code: 'WORKER_DIED' });
  await t.rejects(Promise.resolve(work.classes), { code: 'WORKER_DIED' });
  // a split parse waiting on the thread for where the edges start fails the same way, in one line
  await t.rejects(parseFileSplit(file, doomed.parseEdges, undefined, 0), {
    code: 'WORKER_DIED',
    message: /ran out of memory \(heap limit 1 MB per thread\)/,
  });
  await doomed.close();
});
