import type { HeapGraph } from '../graph/graph.js';
import { distanceAt, dominatedChildren, type Dominance } from '../dominators/index.js';

type Children = ReturnType<typeof dominatedChildren>;
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
/** `children`: the dominator tree's children (`dominatedChildren`), if built already. */
export function summary(g: HeapGraph, d: Dominance, ct: ClassTable, children?: Children): SummaryRow[] {
  const k = ct.names.length;
  const count = new Float64Array(k),
    self = new Float64Array(k),
    ret = new Float64Array(k);
  const dist = new Int32Array(k).fill(0x7fffffff);
  walkDominatorTree(
    g,
    d,
    ct.classOf,
    k,
    { count, self, ret, dist },
    children ?? dominatedChildren(d.idom, g.rootOrdinal),
  );
  const rows: SummaryRow[] = [];
  for (let c = 0; c < k; c++) {
    if (!count[c]) continue;
    rows.push({
      key: ct.keys[c],
      name: ct.names[c],
      count: count[c],
      selfSize: self[c],
      retainedSize: ret[c],
      distance: dist[c],
    });
  }
  rows.sort((a, b) => b.retainedSize - a.retainedSize || b.selfSize - a.selfSize || (a.name < b.name ? -1 : 1));
  return rows;
}

/**
 * One depth-first walk of the dominator tree (which holds every node) does it all: counts and sizes per class,
 * and the class retained sizes, keeping per class how many counted instances are on the current path.
 */
function walkDominatorTree(
  g: HeapGraph,
  d: Dominance,
  classOf: Uint32Array | Uint16Array,
  k: number,
  out: { count: Float64Array; self: Float64Array; ret: Float64Array; dist: Int32Array },
  { start, kids }: Children,
): void {
  const active = new Uint32Array(k);
  const { shallow, retained, distance } = d;
  const { count, self, ret, dist } = out;
  const EXIT = 0x80000000;
  const stack = new GrowableU32(1 << 16);
  stack.push(g.rootOrdinal);
  while (stack.length) {
    const item = stack.data[--stack.length];
    if (item & EXIT) {
      active[classOf[item & 0x7fffffff]]--;
      continue;
    }
    const o = item;
    const s = shallow[o];
    const from = start[o],
      to = start[o + 1];
    if (s) {
      const c = classOf[o];
      count[c]++;
      self[c] += s;
      const x = distanceAt(distance, o);
      if (x < dist[c]) dist[c] = x;
      if (active[c] === 0) {
        ret[c] += retained[o];
        if (from !== to) {
          active[c]++;
          stack.push((o | EXIT) >>> 0);
        }
      }
    }
    for (let i = from; i < to; i++) stack.push(kids[i]);
  }
}
