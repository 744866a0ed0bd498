import type { HeapGraph } from '../graph/graph.js';
import { dominatedChildren, type Dominance } from '../dominators/index.js';
import type { ClassTable } from './classes.js';
import { GrowableU32 } from '../util/growable.js';

export interface SummaryRow {
  key: string;
  name: string;
  count: number;
  selfSize: number;
  /**
   * Retained size of the class: the retained sizes of its instances, counting an instance only when no other
   * instance of the class dominates it (so nothing is counted twice).
   */
  retainedSize: number;
  /** Smallest distance of any instance from a root. */
  distance: number;
}

/** DevTools' Summary view: one row per class over the objects with a non-zero shallow size, largest first. */
export function summary(g: HeapGraph, d: Dominance, ct: ClassTable): SummaryRow[] {
  const k = ct.names.length;
  const count = new Float64Array(k), self = new Float64Array(k), ret = new Float64Array(k);
  const dist = new Int32Array(k).fill(0x7fffffff);
  const { classOf } = ct;
  const { shallow, distance } = d;
  for (let o = 0; o < g.nodeCount; o++) {
    const s = shallow[o];
    if (!s) continue;
    const c = classOf[o];
    count[c]++;
    self[c] += s;
    if (distance[o] < dist[c]) dist[c] = distance[o];
  }
  classRetained(g, d, classOf, k, ret);
  const rows: SummaryRow[] = [];
  for (let c = 0; c < k; c++) {
    if (!count[c]) continue;
    rows.push({ key: ct.keys[c], name: ct.names[c], count: count[c], selfSize: self[c], retainedSize: ret[c], distance: dist[c] });
  }
  rows.sort((a, b) => b.retainedSize - a.retainedSize || b.selfSize - a.selfSize || (a.name < b.name ? -1 : 1));
  return rows;
}

/** Walks the dominator tree depth-first, keeping per class how many counted instances are on the current path. */
function classRetained(g: HeapGraph, d: Dominance, classOf: Uint32Array, k: number, out: Float64Array): void {
  const { start, kids } = dominatedChildren(d.idom, g.rootOrdinal);
  const active = new Uint32Array(k);
  const { shallow, retained } = d;
  const EXIT = 0x80000000;
  const stack = new GrowableU32(1 << 16);
  stack.push(g.rootOrdinal);
  while (stack.length) {
    const item = stack.data[--stack.length];
    if (item & EXIT) {
      active[classOf[item & ~EXIT & 0x7fffffff]]--;
      continue;
    }
    const o = item;
    const c = classOf[o];
    const hasKids = start[o] !== start[o + 1];
    if (shallow[o] && active[c] === 0) {
      out[c] += retained[o];
      if (hasKids) {
        active[c]++;
        stack.push((o | EXIT) >>> 0);
      }
    }
    for (let i = start[o]; i < start[o + 1]; i++) stack.push(kids[i]);
  }
}
