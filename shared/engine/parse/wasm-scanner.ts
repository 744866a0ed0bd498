import fs from 'node:fs';

/** Bytes scanned per call, and numbers written per call, in the module's memory. */
export const WINDOW = 1 << 20;
const OUT = WINDOW;
const CAP = WINDOW / 2;
/** Where splitEdges writes its columns (see scan/columns.wat), and the named-type table it reads. */
const COL_TYPE = 3 << 20,
  COL_NAME = COL_TYPE + CAP,
  COL_TO = COL_NAME + 4 * CAP,
  NAMED = COL_TO + 4 * CAP;
/** And the columns only splitNodes writes (node ids go where edge targets do). */
const COL_SELF = NAMED + (1 << 16),
  COL_END = COL_SELF + 4 * CAP,
  COL_DET = COL_END + 4 * CAP;

export const enum ScanStatus {
  More = 0,
  Closed = 1,
  BadByte = 2,
  Full = 3,
  Big = 4,
  NoComma = 5,
  Empty = 6,
}

/** The few WebAssembly names used here (this project's TypeScript lib has no WebAssembly types). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

interface Exports {
  memory: { buffer: ArrayBuffer };
  scan(inPtr: number, len: number, out: number, cap: number): number;
  /** Where `scan` stopped, as an address in memory. */
  pos(): number;
  count(): number;
  state(): number;
  cur(): number;
  setState(cur: number, st: number): void;
  reset(): void;
  nameMax(): number;
  setNameMax(v: number): void;
  strings(
    inPtr: number,
    len: number,
    st: number,
    out: number,
    outCap: number,
    offs: number,
    offCap: number,
    base: number,
  ): number;
  spos(): number;
  sst(): number;
  outLen(): number;
  offCount(): number;
  edges(): number;
  setEdges(v: number): void;
  nodeNameMax(): number;
  setNodeNameMax(v: number): void;
  splitNodes(
    src: number,
    records: number,
    nf: number,
    typeAt: number,
    nameAt: number,
    idAt: number,
    selfAt: number,
    ecAt: number,
    detAt: number,
    typeCount: number,
    edgeCount: number,
    dType: number,
    dName: number,
    dId: number,
    dSelf: number,
    dEnd: number,
    dDet: number,
  ): number;
  splitEdges(
    src: number,
    records: number,
    ef: number,
    typeAt: number,
    nameAt: number,
    toAt: number,
    nf: number,
    typeCount: number,
    nodeCount: number,
    named: number,
    dType: number,
    dName: number,
    dTo: number,
  ): number;
}

let compiled: object | null | undefined;

/** The compiled scanner (scan/*.wat, assembled into scan.wasm next to this file), or null where it is missing. */
function module(): object | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = new WebAssembly.Module(fs.readFileSync(new URL('./scan.wasm', import.meta.url)));
  } catch {
    compiled = null;
  }
  return compiled;
}

/**
 * The WebAssembly integer scanner (see scan/numbers.wat): it turns the bytes of a numeric array into u32 values several
 * times faster than a JS byte loop. One instance per parser.
 */
export class WasmScanner {
  private readonly x: Exports;
  private readonly mem: Uint8Array;
  readonly out: Uint32Array;
  /** The columns splitEdges fills. */
  readonly colType: Uint8Array;
  readonly colName: Uint32Array;
  readonly colTo: Uint32Array;
  /** What `strings` writes: string bytes (where numbers go otherwise), and where each string ended. */
  readonly stringBytes: Uint8Array;
  readonly stringEnds: Uint32Array;
  /** And those splitNodes fills (with colType, colName, and colTo for ids). */
  readonly colSelf: Uint32Array;
  readonly colEnd: Uint32Array;
  readonly colDet: Uint8Array;

  static create(): WasmScanner | null {
    if (process.env.HEAPSIGHT_NO_WASM) return null;
    const m = module();
    return m ? new WasmScanner(new WebAssembly.Instance(m).exports as unknown as Exports) : null;
  }

  private constructor(x: Exports) {
    this.x = x;
    this.mem = new Uint8Array(x.memory.buffer);
    this.out = new Uint32Array(x.memory.buffer, OUT, CAP);
    this.colType = new Uint8Array(x.memory.buffer, COL_TYPE, CAP);
    this.colName = new Uint32Array(x.memory.buffer, COL_NAME, CAP);
    this.colTo = new Uint32Array(x.memory.buffer, COL_TO, CAP);
    this.stringBytes = new Uint8Array(x.memory.buffer, OUT, 4 * CAP);
    this.stringEnds = this.colName;
    this.colSelf = new Uint32Array(x.memory.buffer, COL_SELF, CAP);
    this.colEnd = new Uint32Array(x.memory.buffer, COL_END, CAP);
    this.colDet = new Uint8Array(x.memory.buffer, COL_DET, CAP);
  }

  /**
   * Splits `records` whole node records from out[from...] into colType / colName / colTo (ids) / colSelf / colEnd
   * (each node's running edge count, from `edgesBefore`) / colDet; false at the first record that fails a check.
   * `at.det` < 0: no detachedness field. The largest name so far is in `nodeNameMax`.
   */
  splitNodes(
    from: number,
    records: number,
    nf: number,
    at: { type: number; name: number; id: number; self: number; ec: number; det: number },
    typeCount: number,
    edgeCount: number,
    edgesBefore: number,
  ): boolean {
    this.x.setEdges(edgesBefore);
    return (
      this.x.splitNodes(
        OUT + 4 * from,
        records,
        nf,
        4 * at.type,
        4 * at.name,
        4 * at.id,
        4 * at.self,
        4 * at.ec,
        at.det < 0 ? -1 : 4 * at.det,
        typeCount,
        edgeCount,
        COL_TYPE,
        COL_NAME,
        COL_TO,
        COL_SELF,
        COL_END,
        COL_DET,
      ) === 1
    );
  }

