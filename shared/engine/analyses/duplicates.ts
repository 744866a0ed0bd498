import { EDGE_TO, EDGE_TYPE_SHIFT, type HeapGraph } from '../graph/graph.js';
import type { Dominance } from '../dominators/index.js';
import { consParts, partNames } from './names.js';
import { collectGarbageFor } from '../util/gc.js';
import type { TypeCodes } from '../graph/graph.js';
import { Carver } from '../util/spare.js';

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
interface Group {
  count: number;
  total: number;
  min: number;
  node: number;
}

/**
 * Strings held more than once with the same value, most wasteful first. Plain strings with one value share a
 * string-table entry, so they group by index; concatenated strings group by two 32-bit hashes of their bytes and
 * their length, taken by composing the hashes of their parts (no JS string is built). Flattened concatenations
 * (one half empty) and zero-size strings are left out, as DevTools does.
 *
 * Everything per node lives in typed arrays. The concatenations whose value may repeat (see the filter below) go
 * into a hash table of values; the rest, usually nearly all, never take more than their bits in the filter.
 *
 * `spare`: a buffer nothing needs any more, whose pages are in memory already, to cut the large arrays from (the
 * filter, the concatenations' hashes, then the plain strings' counts) as far as it goes.
 */
export function duplicateStrings(
  g: HeapGraph,
  d: Pick<Dominance, 'tc' | 'shallow'>,
  limit: number,
  prep: DuplicatesPrep = prepareDuplicates(g, d),
  spare: ArrayBufferLike | null = null,
): DuplicateString[] {
  const { tc, shallow } = d;
  const { nodeType, nodeName } = g;
  // the concatenations that count: not flattened (V8 leaves a plain empty string as the other half), not empty;
  // the others' lengths are SKIP once hashed. Concatenations are numbered in node order, so loops over them walk
  // the nodes alongside.
  const carve = new Carver(spare);
  // the filter first, in front of the concatenations' arrays, which the plain strings' then take over (so it is
  // sized by all concatenations: which of them are left out is known only once they are hashed)
  const filter = new TwiceFilter(prep.cons.count, carve);
  const plainStart = carve.mark();
  let cons: ConsHashes | null = new ConsHashes(g, tc, prep.cons, shallow, carve);
  const cs = tc.consString;
  const { h1, h2, len, lengths } = cons;
  const { held, all } = prep;
  // Most concatenations are usually unique. A filter of two bits per slot, keyed by the first hash, sees every
  // concatenation, and every plain string held (once per value) of a length some concatenation has; only the
  // concatenations whose slot was seen twice can share their value with anything, and only they go into a table
  // of values (so it holds the values that repeat, and about one in eight of the others).
  for (let ci = 0; ci < cons.count; ci++) if (len[ci] !== SKIP) filter.add(h1[ci]);
  for (let s = 0; s < g.strings.count; s++) {
    if (!(held[s >>> 5] & (1 << (s & 31)))) continue;
    const n = g.strings.byteLength(s);
    if (n < lengths.length && lengths[n]) filter.add(plainHash(g, s));
  }
  const values = new ValueTable();
  const seen = new Uint8Array(BLOCK);
  for (let o = 0, ci = 0; ci < cons.count; o++) {
    if (nodeType[o] !== cs) continue;
    if (ci % BLOCK === 0) filter.twiceMany(h1, ci, Math.min(cons.count, ci + BLOCK), seen);
    if (len[ci] !== SKIP && seen[ci % BLOCK]) values.add(h1[ci], h2[ci], len[ci], o, 1, shallow[o], shallow[o]);
    ci++;
  }
  // eslint-disable-next-line no-useless-assignment -- lets the collection below take the concatenations' tables
  cons = null;
  collectGarbageFor(g.nodeCount); // the concatenations' tables, before the plain strings' tables
  carve.rewind(plainStart); // the concatenations' arrays are done with
  // per string index, for plain strings: copies, total and smallest size (set with the first copy)
  const count = carve.u32(g.strings.count, true);
  const total = all <= 0xffffffff ? carve.u32(g.strings.count, true) : carve.f64(g.strings.count, true);
  const min = carve.u32(g.strings.count, false);
  for (let o = 0, n = g.nodeCount; o < n; o++) {
    if (nodeType[o] !== tc.string) continue;
    const size = shallow[o];
    if (!size) continue;
    const s = nodeName[o];
    if (count[s]++ === 0 || size < min[s]) min[s] = size;
    total[s] += size;
  }
  // plain strings can hold the same value as concatenations: those that passed the filter are looked up
  const groups: Group[] = [];
  for (let s = 0; s < count.length; s++) {
    if (count[s] === 0) continue;
    const len = g.strings.byteLength(s);
    if (len < lengths.length && lengths[len]) {
      const h1 = plainHash(g, s);
      if (filter.twice(h1) && values.merge(h1, hash2, len, count[s], total[s], min[s])) continue;
    }
    if (count[s] > 1) groups.push({ count: count[s], total: total[s], min: min[s], node: -1 - s });
  }
  values.groups(groups);
  // ties: plain strings in string-table order, then concatenations in node order
  const order = (x: Group) => (x.node < 0 ? -1 - x.node : g.strings.count + x.node);
  groups.sort((x, y) => y.total - y.min - (x.total - x.min) || y.count - x.count || order(x) - order(y));
  return groups.slice(0, limit).map((x) => {
    const value = x.node < 0 ? g.strings.get(-1 - x.node) : consValue(g, tc, x.node);
    return {
      value: value.length > SHOWN ? value.slice(0, SHOWN) + '…' : value,
      length: value.length,
      count: x.count,
      totalSize: x.total,
      wastedSize: x.total - x.min,
    };
  });
}

