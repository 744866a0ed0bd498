import type { HeapGraph } from '../graph/graph.js';
import type { Dominance } from '../dominators/index.js';
import { consParts } from './names.js';

export interface DuplicateString {
  /** The value, cut to 200 characters for display (`length` gives the real length in characters). */
  value: string;
  length: number;
  count: number;
  totalSize: number;
  /** Bytes that one shared copy would save: the total less the smallest copy. */
  wastedSize: number;
}

const SHOWN = 200;

/** A value held more than once; `node` is a concatenation showing it, or -1 - string index for plain strings. */
interface Group { count: number; total: number; min: number; node: number }

/**
 * Strings held more than once with the same value, most wasteful first. Plain strings with one value share a
 * string-table entry, so they group by index; concatenated strings group by a 64-bit hash of their bytes, taken by
 * composing the hashes of their parts (no JS string is built). Flattened concatenations (one half empty) and zero-size strings are
 * left out, as DevTools does.
 */
export function duplicateStrings(g: HeapGraph, d: Pick<Dominance, 'tc' | 'shallow'>, limit: number): DuplicateString[] {
  const { tc, shallow } = d;
  // per string index, for plain strings (one value, one index): copies, total and smallest size
  const count = new Uint32Array(g.strings.count);
  const total = new Float64Array(g.strings.count);
  const min = new Uint32Array(g.strings.count);
  const hasher = new ContentHasher(g, d);
  // Concatenations are listed here and grouped below; plain strings are counted by string index right away.
  const consNodes = new Int32Array(hasher.consCount);
  let consLen = 0;
  const { nodeType, nodeName } = g;
  const stringType = tc.string, consType = tc.consString;
  for (let o = 0, n = g.nodeCount; o < n; o++) {
    const t = nodeType[o];
    if (t !== stringType && t !== consType) continue;
    const size = shallow[o];
    if (!size) continue;
    if (t === stringType) {
      const s = nodeName[o];
      if (count[s] === 0 || size < min[s]) min[s] = size;
      count[s]++;
      total[s] += size;
      continue;
    }
    const [a, b] = consParts(g, d, o);
    if ((a >= 0 && hasher.isEmptyLeaf(a)) || (b >= 0 && hasher.isEmptyLeaf(b))) continue;
    consNodes[consLen++] = o;
  }
  // One 32-bit hash per concatenation, sorted: values held twice or more show up as runs. Only those (and the
  // rare chance collisions among them) get a full key and a group.
  const h32 = new Uint32Array(consLen);
  for (let i = 0; i < consLen; i++) h32[i] = hasher.hash32(consNodes[i]);
  h32.sort();
  const repeated = new Set<number>();
  for (let i = 1; i < consLen; i++) if (h32[i] === h32[i - 1]) repeated.add(h32[i]);
  const cons = new Map<number, Group>();
  for (let i = 0; i < consLen; i++) {
    const o = consNodes[i];
    if (!repeated.has(hasher.hash32(o))) continue;
    const key = hasher.key(o);
    const size = shallow[o];
    const c = cons.get(key);
    if (c) { c.count++; c.total += size; c.min = Math.min(c.min, size); }
    else cons.set(key, { count: 1, total: size, min: size, node: o });
  }
  // single concatenations can still duplicate a plain string: find those by length, then hash
  const byLength = new Set<number>();
  for (let i = 0; i < consLen; i++) byLength.add(hasher.length(consNodes[i]));
  let singles: Map<number, number> | null = null;
  const groups: Group[] = [];
  for (let s = 0; s < count.length; s++) {
    if (count[s] === 0) continue;
    if (byLength.has(g.strings.byteLength(s))) {
      const key = hasher.keyOfBytes(s);
      let c = cons.get(key);
      if (!c && sortedHas(h32, hasher.hash32OfBytes(s))) {
        // maybe one concatenation with this value: find it and start its group
        if (!singles) {
          singles = new Map();
          for (let i = 0; i < consLen; i++) {
            const o = consNodes[i];
            if (!repeated.has(hasher.hash32(o))) singles.set(hasher.key(o), o);
          }
        }
        const o = singles.get(key);
        if (o !== undefined) {
          c = { count: 1, total: shallow[o], min: shallow[o], node: o };
          cons.set(key, c);
        }
      }
      if (c) { c.count += count[s]; c.total += total[s]; c.min = Math.min(c.min, min[s]); continue; }
    }
    if (count[s] > 1) groups.push({ count: count[s], total: total[s], min: min[s], node: -1 - s });
  }
  for (const c of cons.values()) if (c.count > 1) groups.push(c);
  groups.sort((x, y) => (y.total - y.min) - (x.total - x.min) || y.count - x.count);
  return groups.slice(0, limit).map((x) => {
    const value = x.node < 0 ? g.strings.get(-1 - x.node) : hasher.value(x.node);
    return {
      value: value.length > SHOWN ? value.slice(0, SHOWN) + '…' : value,
      length: value.length,
      count: x.count,
      totalSize: x.total,
      wastedSize: x.total - x.min,
    };
  });
}

