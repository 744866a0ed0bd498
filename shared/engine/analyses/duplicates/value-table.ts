/** A value held more than once; `node` is a concatenation showing it, or -1 - string index for plain strings. */
export interface Group {
  count: number;
  total: number;
  min: number;
  node: number;
}

/**
 * Concatenated-string values (two hashes and a length) with their copies, total and smallest size, and the first
 * concatenation seen showing each: open addressing with linear probing (W. W. Peterson, "Addressing for Random-Access
 * Storage", IBM Journal of Research and Development 1(2), 1957), grown as it fills.
 */
export class ValueTable {
  private mask = (1 << 10) - 1;
  private size = 0;
  private h1 = new Int32Array(this.mask + 1);
  private h2 = new Int32Array(this.mask + 1);
  private len = new Uint32Array(this.mask + 1);
  /** First concatenation's node + 1 (0: a free slot). */
  private node = new Uint32Array(this.mask + 1);
  private count = new Float64Array(this.mask + 1);
  private total = new Float64Array(this.mask + 1);
  private min = new Float64Array(this.mask + 1);

  private slot(h1: number, h2: number, len: number): number {
    let i = Math.imul(h1 ^ Math.imul(h2, 0x85ebca6b) ^ len, 0x9e3779b1) >>> 0;
    for (; ; i++) {
      const at = i & this.mask;
      if (this.node[at] === 0 || (this.h1[at] === h1 && this.h2[at] === h2 && this.len[at] === len)) return at;
    }
  }

  add(h1: number, h2: number, len: number, node: number, count: number, total: number, min: number): void {
    const at = this.slot(h1, h2, len);
    if (this.node[at] === 0) {
      this.h1[at] = h1;
      this.h2[at] = h2;
      this.len[at] = len;
      this.node[at] = node + 1;
      this.count[at] = count;
      this.total[at] = total;
      this.min[at] = min;
      if (++this.size * 2 > this.mask) this.grow();
    } else {
      this.count[at] += count;
      this.total[at] += total;
      if (min < this.min[at]) this.min[at] = min;
    }
  }

  /** Adds copies to a value already in the table; false if it is not. */
  merge(h1: number, h2: number, len: number, count: number, total: number, min: number): boolean {
    const at = this.slot(h1, h2, len);
    if (this.node[at] === 0) return false;
    this.count[at] += count;
    this.total[at] += total;
    if (min < this.min[at]) this.min[at] = min;
    return true;
  }

  /** The values held more than once. */
  groups(out: Group[]): void {
    for (let at = 0; at <= this.mask; at++) {
      if (this.node[at] !== 0 && this.count[at] > 1) {
        out.push({ count: this.count[at], total: this.total[at], min: this.min[at], node: this.node[at] - 1 });
      }
    }
  }

  private grow(): void {
    const { h1, h2, len, node, count, total, min } = this;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.h1 = new Int32Array(cap);
    this.h2 = new Int32Array(cap);
    this.len = new Uint32Array(cap);
    this.node = new Uint32Array(cap);
    this.count = new Float64Array(cap);
    this.total = new Float64Array(cap);
    this.min = new Float64Array(cap);
    for (let i = 0; i < node.length; i++) {
      if (node[i] === 0) continue;
      const at = this.slot(h1[i], h2[i], len[i]);
      this.h1[at] = h1[i];
      this.h2[at] = h2[i];
      this.len[at] = len[i];
      this.node[at] = node[i];
      this.count[at] = count[i];
      this.total[at] = total[i];
      this.min[at] = min[i];
    }
  }
}
