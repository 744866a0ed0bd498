import { EDGE_TO, EDGE_TYPE_SHIFT, type HeapGraph, type TypeCodes } from '../../graph/graph.js';
import type { Carver } from '../../util/spare.js';
import { partNames } from '../names.js';

/**
 * Two polynomial hashes (two bases, modulo 2^32) of a string's UTF-8 bytes, which compose over concatenation as
 * Karp and Rabin's fingerprints do (Richard M. Karp and Michael O. Rabin, "Efficient randomized pattern-matching
 * algorithms", IBM Journal of Research and Development 31(2), 1987): h(ab) = h(a) * B^len(b) + h(b).
 */

/** The length of a concatenation left out. */
export const SKIP = 0xffffffff;
/** In `ConsHashes`' state: left out. */
const LEFT_OUT = 4;

export let hash2 = 0;

/** Both hashes of plain string s (as `ConsHashes` takes them): the first returned, the second left in `hash2`. */
export function plainHash(g: HeapGraph, s: number): number {
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

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Concatenations are numbered in node order: a bit per node, and per 32 nodes how many come before them. */
export interface ConsIndex {
  count: number;
  words: Uint32Array;
  before: Uint32Array;
}

/**
 * Polynomial hashes (two bases, modulo 2^32) of every concatenated string's UTF-8 bytes, with its length. They
 * compose, so a concatenation's hash comes from its halves': h(ab) = h(a) * B^len(b) + h(b). Each concatenation
 * is hashed once, bottom-up, into typed arrays indexed by concatenation (concatenations numbered in node order);
 * halves are looked up from the graph's edges as they are needed, so nothing else per concatenation is kept.
 */
export class ConsHashes {
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
