import type { HeapGraph } from '../../graph/graph.js';
import type { Dominance } from '../../dominators/index.js';
import type { ClassTable } from '../classes.js';

/**
 * Objects whose retained size grows in every step of a series, matched by id, and what is added under them.
 *
 * The tracker sees one snapshot at a time. After the first step it follows only the objects that grew in every
 * step so far (a handful in practice), so it never needs an earlier snapshot's graph: the previous snapshot's
 * retained sizes by id are enough for the step at hand.
 */

/** Growth an object must show in the first step to be followed at all. */
export const MIN_FIRST_STEP_GROWTH = 1024;
/** At most this many objects are followed from the first step on (the largest growths). */
const MAX_TRACKED = 100_000;

export interface Track {
  id: number;
  /** Per snapshot so far; null where the object did not exist. */
  retained: (number | null)[];
  objectCount: (number | null)[];
}

/** What arrived in one step (snapshot i-1 to i) under each followed object. */
export interface StepRecord {
  /** Ids of the objects followed in this step (they grew in every step up to here). */
  ids: number[];
  /** Index in `ids` of the nearest followed dominator, or -1. */
  parent: Int32Array;
  /**
   * Objects that arrived under each followed object in this step, by class name: new objects, and objects that were
   * elsewhere in the previous snapshot (a DOM node removed from the document and kept in an array). Each is counted
   * at its nearest followed dominator.
   */
  added: Map<string, { count: number; bytes: number }>[];
  /**
   * Last step only: shallow bytes under each followed object (at its nearest followed dominator) of objects that
   * were under it in the previous snapshot but not in the first: what it gained earlier and still holds.
   */
  kept: Float64Array | null;
}

/** One snapshot's objects, seen by the tracker: what the next steps need of it. */
export interface SnapshotSide {
  /** Counted objects' ids, ascending. */
  ids: Uint32Array;
  retained: Float64Array;
  objectCount: Uint32Array;
  /**
   * Preorder number in the dominator tree and subtree size (all nodes): x is under y when
   * pre[y] <= pre[x] < pre[y] + size[y].
   */
  pre: Uint32Array;
  size: Uint32Array;
}

/** How many counted objects each node dominates, itself included: summed up the dominator tree. */
export function dominatedCounts(d: Dominance): Uint32Array {
  const n = d.idom.length;
  const c = new Uint32Array(n);
  const { shallow, idom, order } = d;
  for (let o = 0; o < n; o++) c[o] = shallow[o] ? 1 : 0;
  for (let i = n - 1; i >= 1; i--) {
    const o = order[i];
    c[idom[o]] += c[o];
  }
  return c;
}

/**
 * Preorder numbers of the dominator tree and subtree sizes, from `order` (every node after its dominator): each
 * node takes the next free number in its dominator's range, and its own range starts right after it.
 */
export function dominatorIntervals(d: Dominance, root: number): { pre: Uint32Array; size: Uint32Array } {
  const n = d.idom.length;
  const { idom, order } = d;
  const size = new Uint32Array(n).fill(1);
  for (let i = n - 1; i >= 1; i--) size[idom[order[i]]] += size[order[i]];
  const pre = new Uint32Array(n);
  const next = new Uint32Array(n);
  pre[root] = 0;
  next[root] = 1;
  for (let i = 0; i < n; i++) {
    const o = order[i];
    if (o === root) continue;
    const p = idom[o];
    pre[o] = next[p];
    next[p] += size[o];
    next[o] = pre[o] + 1;
  }
  return { pre, size };
}

/**
 * What the next step needs of this snapshot. Retained sizes and counts of every object only for the first snapshot
 * (the first step picks the objects to follow from all of them); later steps keep them for followed objects only.
 */
