import type { HeapGraph, Locations } from '../graph/graph.js';
import { type StringTable, WELL_KNOWN } from '../graph/strings.js';
import type { EdgeColumns } from './columns.js';
import { EdgeWriter } from './edge-columns.js';
import { NodeWriter } from './node-columns.js';
import { ParseError } from './errors.js';
import { readHeader, type Header } from './header.js';
import { buildLocations, LocationValues } from './locations.js';
import { checkMemoryLimit } from './memory-limit.js';
import type { ParserOptions, EdgesPart } from './options.js';
import { NumberArrayReader } from './numbers.js';
import { ValueSkipper } from './skip.js';
import { StringsReader } from './strings.js';
import { CLOSE_BRACE, COLON, COMMA, describe, isWs, OPEN_BRACE, OPEN_BRACKET, presize, QUOTE } from './syntax.js';
import { WasmScanner } from './wasm-scanner.js';

/**
 * A push parser for `.heapsnapshot` JSON. Bytes go in with `write` in chunks of any size; the top-level object's
 * keys are read here, and each value handed to the part that reads its kind: the header (`header.ts`), the numeric
 * arrays into columns of typed arrays (`numbers.ts`, `columns.ts`, `locations.ts`), the strings into one UTF-8
 * buffer (`strings.ts`). No section of the file is ever held as a JS string. `end()` checks the whole and returns
 * the graph.
 */

const enum Mode {
  Start,
  KeyOrEnd,
  Key,
  Colon,
  Value,
  Skip,
  Numbers,
  Strings,
  CommaOrEnd,
  Done,
}

export class SnapshotParser {
  private readonly wasm: WasmScanner | null;
  private readonly edgesPart: EdgesPart | null;
  /** Absolute offset of the start of the current chunk. */
  private pos = 0;
  private mode = Mode.Start;
  private key = '';
  private keyBytes: number[] = [];
  private readonly seen = new Set<string>();
  private sectionStart = 0;
  private header: Header | null = null;
  private nodes: NodeWriter | null = null;
  private edges: EdgeWriter | null = null;
  private locationValues: LocationValues | null = null;
  private strings: StringsReader | null = null;
  private skipper: ValueSkipper | null = null;
  private numbers: NumberArrayReader | null = null;
  private numbersOf: 'nodes' | 'edges' | 'locations' = 'nodes';
  private nodesDone = false;
  private edgesDone = false;
  private stringsDone = false;
  private nodesOpenAt = 0;
  /** The locations are read by the other thread of a split parse; those it read, once given. */
  private locationsElsewhere = false;
  private givenLocations: Locations | null = null;
  private settled: { strings: StringTable; locations: Locations | null; rootOrdinal: number } | null = null;

  constructor(private readonly opts: ParserOptions = {}) {
    this.wasm = WasmScanner.create();
    const part = (this.edgesPart = opts.edges ?? null);
    if (part) {
      this.header = part.header;
      this.edges = new EdgeWriter(part.header, this.wasm, true, part.columns);
      this.pos = part.from;
      this.mode = Mode.KeyOrEnd;
      this.nodesDone = true;
      this.seen.add('snapshot').add('nodes');
    }
  }

  /** The header once read, else null. */
  get headerInfo(): Header | null {
    return this.header;
  }