/**
 * What `duplicateStrings` needs that takes little memory and nothing from the dominator tree, so that a second
 * thread can work it out while the first computes dominators: which plain strings (one value, one string-table
 * index) are held, a bit each, and all their sizes together; and which nodes are concatenations, and their numbers.
 */
export interface DuplicatesPrep {
  cons: ConsIndex;
  held: Uint32Array;
  all: number;
}

export function prepareDuplicates(g: HeapGraph, d: Pick<Dominance, 'tc' | 'shallow'>): DuplicatesPrep {
  const { tc, shallow } = d;
  const { nodeType, nodeName } = g;
  const held = new Uint32Array((g.strings.count + 31) >>> 5);
  let all = 0;
  for (let o = 0, n = g.nodeCount; o < n; o++) {
    if (nodeType[o] !== tc.string || !shallow[o]) continue;
    const s = nodeName[o];
    held[s >>> 5] |= 1 << (s & 31);
    all += shallow[o];
  }
  return { cons: consIndex(g, tc), held, all };
}

/** Concatenations are numbered in node order: a bit per node, and per 32 nodes how many come before them. */
interface ConsIndex {
  count: number;
  words: Uint32Array;
  before: Uint32Array;
}

function consIndex(g: HeapGraph, tc: TypeCodes): ConsIndex {
  const n = g.nodeCount;
  const { nodeType } = g;
  const words = new Uint32Array((n + 31) >>> 5),
    before = new Uint32Array(words.length);
  let k = 0;
  for (let o = 0; o < n; o++) {
    if ((o & 31) === 0) before[o >>> 5] = k;
    if (nodeType[o] === tc.consString) {
      words[o >>> 5] |= 1 << (o & 31);
      k++;
    }
  }
  return { count: k, words, before };
}

/**
 * Concatenated-string values (two hashes and a length) with their copies, total and smallest size, and the first
 * concatenation seen showing each: open addressing, grown as it fills.
 */
