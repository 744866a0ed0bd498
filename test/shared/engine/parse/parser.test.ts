import t from 'tap';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { SnapshotParser } from '../../../../shared/engine/parse/parser.js';
import { parseStream } from '../../../../shared/engine/parse/source.js';
import { ParseError } from '../../../../shared/engine/parse/errors.js';
import { buildSnapshot, randomHeap, type TestNode } from '../../../helpers/snapshot.js';
import { EDGE_TO } from '../../../../shared/engine/graph/graph.js';

const small: TestNode[] = [
  {
    type: 'synthetic',
    name: '',
    size: 0,
    edges: [
      { type: 'shortcut', name: '1', to: 1 },
      { type: 'element', name: 1, to: 2 },
    ],
  },
  { type: 'object', name: 'global', size: 40, edges: [{ type: 'property', name: 'cache', to: 3 }] },
  { type: 'synthetic', name: '(GC roots)', size: 0, edges: [] },
  { type: 'object', name: 'Map', size: 32, edges: [{ type: 'internal', name: 'table', to: 4 }] },
  { type: 'array', name: '', size: 1000, edges: [] },
];

function parseText(text: string, chunk = 1 << 16) {
  const p = new SnapshotParser();
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += chunk) p.write(b.subarray(i, i + chunk));
  return p.end();
}

/** Parses `bytes` copied `chunk` at a time into the parser's own buffer (its scanner's window), as files are read. */
function parseViaOwnBuffer(bytes: Buffer, chunk: number) {
  const p = new SnapshotParser();
  const buf = p.readBuffer!;
  for (let i = 0; i < bytes.length; i += chunk) {
    const n = bytes.copy(buf, 0, i, Math.min(bytes.length, i + chunk));
    p.write(buf.subarray(0, n));
  }
  return p.end();
}

t.test('reads nodes, edges and strings into columns', async (t) => {
  const g = parseText(buildSnapshot(small));
  t.equal(g.nodeCount, 5);
  t.equal(g.edgeCount, 4);
  t.same(Array.from(g.nodeId), [1, 3, 5, 7, 9]);
  t.same(Array.from(g.selfSize), [0, 40, 0, 32, 1000]);
  t.same(Array.from(g.firstEdge), [0, 2, 3, 3, 4, 4]);
  t.same(
    Array.from(g.edgeTypeTo, (x) => x & EDGE_TO),
    [1, 2, 3, 4],
  );
  t.equal(g.strings.get(g.nodeName[3]), 'Map');
  t.equal(g.strings.get(g.edgeName[2]), 'cache');
  t.equal(g.nodeFieldCount, 7);
});

t.test('the same graph whatever the chunk size, down to one byte', async (t) => {
  const text = buildSnapshot(small);
  const whole = parseText(text, text.length);
  for (const chunk of [1, 2, 3, 7, 64]) {
    const g = parseText(text, chunk);
    t.same(Array.from(g.edgeTypeTo), Array.from(whole.edgeTypeTo), `chunk ${chunk}`);
    t.same(Array.from(g.nodeName), Array.from(whole.nodeName), `chunk ${chunk}`);
    t.equal(g.strings.count, whole.strings.count);
  }
});

t.test("Node 24's 6-field nodes and fields in another order", async (t) => {
  const six = parseText(buildSnapshot(small, { fields: 6 }));
  t.equal(six.nodeFieldCount, 6);
  t.equal(six.traceNodeId, null);
  t.same(
    Array.from(six.edgeTypeTo, (x) => x & EDGE_TO),
    [1, 2, 3, 4],
  );
  // reorder node fields: id first, type last
  const text = buildSnapshot(small);
  const obj = JSON.parse(text);
  const fields: string[] = obj.snapshot.meta.node_fields;
  const order = ['id', 'self_size', 'name', 'edge_count', 'detachedness', 'trace_node_id', 'type'];
  const types = obj.snapshot.meta.node_types;
  obj.snapshot.meta.node_types = order.map((f) => types[fields.indexOf(f)]);
  obj.snapshot.meta.node_fields = order;
  const nodes: number[] = [];
  for (let i = 0; i < obj.nodes.length; i += 7) for (const f of order) nodes.push(obj.nodes[i + fields.indexOf(f)]);
  obj.nodes = nodes;
  const g = parseText(JSON.stringify(obj));
  t.same(Array.from(g.nodeId), [1, 3, 5, 7, 9]);
  t.same(Array.from(g.selfSize), [0, 40, 0, 32, 1000]);
  t.equal(g.nodeTypes[g.nodeType[4]], 'array');
  t.equal(g.strings.get(g.nodeName[1]), 'global');
});

