import { sortByKey } from '../util/radix.js';
import { ParseError, SnapshotTooLargeError } from './errors.js';
import { GrowableBytes, GrowableU32 } from '../util/growable.js';
import { StringTable, WELL_KNOWN } from '../graph/strings.js';
import { ScanStatus, WasmScanner, WINDOW } from './wasm-scanner.js';
import { EDGE_TYPE_SHIFT, MAX_EDGE_TYPES, MAX_NODES, type HeapGraph } from '../graph/graph.js';

/**
 * A push parser for `.heapsnapshot` JSON. Bytes go in with `write` in chunks of any size; numbers are scanned
 * byte by byte straight into typed arrays (one column per node field), strings are decoded into one UTF-8 buffer.
 * No section of the file is ever held as a JS string. `end()` validates the whole and returns the graph.
 */

const enum Mode {
  Start,
  KeyOrEnd,
  Key,
  Colon,
  Value,
  Skip,
  Header,
  NumArray,
  StrArray,
  CommaOrEnd,
  Done,
}
const enum Target {
  Nodes,
  Edges,
  Locations,
}
const enum Role {
  Other,
  Type,
  Name,
  Id,
  Self,
  EdgeCount,
  Detached,
}

const MAX_HEADER_BYTES = 64 << 20;

/** Typed arrays on a SharedArrayBuffer, so another thread can fill or read them without a copy. */
export function sharedU32(n: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(Math.max(1, n) * 4), 0, n);
}
export function sharedU8(n: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(Math.max(1, n)), 0, n);
}

export interface ParserOptions {
  /** Allocate the node and edge columns on SharedArrayBuffers. */
  shared?: boolean;
  /** Total input size when known: the strings buffer is then sized once instead of grown by doubling. */
  sizeHint?: number;
  /**
   * Refuse, as soon as the header gives the node and edge counts, a snapshot whose analysis would need more memory
   * than this (see `analysisMemoryMb`); `name` says where the limit comes from, for the message.
   */
  memoryLimit?: { mb: number; name: string };
}

/**
 * Peak memory (MB) of analysing a snapshot of this many nodes and edges, as measured by `npm run bench` on the
 * corpus from 50 MB to 2 GB (it predicts 1192 MB at 1 GB, where 1120-1137 MB was measured, and 2234 MB at 2 GB,
 * against 2158 MB): the graph's columns, the dominator tree's working arrays and both threads' results, plus the
 * runtime itself. The string bytes are not known from the header: the analyzer's file-size estimate covers them.
 */
export function analysisMemoryMb(nodeCount: number, edgeCount: number): number {
  return Math.ceil((42 * nodeCount + 13 * edgeCount) / 2 ** 20) + 150;
}

/** The edge columns, which a second thread may fill (see `SnapshotParser.forEdges`). */
export interface EdgeColumns {
  /** Type (top bits) and target ordinal of each edge, as in `HeapGraph.edgeTypeTo`. */
  edgeTypeTo: Uint32Array;
  edgeName: Uint32Array;
  /** One cell: the largest string index named by an edge of a named type, so `end()` checks it in one step. */
  nameMax: Uint32Array;
}
const U32_MAX = 0xffffffff;
const MAX_EXACT = 999999999999999; // 15 digits: exact in a double

/**
 * A first capacity for an array of numbers read from the rest of the input (`sizeHint - at` bytes, one number per
 * `bytes` on a guess): big enough that it seldom grows by copying, and costing nothing for the part never written (a new
 * typed array's pages are only mapped in once touched); at most 64 M entries.
 */
function presize(sizeHint: number | undefined, at: number, bytes: number): number {
  return sizeHint ? Math.min(1 << 26, Math.max(1 << 12, Math.ceil((sizeHint - at) / bytes))) : 1 << 12;
}

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Splits the locations array into columns; false when the node ordinals are not in order. */
function splitLocations(
  vals: Uint32Array,
  fc: number,
  io: number,
  so: number,
  lo: number,
  co: number,
  nf: number,
  n: number,
  ordinal: Uint32Array,
  scriptId: Uint32Array,
  line: Uint32Array,
  column: Uint32Array,
): boolean {
  let sorted = true;
  for (let k = 0, at = 0, prev = 0, count = ordinal.length; k < count; k++, at += fc) {
    const idx = vals[at + io];
    const o = Math.floor(idx / nf);
    if (o * nf !== idx || o >= n) notANode(k, idx);
    ordinal[k] = o;
    scriptId[k] = vals[at + so];
    line[k] = vals[at + lo];
    column[k] = vals[at + co];
    if (o < prev) sorted = false;
    prev = o;
  }
  return sorted;
}

function notANode(k: number, idx: number): never {
  throw new ParseError(`location ${k} refers to node index ${idx}, which is not a node`);
}