class ValueTable {
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

/** Concatenations looked up in the filter at a time (see `TwiceFilter.twiceMany`). */
const BLOCK = 4096;

/** The length of a concatenation left out. */
const SKIP = 0xffffffff;
/** In `ConsHashes`' state: left out. */
const LEFT_OUT = 4;

let hash2 = 0;

/** Both hashes of plain string s (as `ConsHashes` takes them): the first returned, the second left in `hash2`. */
function plainHash(g: HeapGraph, s: number): number {
  const { bytes, offsets } = g.strings;
  let h1 = 0,
    h2 = 0;
  for (let i = offsets[s], end = offsets[s + 1]; i < end; i++) {
    const b = bytes[i] + 1;
    h1 = (Math.imul(h1, B1) + b) | 0;
    h2 = (Math.imul(h2, B2) + b) | 0;
  }
  hash2 = h2;
  return h1;
}

/**
 * Two bits per slot, side by side (one memory access per lookup), slots picked by a 32-bit hash: whether a hash's
 * slot was seen once, or twice or more.
 */
class TwiceFilter {
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

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** The full value of a concatenation (for the few groups shown), up to 2^16 parts. */
function consValue(g: HeapGraph, tc: TypeCodes, o: number): string {
  const out: string[] = [];
  const stack = [o];
  while (stack.length && out.length < 1 << 16) {
    const x = stack.pop()!;
    if (x < 0) continue;
    if (g.nodeType[x] !== tc.consString) {
      out.push(g.strings.get(g.nodeName[x]));
      continue;
    }
    const [a, b] = consParts(g, { tc }, x);
    stack.push(b, a);
  }
  return out.join('');
}

const B1 = 0x01000193;
const B2 = 0x5bd1e995;
const POW_TABLE = 1 << 16;
const pow1 = new Int32Array(POW_TABLE),
  pow2 = new Int32Array(POW_TABLE);
pow1[0] = pow2[0] = 1;
for (let i = 1; i < POW_TABLE; i++) {
  pow1[i] = Math.imul(pow1[i - 1], B1);
  pow2[i] = Math.imul(pow2[i - 1], B2);
}

/** base^e modulo 2^32 */
function powU32(base: number, e: number): number {
  if (e < POW_TABLE) return base === B1 ? pow1[e] : pow2[e];
  let result = 1,
    b = base;
  while (e > 0) {
    if (e & 1) result = Math.imul(result, b);
    b = Math.imul(b, b);
    e = Math.floor(e / 2);
  }
  return result;
}

/**
 * Polynomial hashes (two bases, modulo 2^32) of every concatenated string's UTF-8 bytes, with its length. They
 * compose, so a concatenation's hash comes from its halves': h(ab) = h(a) * B^len(b) + h(b). Each concatenation
 * is hashed once, bottom-up, into typed arrays indexed by concatenation (concatenations numbered in node order);
 * halves are looked up from the graph's edges as they are needed, so nothing else per concatenation is kept.
 */
class ConsHashes {
  readonly count: number;
  readonly h1: Int32Array;
  readonly h2: Int32Array;
  readonly len: Uint32Array;
  /** Per concatenation: 0 new, 2 expanded (its halves are being hashed), 1 done, 3 done and flattened; + 4 left out. */
  private state: Uint8Array;
  /** node -> concatenation index: a bit per node, and per 32 nodes how many concatenations come before them. */
  private readonly words: Uint32Array;
  private readonly before: Uint32Array;
  /** Hashes of long plain strings, remembered (short ones are cheaper to hash again than to look up). */
  private readonly longLeaves = new Map<number, [number, number]>();
  private r1 = 0;
  private r2 = 0;
  private rLen = 0;
  private pa = -1;
  private pb = -1;
  private stack = new Int32Array(1024);
  /** How the graph names the edges to the halves (see `partNames`). */
  private readonly fi: number;
  private readonly si: number;
  private readonly tags: Uint8Array | null;

  /** Which lengths the concatenations that count (are not left out) have, a byte per length. */
  lengths = new Uint8Array(256);

  constructor(
    private readonly g: HeapGraph,
    private readonly tc: TypeCodes,
    index: ConsIndex,
    private readonly shallow: Uint32Array | Float64Array,
    carve: Carver,
  ) {
    ({ words: this.words, before: this.before } = index);
    const k = (this.count = index.count);
    // every entry is written as its concatenation is hashed
    this.h1 = carve.i32(k, false);
    this.h2 = carve.i32(k, false);
    this.len = carve.u32(k, false);
    this.state = carve.u8(k, true);
    ({ first: this.fi, second: this.si, tags: this.tags } = partNames(g));
    this.hashAll();
    const { len, state } = this;
    for (let ci = 0; ci < k; ci++) if (state[ci] & LEFT_OUT) len[ci] = SKIP;
    this.state = new Uint8Array(0);
  }

  /** A node's concatenation index, or -1 if it is not a concatenation. */
  private index(x: number): number {
    const w = this.words[x >>> 5],
      bit = 1 << (x & 31);
    return w & bit ? this.before[x >>> 5] + popcount(w & (bit - 1)) : -1;
  }

  private ofString(s: number): void {
    const { offsets } = this.g.strings;
    const n = offsets[s + 1] - offsets[s];
    this.rLen = n;
    const long = n > 64;
    if (long) {
      const known = this.longLeaves.get(s);
      if (known) {
        this.r1 = known[0];
        this.r2 = known[1];
        return;
      }
    }
    const h1 = plainHash(this.g, s),
      h2 = hash2;
    this.r1 = h1;
    this.r2 = h2;
    if (long) this.longLeaves.set(s, [h1, h2]);
  }

  /** The hashes and length of a half (node x, or -1 for none) into r1, r2, rLen; whether it is a plain empty string. */
  private ofPart(x: number): boolean {
    this.r1 = this.r2 = this.rLen = 0;
    if (x < 0) return false;
    const xi = this.index(x);
    if (xi < 0) {
      this.ofString(this.g.nodeName[x]);
      return this.rLen === 0;
    }
    // a half still being expanded is a cycle and counts as empty
    const st = this.state[xi];
    if (st & 1) {
      this.r1 = this.h1[xi];
      this.r2 = this.h2[xi];
      this.rLen = this.len[xi];
    }
    return false;
  }

