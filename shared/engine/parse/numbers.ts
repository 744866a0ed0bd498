import { ParseError } from './errors.js';
import { COMMA, CLOSE_BRACKET, describe, isWs, MAX_EXACT } from './syntax.js';
import { ScanStatus, WINDOW, type WasmScanner } from './wasm-scanner.js';

/**
 * Where the numbers of one array (nodes, edges, locations) go, with the checks that belong to them: the columns of
 * `columns.ts`, or the locations' values.
 */
export interface NumberSink {
  /** The array's name in messages. */
  readonly section: 'nodes' | 'edges' | 'locations';
  /** One number, read at byte `at` (for messages). */
  put(v: number, at: number): void;
  /** A batch of numbers the WebAssembly scanner read (in its `out`, or any array). */
  batch(out: Uint32Array, count: number): void;
  /** Where the next number goes, to come back to when a window is read again. */
  mark(): number[];
  reset(mark: number[]): void;
  /** The array ended at byte `at` after `count` numbers: checks what only its end can tell. */
  close(at: number, count: number): void;
}

/**
 * Reads a numeric array, chunk after chunk, into a sink: with the WebAssembly scanner a window at a time, or byte by
 * byte in JS without it. Anything unusual in a window (a bad byte, a number over 2^32-1, a check that fails) reads
 * that window again with the JS scanner, which then says exactly what is wrong and where.
 */
export class NumberArrayReader {
  /** Whether the closing ']' was read. */
  closed = false;
  private opened = false;
  /** 0 expecting a number, 1 in one, 2 after one and white space. */
  private state = 0;
  private cur = 0;
  /** Numbers read so far. */
  private count = 0;

  constructor(
    private readonly sink: NumberSink,
    private readonly wasm: WasmScanner | null,
  ) {
    wasm?.reset();
  }

  /** Reads b[i...] (the chunk starts at byte `pos` of the file); returns where it stopped (past ']' once closed). */
  read(b: Uint8Array, i: number, pos: number): number {
    if (!this.opened) {
      // the '[' that opens the array (checked by whoever made this reader)
      this.opened = true;
      i++;
    }
    return this.wasm ? this.readWasm(this.wasm, b, i, pos) : this.readJs(b, i, pos);
  }

  private readWasm(w: WasmScanner, b: Uint8Array, i: number, pos: number): number {
    const len = b.length;
    while (i < len) {
      const n = Math.min(len - i, WINDOW);
      const mark = this.sink.mark();
      const before = { count: this.count, ...w.state };
      const r = w.scan(b, i, n);
      let ok =
        r.status === ScanStatus.More ||
        r.status === ScanStatus.Full ||
        (r.status === ScanStatus.Closed && (r.state !== 0 || this.count + r.count === 0));
      if (ok) {
        try {
          this.sink.batch(w.out, r.count);
          this.count += r.count;
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
          ok = false;
        }
      }
      if (!ok) {
        // read this window again in JS, from the state it started in
        this.sink.reset(mark);
        this.count = before.count;
        this.cur = before.cur;
        this.state = before.st;
        const j = this.readJs(b.subarray(0, i + n), i, pos);
        if (this.closed) return j;
        w.state = { cur: this.cur, st: this.state };
        i = j;
        continue;
      }
      if (r.status === ScanStatus.Closed) {
        w.reset();
        this.close(pos + r.stoppedAt);
        return r.stoppedAt + 1;
      }
      i = r.status === ScanStatus.Full ? r.stoppedAt : i + n;
    }
    return i;
  }

  /** Byte by byte in JS: the fallback, and the reference for errors. */
  private readJs(b: Uint8Array, i: number, pos: number): number {
    const len = b.length;
    const sink = this.sink;
    const name = sink.section;
    let cur = this.cur,
      st = this.state;
    for (; i < len; i++) {
      const c = b[i];
      const d = c - 48;
      if (d >>> 0 <= 9) {
        if (st === 2) throw new ParseError(`malformed ${name} array: missing ',' between numbers`, pos + i);
        cur = cur * 10 + d;
        st = 1;
        continue;
      }
      if (c === COMMA || c === CLOSE_BRACKET) {
        if (st === 0) {
          if (c === CLOSE_BRACKET && this.count === 0) break;
          const what = c === COMMA ? 'empty element' : "trailing ','";
          throw new ParseError(`malformed ${name} array: ${what}`, pos + i);
        }
        if (cur > MAX_EXACT) throw new ParseError(`number too large in ${name} array`, pos + i);
        this.count++;
        sink.put(cur, pos + i);
        cur = 0;
        st = 0;
        if (c === CLOSE_BRACKET) break;
        continue;
      }
      if (isWs(c)) {
        if (st === 1) st = 2;
        continue;
      }
      if (c === 45) throw new ParseError(`negative number in ${name} array`, pos + i);
      throw new ParseError(
        `unexpected ${describe(c)} in ${name} array (only non-negative integers belong there)`,
        pos + i,
      );
    }
    if (i < len) {
      // closed by ']'
      this.close(pos + i);
      return i + 1;
    }
    this.cur = cur;
    this.state = st;
    return i;
  }

  private close(at: number): void {
    this.cur = 0;
    this.state = 0;
    this.sink.close(at, this.count);
    this.closed = true;
  }
}
