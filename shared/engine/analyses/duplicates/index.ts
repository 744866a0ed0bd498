import type { Dominance } from '../../dominators/index.js';
import type { HeapGraph, TypeCodes } from '../../graph/graph.js';
import { collectGarbageFor } from '../../util/gc.js';
import { Carver } from '../../util/spare.js';
import { consParts } from '../names.js';
import { ConsHashes, hash2, plainHash, SKIP, type ConsIndex } from './string-hashes.js';
import { TwiceFilter } from './twice-filter.js';
import { ValueTable, type Group } from './value-table.js';

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
  const carve = new Carver(spare);
  // the filter first, in front of the concatenations' arrays, which the plain strings' then take over (so it is
  // sized by all concatenations: which of them are left out is known only once they are hashed)
  const filter = new TwiceFilter(prep.cons.count, carve);
  const plainStart = carve.mark();
  const { values, lengths } = concatenationValues(g, d, prep, filter, carve);
  collectGarbageFor(g.nodeCount); // the concatenations' hashes, before the plain strings' tables
  carve.rewind(plainStart); // the concatenations' arrays are done with
  const { all } = prep;
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
 * The concatenations' values that may repeat, in a table of values. Concatenations are numbered in node order, so
 * loops over them walk the nodes alongside. The ones that count are not flattened (V8 leaves a plain empty string as
 * the other half) and not empty; the others' lengths are SKIP once hashed. Most concatenations are usually unique.
 * A filter of two bits per slot, keyed by the first hash, sees every concatenation, and every plain string held
 * (once per value) of a length some concatenation has; only the concatenations whose slot was seen twice can share
 * their value with anything, and only they go into the table (so it holds the values that repeat, and about one
 * in eight of the others). Returns it with which lengths the concatenations that count have; their hashes go with
 * this call.
 */
function concatenationValues(
  g: HeapGraph,
  d: Pick<Dominance, 'tc' | 'shallow'>,
  prep: DuplicatesPrep,
  filter: TwiceFilter,
  carve: Carver,
): { values: ValueTable; lengths: Uint8Array } {
  const { tc, shallow } = d;
  const { nodeType } = g;
  const cons = new ConsHashes(g, tc, prep.cons, shallow, carve);
  const cs = tc.consString;
  const { h1, h2, len, lengths } = cons;
  const { held } = prep;
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
  return { values, lengths };
}

/** Concatenations looked up in the filter at a time (see `TwiceFilter.twiceMany`). */
const BLOCK = 4096;

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