function describe(c: number): string {
  if (c >= 32 && c < 127) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** 1 for the edge types whose name_or_index is a string index (all but element and hidden). */
function namedEdgeTypes(types: string[]): Uint8Array {
  return Uint8Array.from(types, (t) => (t === 'element' || t === 'hidden' ? 0 : 1));
}

/** What each edge field holds, by position. */
function edgeRolesOf(fields: string[]): Uint8Array {
  const role: Record<string, Role> = { type: Role.Type, name_or_index: Role.Name, to_node: Role.Id };
  return new Uint8Array(fields.map((f) => role[f] ?? Role.Other));
}

/** What the "snapshot" header says, once read. */
export interface Header {
  nodeFields: string[];
  nodeTypes: string[];
  edgeFields: string[];
  edgeTypes: string[];
  locationFields: string[];
  nodeCount: number;
  edgeCount: number;
  rootIndex: number;
  extraNativeBytes: number;
}

export class SnapshotParser {
  private readonly wasm: WasmScanner | null;

  constructor(private readonly opts: ParserOptions = {}) {
    this.wasm = WasmScanner.create();
  }

  /**
   * A parser for the edges section alone, started at the byte offset of its `"edges"` key, writing into given
   * columns: the second thread's half of a split parse. Feed it the bytes up to the next key; then `finishEdges`.
   */
  static forEdges(
    header: Header,
    nodeCount: number,
    cols: EdgeColumns,
    offset: number,
    andAfter = false,
    end?: number,
  ): SnapshotParser {
    const p = new SnapshotParser({ sizeHint: end, shared: true }); // (the locations it reads go to a graph that is)
    p.header = header;
    p.pos = offset;
    p.mode = Mode.KeyOrEnd;
    p.nf = header.nodeFields.length;
    p.ef = header.edgeFields.length;
    p.edgeTypeCount = header.edgeTypes.length;
    p.edgeRoles = edgeRolesOf(header.edgeFields);
    p.edgeTypeTo = cols.edgeTypeTo;
    p.edgeName = cols.edgeName;
    p.nameMax = cols.nameMax;
    p.namedEdge = namedEdgeTypes(header.edgeTypes);
    if (p.wasm) p.wasm.namedEdgeTypes = p.namedEdge;
    p.nodeCountRead = nodeCount;
    p.nodesDone = true;
    p.seen.add('snapshot').add('nodes');
    p.edgesOnly = !andAfter;
    p.edgesFirst = true;
    return p;
  }

  /**
   * For a parser from `forEdges` that read on past the edges (up to the strings): the locations it read, in columns
   * sorted by node (empty if there were none).
   */
  takeLocations(): HeapGraph['locations'] {
    return this.buildLocations(this.nodeCountRead);
  }

  /**
   * Tells the parser the sections between the edges and the strings (the locations among them) are read elsewhere
   * too, so `settle()` does not build locations; `end()` takes those given to `useLocations`.
   */
  locationsReadElsewhere(): void {
    this.locationsElsewhere = true;
  }

  useLocations(locations: HeapGraph['locations']): void {
    this.givenLocations = locations;
  }

  private locationsElsewhere = false;
  private givenLocations: HeapGraph['locations'] | null = null;

  /** For a parser from `forEdges`: checks that exactly the edges array (and the comma after it) was read. */
  finishEdges(): void {
    if (!this.edgesDone) throw new ParseError(`truncated snapshot: input ends ${this.where()}`, this.pos);
    if (this.mode !== Mode.KeyOrEnd) throw new ParseError('malformed JSON after the "edges" array', this.pos);
  }

  /** The header once read, else null. */
  get headerInfo(): Header | null {
    return this.header;
  }
  /** The edge columns (allocated when the header is read). */
  get edgeColumns(): EdgeColumns {
    return { edgeTypeTo: this.edgeTypeTo, edgeName: this.edgeName, nameMax: this.nameMax };
  }
  /** Whether the parser stands right after a top-level value, before the next key (or the end). */
  get betweenKeys(): boolean {
    return this.mode === Mode.KeyOrEnd || this.mode === Mode.CommaOrEnd;
  }
  get nodesRead(): boolean {
    return this.nodesDone;
  }
  /** Byte offset of the '[' that opens the nodes array, once seen (else 0). */
  get nodesStart(): number {
    return this.nodesOpenAt;
  }
  private nodesOpenAt = 0;

  /**
   * Tells the parser the edges array is read elsewhere (by `forEdges` in another thread) and the caller skips
   * its bytes, resuming at byte `resumeAt` (so offsets in errors stay true); `end()` then trusts the columns.
   */
  edgesReadElsewhere(resumeAt: number): void {
    this.pos = resumeAt;
    this.seen.add('edges');
    this.edgesDone = true;
  }

  private edgesOnly = false;
  /** A parser for the part of a split parse that starts at the edges: only what may come between them and the strings is read. */
  private edgesFirst = false;
  private pos = 0; // absolute offset of the start of the current chunk
  private mode = Mode.Start;
  private key = '';
  private keyBytes: number[] = [];
  private seen = new Set<string>();

  // generic skipping / header capture
  private depth = 0;
  private inStr = false;
  private esc = false;
  private headerBytes: GrowableBytes | null = null;
  private header: Header | null = null;

  // numeric arrays
  private target = Target.Nodes;
  private arrOpen = false;
  private numState = 0; // 0 expecting value, 1 in number, 2 after value
  private cur = 0;
  private count = 0; // values read into the current array
  private sectionStart = 0;

  // node columns
  private nf = 0;
  private roles: Uint8Array = new Uint8Array(0);
  private field = 0;
  private ord = 0;
  private nodeType!: Uint8Array;
  private nodeName!: Uint32Array;
  private nodeId!: Uint32Array;
  private selfSize!: Uint32Array | Float64Array;
  private detachedness: Uint8Array | null = null;
  private firstEdge!: Uint32Array;
  private nodeTypeCount = 0;
  private nodesDone = false;
  private nodeCountRead = 0;

  // edge columns
  private ef = 0;
  private edgeRoles: Uint8Array = new Uint8Array(0);
  private edgeTypeTo!: Uint32Array;
  private edgeName!: Uint32Array;
  private nameMax: Uint32Array = new Uint32Array(1);
  private namedEdge: Uint8Array = new Uint8Array(0);
  /** The largest string index a node's name holds. */
  private nodeNameMax = 0;
  private edgeTypeCount = 0;
  private edgesDone = false;

  private locationValues: GrowableU32 | null = null;

  // strings
  private strBytes: GrowableBytes | null = null;
  private strOffsets: GrowableU32 | null = null;
  private sState = 0; // 0 expecting '"' or ']' (first), 1 in string, 2 after string, 3 expecting '"' after ','
  private escState = 0; // 0 none, 1 after backslash, 2 in \u
  private hex = 0;
  private hexDigits = 0;
  private pendingHigh = 0;
  private stringsDone = false;

  /**
   * A buffer to read input into and pass to `write` (a view of it, at most its length at a time), which saves the
   * scanner copying it; null without the WebAssembly scanner (any buffer does then). Its bytes change as the
   * parser works: each `write` must be given bytes read afresh.
   */
  get readBuffer(): Uint8Array | null {
    return this.wasm?.input ?? null;
  }

  /** Feeds the next bytes. Throws ParseError on the first thing that is wrong. */
  write(chunk: Uint8Array): void {
    this.wasm?.forget(); // a new chunk: what the scanner copied before is stale (read buffers are reused)
    let i = 0;
    const len = chunk.length;
    while (i < len) {
      switch (this.mode) {
        case Mode.Start: {
          const c = chunk[i];
          if (isWs(c)) {
            i++;
            break;
          }
          if (c === 0xef && this.pos + i === 0) {
            i += 3;
            break;
          } // UTF-8 byte order mark
          if (c !== 123)
            throw new ParseError(`not a heap snapshot: expected '{' but found ${describe(c)}`, this.pos + i);
          this.mode = Mode.KeyOrEnd;
          i++;
          break;
        }
        case Mode.KeyOrEnd: {
          const c = chunk[i];
          if (isWs(c)) {
            i++;
            break;
          }
          if (c === 34) {
            this.mode = Mode.Key;
            this.keyBytes = [];
            i++;
            break;
          }
          if (c === 125) {
            this.mode = Mode.Done;
            i++;
            break;
          }
          throw new ParseError(`not a heap snapshot: expected a key but found ${describe(c)}`, this.pos + i);
        }
        case Mode.Key: {
          const c = chunk[i];
          if (c === 34) {
            this.key = Buffer.from(this.keyBytes).toString('utf8');
            this.mode = Mode.Colon;
          } else {
            if (this.keyBytes.length > 256)
              throw new ParseError('not a heap snapshot: top-level key too long', this.pos + i);
            this.keyBytes.push(c);
          }
          i++;
          break;
        }
        case Mode.Colon: {
          const c = chunk[i];
          if (isWs(c)) {
            i++;
            break;
          }
          if (c !== 58) throw new ParseError(`malformed JSON: expected ':' but found ${describe(c)}`, this.pos + i);
          this.mode = Mode.Value;
          i++;
          break;
        }
        case Mode.Value: {
          const c = chunk[i];
          if (isWs(c)) {
            i++;
            break;
          }
          this.beginValue(c, this.pos + i);
          break;
        }
        case Mode.Skip:
        case Mode.Header:
          i = this.skipValue(chunk, i);
          break;
        case Mode.NumArray:
          i = this.scanNumbers(chunk, i);
          break;
        case Mode.StrArray:
          i = this.scanStrings(chunk, i);
          break;
        case Mode.CommaOrEnd: {
          const c = chunk[i];
          if (isWs(c)) {
            i++;
            break;
          }
          if (c === 44) {
            this.mode = Mode.KeyOrEnd;
            i++;
            break;
          }
          if (c === 125) {
            this.mode = Mode.Done;
            i++;
            break;
          }
          throw new ParseError(
            `malformed JSON: expected ',' or '}' after "${this.key}" but found ${describe(c)}`,
            this.pos + i,
          );
        }
        case Mode.Done: {
          const c = chunk[i];
          if (!isWs(c))
            throw new ParseError(`unexpected data after the end of the snapshot: ${describe(c)}`, this.pos + i);
          i++;
          break;
        }
      }
    }
    this.pos += len;
  }

  get bytesRead(): number {
    return this.pos;
  }

  private beginValue(c: number, at: number): void {
    const key = this.key;
    if (this.edgesOnly && key !== 'edges') throw new ParseError(`expected the "edges" array here, found "${key}"`, at);
    if (this.edgesFirst && (key === 'snapshot' || key === 'nodes' || key === 'strings')) {
      throw new ParseError(`expected the "edges" array or what follows it here, found "${key}"`, at);
    }
    if (this.seen.has(key)) throw new ParseError(`not a heap snapshot: key "${key}" appears twice`, at);
    this.seen.add(key);
    this.sectionStart = at;
    const needHeader = () => {
      if (!this.header)
        throw new ParseError(`not a heap snapshot: "${key}" comes before "snapshot" (its meta must come first)`, at);
    };
    const expect = (ch: number, what: string) => {
      if (c !== ch) throw new ParseError(`not a heap snapshot: "${key}" is not ${what}`, at);
    };
    switch (key) {
      case 'snapshot':
        expect(123, 'an object');
        this.mode = Mode.Header;
        this.headerBytes = new GrowableBytes(1 << 12);
        this.depth = 0;
        this.inStr = false;
        this.esc = false;
        return;
      case 'nodes':
        needHeader();
        expect(91, 'an array');
        this.nodesOpenAt = at;
        this.beginNumbers(Target.Nodes);
        return;
      case 'edges':
        needHeader();
        expect(91, 'an array');
        if (!this.nodesDone) throw new ParseError('not a heap snapshot: "edges" comes before "nodes"', at);
        this.beginNumbers(Target.Edges);
        return;
      case 'locations':
        needHeader();
        expect(91, 'an array');
        this.locationValues = new GrowableU32(presize(this.opts.sizeHint, at, 4));
        this.beginNumbers(Target.Locations);
        return;
      case 'strings':
        expect(91, 'an array');
        this.mode = Mode.StrArray;
        this.arrOpen = false;
        this.sState = 0;
        this.escState = 0;
        this.pendingHigh = 0;
        // decoded strings are never longer than their JSON: what is left of the input bounds them
        this.strBytes = new GrowableBytes(
          this.opts.sizeHint ? Math.max(16, this.opts.sizeHint - at) : 1 << 20,
          this.opts.shared ? sharedU8 : undefined,
        );
        this.strOffsets = new GrowableU32(presize(this.opts.sizeHint, at, 8), this.opts.shared ? sharedU32 : undefined);
        this.strOffsets.push(0);
        return;
      default:
        this.mode = Mode.Skip;
        this.depth = 0;
        this.inStr = false;
        this.esc = false;
        return;
    }
  }

  /** Skips (or, for the header, captures) one JSON value of any shape. Returns the index after what it used. */
  private skipValue(b: Uint8Array, i: number): number {
    const start = i;
    const len = b.length;
    const capture = this.mode === Mode.Header;
    let depth = this.depth,
      inStr = this.inStr,
      esc = this.esc;
    let ended = false;
    for (; i < len; i++) {
      const c = b[i];
      if (inStr) {
        if (esc) esc = false;
        else if (c === 92) esc = true;
        else if (c === 34) inStr = false;
        continue;
      }
      if (c === 34) {
        inStr = true;
        continue;
      }
      if (c === 123 || c === 91) {
        depth++;
        continue;
      }
      if (c === 125 || c === 93) {
        if (depth === 0) {
          ended = true;
          break;
        } // a scalar value ended by the enclosing object's '}'
        depth--;
        if (depth === 0) {
          i++;
          ended = true;
          break;
        }
        continue;
      }
      if (c === 44 && depth === 0) {
        ended = true;
        break;
      }
    }
    this.depth = depth;
    this.inStr = inStr;
    this.esc = esc;
    if (capture) {
      this.headerBytes!.append(b, start, i);
      if (this.headerBytes!.length > MAX_HEADER_BYTES)
        throw new ParseError('not a heap snapshot: "snapshot" header is too large', this.pos + i);
    }
    if (ended) {
      if (capture) this.finishHeader();
      this.mode = Mode.CommaOrEnd;
    }
    return i;
  }

  private finishHeader(): void {
    /** JSON as parsed: its shape is checked below, field by field. */
    type Json = { [key: string]: Json } | undefined;
    let raw: Json;
    try {
      raw = JSON.parse(Buffer.from(this.headerBytes!.view()).toString('utf8'));
    } catch (e) {
      throw new ParseError(
        `not a heap snapshot: "snapshot" header is not valid JSON (${(e as Error).message})`,
        this.sectionStart,
      );
    }
    this.headerBytes = null;
    const at = this.sectionStart;
    const meta = raw?.meta;
    const bad = (what: string) => new ParseError(`not a heap snapshot: ${what}`, at);
    if (!meta || typeof meta !== 'object') throw bad('"snapshot.meta" is missing');
    const strList = (v: unknown, name: string): string[] => {
      if (!Array.isArray(v) || !v.every((s) => typeof s === 'string'))
        throw bad(`snapshot.meta.${name} is not a list of names`);
      return v as string[];
    };
    const nodeFields = strList(meta.node_fields, 'node_fields');
    const edgeFields = strList(meta.edge_fields, 'edge_fields');
    const typeList = (types: unknown, fields: string[], name: string): string[] => {
      const at2 = fields.indexOf('type');
      if (!Array.isArray(types) || !Array.isArray(types[at2])) throw bad(`snapshot.meta.${name} has no list of types`);
      return strList(types[at2], `${name}[${at2}]`);
    };
    for (const f of ['type', 'name', 'id', 'self_size', 'edge_count']) {
      if (!nodeFields.includes(f)) throw bad(`snapshot.meta.node_fields lacks "${f}"`);
    }
    for (const f of ['type', 'name_or_index', 'to_node']) {
      if (!edgeFields.includes(f)) throw bad(`snapshot.meta.edge_fields lacks "${f}"`);
    }
    const nodeTypes = typeList(meta.node_types, nodeFields, 'node_types');
    const edgeTypes = typeList(meta.edge_types, edgeFields, 'edge_types');
    if (nodeTypes.length > 255 || edgeTypes.length > 255) throw bad('too many node or edge types');
    const count = (v: unknown, name: string): number => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
        throw bad(`snapshot.${name} is missing or not a count`);
      return v;
    };
    const nodeCount = count(raw?.node_count, 'node_count');
    const edgeCount = count(raw?.edge_count, 'edge_count');
    if (nodeCount === 0) throw bad('snapshot.node_count is 0');
    if (nodeCount >= U32_MAX || edgeCount >= U32_MAX) throw bad('more than 2^32 nodes or edges');
    if (nodeCount > MAX_NODES)
      throw new ParseError(`the snapshot holds ${nodeCount} nodes: heapsight reads at most ${MAX_NODES} (2^29)`, at);
    if (edgeTypes.length > MAX_EDGE_TYPES)
      throw new ParseError(
        `unsupported snapshot: ${edgeTypes.length} edge types (V8 writes 7; heapsight reads at most ${MAX_EDGE_TYPES})`,
        at,
      );
    const rootIndex = raw?.root_index === undefined ? 0 : count(raw?.root_index, 'root_index');
    const extra = raw?.extra_native_bytes === undefined ? 0 : count(raw?.extra_native_bytes, 'extra_native_bytes');
    this.header = {
      nodeFields,
      nodeTypes,
      edgeFields,
      edgeTypes,
      locationFields: Array.isArray(meta.location_fields) ? meta.location_fields : [],
      nodeCount,
      edgeCount,
      rootIndex,
      extraNativeBytes: extra,
    };
    const limit = this.opts.memoryLimit;
    if (limit && analysisMemoryMb(nodeCount, edgeCount) > limit.mb) {
      throw new SnapshotTooLargeError(
        `the snapshot holds ${nodeCount.toLocaleString('en-US')} nodes and ${edgeCount.toLocaleString('en-US')} edges: ` +
          `analysing it needs about ${analysisMemoryMb(nodeCount, edgeCount).toLocaleString('en-US')} MB, more than the limit of ${limit.mb.toLocaleString('en-US')} MB (${limit.name})`,
      );
    }
    this.allocate();
  }

  private allocate(): void {
    const h = this.header!;
    const n = h.nodeCount;
    this.nf = h.nodeFields.length;
    const roleOf: Record<string, Role> = {
      type: Role.Type,
      name: Role.Name,
      id: Role.Id,
      self_size: Role.Self,
      edge_count: Role.EdgeCount,
      detachedness: Role.Detached, // trace_node_id (allocation tracking) is read past: no analysis uses it yet
    };
    this.roles = new Uint8Array(h.nodeFields.map((f) => roleOf[f] ?? Role.Other));
    this.nodeTypeCount = h.nodeTypes.length;
    this.edgeTypeCount = h.edgeTypes.length;
    const u32 = this.opts.shared ? sharedU32 : (k: number) => new Uint32Array(k);
    const u8 = this.opts.shared ? sharedU8 : (k: number) => new Uint8Array(k);
    this.nodeType = u8(n);
    this.nodeName = u32(n);
    this.nodeId = u32(n);
    this.selfSize = u32(n);
    this.firstEdge = u32(n + 1);
    if (h.nodeFields.includes('detachedness')) this.detachedness = u8(n);
    this.ef = h.edgeFields.length;
    this.edgeRoles = edgeRolesOf(h.edgeFields);
    this.edgeTypeTo = u32(h.edgeCount);
    this.edgeName = u32(h.edgeCount);
    this.nameMax = u32(1);
    this.namedEdge = namedEdgeTypes(h.edgeTypes);
    if (this.wasm) this.wasm.namedEdgeTypes = this.namedEdge;
  }

  private beginNumbers(t: Target): void {
    this.wasm?.reset();
    this.mode = Mode.NumArray;
    this.target = t;
    this.arrOpen = false;
    this.numState = 0;
    this.cur = 0;
    this.count = 0;
    this.field = 0;
    this.ord = 0;
  }

  private sectionName(): string {
    return this.target === Target.Nodes ? 'nodes' : this.target === Target.Edges ? 'edges' : 'locations';
  }

  /** Scans a numeric array (nodes, edges, locations) until its closing ']'. */
  private scanNumbers(b: Uint8Array, i: number): number {
    if (!this.arrOpen) {
      // the '[' that opens the array (beginValue checked it is there)
      this.arrOpen = true;
      i++;
    }
    return this.scanColumns(b, i);
  }

  /** Writes one number of the nodes array into its column, with the checks that belong to its field. */
  private putNode(v: number, at: number): void {
    const o = this.ord;
    const h = this.header!;
    if (o >= h.nodeCount)
      throw new ParseError(`nodes array is longer than snapshot.node_count (${h.nodeCount}) x ${this.nf} fields`, at);
    switch (this.roles[this.field]) {
      case Role.Type:
        if (v >= this.nodeTypeCount)
          throw new ParseError(
            `node ${o} has type index ${v}, but there are only ${this.nodeTypeCount} node types`,
            at,
          );
        this.nodeType[o] = v;
        break;
      case Role.Name:
        if (v > U32_MAX) throw new ParseError(`node ${o} has string index ${v}, out of range`, at);
        this.nodeName[o] = v;
        if (v > this.nodeNameMax) this.nodeNameMax = v;
        break;
      case Role.Id:
        if (v > U32_MAX) throw new ParseError(`node ${o} has id ${v}, larger than 2^32-1`, at);
        this.nodeId[o] = v;
        break;
      case Role.Self:
        if (v > U32_MAX && !(this.selfSize instanceof Float64Array)) this.selfSize = Float64Array.from(this.selfSize);
        this.selfSize[o] = v;
        break;
      case Role.EdgeCount: {
        const next = this.firstEdge[o] + v;
        if (next > h.edgeCount)
          throw new ParseError(
            `node edge counts add up to more than snapshot.edge_count (${h.edgeCount}) at node ${o}`,
            at,
          );
        this.firstEdge[o + 1] = next;
        break;
      }
      case Role.Detached:
        if (this.detachedness) this.detachedness[o] = v & 3;
        break;
    }
    if (++this.field === this.nf) {
      this.field = 0;
      this.ord++;
    }
  }

  /** Writes one number of the edges array into its column, with the checks that belong to its field. */
  private putEdge(v: number, at: number): void {
    const e = this.ord;
    const ec = this.header!.edgeCount;
    if (e >= ec) throw new ParseError(`edges array is longer than snapshot.edge_count (${ec}) x ${this.ef} fields`, at);
    switch (this.edgeRoles[this.field]) {
      case Role.Type:
        if (v >= this.edgeTypeCount)
          throw new ParseError(
            `edge ${e} has type index ${v}, but there are only ${this.edgeTypeCount} edge types`,
            at,
          );
        this.edgeTypeTo[e] |= v << EDGE_TYPE_SHIFT;
        break;
      case Role.Name:
        this.edgeName[e] = v > U32_MAX ? U32_MAX : v;
        break;
      case Role.Id: {
        const nf = this.nf;
        if (v % nf !== 0)
          throw new ParseError(`edge ${e} points to ${v}, which is not a multiple of the node field count (${nf})`, at);
        const o = v / nf;
        if (o >= this.nodeCountRead)
          throw new ParseError(`edge ${e} points to node ${o}, but there are only ${this.nodeCountRead} nodes`, at);
        this.edgeTypeTo[e] |= o;
        break;
      }
    }
    if (++this.field === this.ef) {
      if (this.namedEdge[this.edgeTypeTo[e] >>> EDGE_TYPE_SHIFT] && this.edgeName[e] > this.nameMax[0])
        this.nameMax[0] = this.edgeName[e];
      this.field = 0;
      this.ord++;
    }
  }

  /** A batch of edge numbers from the scanner: whole records in a tight loop, partial ones through putEdge. */
  private edgeBatch(out: Uint32Array, count: number): void {
    let k = 0;
    while (k < count && this.field !== 0) this.putEdge(out[k++], 0);
    const ef = this.ef,
      nf = this.nf,
      roles = this.edgeRoles;
    const typeAt = roles.indexOf(Role.Type),
      nameAt = roles.indexOf(Role.Name),
      toAt = roles.indexOf(Role.Id);
    const whole = Math.floor((count - k) / ef);
    let e = this.ord;
    if (e + whole > this.header!.edgeCount) {
      while (k < count) this.putEdge(out[k++], 0);
      return;
    }
    const { edgeTypeTo, edgeName } = this;
    const typeCount = this.edgeTypeCount,
      nodeCount = this.nodeCountRead,
      named = this.namedEdge;
    const w = this.wasm;
    if (w && out === w.out && whole > 0 && typeAt >= 0 && nameAt >= 0 && toAt >= 0) {
      // split into columns inside the module, then copied out in bulk
      w.nameMax = this.nameMax[0];
      if (!w.splitEdges(k, whole, ef, { type: typeAt, name: nameAt, to: toAt }, nf, typeCount, nodeCount))
        throw new ParseError('edge check failed');
      edgeName.set(w.colName.subarray(0, whole), e);
      edgeTypeTo.set(w.colTo.subarray(0, whole), e); // packed in the module
      this.nameMax[0] = w.nameMax;
      k += whole * ef;
      this.ord = e + whole;
      while (k < count) this.putEdge(out[k++], 0);
      return;
    }
    let max = this.nameMax[0];
    for (const end = k + whole * ef; k < end; k += ef, e++) {
      const t = out[k + typeAt];
      const to = out[k + toAt];
      const o = (to / nf) | 0;
      if (t >= typeCount || o * nf !== to || o >= nodeCount) {
        this.ord = e;
        this.field = 0;
        throw new ParseError('edge check failed');
      }
      const name = out[k + nameAt];
      edgeTypeTo[e] = (t << EDGE_TYPE_SHIFT) | o;
      edgeName[e] = name;
      if (named[t] && name > max) max = name;
    }
    this.nameMax[0] = max;
    this.ord = e;
    while (k < count) this.putEdge(out[k++], 0);
  }

  /** A batch of node numbers from the scanner, record by record (see edgeBatch). */
  private nodeBatch(out: Uint32Array, count: number): void {
    let k = 0;
    while (k < count && this.field !== 0) this.putNode(out[k++], 0);
    const nf = this.nf,
      roles = this.roles,
      h = this.header!;
    const typeAt = roles.indexOf(Role.Type),
      nameAt = roles.indexOf(Role.Name),
      idAt = roles.indexOf(Role.Id);
    const selfAt = roles.indexOf(Role.Self),
      ecAt = roles.indexOf(Role.EdgeCount);
    const detAt = roles.indexOf(Role.Detached);
    const whole = Math.floor((count - k) / nf);
    let o = this.ord;
    if (o + whole > h.nodeCount || !(this.selfSize instanceof Uint32Array)) {
      while (k < count) this.putNode(out[k++], 0);
      return;
    }
    const { nodeType, nodeName, nodeId, firstEdge, detachedness } = this;
    const selfSize = this.selfSize;
    const typeCount = this.nodeTypeCount,
      edgeCount = h.edgeCount;
    const w = this.wasm;
    if (w && out === w.out && whole > 0 && typeAt >= 0 && nameAt >= 0 && idAt >= 0 && selfAt >= 0 && ecAt >= 0) {
      // split into columns inside the module, then copied out in bulk
      w.nodeNameMax = this.nodeNameMax;
      const at = { type: typeAt, name: nameAt, id: idAt, self: selfAt, ec: ecAt, det: detachedness ? detAt : -1 };
      if (!w.splitNodes(k, whole, nf, at, typeCount, edgeCount, firstEdge[o]))
        throw new ParseError('node check failed');
      nodeType.set(w.colType.subarray(0, whole), o);
      nodeName.set(w.colName.subarray(0, whole), o);
      nodeId.set(w.colTo.subarray(0, whole), o);
      selfSize.set(w.colSelf.subarray(0, whole), o);
      firstEdge.set(w.colEnd.subarray(0, whole), o + 1);
      if (detachedness && detAt >= 0) detachedness.set(w.colDet.subarray(0, whole), o);
      this.nodeNameMax = w.nodeNameMax;
      this.ord = o + whole;
      k += whole * nf;
      while (k < count) this.putNode(out[k++], 0);
      return;
    }
    let edges = firstEdge[o];
    let nameMax = this.nodeNameMax;
    for (const end = k + whole * nf; k < end; k += nf, o++) {
      const t = out[k + typeAt];
      edges += out[k + ecAt];
      if (t >= typeCount || edges > edgeCount) {
        this.ord = o;
        this.field = 0;
        throw new ParseError('node check failed');
      }
      nodeType[o] = t;
      const name = out[k + nameAt];
      nodeName[o] = name;
      if (name > nameMax) nameMax = name;
      nodeId[o] = out[k + idAt];
      selfSize[o] = out[k + selfAt];
      firstEdge[o + 1] = edges;
      if (detachedness && detAt >= 0) detachedness[o] = out[k + detAt] & 3;
    }
    this.ord = o;
    this.nodeNameMax = nameMax;
    while (k < count) this.putNode(out[k++], 0);
  }

  /** A numeric array (nodes, edges, locations), byte by byte in JS: the fallback, and the reference for errors. */
  private scanColumnsJs(b: Uint8Array, i: number): number {
    const len = b.length;
    const target = this.target;
    const name = this.sectionName();
    let cur = this.cur,
      st = this.numState;
    for (; i < len; i++) {
      const c = b[i];
      const d = c - 48;
      if (d >>> 0 <= 9) {
        if (st === 2) throw new ParseError(`malformed ${name} array: missing ',' between numbers`, this.pos + i);
        cur = cur * 10 + d;
        st = 1;
        continue;
      }
      if (c === 44 || c === 93) {
        if (st === 0) {
          if (c === 93 && this.count === 0) break;
          throw new ParseError(
            c === 44 ? `malformed ${name} array: empty element` : `malformed ${name} array: trailing ','`,
            this.pos + i,
          );
        }
        if (cur > MAX_EXACT) throw new ParseError(`number too large in ${name} array`, this.pos + i);
        this.count++;
        if (target === Target.Edges) this.putEdge(cur, this.pos + i);
        else if (target === Target.Nodes) this.putNode(cur, this.pos + i);
        else this.locationValues!.push(cur > U32_MAX ? U32_MAX : cur);
        cur = 0;
        st = 0;
        if (c === 93) break;
        continue;
      }
      if (isWs(c)) {
        if (st === 1) st = 2;
        continue;
      }
      this.badNumberByte(c, this.pos + i);
    }
    if (i < len) {
      // closed by ']'
      this.cur = 0;
      this.numState = 0;
      this.finishNumbers(this.pos + i);
      this.mode = Mode.CommaOrEnd;
      return i + 1;
    }
    this.cur = cur;
    this.numState = st;
    return i;
  }

  /**
   * The nodes or edges array with the WebAssembly scanner: numbers come back in batches and go to their columns.
   * Anything unusual in a window (a bad byte, a number over 2^32-1, a check that fails) replays that window with
   * the JS scanner, which then says exactly what is wrong and where.
   */
  private scanColumns(b: Uint8Array, i: number): number {
    const w = this.wasm;
    if (!w) return this.scanColumnsJs(b, i);
    const len = b.length;
    while (i < len) {
      const n = Math.min(len - i, WINDOW);
      const at = { field: this.field, ord: this.ord, count: this.count, ...w.state };
      const r = w.scan(b, i, n);
      let ok =
        r.status === ScanStatus.More ||
        r.status === ScanStatus.Full ||
        (r.status === ScanStatus.Closed && (r.state !== 0 || this.count + r.count === 0));
      if (ok) {
        try {
          if (this.target === Target.Edges) this.edgeBatch(w.out, r.count);
          else if (this.target === Target.Nodes) this.nodeBatch(w.out, r.count);
          else for (let k = 0; k < r.count; k++) this.locationValues!.push(w.out[k]);
          this.count += r.count;
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
          ok = false;
        }
      }
      if (!ok) {
        // replay this window in JS from the state it started in
        this.field = at.field;
        this.ord = at.ord;
        this.count = at.count;
        this.cur = at.cur;
        this.numState = at.st;
        const j = this.scanColumnsJs(b.subarray(0, i + n), i);
        if (this.mode !== Mode.NumArray) return j;
        w.state = { cur: this.cur, st: this.numState };
        i = j;
        continue;
      }
      if (r.status === ScanStatus.Closed) {
        w.reset();
        this.cur = 0;
        this.numState = 0;
        this.finishNumbers(this.pos + r.stoppedAt);
        this.mode = Mode.CommaOrEnd;
        return r.stoppedAt + 1;
      }
      i = r.status === ScanStatus.Full ? r.stoppedAt : i + n;
    }
    return i;
  }

  private badNumberByte(c: number, at: number): never {
    if (c === 45) throw new ParseError(`negative number in ${this.sectionName()} array`, at);
    throw new ParseError(
      `unexpected ${describe(c)} in ${this.sectionName()} array (only non-negative integers belong there)`,
      at,
    );
  }

  private finishNumbers(at: number): void {
    const h = this.header!;
    if (this.field !== 0) {
      throw new ParseError(`${this.sectionName()} array length ${this.count} is not a multiple of its field count`, at);
    }
    if (this.target === Target.Nodes) {
      if (this.ord !== h.nodeCount) {
        throw new ParseError(`snapshot.node_count is ${h.nodeCount} but the nodes array holds ${this.ord} nodes`, at);
      }
      this.nodeCountRead = this.ord;
      this.nodesDone = true;
    } else if (this.target === Target.Edges) {
      if (this.ord !== h.edgeCount) {
        throw new ParseError(`snapshot.edge_count is ${h.edgeCount} but the edges array holds ${this.ord} edges`, at);
      }
      this.edgesDone = true;
    }
  }

  /** Scans the strings array: JSON strings with full escape handling, decoded into one UTF-8 buffer. */
  private scanStrings(b: Uint8Array, i: number): number {
    const len = b.length;
    const out = this.strBytes!;
    if (!this.arrOpen) {
      this.arrOpen = true;
      i++;
    }
    // Plain strings go through the WebAssembly module a window at a time; what it stops at (an escape, a control
    // character, the closing ']', anything unexpected) is for the code below, one step, before it takes over again.
    const w = this.wasm;
    let jsTurn = false;
    while (i < len) {
      if (w && !jsTurn && this.escState === 0 && !this.pendingHigh && out.length + WINDOW <= U32_MAX) {
        const r = w.strings(b, i, Math.min(len - i, WINDOW), this.sState, out.length);
        if (r.outLen) out.append(w.stringBytes, 0, r.outLen);
        if (r.ends) this.strOffsets!.appendAll(w.stringEnds.subarray(0, r.ends));
        this.sState = r.st;
        i = r.stoppedAt;
        jsTurn = r.status === 1 || r.status === 2;
        continue;
      }
      jsTurn = false;
      const st = this.sState;
      if (st !== 1) {
        const c = b[i];
        if (isWs(c)) {
          i++;
          continue;
        }
        if (c === 34 && st !== 2) {
          this.sState = 1;
          i++;
          continue;
        }
        if (c === 44 && st === 2) {
          this.sState = 3;
          i++;
          continue;
        }
        if (c === 93 && st !== 3) {
          this.stringsDone = true;
          this.mode = Mode.CommaOrEnd;
          return i + 1;
        }
        throw new ParseError(`malformed strings array: unexpected ${describe(c)}`, this.pos + i);
      }
      // inside a string
      if (this.escState === 0) {
        const start = i;
        while (i < len) {
          const c = b[i];
          if (c === 34 || c === 92 || c < 32) break;
          i++;
        }
        if (i > start) {
          if (this.pendingHigh) this.flushHigh();
          out.append(b, start, i);
        }
        if (i === len) break;
        const c = b[i];
        if (c === 34) {
          if (this.pendingHigh) this.flushHigh();
          if (out.length > U32_MAX) throw new ParseError('strings section larger than 4 GiB', this.pos + i);
          this.strOffsets!.push(out.length);
          i++;
          // the usual separators, `,"` and `,\n"`, straight into the next string
          if (i + 2 < len && b[i] === 44) {
            const d = b[i + 1];
            if (d === 34) {
              i += 2;
              continue;
            }
            if (d === 10 && b[i + 2] === 34) {
              i += 3;
              continue;
            }
          }
          this.sState = 2;
          continue;
        }
        if (c === 92) {
          this.escState = 1;
          i++;
          continue;
        }
        throw new ParseError(
          `bad string: raw control character 0x${c.toString(16).padStart(2, '0')} (string ${this.strOffsets!.length - 1})`,
          this.pos + i,
        );
      }
      if (this.escState === 1) {
        const c = b[i];
        let ch: number;
        switch (c) {
          case 34:
            ch = 34;
            break;
          case 92:
            ch = 92;
            break;
          case 47:
            ch = 47;
            break;
          case 98:
            ch = 8;
            break;
          case 102:
            ch = 12;
            break;
          case 110:
            ch = 10;
            break;
          case 114:
            ch = 13;
            break;
          case 116:
            ch = 9;
            break;
          case 117:
            this.escState = 2;
            this.hex = 0;
            this.hexDigits = 0;
            i++;
            continue;
          default:
            throw new ParseError(
              `bad string: invalid escape '\\${String.fromCharCode(c)}' (string ${this.strOffsets!.length - 1})`,
              this.pos + i,
            );
        }
        if (this.pendingHigh) this.flushHigh();
        out.push(ch);
        this.escState = 0;
        i++;
        continue;
      }
      // \uXXXX
      const c = b[i];
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else throw new ParseError(`bad string: invalid \\u escape (string ${this.strOffsets!.length - 1})`, this.pos + i);
      this.hex = this.hex * 16 + d;
      i++;
      if (++this.hexDigits === 4) {
        this.escState = 0;
        this.codeUnit(this.hex);
      }
    }
    return i;
  }

  private codeUnit(u: number): void {
    if (this.pendingHigh) {
      if (u >= 0xdc00 && u <= 0xdfff) {
        const cp = 0x10000 + ((this.pendingHigh - 0xd800) << 10) + (u - 0xdc00);
        this.pendingHigh = 0;
        this.utf8(cp);
        return;
      }
      this.flushHigh();
    }
    if (u >= 0xd800 && u <= 0xdbff) {
      this.pendingHigh = u;
      return;
    }
    if (u >= 0xdc00 && u <= 0xdfff) {
      this.utf8(0xfffd);
      return;
    } // lone low surrogate
    this.utf8(u);
  }

  /** A high surrogate with no low one after it: U+FFFD, as a UTF-8 decoder would show it. */
  private flushHigh(): void {
    this.pendingHigh = 0;
    this.utf8(0xfffd);
  }

  private utf8(cp: number): void {
    const out = this.strBytes!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) {
      out.push(0xc0 | (cp >> 6));
      out.push(0x80 | (cp & 63));
    } else if (cp < 0x10000) {
      out.push(0xe0 | (cp >> 12));
      out.push(0x80 | ((cp >> 6) & 63));
      out.push(0x80 | (cp & 63));
    } else {
      out.push(0xf0 | (cp >> 18));
      out.push(0x80 | ((cp >> 12) & 63));
      out.push(0x80 | ((cp >> 6) & 63));
      out.push(0x80 | (cp & 63));
    }
  }

  private where(): string {
    switch (this.mode) {
      case Mode.NumArray:
        return `inside the "${this.sectionName()}" array`;
      case Mode.StrArray:
        return 'inside the "strings" array';
      case Mode.Header:
        return 'inside the "snapshot" header';
      case Mode.Skip:
        return `inside "${this.key}"`;
      default:
        return 'before the end of the top-level object';
    }
  }

  /**
   * The part of `end()` that needs no edges: checks the nodes' names, builds the string table (and finds the
   * well-known names in it) and the locations. A split parse calls it while the other thread still reads the
   * edges; `end()` calls it if nobody did.
   */
  settle(): void {
    if (this.settled) return;
    if (this.mode === Mode.Start) throw new ParseError('not a heap snapshot: the input is empty', 0);
    if (this.mode !== Mode.Done) throw new ParseError(`truncated snapshot: input ends ${this.where()}`, this.pos);
    const h = this.header;
    if (!h) throw new ParseError('not a heap snapshot: no "snapshot" header');
    if (!this.nodesDone) throw new ParseError('not a heap snapshot: no "nodes" array');
    if (!this.edgesDone) throw new ParseError('not a heap snapshot: no "edges" array');
    if (!this.stringsDone) throw new ParseError('not a heap snapshot: no "strings" array');
    const n = h.nodeCount;
    const offs = this.strOffsets!;
    this.strOffsets = null;
    // shared: written straight into a SharedArrayBuffer (what is left of its capacity was never touched, so costs nothing)
    const strOffsets = this.opts.shared ? offs.data.subarray(0, offs.length) : offs.view();
    const stringCount = strOffsets.length - 1;
    const names = this.nodeName;
    // the largest indexes were kept while reading: the full checks below run only to name a culprit
    for (let o = 0; this.nodeNameMax >= stringCount && o < n; o++) {
      if (names[o] >= stringCount) {
        throw new ParseError(
          `node ${o} (id ${this.nodeId[o]}) has name index ${names[o]}, but there are only ${stringCount} strings`,
        );
      }
    }
    const rootOrdinal = h.rootIndex / this.nf;
    if (!Number.isInteger(rootOrdinal) || rootOrdinal >= n)
      throw new ParseError(`snapshot.root_index ${h.rootIndex} is not a node`);
    // shared, likewise: its capacity (bounded by what was left of the input) beyond what was written was never
    // touched, so it costs no memory, where trimming it would copy every string's bytes
    const sb = this.strBytes!;
    const strings = new StringTable(this.opts.shared ? sb.data.subarray(0, sb.length) : sb.view(), strOffsets);
    this.strBytes = null;
    strings.indexesOf(WELL_KNOWN);
    this.settled = { strings, locations: this.locationsElsewhere ? null : this.buildLocations(n), rootOrdinal };
  }

  private settled: { strings: StringTable; locations: HeapGraph['locations'] | null; rootOrdinal: number } | null =
    null;

  /** Call after the last byte. Validates what only the whole can tell and returns the graph. */
  end(): HeapGraph {
    this.settle();
    const h = this.header!;
    const n = h.nodeCount;
    const fe = this.firstEdge;
    if (fe[n] !== h.edgeCount) {
      throw new ParseError(`node edge counts add up to ${fe[n]} but snapshot.edge_count is ${h.edgeCount}`);
    }
    const { strings, rootOrdinal } = this.settled!;
    const locations = this.settled!.locations ?? this.givenLocations;
    if (!locations) throw new ParseError('the locations read by the other thread never came');
    const stringCount = strings.count;
    const named = this.namedEdge;
    const et = this.edgeTypeTo,
      en = this.edgeName;
    for (let e = 0; this.nameMax[0] >= stringCount && e < h.edgeCount; e++) {
      const t = et[e] >>> EDGE_TYPE_SHIFT;
      if (named[t] && en[e] >= stringCount) {
        throw new ParseError(
          `edge ${e} (${h.edgeTypes[t]}) has name index ${en[e]}, but there are only ${stringCount} strings`,
        );
      }
    }
    return {
      nodeCount: n,
      edgeCount: h.edgeCount,
      nodeFieldCount: this.nf,
      rootOrdinal,
      nodeTypes: h.nodeTypes,
      edgeTypes: h.edgeTypes,
      nodeType: this.nodeType,
      nodeName: this.nodeName,
      nodeId: this.nodeId,
      selfSize: this.selfSize,
      detachedness: this.detachedness,
      traceNodeId: null,
      firstEdge: fe,
      edgeTypeTo: this.edgeTypeTo,
      edgeName: this.edgeName,
      strings,
      locations,
      extraNativeBytes: h.extraNativeBytes,
      byteLength: this.pos,
    };
  }

  private buildLocations(n: number): HeapGraph['locations'] {
    const f = this.header!.locationFields;
    const lv = this.locationValues;
    this.locationValues = null;
    const vals = lv ? lv.data.subarray(0, lv.length) : new Uint32Array(0); // read once, into columns: not worth shrinking
    const fc = f.length;
    const io = f.indexOf('object_index'),
      so = f.indexOf('script_id'),
      lo = f.indexOf('line'),
      co = f.indexOf('column');
    if (!fc || io < 0 || so < 0 || lo < 0 || co < 0 || vals.length === 0) {
      const z = new Uint32Array(0);
      return { count: 0, ordinal: z, scriptId: z, line: z, column: z };
    }
    if (vals.length % fc) throw new ParseError(`locations array length ${vals.length} is not a multiple of ${fc}`);
    const count = vals.length / fc;
    // on one buffer, shared when the graph is: the helper thread reads them there (a plain one would be copied to it)
    const all = this.opts.shared ? sharedU32(4 * count) : new Uint32Array(4 * count);
    const ordinal = all.subarray(0, count),
      scriptId = all.subarray(count, 2 * count);
    const line = all.subarray(2 * count, 3 * count),
      column = all.subarray(3 * count);
    const sorted = splitLocations(vals, fc, io, so, lo, co, this.nf, n, ordinal, scriptId, line, column);
    if (!sorted) {
      // V8 lists them in its own order: a radix sort by node, stable, so the last location given for a node still
      // comes last
      const order = new Uint32Array(count);
      for (let k = 0; k < count; k++) order[k] = k;
      sortByKey(order, ordinal);
      // each column put in order through the raw numbers' buffer, which is spent (it holds fc >= 4 per location)
      const scratch = vals.subarray(0, count);
      const permute = (a: Uint32Array) => {
        for (let k = 0; k < count; k++) scratch[k] = a[order[k]];
        a.set(scratch);
      };
      permute(ordinal);
      permute(scriptId);
      permute(line);
      permute(column);
    }
    return { count, ordinal, scriptId, line, column };
  }
}