  get nodeNameMax(): number {
    return this.x.nodeNameMax();
  }
  set nodeNameMax(v: number) {
    this.x.setNodeNameMax(v);
  }

  /**
   * The strings array's plain strings from b[from, from + len) (len <= WINDOW), starting in parser state `st`
   * (see scan/strings.wat): their bytes go to stringBytes[0, outLen), and where each string ended, as `base` + bytes
   * so far, to stringEnds[0, ends). `status`: 0 input used up, 1 at the closing ']', 2 at a byte for the JS parser
   * (an escape, a control character, anything unexpected), 3 output full; `stoppedAt` is the index in b, not
   * consumed.
   */
  strings(
    b: Uint8Array,
    from: number,
    len: number,
    st: number,
    base: number,
  ): { status: number; stoppedAt: number; st: number; outLen: number; ends: number } {
    // After a stop (an escape, say) the next call usually starts inside the window copied last time: it is read
    // there, not copied again (a window per escape made strings with thousands of escapes cost gigabytes of copying)
    let at = this.inWindow(b, from, len);
    if (at >= 0) {
      // read where the caller put it: nothing to copy
    } else if (b === this.copied && from >= this.copiedFrom && from < this.copiedEnd) {
      at = from - this.copiedFrom;
      len = Math.min(len, this.copiedEnd - from); // the rest of that window (the caller comes back for more)
    } else {
      at = 0;
      this.mem.set(b.subarray(from, from + len), 0);
      this.copied = b;
      this.copiedFrom = from;
      this.copiedEnd = from + len;
    }
    const status = this.x.strings(at, len, st, OUT, 4 * CAP, COL_NAME, CAP, base);
    return {
      status,
      stoppedAt: from + this.x.spos(),
      st: this.x.sst(),
      outLen: this.x.outLen(),
      ends: this.x.offCount(),
    };
  }

  /** Which edge types name a string (1) rather than an index (0): at most 256 types. */
  set namedEdgeTypes(named: Uint8Array) {
    this.mem.set(named.subarray(0, 256), NAMED);
  }

  /** The largest string index named by an edge split so far. */
  get nameMax(): number {
    return this.x.nameMax();
  }
  set nameMax(v: number) {
    this.x.setNameMax(v);
  }

  /**
   * Splits `records` whole edge records from out[from...] into colName / colTo (target ordinals, with the type in the
   * top 3 bits as in `HeapGraph.edgeTypeTo`), checking each; false at the first record that fails a check (the
   * caller replays the window to say which).
   */
  splitEdges(
    from: number,
    records: number,
    ef: number,
    at: { type: number; name: number; to: number },
    nf: number,
    typeCount: number,
    nodeCount: number,
  ): boolean {
    return (
      this.x.splitEdges(
        OUT + 4 * from,
        records,
        ef,
        4 * at.type,
        4 * at.name,
        4 * at.to,
        nf,
        typeCount,
        nodeCount,
        NAMED,
        COL_TYPE,
        COL_NAME,
        COL_TO,
      ) === 1
    );
  }

  /**
   * Where the scanner reads its input: a caller that reads the file straight into this window (at most WINDOW
   * bytes at a time) and feeds the parser that view saves a copy of every byte it scans.
   */
  get input(): Uint8Array {
    return this.mem.subarray(0, WINDOW);
  }

  /** Where b[from, from + len) lies in the input window, if b is a view of it; else -1. */
  private inWindow(b: Uint8Array, from: number, len: number): number {
    return b.buffer === this.mem.buffer && b.byteOffset + from + len <= WINDOW ? b.byteOffset + from : -1;
  }

  /** What `strings` last copied into the scanner's memory: b[copiedFrom, copiedEnd), while b still holds it. */
  private copied: Uint8Array | null = null;
  private copiedFrom = 0;
  private copiedEnd = 0;

  /** The caller's buffers may now hold other bytes: copy afresh next time. */
  forget(): void {
    this.copied = null;
  }

  /** Forget any number in progress (a new array begins). */
  reset(): void {
    this.x.reset();
  }

  /** The number in progress and the scan state (0 expecting a number, 1 in one, 2 after one and white space). */
  get state(): { cur: number; st: number } {
    return { cur: this.x.cur(), st: this.x.state() };
  }

  set state(s: { cur: number; st: number }) {
    this.x.setState(s.cur, s.st);
  }

  /**
   * Scans b[from, from + len) (len <= WINDOW). Returns the status; `stoppedAt` is the index in b where it stopped
   * and `count` how many numbers are in `out`.
   */
  scan(
    b: Uint8Array,
    from: number,
    len: number,
  ): { status: ScanStatus; stoppedAt: number; count: number; state: number } {
    this.copied = null;
    let at = this.inWindow(b, from, len);
    if (at < 0) {
      this.mem.set(b.subarray(from, from + len), 0);
      at = 0;
    }
    const status = this.x.scan(at, len, OUT, CAP) as ScanStatus;
    // (pos: an address)
    return { status, stoppedAt: from + this.x.pos() - at, count: this.x.count(), state: this.x.state() };
  }
}
