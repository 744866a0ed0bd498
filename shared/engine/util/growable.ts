/** Append-only typed arrays that grow by doubling; `view()` returns the filled part without copying. */
export class GrowableU32 {
  data: Uint32Array;
  length = 0;
  constructor(
    capacity = 1024,
    private readonly alloc: (n: number) => Uint32Array = (n) => new Uint32Array(n),
  ) {
    this.data = alloc(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  /** Appends all of `src`. */
  appendAll(src: Uint32Array): void {
    if (this.length + src.length > this.data.length) this.grow(this.length + src.length);
    this.data.set(src, this.length);
    this.length += src.length;
  }
  grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = this.alloc(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  /** The filled part; shrinks the backing store when it would waste more than 1/8. */
  view(): Uint32Array {
    if (this.data.length - this.length > this.data.length / 8) {
      const exact = this.alloc(this.length);
      exact.set(this.data.subarray(0, this.length));
      this.data = exact;
    }
    return this.data.subarray(0, this.length);
  }
}

export class GrowableBytes {
  data: Uint8Array;
  length = 0;
  constructor(
    capacity = 1 << 16,
    private readonly alloc: (n: number) => Uint8Array = (n) => new Uint8Array(n),
  ) {
    this.data = alloc(Math.max(16, capacity));
  }
  ensure(extra: number): void {
    const min = this.length + extra;
    if (min <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = this.alloc(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  push(b: number): void {
    if (this.length === this.data.length) this.ensure(1);
    this.data[this.length++] = b;
  }
  append(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n <= 0) return;
    this.ensure(n);
    if (n <= 32) {
      // short runs: a loop costs less than the subarray `set` needs
      const d = this.data;
      for (let i = start, j = this.length; i < end; i++, j++) d[j] = src[i];
    } else {
      this.data.set(src.subarray(start, end), this.length);
    }
    this.length += n;
  }
  view(): Uint8Array {
    if (this.data.length - this.length > this.data.length / 8) {
      const exact = this.alloc(this.length);
      exact.set(this.data.subarray(0, this.length));
      this.data = exact;
    }
    return this.data.subarray(0, this.length);
  }
}