function sortedHas(sorted: Uint32Array, key: number): boolean {
  let lo = 0, hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] === key) return true;
    if (sorted[mid] < key) lo = mid + 1; else hi = mid - 1;
  }
  return false;
}


const B1 = 0x01000193;
const B2 = 0x5bd1e995;
const POW_TABLE = 1 << 16;
const pow1 = new Int32Array(POW_TABLE), pow2 = new Int32Array(POW_TABLE);
pow1[0] = pow2[0] = 1;
for (let i = 1; i < POW_TABLE; i++) { pow1[i] = Math.imul(pow1[i - 1], B1); pow2[i] = Math.imul(pow2[i - 1], B2); }

/** base^e modulo 2^32 */
function powU32(base: number, e: number): number {
  if (e < POW_TABLE) return base === B1 ? pow1[e] : pow2[e];
  let result = 1, b = base;
  while (e > 0) {
    if (e & 1) result = Math.imul(result, b);
    b = Math.imul(b, b);
    e = Math.floor(e / 2);
  }
  return result;
}

/**
 * Polynomial hashes (two bases, modulo 2^32) of a string's UTF-8 bytes. They compose, so a concatenation's hash
 * comes from its halves': h(ab) = h(a) * B^len(b) + h(b). Every node and string is hashed once, into typed arrays.
 */
class ContentHasher {
  private readonly consIndex: Int32Array; // node -> dense index of concatenated strings, or -1
  private readonly c1: Int32Array; private readonly c2: Int32Array; private readonly cLen: Uint32Array;
  readonly consCount: number;
  private readonly cDone: Uint8Array;
  /** Hashes of long plain strings, remembered (short ones are cheaper to hash again than to look up). */
  private readonly longLeaves = new Map<number, [number, number]>();
  private r1 = 0; private r2 = 0; private rLen = 0; // result of the last of()/ofString()
  private readonly stack: number[] = [];

  constructor(private readonly g: HeapGraph, private readonly d: Pick<Dominance, 'tc'>) {
    this.consIndex = new Int32Array(g.nodeCount).fill(-1);
    let c = 0;
    for (let o = 0; o < g.nodeCount; o++) if (g.nodeType[o] === d.tc.consString) this.consIndex[o] = c++;
    this.consCount = c;
    this.c1 = new Int32Array(c); this.c2 = new Int32Array(c); this.cLen = new Uint32Array(c); this.cDone = new Uint8Array(c);

  }

  private ofString(s: number): void {
    const { bytes, offsets } = this.g.strings;
    const len = (this.rLen = offsets[s + 1] - offsets[s]);
    const long = len > 64;
    if (long) {
      const known = this.longLeaves.get(s);
      if (known) { this.r1 = known[0]; this.r2 = known[1]; return; }
    }
    let h1 = 0, h2 = 0;
    for (let i = offsets[s], end = offsets[s + 1]; i < end; i++) {
      const b = bytes[i] + 1;
      h1 = (Math.imul(h1, B1) + b) | 0;
      h2 = (Math.imul(h2, B2) + b) | 0;
    }
    this.r1 = h1; this.r2 = h2;
    if (long) this.longLeaves.set(s, [h1, h2]);
  }

  /** Hashes node o (a string of any kind) into r1/r2/rLen. */
  private of(o: number): void {
    const ci = this.consIndex[o];
    if (ci < 0) { this.ofString(this.g.nodeName[o]); return; }
    if (this.cDone[ci] !== 1 && !this.composeDirect(o, ci)) this.compose(o);
    this.r1 = this.c1[ci]; this.r2 = this.c2[ci]; this.rLen = this.cLen[ci];
  }