export function snapshotSide(
  d: Dominance,
  root: number,
  nodes: Uint32Array,
  ids: Uint32Array,
  counts: Uint32Array,
  all: boolean,
): SnapshotSide {
  const { pre: preAll, size: sizeAll } = dominatorIntervals(d, root);
  const retained = new Float64Array(all ? nodes.length : 0);
  const objectCount = new Uint32Array(all ? nodes.length : 0);
  const pre = new Uint32Array(nodes.length),
    size = new Uint32Array(nodes.length);
  for (let k = 0; k < nodes.length; k++) {
    const o = nodes[k];
    if (all) {
      retained[k] = d.retained[o];
      objectCount[k] = counts[o];
    }
    pre[k] = preAll[o];
    size[k] = sizeAll[o];
  }
  return { ids, retained, objectCount, pre, size };
}

/** Whether the object at index `x` was under the object at index `y` in that snapshot (either -1: no). */
function wasUnder(side: SnapshotSide, x: number, y: number): boolean {
  if (x < 0 || y < 0) return false;
  const p = side.pre[x],
    q = side.pre[y];
  return p >= q && p < q + side.size[y];
}

function find(ids: Uint32Array, id: number): number {
  let lo = 0,
    hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = ids[mid];
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export class ContainerTracker {
  readonly tracks = new Map<number, Track>();
  readonly steps: StepRecord[] = [];
  /** Ordinals of the followed objects in the snapshot of the last step, in `steps[last].ids` order. */
  lastOrdinals: number[] = [];

  /**
   * One step: `cur` is snapshot `index` (>= 1); `nodes` its counted ordinals in id order, `match` the index of each
   * in the previous snapshot's ids (or -1), `counts` dominated counts per ordinal. `first`, on the last step of a
   * series of 3+, lets it measure what the followed objects gained earlier and still hold.
   */
  step(
    index: number,
    g: HeapGraph,
    d: Dominance,
    ct: ClassTable,
    nodes: Uint32Array,
    ids: Uint32Array,
    match: Int32Array,
    prev: SnapshotSide,
    counts: Uint32Array,
    first: { side: SnapshotSide; match: Int32Array } | null = null,
  ): void {
    const { retained } = d;
    const followed: number[] = [];
    const followedK: number[] = [];
    if (index === 1) {
      const grown: { k: number; growth: number }[] = [];
      for (let k = 0; k < nodes.length; k++) {
        const pi = match[k];
        const growth = retained[nodes[k]] - (pi >= 0 ? prev.retained[pi] : 0);
        if (growth >= MIN_FIRST_STEP_GROWTH) grown.push({ k, growth });
      }
      if (grown.length > MAX_TRACKED) {
        grown.sort((a, b) => b.growth - a.growth);
        grown.length = MAX_TRACKED;
        grown.sort((a, b) => a.k - b.k);
      }
      for (const { k } of grown) {
        const pi = match[k],
          o = nodes[k];
        this.tracks.set(ids[k], {
          id: ids[k],
          retained: [pi >= 0 ? prev.retained[pi] : null, retained[o]],
          objectCount: [pi >= 0 ? prev.objectCount[pi] : null, counts[o]],
        });
        followed.push(o);
        followedK.push(k);
      }
    } else {
      for (const [id, t] of this.tracks) {
        const k = find(ids, id);
        const before = t.retained[index - 1] ?? 0;
        if (k < 0 || !(retained[nodes[k]] > before)) {
          this.tracks.delete(id);
          continue;
        }
        const o = nodes[k];
        t.retained.push(retained[o]);
        t.objectCount.push(counts[o]);
        followed.push(o);
        followedK.push(k);
      }
    }
    this.steps.push(this.attribute(g, d, ct, nodes, match, followed, followedK, prev, first));
    this.lastOrdinals = followed;
  }

  /**
   * Attributes every object that arrived in this step to its nearest followed dominator (one pass down the tree):
   * it arrived when it is new, or when it was not under that dominator in the previous snapshot.
   */
  private attribute(
    g: HeapGraph,
    d: Dominance,
    ct: ClassTable,
    nodes: Uint32Array,
    match: Int32Array,
    followed: number[],
    followedK: number[],
    prev: SnapshotSide,
    first: { side: SnapshotSide; match: Int32Array } | null,
  ): StepRecord {
    const n = g.nodeCount;
    const { idom, order, shallow } = d;
    const near = new Int32Array(n).fill(-1);
    for (let j = 0; j < followed.length; j++) near[followed[j]] = j;
    const root = g.rootOrdinal;
    for (let i = 0; i < n; i++) {
      const o = order[i];
      if (near[o] < 0 && o !== root) near[o] = near[idom[o]];
    }
    const parent = new Int32Array(followed.length);
    for (let j = 0; j < followed.length; j++) {
      const o = followed[j];
      parent[j] = o === root ? -1 : near[idom[o]];
    }
    const prevOf = followedK.map((k) => match[k]);
    const firstOf = first ? followedK.map((k) => first.match[k]) : null;
    const kept = first ? new Float64Array(followed.length) : null;
    const classes = ct.names.length;
    // counts and bytes per (followed object, class): in flat typed arrays when that table is small, else a Map
    const dense = followed.length * classes <= 1 << 22;
    const dCount = dense ? new Float64Array(followed.length * classes) : null;
    const dBytes = dense ? new Float64Array(followed.length * classes) : null;
    const sums = new Map<number, { count: number; bytes: number }>();
    for (let k = 0; k < nodes.length; k++) {
      const o = nodes[k];
      const s = near[o];
      if (s < 0) continue;
      const pi = match[k];
      if (pi >= 0 && wasUnder(prev, pi, prevOf[s])) {
        if (kept && !wasUnder(first!.side, first!.match[k], firstOf![s])) kept[s] += shallow[o];
        continue;
      }
      const key = s * classes + ct.classOf[o];
      if (dCount) {
        dCount[key]++;
        dBytes![key] += shallow[o];
        continue;
      }
      const v = sums.get(key);
      if (v) {
        v.count++;
        v.bytes += shallow[o];
      } else sums.set(key, { count: 1, bytes: shallow[o] });
    }
    if (dCount)
      for (let key = 0; key < dCount.length; key++)
        if (dCount[key]) sums.set(key, { count: dCount[key], bytes: dBytes![key] });
    const added = followed.map(() => new Map<string, { count: number; bytes: number }>());
    for (const [key, v] of sums) {
      const s = Math.floor(key / classes);
      const name = ct.names[key - s * classes];
      const m = added[s];
      const w = m.get(name);
      if (w) {
        w.count += v.count;
        w.bytes += v.bytes;
      } else m.set(name, v);
    }
    return { ids: followed.map((o) => g.nodeId[o]), parent, added, kept };
  }

  /** The followed objects under `id` (itself included) in step `s`, by index. */
  private under(s: StepRecord, id: number): number[] {
    const x = s.ids.indexOf(id);
    if (x < 0) return [];
    const state = new Int8Array(s.ids.length); // 0 unknown, 1 under x, -1 not
    state[x] = 1;
    const out: number[] = [];
    for (let j = 0; j < s.ids.length; j++) {
      const chain: number[] = [];
      let k = j;
      while (k >= 0 && state[k] === 0) {
        chain.push(k);
        k = s.parent[k];
      }
      const r = k >= 0 && state[k] === 1;
      for (const c of chain) state[c] = r ? 1 : -1;
      if (r) out.push(j);
    }
    return out;
  }

  /** For a followed object, what arrived under it in each step, by class name. */
  addedUnder(id: number): Map<string, { count: number; bytes: number }>[] {
    return this.steps.map((s) => {
      const out = new Map<string, { count: number; bytes: number }>();
      for (const j of this.under(s, id)) {
        for (const [name, v] of s.added[j]) {
          const w = out.get(name);
          if (w) {
            w.count += v.count;
            w.bytes += v.bytes;
          } else out.set(name, { ...v });
        }
      }
      return out;
    });
  }

  /**
   * Bytes a followed object gained after the first snapshot, held in the previous one and still in the last; null
   * before the last step of 3+.
   */
  keptUnder(id: number): number | null {
    const s = this.steps[this.steps.length - 1];
    if (!s?.kept) return null;
    let sum = 0;
    for (const j of this.under(s, id)) sum += s.kept[j];
    return sum;
  }
}
