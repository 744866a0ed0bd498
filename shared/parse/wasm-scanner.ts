import fs from 'node:fs';

/** Bytes scanned per call, and numbers written per call, in the module's memory. */
export const WINDOW = 1 << 20;
const OUT = WINDOW;
const CAP = WINDOW / 2;

export const enum ScanStatus { More = 0, Closed = 1, BadByte = 2, Full = 3, Big = 4, NoComma = 5, Empty = 6 }

/** The few WebAssembly names used here (this project's TypeScript lib has no WebAssembly types). */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

interface Exports {
  memory: { buffer: ArrayBuffer };
  scan(inPtr: number, len: number, out: number, cap: number): number;
  pos(): number;
  count(): number;
  state(): number;
  cur(): number;
  setState(cur: number, st: number): void;
  reset(): void;
}

let compiled: object | null | undefined;

/** The compiled scanner (scan.wat, built to scan.wasm next to this file), or null where it is missing. */
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
 * The WebAssembly integer scanner (see scan.wat): it turns the bytes of a numeric array into u32 values several
 * times faster than a JS byte loop. One instance per parser.
 */
export class WasmScanner {
  private readonly x: Exports;
  private readonly mem: Uint8Array;
  readonly out: Uint32Array;

  static create(): WasmScanner | null {
    if (process.env.HEAPSIGHT_NO_WASM) return null;
    const m = module();
    return m ? new WasmScanner(new WebAssembly.Instance(m).exports as unknown as Exports) : null;
  }

  private constructor(x: Exports) {
    this.x = x;
    this.mem = new Uint8Array(x.memory.buffer);
    this.out = new Uint32Array(x.memory.buffer, OUT, CAP);
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
  scan(b: Uint8Array, from: number, len: number): { status: ScanStatus; stoppedAt: number; count: number; state: number } {
    this.mem.set(b.subarray(from, from + len), 0);
    const status = this.x.scan(0, len, OUT, CAP) as ScanStatus;
    return { status, stoppedAt: from + this.x.pos(), count: this.x.count(), state: this.x.state() };
  }
}