  /** The halves of concatenation x (node, or -1) into pa and pb, as `consParts` finds them. */
  private parts(x: number): void {
    const { firstEdge, edgeTypeTo, edgeName } = this.g;
    const internal = this.tc.eInternal,
      { fi, si, tags } = this;
    let a = -1,
      b = -1;
    for (let e = firstEdge[x], end = firstEdge[x + 1]; e < end && (a < 0 || b < 0); e++) {
      const tt = edgeTypeTo[e];
      if (tt >>> EDGE_TYPE_SHIFT !== internal) continue;
      const nm = edgeName[e];
      const tag = tags ? tags[nm] : nm === fi ? 1 : nm === si ? 2 : 0;
      if (tag === 1) a = tt & EDGE_TO;
      else if (tag === 2) b = tt & EDGE_TO;
    }
    this.pa = a;
    this.pb = b;
  }

  /** Whether a half (node x, or -1 for none) is hashed already: no half, a plain string, or a concatenation done. */
  private ready(x: number): boolean {
    if (x < 0) return true;
    const xi = this.index(x);
    return xi < 0 || (this.state[xi] & 1) === 1;
  }

  /** Concatenation xi's hashes and length from its halves a and b, hashed already. */
  private finish(xi: number, a: number, b: number): void {
    let flat = this.ofPart(a);
    const a1 = this.r1,
      a2 = this.r2,
      aLen = this.rLen;
    flat = this.ofPart(b) || flat;
    const bLen = this.rLen;
    this.h1[xi] = (Math.imul(a1, powU32(B1, bLen)) + this.r1) | 0;
    this.h2[xi] = (Math.imul(a2, powU32(B2, bLen)) + this.r2) | 0;
    this.len[xi] = aLen + bLen;
    this.state[xi] = flat ? 3 : 1;
  }

  /**
   * Every concatenation, in reverse node order: V8 usually lists a concatenation's halves after it, so they are
   * mostly done by the time it comes up, and it is hashed straight from them. Else an iterative post-order from it.
   */
  private hashAll(): void {
    const { g, tc, state } = this;
    const { nodeType } = g;
    const cs = tc.consString;
    const { shallow, len } = this;
    for (let o = g.nodeCount - 1, ci = this.count - 1; ci >= 0; o--) {
      if (nodeType[o] !== cs) continue;
      if (state[ci] === 0) {
        this.parts(o);
        const a = this.pa,
          b = this.pb;
        if (this.ready(a) && this.ready(b)) this.finish(ci, a, b);
        else this.hashFrom(o);
      }
      // done: left out if flattened (a half is a plain empty string: V8 leaves one when it flattens) or empty.
      // Its length stays until all are hashed (its parents need it).
      if (state[ci] === 3 || !shallow[o]) {
        state[ci] |= LEFT_OUT;
      } else {
        const n = len[ci];
        if (n >= this.lengths.length) this.growLengths(n);
        this.lengths[n] = 1;
      }
      ci--;
    }
  }

  private growLengths(n: number): void {
    const grown = new Uint8Array(Math.max(n + 1, this.lengths.length * 2));
    grown.set(this.lengths);
    this.lengths = grown;
  }

  /**
   * Iterative post-order from concatenation o (the stack holds nodes). A half found expanded is a cycle (never
   * written by V8, but input is untrusted) and counts as empty, so this always ends.
   */
  private hashFrom(o: number): void {
    const { state } = this;
    let stack = this.stack;
    let sp = 0;
    stack[sp++] = o;
    while (sp > 0) {
      const x = stack[sp - 1];
      const xi = this.index(x);
      const st = state[xi];
      if (st !== 0 && st !== 2) {
        sp--;
        continue;
      }
      this.parts(x);
      const a = this.pa,
        b = this.pb;
      if (st === 0) {
        state[xi] = 2;
        if (sp + 2 > stack.length) {
          const grown = new Int32Array(stack.length * 2);
          grown.set(stack);
          this.stack = stack = grown;
        }
        if (a >= 0) {
          const ai = this.index(a);
          if (ai >= 0 && state[ai] === 0) stack[sp++] = a;
        }
        if (b >= 0) {
          const bi = this.index(b);
          if (bi >= 0 && state[bi] === 0) stack[sp++] = b;
        }
        continue;
      }
      sp--;
      this.finish(xi, a, b);
    }
  }
}
