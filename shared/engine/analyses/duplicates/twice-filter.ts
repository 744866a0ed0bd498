import type { Carver } from '../../util/spare.js';

/**
 * Two bits per slot, side by side (one memory access per lookup), slots picked by a 32-bit hash: whether a hash's
 * slot was seen once, or twice or more. A counting Bloom filter (Li Fan, Pei Cao, Jussara Almeida and Andrei Z.
 * Broder, "Summary Cache: A Scalable Wide-Area Web Cache Sharing Protocol", IEEE/ACM Transactions on Networking
 * 8(3), 2000) with one hash function and counters that stop at two: a value seen twice may repeat, one seen once
 * cannot.
 */
export class TwiceFilter {
  private readonly bits: Uint32Array;
  private readonly shift: number;
  constructor(items: number, carve: Carver) {
    // about eight slots per item: one in eight of the unique values shares a slot with another and goes on
    const width = Math.min(31, Math.max(10, 32 - Math.clz32(items * 8)));
    this.shift = 32 - width;
    this.bits = carve.u32(1 << (width - 4), true);
  }
  add(h: number): void {
    const i = Math.imul(h, 0x9e3779b1) >>> this.shift,
      w = i >>> 4,
      once = 1 << ((i & 15) << 1);
    const x = this.bits[w];
    // no branch on what was read, so the reads of successive adds, mostly cache misses, overlap
    this.bits[w] = x | once | ((x & once) << 1);
  }
  twice(h: number): boolean {
    const i = Math.imul(h, 0x9e3779b1) >>> this.shift;
    return (this.bits[i >>> 4] & (2 << ((i & 15) << 1))) !== 0;
  }
  /**
   * `twice` for hashes[from, to), into out[0, to - from) as 0 or 1: a loop with no branch on what it reads, so
   * its reads, mostly cache misses, overlap.
   */
  twiceMany(hashes: Int32Array, from: number, to: number, out: Uint8Array): void {
    const { bits, shift } = this;
    for (let k = from; k < to; k++) {
      const i = Math.imul(hashes[k], 0x9e3779b1) >>> shift;
      out[k - from] = (bits[i >>> 4] >>> (((i & 15) << 1) + 1)) & 1;
    }
  }
}
