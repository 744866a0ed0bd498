/**
 * The snapshot's strings, kept as UTF-8 bytes in one buffer with offsets, never as millions of JS strings:
 * a name becomes a JS string only when something asks for it.
 */
export class StringTable {
  readonly count: number;
  private readonly buf: Buffer;
  private readonly cache: (string | undefined)[];

  constructor(readonly bytes: Uint8Array, readonly offsets: Uint32Array) {
    this.count = offsets.length - 1;
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.cache = new Array(Math.min(this.count, 1 << 16));
  }

  get(i: number): string {
    if (i < this.cache.length) {
      const hit = this.cache[i];
      if (hit !== undefined) return hit;
      return (this.cache[i] = this.decode(i));
    }
    return this.decode(i);
  }

  private decode(i: number): string {
    if (i < 0 || i >= this.count) throw new RangeError(`string index ${i} out of range`);
    return this.buf.toString('utf8', this.offsets[i], this.offsets[i + 1]);
  }

  byteLength(i: number): number {
    return this.offsets[i + 1] - this.offsets[i];
  }

  /** Byte-level equality with an ASCII/UTF-8 string, without decoding. */
  equals(i: number, s: Buffer): boolean {
    const start = this.offsets[i];
    const len = this.offsets[i + 1] - start;
    if (len !== s.length) return false;
    for (let k = 0; k < len; k++) if (this.bytes[start + k] !== s[k]) return false;
    return true;
  }

  startsWith(i: number, s: Buffer): boolean {
    const start = this.offsets[i];
    const len = this.offsets[i + 1] - start;
    if (len < s.length) return false;
    for (let k = 0; k < s.length; k++) if (this.bytes[start + k] !== s[k]) return false;
    return true;
  }

  /** Every index whose string equals one of `names`, in one pass over the table. */
  indexesOf(names: string[]): Map<string, number[]> {
    const wanted = names.map((n) => Buffer.from(n, 'utf8'));
    const out = new Map<string, number[]>(names.map((n) => [n, []]));
    const lengths = new Set(wanted.map((w) => w.length));
    for (let i = 0; i < this.count; i++) {
      const len = this.offsets[i + 1] - this.offsets[i];
      if (!lengths.has(len)) continue;
      for (let k = 0; k < wanted.length; k++) if (this.equals(i, wanted[k])) out.get(names[k])!.push(i);
    }
    return out;
  }
}