  /** The common case, both halves already hashed (or plain strings): no stack needed. */
  private composeDirect(o: number, ci: number): boolean {
    const { consIndex, cDone } = this;
    const [a, b] = consParts(this.g, this.d, o);
    const ai = a >= 0 ? consIndex[a] : -1, bi = b >= 0 ? consIndex[b] : -1;
    if ((ai >= 0 && cDone[ai] !== 1) || (bi >= 0 && cDone[bi] !== 1)) return false;
    let a1 = 0, a2 = 0, aLen = 0;
    if (a >= 0) { this.of(a); a1 = this.r1; a2 = this.r2; aLen = this.rLen; }
    let b1 = 0, b2 = 0, bLen = 0;
    if (b >= 0) { this.of(b); b1 = this.r1; b2 = this.r2; bLen = this.rLen; }
    this.c1[ci] = (Math.imul(a1, powU32(B1, bLen)) + b1) | 0;
    this.c2[ci] = (Math.imul(a2, powU32(B2, bLen)) + b2) | 0;
    this.cLen[ci] = aLen + bLen;
    cDone[ci] = 1;
    return true;
  }

  /**
   * Iterative post-order over the concatenations below o that are not hashed yet. State per node: 0 new,
   * 2 expanded (its parts are being hashed), 1 done. A part found expanded is a cycle (never written by V8, but
   * input is untrusted) and counts as empty, so this always ends.
   */
  private compose(o: number): void {
    const { g, d, consIndex, cDone } = this;
    const stack = this.stack;
    stack.length = 0;
    stack.push(o);
    while (stack.length) {
      const x = stack[stack.length - 1];
      const xi = consIndex[x];
      const st = cDone[xi];
      if (st === 1) { stack.pop(); continue; }
      const [a, b] = consParts(g, d, x);
      if (st === 0) {
        cDone[xi] = 2;
        if (a >= 0 && consIndex[a] >= 0 && cDone[consIndex[a]] === 0) stack.push(a);
        if (b >= 0 && consIndex[b] >= 0 && cDone[consIndex[b]] === 0) stack.push(b);
        continue;
      }
      stack.pop();
      let a1 = 0, a2 = 0, aLen = 0;
      if (a >= 0 && !(consIndex[a] >= 0 && cDone[consIndex[a]] === 2)) { this.of(a); a1 = this.r1; a2 = this.r2; aLen = this.rLen; }
      let b1 = 0, b2 = 0, bLen = 0;
      if (b >= 0 && !(consIndex[b] >= 0 && cDone[consIndex[b]] === 2)) { this.of(b); b1 = this.r1; b2 = this.r2; bLen = this.rLen; }
      this.c1[xi] = (Math.imul(a1, powU32(B1, bLen)) + b1) | 0;
      this.c2[xi] = (Math.imul(a2, powU32(B2, bLen)) + b2) | 0;
      this.cLen[xi] = aLen + bLen;
      cDone[xi] = 1;
    }
  }

  private keyOfResult(): number {
    // 32 bits of one hash and 21 of the other, mixed with the length: a 53-bit map key
    return (this.r1 >>> 0) * 0x200000 + ((Math.imul(this.r2 ^ this.rLen, 0x9e3779b1) >>> 11) & 0x1fffff);
  }

  key(o: number): number { this.of(o); return this.keyOfResult(); }
  /** A 32-bit hash of the value (the first hash). */
  hash32(o: number): number { this.of(o); return this.r1 >>> 0; }
  hash32OfBytes(s: number): number { this.ofString(s); return this.r1 >>> 0; }
  keyOfBytes(s: number): number { this.ofString(s); return this.keyOfResult(); }
  length(o: number): number { this.of(o); return this.rLen; }
  /**
   * A flattened concatenation has an empty half. V8 only ever leaves a plain empty string there (a concatenation
   * is never empty), so this looks no deeper than one node.
   */
  isEmptyLeaf(o: number): boolean {
    return this.consIndex[o] < 0 && this.g.strings.byteLength(this.g.nodeName[o]) === 0;
  }

  /** The full value (for the few groups shown). */
  value(o: number): string {
    const out: string[] = [];
    const stack = [o];
    while (stack.length && out.length < 1 << 16) {
      const x = stack.pop()!;
      if (x < 0) continue;
      if (this.g.nodeType[x] !== this.d.tc.consString) { out.push(this.g.strings.get(this.g.nodeName[x])); continue; }
      const [a, b] = consParts(this.g, this.d, x);
      stack.push(b, a);
    }
    return out.join('');
  }
}