t.test('strings: every JSON escape, surrogate pairs, lone surrogates', async (t) => {
  const values = ['plain', 'quote " and \\ backslash', 'tab\tnew\nline\r', '\u00e9\u4e2d', '😀 emoji', '\b\f/'];
  const nodes: TestNode[] = [
    { type: 'synthetic', name: '', size: 0 },
    ...values.map((v) => ({ type: 'string', name: v, size: 16 })),
  ];
  let text = buildSnapshot(nodes);
  // escape everything non-ASCII as \uXXXX (JSON.stringify keeps it raw), and add a slash escape
  text = text
    .replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
    .replace('"\\b\\f/"', '"\\b\\f\\/"');
  t.match(text, /\\ud83d\\ude00/);
  const g = parseText(text, 3);
  t.same(
    values.map((_, i) => g.strings.get(g.nodeName[i + 1])),
    values,
  );
  const lone = parseText(
    buildSnapshot([
      { type: 'synthetic', name: '', size: 0 },
      { type: 'string', name: 'X', size: 1 },
    ]).replace('"X"', '"a\\ud800b\\udc00"'),
  );
  t.equal(lone.strings.get(lone.nodeName[1]), 'a\ufffdb\ufffd');
});

t.test('gzip input is detected and inflated', async (t) => {
  const text = buildSnapshot(small);
  const gz = zlib.gzipSync(text);
  const chunks = [];
  for (let i = 0; i < gz.length; i += 5) chunks.push(gz.subarray(i, i + 5));
  const g = await parseStream(Readable.from(chunks));
  t.equal(g.nodeCount, 5);
  t.equal(g.byteLength, Buffer.byteLength(text));
  await t.rejects(parseStream(Readable.from([gz.subarray(0, gz.length - 20)])), {
    name: 'ParseError',
    message: /truncated gzip/,
  });
});

t.test('every error is a ParseError with a byte offset where one makes sense', async (t) => {
  const text = buildSnapshot(small);
  const bad = (s: string) => {
    try {
      parseText(s);
      return null;
    } catch (e) {
      return e as ParseError;
    }
  };
  const e1 = bad(text.replace('"nodes":[', '"nodes":[-'));
  t.type(e1, ParseError);
  t.match(e1!.message, /negative number in nodes array \(at byte \d+\)/);
  t.equal(e1!.offset, text.indexOf('"nodes":[') + 9);
  const e2 = bad(text.slice(0, text.length - 10));
  t.match(e2!.message, /truncated snapshot: input ends inside the "strings" array/);
  t.equal(e2!.message.split('\n').length, 1);
});

