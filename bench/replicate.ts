// Writes a larger heap snapshot made of K copies of a real one, for benchmarks at sizes V8 cannot write on this
// machine (its snapshot writer needs about 7x the file's size in memory, so 4 GB would need ~28 GB).
//
//   node dist/bench/replicate.js IN.heapsnapshot OUT.heapsnapshot K
//
// The result is a valid snapshot: a new synthetic root holds the K copies' roots by element edges; every copy
// keeps the original's nodes, edges and source locations, with ids renumbered (parity kept) so none is shared. The
// strings held by string nodes get a distinct value in every copy (the copy number is appended), so a snapshot
// dominated by distinct strings stays so. Everything else shares the original's string table.
import fs from 'node:fs';
import { parseFile } from '../shared/engine/parse/source.js';
import { edgeToOf, edgeTypeOf } from '../shared/engine/graph/graph.js';

const [, , input, output, kArg] = process.argv;
const K = Number(kArg);
if (!input || !output || !(K >= 1)) {
  console.error('usage: node dist/bench/replicate.js IN.heapsnapshot OUT.heapsnapshot K');
  process.exit(2);
}

/** The snapshot header (everything before the nodes array), as JSON. */
function readHeader(file: string): {
  snapshot: { meta: Record<string, unknown>; node_count: number; edge_count: number };
} {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  const n = fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  const text = buf.toString('utf8', 0, n);
  const at = text.indexOf('"nodes"');
  if (at < 0) throw new Error('no nodes array in the first MB');
  return JSON.parse(text.slice(0, at) + '"_":0}');
}

/** Buffered output with integers written digit by digit. */
class Out {
  private buf = Buffer.allocUnsafe(1 << 24);
  private at = 0;
  bytes = 0;
  constructor(private readonly fd: number) {}
  private room(n: number): void {
    if (this.at + n > this.buf.length) this.flush();
  }
  flush(): void {
    fs.writeSync(this.fd, this.buf, 0, this.at);
    this.bytes += this.at;
    this.at = 0;
  }
  text(s: string): void {
    const b = Buffer.from(s, 'utf8');
    if (b.length > this.buf.length) {
      this.flush();
      fs.writeSync(this.fd, b);
      this.bytes += b.length;
      return;
    }
    this.room(b.length);
    b.copy(this.buf, this.at);
    this.at += b.length;
  }
  /** Non-negative integers below 2^53, each followed by `sep` (one byte). */
  num(v: number, sep: number): void {
    this.room(24);
    const buf = this.buf;
    if (v < 10) {
      buf[this.at++] = 48 + v;
      buf[this.at++] = sep;
      return;
    }
    let digits = 0;
    for (let x = v; x >= 1; x = Math.floor(x / 10)) digits++;
    let end = this.at + digits;
    for (let x = v; end > this.at; x = Math.floor(x / 10)) buf[--end] = 48 + (x % 10);
    this.at += digits;
    buf[this.at++] = sep;
  }
}

const t0 = performance.now();
const header = readHeader(input);
const g = await parseFile(input);
const meta = header.snapshot.meta as {
  node_fields: string[];
  edge_fields: string[];
  node_types: [string[]];
  edge_types: [string[]];
  location_fields?: string[];
};
const N = g.nodeCount,
  E = g.edgeCount,
  F = meta.node_fields.length;
const stringTypes = new Set(
  ['string', 'concatenated string', 'sliced string'].map((t) => g.nodeTypes.indexOf(t)).filter((t) => t >= 0),
);
const elementType = g.edgeTypes.indexOf('element');
const syntheticType = g.nodeTypes.indexOf('synthetic');

// string indexes held by string nodes: each copy after the first gets its own strings for them
const used = new Uint8Array(g.strings.count);
for (let o = 0; o < N; o++) if (stringTypes.has(g.nodeType[o])) used[g.nodeName[o]] = 1;
const rank = new Int32Array(g.strings.count).fill(-1);
const usedList: number[] = [];
for (let s = 0; s < used.length; s++)
  if (used[s]) {
    rank[s] = usedList.length;
    usedList.push(s);
  }
const S = g.strings.count;
const rootName = S + (K - 1) * usedList.length; // the new root's name, last in the table

const totalNodes = 1 + K * N,
  totalEdges = K + K * E;
if (2 * totalNodes + 1 >= 2 ** 32) throw new Error('too many copies for 32-bit ids');

const out = new Out(fs.openSync(output, 'w'));
const snapshot = { ...header.snapshot, node_count: totalNodes, edge_count: totalEdges };
out.text(`{"snapshot":${JSON.stringify(snapshot)},\n"nodes":[`);
const role = meta.node_fields;
const COMMA = 44,
  NL = 10;
// the new root: synthetic, holding the copies
const rootRow: Record<string, number> = {
  type: syntheticType,
  name: rootName,
  id: 1,
  self_size: 0,
  edge_count: K,
  trace_node_id: 0,
  detachedness: 0,
};
role.forEach((f, i) => out.num(rootRow[f] ?? 0, i === F - 1 ? NL : COMMA));
for (let k = 0; k < K; k++) {
  const strBase = S + (k - 1) * usedList.length;
  for (let o = 0; o < N; o++) {
    out.text(',');
    for (let i = 0; i < F; i++) {
      let v = 0;
      switch (role[i]) {
        case 'type':
          v = g.nodeType[o];
          break;
        case 'name':
          v = k > 0 && stringTypes.has(g.nodeType[o]) ? strBase + rank[g.nodeName[o]] : g.nodeName[o];
          break;
        case 'id':
          v = 2 * (1 + k * N + o) + (g.nodeId[o] & 1);
          break; // unique, and of the same parity
        case 'self_size':
          v = g.selfSize[o];
          break;
        case 'edge_count':
          v = g.firstEdge[o + 1] - g.firstEdge[o];
          break;
        case 'detachedness':
          v = g.detachedness ? g.detachedness[o] : 0;
          break;
      }
      out.num(v, i === F - 1 ? NL : COMMA);
    }
  }
}
out.text('],\n"edges":[');
for (let k = 0; k < K; k++) {
  if (k) out.text(',');
  out.num(elementType, COMMA);
  out.num(k + 1, COMMA);
  out.num((1 + k * N + g.rootOrdinal) * F, NL);
}
for (let k = 0; k < K; k++) {
  const base = 1 + k * N;
  for (let e = 0; e < E; e++) {
    out.text(',');
    out.num(edgeTypeOf(g, e), COMMA);
    out.num(g.edgeName[e], COMMA);
    out.num((base + edgeToOf(g, e)) * F, NL);
  }
}
out.text('],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[');
const loc = g.locations;
let firstLoc = true;
for (let k = 0; k < K; k++) {
  for (let i = 0; i < loc.count; i++) {
    if (!firstLoc) out.text(',');
    firstLoc = false;
    out.num((1 + k * N + loc.ordinal[i]) * F, COMMA);
    out.num(loc.scriptId[i], COMMA);
    out.num(loc.line[i], COMMA);
    out.num(loc.column[i], NL);
  }
}
out.text('],\n"strings":[');
for (let s = 0; s < S; s++) out.text((s ? ',\n' : '') + JSON.stringify(g.strings.get(s)));
for (let k = 1; k < K; k++) for (const s of usedList) out.text(',\n' + JSON.stringify(`${g.strings.get(s)} #${k}`));
out.text(',\n"(replicated root)"]}\n');
out.flush();
console.log(
  `${output}: ${K} copies of ${input}, ${totalNodes} nodes, ${totalEdges} edges, ${out.bytes} bytes ` +
    `in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
