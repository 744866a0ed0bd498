import type { HeapGraph } from '../graph/graph.js';
import type { Dominance } from '../dominators/index.js';
import { consParts } from './names.js';
import { sortByKey } from '../util/radix.js';
import { collectGarbage } from '../util/gc.js';
import type { TypeCodes } from '../graph/graph.js';

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
 * string-table entry, so they group by index; concatenated strings group by two 32-bit hashes of their bytes and
 * their length, taken by composing the hashes of their parts (no JS string is built). Flattened concatenations
 * (one half empty) and zero-size strings are left out, as DevTools does.
 *
 * Everything per node lives in typed arrays: the concatenations are ordered by hash with a radix sort, so equal
 * values form runs, and only those runs become groups.
 */
export function duplicateStrings(g: HeapGraph, d: Pick<Dominance, 'tc' | 'shallow'>, limit: number): DuplicateString[] {
  const { tc, shallow } = d;
  const cons = new ConsHashes(g, tc);
  // the concatenations that count: not flattened (V8 leaves a plain empty string as the other half), not empty
  const sorted = new Uint32Array(cons.count);
  let m = 0;
  for (let ci = 0; ci < cons.count; ci++) {
    if (!shallow[cons.node[ci]] || cons.flattened(ci)) continue;
    sorted[m++] = ci;
  }
  cons.dropParts();
  collectGarbage(); // the halves, before the sort allocates
  const cand = sorted.subarray(0, m);
  sortByKey(cand, new Uint32Array(cons.h1.buffer, cons.h1.byteOffset, cons.h1.length));
  const h1s = new Uint32Array(m);
  for (let i = 0; i < m; i++) h1s[i] = cons.h1[cand[i]];
  // runs of equal first hash; within a run, groups by the second hash and the length
  const groups: Group[] = [];
  const consGroups = new Map<number, { ci: number; group: Group }[]>(); // first hash -> groups with it
  for (let i = 0; i < m;) {
    let j = i + 1;
    while (j < m && h1s[j] === h1s[i]) j++;
    if (j - i > 1) {
      const inRun: { ci: number; group: Group }[] = [];
      for (let k = i; k < j; k++) {
        const ci = cand[k];
        const size = shallow[cons.node[ci]];
        const same = inRun.find((x) => cons.sameValue(x.ci, ci));
        if (same) { const c = same.group; c.count++; c.total += size; if (size < c.min) c.min = size; }
        else inRun.push({ ci, group: { count: 1, total: size, min: size, node: cons.node[ci] } });
      }
      consGroups.set(h1s[i], inRun);
    }
    i = j;
  }
  // per string index, for plain strings (one value, one index): copies, total and smallest size
  const count = new Uint32Array(g.strings.count);
  const total = new Float64Array(g.strings.count);
  const min = new Uint32Array(g.strings.count);
  const { nodeType, nodeName } = g;
  const stringType = tc.string;
  for (let o = 0, n = g.nodeCount; o < n; o++) {
    if (nodeType[o] !== stringType) continue;
    const size = shallow[o];
    if (!size) continue;
    const s = nodeName[o];
    if (count[s] === 0 || size < min[s]) min[s] = size;
    count[s]++;
    total[s] += size;
  }
  // plain strings can hold the same value as concatenations: look those up by length, then by hash
  const lengths = cons.lengthSet(cand);
  for (let s = 0; s < count.length; s++) {
    if (count[s] === 0) continue;
    const len = g.strings.byteLength(s);
    if (len < lengths.length && lengths[len]) {
      const [a1, a2] = cons.hashBytes(s);
      const h = a1 >>> 0;
      let c: Group | undefined;
      const run = consGroups.get(h);
      if (run) c = run.find((x) => cons.h2[x.ci] === a2 && cons.len[x.ci] === len)?.group;
      else {
        const at = lowerBound(h1s, h);
        if (at < m && h1s[at] === h) {
          const ci = cand[at]; // a single concatenation with this first hash
          if (cons.h2[ci] === a2 && cons.len[ci] === len) {
            const size = shallow[cons.node[ci]];
            c = { count: 1, total: size, min: size, node: cons.node[ci] };
            consGroups.set(h, [{ ci, group: c }]);
          }
        }
      }
      if (c) { c.count += count[s]; c.total += total[s]; c.min = Math.min(c.min, min[s]); continue; }
    }
    if (count[s] > 1) groups.push({ count: count[s], total: total[s], min: min[s], node: -1 - s });
  }
  for (const run of consGroups.values()) for (const x of run) if (x.group.count > 1) groups.push(x.group);
  // ties: plain strings in string-table order, then concatenations in node order
  const order = (x: Group) => (x.node < 0 ? -1 - x.node : g.strings.count + x.node);
  groups.sort((x, y) => (y.total - y.min) - (x.total - x.min) || y.count - x.count || order(x) - order(y));
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

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** First index with sorted[i] >= key. */
function lowerBound(sorted: Uint32Array, key: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < key) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** The full value of a concatenation (for the few groups shown), up to 2^16 parts. */
function consValue(g: HeapGraph, tc: TypeCodes, o: number): string {
  const out: string[] = [];
  const stack = [o];
  while (stack.length && out.length < 1 << 16) {
    const x = stack.pop()!;
    if (x < 0) continue;
    if (g.nodeType[x] !== tc.consString) { out.push(g.strings.get(g.nodeName[x])); continue; }
    const [a, b] = consParts(g, { tc }, x);
    stack.push(b, a);
  }
  return out.join('');
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
 * Polynomial hashes (two bases, modulo 2^32) of every concatenated string's UTF-8 bytes, with its length. They
 * compose, so a concatenation's hash comes from its halves': h(ab) = h(a) * B^len(b) + h(b). Each concatenation
 * is hashed once, bottom-up, into typed arrays; its halves are found once too.
 */
class ConsHashes {
  readonly count: number;
  /** Node ordinal of each concatenation, in ordinal order. */
  readonly node: Uint32Array;
  readonly h1: Int32Array; readonly h2: Int32Array; readonly len: Uint32Array;
  /** Each half: >= 0 a concatenation's index, <= -2 a plain string's index s as -2 - s, -1 none. */
  private partA: Int32Array; private partB: Int32Array;
  /** Hashes of long plain strings, remembered (short ones are cheaper to hash again than to look up). */
  private readonly longLeaves = new Map<number, [number, number]>();
  private r1 = 0; private r2 = 0;

  constructor(private readonly g: HeapGraph, tc: TypeCodes) {
    const n = g.nodeCount;
    const { nodeType, nodeName } = g;
    let c = 0;
    for (let o = 0; o < n; o++) if (nodeType[o] === tc.consString) c++;
    this.count = c;
    this.node = new Uint32Array(c);
    // node -> concatenation index, while the halves are found: a bit per node, and per 32 nodes how many
    // concatenations come before them (a 32nd of the memory of a full table)
    const words = new Uint32Array((n + 31) >>> 5), before = new Uint32Array(words.length);
    for (let o = 0, k = 0; o < n; o++) {
      if ((o & 31) === 0) before[o >>> 5] = k;
      if (nodeType[o] === tc.consString) { words[o >>> 5] |= 1 << (o & 31); this.node[k++] = o; }
    }
    const index = (x: number): number => {
      const w = words[x >>> 5], bit = 1 << (x & 31);
      return w & bit ? before[x >>> 5] + popcount(w & (bit - 1)) : -1;
    };
    this.partA = new Int32Array(c); this.partB = new Int32Array(c);
    const part = (x: number) => {
      if (x < 0) return -1;
      const k = index(x);
      return k >= 0 ? k : -2 - nodeName[x];
    };
    for (let k = 0; k < c; k++) {
      const [a, b] = consParts(g, { tc }, this.node[k]);
      this.partA[k] = part(a);
      this.partB[k] = part(b);
    }
    this.h1 = new Int32Array(c); this.h2 = new Int32Array(c); this.len = new Uint32Array(c);
    this.hashAll();
  }

  /** The halves are needed for hashing and `flattened` only: their memory goes before the sort. */
  dropParts(): void {
    this.partA = this.partB = new Int32Array(0);
  }

  /** Whether a half is a plain empty string: V8 leaves one there when it flattens a concatenation. */
  flattened(ci: number): boolean {
    const a = this.partA[ci], b = this.partB[ci];
    return (a <= -2 && this.g.strings.byteLength(-2 - a) === 0) || (b <= -2 && this.g.strings.byteLength(-2 - b) === 0);
  }

  sameValue(x: number, y: number): boolean {
    return this.h1[x] === this.h1[y] && this.h2[x] === this.h2[y] && this.len[x] === this.len[y];
  }

  /** Marks which lengths occur among the given concatenations. */
  lengthSet(items: Uint32Array): Uint8Array {
    let max = 0;
    for (let i = 0; i < items.length; i++) if (this.len[items[i]] > max) max = this.len[items[i]];
    const set = new Uint8Array(items.length ? max + 1 : 0);
    for (let i = 0; i < items.length; i++) set[this.len[items[i]]] = 1;
    return set;
  }

  /** Both hashes of plain string s. */
  hashBytes(s: number): [number, number] {
    this.ofString(s);
    return [this.r1, this.r2];
  }

  private ofString(s: number): void {
    const { bytes, offsets } = this.g.strings;
    const long = offsets[s + 1] - offsets[s] > 64;
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

  /**
   * Iterative post-order over all concatenations. State: 0 new, 2 expanded (its halves are being hashed), 1 done.
   * A half found expanded is a cycle (never written by V8, but input is untrusted) and counts as empty, so this
   * always ends.
   */
  private hashAll(): void {
    const { partA, partB, h1, h2, len } = this;
    const state = new Uint8Array(this.count);
    let stack = new Int32Array(1024);
    for (let root = 0; root < this.count; root++) {
      if (state[root] === 1) continue;
      let sp = 0;
      stack[sp++] = root;
      while (sp > 0) {
        const x = stack[sp - 1];
        const st = state[x];
        if (st === 1) { sp--; continue; }
        const a = partA[x], b = partB[x];
        if (st === 0) {
          state[x] = 2;
          if (sp + 2 > stack.length) { const grown = new Int32Array(stack.length * 2); grown.set(stack); stack = grown; }
          if (a >= 0 && state[a] === 0) stack[sp++] = a;
          if (b >= 0 && state[b] === 0) stack[sp++] = b;
          continue;
        }
        sp--;
        let a1 = 0, a2 = 0, aLen = 0;
        if (a >= 0) { if (state[a] === 1) { a1 = h1[a]; a2 = h2[a]; aLen = len[a]; } }
        else if (a <= -2) { this.ofString(-2 - a); a1 = this.r1; a2 = this.r2; aLen = this.g.strings.byteLength(-2 - a); }
        let b1 = 0, b2 = 0, bLen = 0;
        if (b >= 0) { if (state[b] === 1) { b1 = h1[b]; b2 = h2[b]; bLen = len[b]; } }
        else if (b <= -2) { this.ofString(-2 - b); b1 = this.r1; b2 = this.r2; bLen = this.g.strings.byteLength(-2 - b); }
        h1[x] = (Math.imul(a1, powU32(B1, bLen)) + b1) | 0;
        h2[x] = (Math.imul(a2, powU32(B2, bLen)) + b2) | 0;
        len[x] = aLen + bLen;
        state[x] = 1;
      }
    }
  }
}