  /** The edge columns (made when the header is read), for the other thread of a split parse to fill. */
  get edgeColumns(): EdgeColumns {
    return this.edges!.cols;
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

  get bytesRead(): number {
    return this.pos;
  }

  /**
   * A buffer to read input into and pass to `write` (a view of it, at most its length at a time), which saves the
   * scanner copying it; null without the WebAssembly scanner (any buffer does then). Its bytes change as the
   * parser works: each `write` must be given bytes read afresh.
   */
  get readBuffer(): Uint8Array | null {
    return this.wasm?.input ?? null;
  }

  /**
   * For the parser of a whole file in a split parse: the other thread reads the edges array (and with `locations`,
   * what follows it up to the strings), and the caller skips those bytes, resuming at byte `resumeAt` (so offsets
   * in errors stay true). `end()` then trusts the edge columns, and takes the locations given to `useLocations`.
   */
  readElsewhere(resumeAt: number, locations: boolean): void {
    this.pos = resumeAt;
    this.seen.add('edges');
    this.edgesDone = true;
    this.locationsElsewhere = locations;
  }

  useLocations(locations: Locations): void {
    this.givenLocations = locations;
  }

  /**
   * For the edges part of a split parse, once its bytes are fed: checks that exactly its part was read, and returns
   * the locations it read (in columns sorted by node; empty if there were none) when it read on past the edges.
   */
  endPart(): Locations | null {
    if (!this.edgesDone) throw new ParseError(`truncated snapshot: input ends ${this.where()}`, this.pos);
    if (this.mode !== Mode.KeyOrEnd) throw new ParseError('malformed JSON after the "edges" array', this.pos);
    return this.edgesPart!.andAfter ? this.locations(this.header!.nodeCount) : null;
  }

  /** Feeds the next bytes. Throws ParseError on the first thing that is wrong. */
  write(chunk: Uint8Array): void {
    this.wasm?.forget(); // a new chunk: what the scanner copied before is stale (read buffers are reused)
    let i = 0;
    const len = chunk.length;
    const pos = this.pos;
    while (i < len) {
      const mode = this.mode;
      if (mode === Mode.Numbers) {
        i = this.numbers!.read(chunk, i, pos);
        if (this.numbers!.closed) this.endNumbers();
        continue;
      }
      if (mode === Mode.Strings) {
        i = this.strings!.read(chunk, i, pos);
        if (this.strings!.closed) {
          this.stringsDone = true;
          this.mode = Mode.CommaOrEnd;
        }
        continue;
      }
      if (mode === Mode.Skip) {
        i = this.skipper!.read(chunk, i, pos);
        if (this.skipper!.ended) this.endSkipped();
        continue;
      }
      const c = chunk[i];
      if (mode === Mode.Key) {
        if (c === QUOTE) {
          this.key = Buffer.from(this.keyBytes).toString('utf8');
          this.mode = Mode.Colon;
        } else {
          if (this.keyBytes.length > 256) throw new ParseError('not a heap snapshot: top-level key too long', pos + i);
          this.keyBytes.push(c);
        }
        i++;
        continue;
      }
      if (isWs(c)) {
        i++;
        continue;
      }
      i += this.punctuation(c, pos + i);
    }
    this.pos += len;
  }

  /**
   * The byte `c` at `at` between values (white space aside): what the mode expects there, or a ParseError. Returns
   * how many bytes it used (none of a value's first byte, which is left for the part that reads the value).
   */
  private punctuation(c: number, at: number): number {
    switch (this.mode) {
      case Mode.Start:
        if (c === 0xef && at === 0) return 3; // a UTF-8 byte order mark
        if (c !== OPEN_BRACE) throw new ParseError(`not a heap snapshot: expected '{' but found ${describe(c)}`, at);
        this.mode = Mode.KeyOrEnd;
        return 1;
      case Mode.KeyOrEnd:
        if (c === QUOTE) {
          this.mode = Mode.Key;
          this.keyBytes = [];
          return 1;
        }
        if (c === CLOSE_BRACE) {
          this.mode = Mode.Done;
          return 1;
        }
        throw new ParseError(`not a heap snapshot: expected a key but found ${describe(c)}`, at);
      case Mode.Colon:
        if (c !== COLON) throw new ParseError(`malformed JSON: expected ':' but found ${describe(c)}`, at);
        this.mode = Mode.Value;
        return 1;
      case Mode.Value:
        this.beginValue(c, at);
        return 0;
      case Mode.CommaOrEnd:
        if (c === COMMA) {
          this.mode = Mode.KeyOrEnd;
          return 1;
        }
        if (c === CLOSE_BRACE) {
          this.mode = Mode.Done;
          return 1;
        }
        throw new ParseError(`malformed JSON: expected ',' or '}' after "${this.key}" but found ${describe(c)}`, at);
      default:
        throw new ParseError(`unexpected data after the end of the snapshot: ${describe(c)}`, at);
    }
  }

  /** The first byte `c` (at byte `at`) of the value of `this.key`: the part that reads it takes over. */
  private beginValue(c: number, at: number): void {
    const key = this.key;
    if (this.edgesPart) {
      if (!this.edgesPart.andAfter && key !== 'edges') {
        throw new ParseError(`expected the "edges" array here, found "${key}"`, at);
      }
      if (key === 'snapshot' || key === 'nodes' || key === 'strings') {
        throw new ParseError(`expected the "edges" array or what follows it here, found "${key}"`, at);
      }
    }
    if (this.seen.has(key)) throw new ParseError(`not a heap snapshot: key "${key}" appears twice`, at);
    this.seen.add(key);
    this.sectionStart = at;
    const needHeader = () => {
      if (!this.header) {
        throw new ParseError(`not a heap snapshot: "${key}" comes before "snapshot" (its meta must come first)`, at);
      }
    };
    const expect = (ch: number, what: string) => {
      if (c !== ch) throw new ParseError(`not a heap snapshot: "${key}" is not ${what}`, at);
    };
    switch (key) {
      case 'snapshot':
        expect(OPEN_BRACE, 'an object');
        this.skip(true);
        return;
      case 'nodes':
        needHeader();
        expect(OPEN_BRACKET, 'an array');
        this.nodesOpenAt = at;
        this.readNumbers('nodes');
        return;
      case 'edges':
        needHeader();
        expect(OPEN_BRACKET, 'an array');
        if (!this.nodesDone) throw new ParseError('not a heap snapshot: "edges" comes before "nodes"', at);
        this.readNumbers('edges');
        return;
      case 'locations':
        needHeader();
        expect(OPEN_BRACKET, 'an array');
        this.locationValues = new LocationValues(presize(this.opts.sizeHint, at, 4));
        this.readNumbers('locations');
        return;
      case 'strings':
        expect(OPEN_BRACKET, 'an array');
        this.mode = Mode.Strings;
        this.strings = new StringsReader(this.wasm, this.opts.shared === true, at, this.opts.sizeHint);
        return;
      default:
        this.skip(false);
        return;
    }
  }

  private skip(header: boolean): void {
    this.mode = Mode.Skip;
    this.skipper = new ValueSkipper(header);
  }

  private endSkipped(): void {
    const skipper = this.skipper!;
    this.skipper = null;
    this.mode = Mode.CommaOrEnd;
    if (this.key !== 'snapshot') return;
    const h = (this.header = readHeader(skipper.bytes, this.sectionStart));
    checkMemoryLimit(h, this.opts.memoryLimit);
    const shared = this.opts.shared === true;
    this.nodes = new NodeWriter(h, this.wasm, shared);
    this.edges = new EdgeWriter(h, this.wasm, shared);
  }

  private readNumbers(which: 'nodes' | 'edges' | 'locations'): void {
    this.mode = Mode.Numbers;
    this.numbersOf = which;
    const sink = which === 'nodes' ? this.nodes! : which === 'edges' ? this.edges! : this.locationValues!;
    this.numbers = new NumberArrayReader(sink, this.wasm);
  }

  private endNumbers(): void {
    this.numbers = null;
    this.mode = Mode.CommaOrEnd;
    if (this.numbersOf === 'nodes') this.nodesDone = true;
    else if (this.numbersOf === 'edges') this.edgesDone = true;
  }

  private where(): string {
    switch (this.mode) {
      case Mode.Numbers:
        return `inside the "${this.numbersOf}" array`;
      case Mode.Strings:
        return 'inside the "strings" array';
      case Mode.Skip:
        return this.key === 'snapshot' ? 'inside the "snapshot" header' : `inside "${this.key}"`;
      default:
        return 'before the end of the top-level object';
    }
  }

  private locations(n: number): Locations {
    const values = this.locationValues?.raw ?? new Uint32Array(0);
    this.locationValues = null;
    const h = this.header!;
    return buildLocations(values, h.locationFields, h.nodeFields.length, n, this.opts.shared === true);
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
    const strings = this.strings!.table();
    this.strings = null;
    this.nodes!.checkNames(strings.count);
    const rootOrdinal = h.rootIndex / h.nodeFields.length;
    if (!Number.isInteger(rootOrdinal) || rootOrdinal >= n) {
      throw new ParseError(`snapshot.root_index ${h.rootIndex} is not a node`);
    }
    strings.indexesOf(WELL_KNOWN);
    this.settled = { strings, locations: this.locationsElsewhere ? null : this.locations(n), rootOrdinal };
  }

  /** Call after the last byte. Checks what only the whole can tell and returns the graph. */
  end(): HeapGraph {
    this.settle();
    const h = this.header!;
    this.nodes!.checkEdgeTotal();
    const { strings, rootOrdinal } = this.settled!;
    const locations = this.settled!.locations ?? this.givenLocations;
    if (!locations) throw new ParseError('the locations read by the other thread never came');
    this.edges!.checkNames(strings.count);
    const { edgeTypeTo, edgeName } = this.edges!.cols;
    return {
      nodeCount: h.nodeCount,
      edgeCount: h.edgeCount,
      nodeFieldCount: h.nodeFields.length,
      rootOrdinal,
      nodeTypes: h.nodeTypes,
      edgeTypes: h.edgeTypes,
      ...this.nodes!.cols,
      traceNodeId: null,
      edgeTypeTo,
      edgeName,
      strings,
      locations,
      extraNativeBytes: h.extraNativeBytes,
      byteLength: this.pos,
    };
  }
}
