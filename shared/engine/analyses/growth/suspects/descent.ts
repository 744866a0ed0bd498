import { holdsTheGrowth, isProgramClass, splitsTheGrowth, stepInto } from './rules/index.js';

/** A followed object of the last snapshot (one that grew in every step) and how much it grew, first to last. */
export interface Followed {
  o: number;
  growth: number;
}

/** What the descent needs to know of the objects it walks. */
export interface DescentGraph {
  /** The class id of node o, and a class id's name. */
  classOf(o: number): number;
  className(cls: number): string;
  /** Whether node o is V8's storage rather than an object of the program's (see `rules/backing-store.ts`). */
  isBackingStore(o: number): boolean;
}

/**
 * Where growth is held, found by walking down from the roots. Growth runs down the dominator tree from the roots to
 * where it is held: from each followed object that no other followed object dominates (`parent[j]` is the index of
 * j's nearest followed dominator, -1 for none), go down to the followed child that holds the growth (see
 * `rules/holds-the-growth.ts`), and stop where none does: that object holds the growth itself (a Map whose table is
 * replaced as it grows, an array whose elements are). On the way, the rules beside this file keep the answer at the
 * level a developer names: never stop in a backing store, never go into an object of the point's own class or of a
 * class met further up, and split a growth that two or more children share into suspects of their own. Objects that
 * grew less than `minLeak` are no suspects. Returns the indexes of the points, each once.
 */
export function descend(followed: Followed[], parent: Int32Array, graph: DescentGraph, minLeak: number): number[] {
  const kids: number[][] = followed.map(() => []);
  const tops: number[] = [];
  for (let j = 0; j < followed.length; j++) {
    const p = parent[j];
    if (p >= 0) kids[p].push(j);
    else tops.push(j);
  }
  const points: number[] = [];
  // an explicit stack: a chain of growing objects can be as deep as a linked list is long
  // `seen`: the program's classes met on the way down, and where each was first met
  const stack: { j: number; seen: Map<number, number> }[] = tops.map((j) => ({ j, seen: new Map<number, number>() }));
  while (stack.length) {
    const { j, seen } = stack.pop()!;
    const c = followed[j];
    if (c.growth < minLeak) continue;
    const cls = graph.classOf(c.o);
    if (isProgramClass(graph.className(cls)) && !seen.has(cls)) seen.set(cls, j);
    const ks = kids[j].sort((a, b) => followed[b].growth - followed[a].growth);
    const big = holder(ks.length ? ks[0] : -1, c.growth, followed, kids, graph);
    if (big >= 0) {
      const next = stepInto(cls, graph.classOf(followed[big].o), seen);
      if (next === 'descend') {
        stack.push({ j: big, seen });
        continue;
      }
      if (next !== 'stay') {
        points.push(next); // the top of the recursive structure
        continue;
      }
    }
    const significant = ks.filter((k) => followed[k].growth >= minLeak);
    if (
      splitsTheGrowth(
        significant.map((k) => followed[k].growth),
        c.growth,
      )
    ) {
      for (const k of significant) stack.push({ j: k, seen: new Map(seen) });
      continue;
    }
    points.push(j);
  }
  return [...new Set(points)];
}

/**
 * The child (index) that holds a point's growth (`growth` bytes), starting from its largest (`first`), or -1: an
 * object of the program's, reached through V8's storage only when one lies beyond it (a module record on the way to
 * a module's variables), never a backing store that holds the growth itself.
 */
function holder(first: number, growth: number, followed: Followed[], kids: number[][], graph: DescentGraph): number {
  let big = first;
  while (big >= 0 && graph.isBackingStore(followed[big].o) && holdsTheGrowth(followed[big].growth, growth)) {
    let next = -1;
    for (const k of kids[big]) if (next < 0 || followed[k].growth > followed[next].growth) next = k;
    if (next < 0 || !holdsTheGrowth(followed[next].growth, growth)) return -1;
    big = next;
  }
  return big >= 0 && holdsTheGrowth(followed[big].growth, growth) && !graph.isBackingStore(followed[big].o) ? big : -1;
}
