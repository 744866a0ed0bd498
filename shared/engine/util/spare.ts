/**
 * The first `n` entries of a buffer an earlier phase is done with, when it is long enough (its pages are in memory
 * already, where a new array's are each faulted in on first use), else a new array. Cleared only when asked: a new
 * array is all zeros anyway.
 */
export function spareOr(spare: Uint32Array | undefined, n: number, clear: boolean): Uint32Array {
  if (!spare || spare.length < n) return new Uint32Array(n);
  const a = spare.subarray(0, n);
  return clear ? a.fill(0) : a;
}

/**
 * Typed arrays cut one after another out of a buffer an earlier phase is done with, whose pages are in memory
 * already (a new array's are each faulted in by the kernel on first use, and on a virtual machine perhaps supplied
 * afresh by the host), and new arrays once it is used up. Contents are whatever was there, unless asked to clear.
 */
export class Carver {
  private at = 0;

  constructor(private readonly buffer: ArrayBufferLike | null) {}

  /** Where the next array would start: arrays cut after this can be cut again from here with `rewind`. */
  mark(): number {
    return this.at;
  }

  /** Cuts the next arrays from `mark` on again (the ones cut after it must no longer be used). */
  rewind(mark: number): void {
    this.at = mark;
  }

  u8(n: number, clear: boolean): Uint8Array {
    return this.cut(
      n,
      1,
      (b, o) => new Uint8Array(b, o, n),
      () => new Uint8Array(n),
      clear,
    );
  }

  u32(n: number, clear: boolean): Uint32Array {
    return this.cut(
      n,
      4,
      (b, o) => new Uint32Array(b, o, n),
      () => new Uint32Array(n),
      clear,
    );
  }

  i32(n: number, clear: boolean): Int32Array {
    return this.cut(
      n,
      4,
      (b, o) => new Int32Array(b, o, n),
      () => new Int32Array(n),
      clear,
    );
  }

  f64(n: number, clear: boolean): Float64Array {
    return this.cut(
      n,
      8,
      (b, o) => new Float64Array(b, o, n),
      () => new Float64Array(n),
      clear,
    );
  }

  private cut<T extends { fill(v: number): T }>(
    n: number,
    size: number,
    view: (b: ArrayBufferLike, offset: number) => T,
    fresh: () => T,
    clear: boolean,
  ): T {
    const start = Math.ceil(this.at / 8) * 8; // every kind of array may start there
    if (!this.buffer || start + n * size > this.buffer.byteLength) return fresh();
    this.at = start + n * size;
    const a = view(this.buffer, start);
    return clear ? a.fill(0) : a;
  }
}
