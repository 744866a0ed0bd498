/**
 * The snapshot's strings, kept as UTF-8 bytes in one buffer with offsets, never as millions of JS strings:
 * a name becomes a JS string only when something asks for it.
 */
export class StringTable {
  readonly count: number;
  private readonly buf: Buffer;
  private readonly cache: (string | undefined)[];

  /** `known`: names already looked up in this table (see `known()`), so another thread need not look again. */
  constructor(
    readonly bytes: Uint8Array,
    readonly offsets: Uint32Array,
    known: [string, number[]][] = [],
  ) {
    this.count = offsets.length - 1;
    for (const [name, hits] of known) this.found.set(name, hits);
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

  private readonly found = new Map<string, number[]>();

  /** The names looked up so far, with their indexes. */
  known(): [string, number[]][] {
    return [...this.found];
  }

  /**
   * Every index whose string equals one of `names`. The first call looks for all of WELL_KNOWN as well, in one
   * pass over the table; later calls for known names cost nothing.
   */
  indexesOf(names: string[]): Map<string, number[]> {
    const missing = names.filter((n) => !this.found.has(n));
    if (missing.length) this.scan(this.found.size ? missing : [...new Set([...WELL_KNOWN, ...missing])]);
    return new Map(names.map((n) => [n, this.found.get(n)!]));
  }

  private scan(names: string[]): void {
    const wanted = names.map((n) => Buffer.from(n, 'utf8'));
    const maxLen = Math.max(...wanted.map((w) => w.length));
    const byLength: number[][] = Array.from({ length: maxLen + 1 }, () => []);
    wanted.forEach((w, k) => byLength[w.length].push(k));
    const hits: number[][] = names.map(() => []);
    const { offsets } = this;
    for (let i = 0; i < this.count; i++) {
      const len = offsets[i + 1] - offsets[i];
      if (len > maxLen) continue;
      const ks = byLength[len];
      for (let j = 0; j < ks.length; j++) if (this.equals(i, wanted[ks[j]])) hits[ks[j]].push(i);
    }
    names.forEach((n, k) => this.found.set(n, hits[k]));
  }
}

/** Names the analyses look up: found together in the first pass over a snapshot's strings. */
export const WELL_KNOWN = [
  '(Document DOM trees)',
  'system / ExternalStringData',
  'sloppy_function_map',
  'system / NativeContext',
  '(map descriptors)',
  'system / JSArrayBufferData',
  'Array',
  'elements',
  'Object',
  '__proto__',
  'first',
  'second',
];