t.test('the JS fallback scanner reads the same graph as the WebAssembly one, and fails the same way', async (t) => {
  const { randomHeap } = await import('../../../helpers/snapshot.js');
  const text = buildSnapshot(randomHeap(5, 300));
  const parse = (s: string, noWasm: boolean, chunk: number) => {
    if (noWasm) process.env.HEAPSIGHT_NO_WASM = '1';
    else delete process.env.HEAPSIGHT_NO_WASM;
    try {
      return parseText(s, chunk);
    } finally {
      delete process.env.HEAPSIGHT_NO_WASM;
    }
  };
  for (const chunk of [7, 1000, 1 << 20]) {
    const a = parse(text, false, chunk),
      b = parse(text, true, chunk);
    for (const c of ['nodeType', 'nodeName', 'nodeId', 'selfSize', 'firstEdge', 'edgeTypeTo', 'edgeName'] as const) {
      t.same(Array.from(a[c]), Array.from(b[c]), `${c}, chunks of ${chunk}`);
    }
  }
  const bad = text.replace(/"edges":\[(\d+),(\d+),(\d+)/, (_m, a, b) => `"edges":[${a},${b},99999999`);
  const errors = [false, true].map((noWasm) => {
    try {
      parse(bad, noWasm, 64);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  });
  t.match(errors[0], /edge 0 points to/);
  t.equal(errors[0], errors[1], 'same message and byte offset');
  const big = text.replace(/"nodes":\[(\d+),(\d+),(\d+),(\d+)/, (_m, a, b, c) => `"nodes":[${a},${b},${c},5000000000`);
  const g = parse(big, false, 1 << 20);
  t.equal(g.selfSize[0], 5000000000, 'a self size over 2^32-1 is kept (the scanner hands it back to JS)');
});

t.test(
  'numbers of every length from 1 to 10 digits, after any separator, across scan windows: WebAssembly and JS agree',
  async (t) => {
    const { randomHeap } = await import('../../../helpers/snapshot.js');
    const heap = randomHeap(11, 40000); // well over one 1 MB scan window of numbers
    const lengths = [
      1, 12, 123, 1234, 12345, 123456, 1234567, 12345678, 123456789, 1234567890, 4294967295, 999999999, 1000000000,
    ];
    heap.forEach((n, i) => {
      n.id = lengths[i % lengths.length];
      n.size = lengths[(i * 7) % lengths.length];
    });
    let text = buildSnapshot(heap);
    // vary the white space between numbers inside the nodes array: newline before the comma, spaces around it
    const start = text.indexOf('"nodes":[') + 9,
      end = text.indexOf(']', start);
    let k = 0;
    const nodesText = text.slice(start, end).replace(/,/g, () => ['\n,', ',', ' , ', ',\n', ','][k++ % 5]);
    text = text.slice(0, start) + nodesText + text.slice(end);
    const parse = (noWasm: boolean, chunk: number) => {
      if (noWasm) process.env.HEAPSIGHT_NO_WASM = '1';
      else delete process.env.HEAPSIGHT_NO_WASM;
      try {
        return parseText(text, chunk);
      } finally {
        delete process.env.HEAPSIGHT_NO_WASM;
      }
    };
    const js = parse(true, 1 << 20);
    t.equal(js.nodeId[9], 1234567890);
    t.equal(js.nodeId[10], 4294967295);
    for (const chunk of [4093, 1 << 20, 3 << 20]) {
      const w = parse(false, chunk);
      for (const c of ['nodeId', 'selfSize', 'nodeName', 'firstEdge', 'edgeTypeTo'] as const) {
        t.ok(
          Buffer.compare(
            Buffer.from(w[c].buffer, w[c].byteOffset, w[c].byteLength),
            Buffer.from(js[c].buffer, js[c].byteOffset, js[c].byteLength),
          ) === 0,
          `${c}, chunks of ${chunk}`,
        );
      }
    }
  },
);

t.test('locations come out sorted by node, a node given twice keeping its order', async (t) => {
  const g = parseText(
    buildSnapshot(small, {
      locations: [
        [3, 7, 30, 3],
        [1, 7, 10, 1],
        [3, 8, 31, 4],
        [0, 1, 1, 1],
        [1, 9, 11, 2],
      ],
    }),
  );
  t.same(Array.from(g.locations.ordinal), [0, 1, 1, 3, 3]);
  t.same(Array.from(g.locations.line), [1, 10, 11, 30, 31]);
  t.same(Array.from(g.locations.scriptId), [1, 7, 9, 7, 8]);
  t.same(Array.from(g.locations.column), [1, 1, 2, 3, 4]);
});

t.test('long strings: quotes, backslashes and control characters found at every position and alignment', async (t) => {
  const specials = ['"', '\\', '\n', '\u0001', 'é', '😀'];
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const values: string[] = [];
  for (let k = 0; k < 200; k++) {
    let v = '';
    for (let m = rnd(80); m > 0; m--)
      v += rnd(12) === 0 ? specials[rnd(specials.length)] : String.fromCharCode(97 + rnd(26));
    values.push(v);
  }
  const nodes: TestNode[] = [
    { type: 'synthetic', name: '', size: 0 },
    ...values.map((v) => ({ type: 'string', name: v, size: 16 })),
  ];
  const bytes = Buffer.from(buildSnapshot(nodes));
  for (const shift of [0, 1, 2, 3]) {
    for (const chunk of [7, 64, 1000, 1 << 20]) {
      // the same bytes at another offset in their buffer, so the four-byte words fall elsewhere
      const shifted = Buffer.alloc(bytes.length + shift);
      bytes.copy(shifted, shift);
      const p = new SnapshotParser();
      const b = shifted.subarray(shift);
      for (let i = 0; i < b.length; i += chunk) p.write(b.subarray(i, i + chunk));
      const g = p.end();
      const got = values.map((_, i) => g.strings.get(g.nodeName[i + 1]));
      if (JSON.stringify(got) !== JSON.stringify(values)) {
        t.fail(`shift ${shift}, chunk ${chunk}: strings differ`);
        return;
      }
    }
  }
  // one read buffer reused for every chunk, as a file is read: nothing the scanner copied from an earlier chunk
  // may be taken for this one's bytes
  for (const chunk of [64, 1000, 4096]) {
    const p = new SnapshotParser();
    const buf = Buffer.alloc(chunk);
    for (let i = 0; i < bytes.length; i += chunk) {
      const n = bytes.copy(buf, 0, i, Math.min(bytes.length, i + chunk));
      p.write(n === chunk ? buf : buf.subarray(0, n));
    }
    const g = p.end();
    const got = values.map((_, i) => g.strings.get(g.nodeName[i + 1]));
    t.same(got, values, `one reused buffer, chunks of ${chunk}`);
  }
  // read straight into the parser's own buffer (the scanner's window), as files are: the same strings
  for (const chunk of [7, 1000, 1 << 20]) {
    const g = parseViaOwnBuffer(bytes, chunk);
    t.same(
      values.map((_, i) => g.strings.get(g.nodeName[i + 1])),
      values,
      `read into the parser's buffer, chunks of ${chunk}`,
    );
  }
  // a raw control character inside a long string is still refused
  const raw = buildSnapshot([
    { type: 'synthetic', name: '', size: 0 },
    { type: 'string', name: 'abcdefghijklmnopqrstuvwxyzXYZ', size: 1 },
  ]).replace('opqr', 'op\u0002r');
  t.throws(() => parseText(raw, 1 << 20), /raw control character 0x02/);
  t.pass('every string read back');
});

t.test(
  "input read into the parser's own buffer gives the graph a buffer of one's own gives, and fails the same",
  async (t) => {
    const p0 = new SnapshotParser();
    t.ok(p0.readBuffer && p0.readBuffer.length >= 1 << 20, "a buffer of the scanner window's size");
    const cols = ['nodeType', 'nodeName', 'nodeId', 'selfSize', 'firstEdge', 'edgeTypeTo', 'edgeName'] as const;
    for (const seed of [1, 2, 3]) {
      const bytes = Buffer.from(buildSnapshot(randomHeap(seed, 3000)));
      const want = parseText(bytes.toString(), 1 << 16);
      for (const chunk of [1, 333, 65536, 1 << 20]) {
        const g = parseViaOwnBuffer(bytes, chunk);
        const same = cols.every((c) =>
          Buffer.from(g[c].buffer, g[c].byteOffset, g[c].byteLength).equals(
            Buffer.from(want[c].buffer, want[c].byteOffset, want[c].byteLength),
          ),
        );
        t.ok(
          same && Buffer.from(g.strings.bytes).equals(Buffer.from(want.strings.bytes)),
          `seed ${seed}, chunks of ${chunk}`,
        );
      }
    }
    // a bad number found in the buffer is reported at the same byte
    const bad = buildSnapshot(small).replace('"edges":[', '"edges":[1x');
    const messageOf = (parse: () => unknown) => {
      try {
        parse();
      } catch (e) {
        return (e as Error).message;
      }
      return null;
    };
    const viaOwn = messageOf(() => parseText(bad, 1 << 20));
    const viaBuffer = messageOf(() => parseViaOwnBuffer(Buffer.from(bad), 1 << 20));
    t.ok(viaOwn);
    t.equal(viaBuffer, viaOwn, 'same message');
  },
);
