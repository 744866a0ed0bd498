import type { HeapGraph } from '../graph/graph.js';
import { distanceAt, type Dominance } from '../dominators/index.js';
import type { ClassTable } from './classes.js';
import { displayName } from './names.js';
import { retainerPath, type PathStep } from './paths.js';

export interface LargeObject {
  id: number;
  name: string;
  className: string;
  type: string;
  selfSize: number;
  retainedSize: number;
  distance: number;
  dominatorId: number;
  path: string;
  pathSteps: PathStep[];
}

/** The objects that retain the most, each with the path that holds it. Synthetic roots are left out. */
export function largestObjects(g: HeapGraph, d: Dominance, ct: ClassTable, limit: number): LargeObject[] {
  const { retained } = d;
  const synthetic = d.tc.synthetic;
  // keep the `limit` largest in a small sorted buffer: one pass, no sort of the whole graph
  const top: number[] = [];
  let floor = -1;
  for (let o = 0; o < g.nodeCount; o++) {
    const r = retained[o];
    if (r <= floor || o === g.rootOrdinal || g.nodeType[o] === synthetic) continue;
    let k = top.length;
    while (k > 0 && retained[top[k - 1]] < r) k--;
    top.splice(k, 0, o);
    if (top.length > limit) top.pop();
    if (top.length === limit) floor = retained[top[limit - 1]];
  }
  return top.map((o) => {
    const p = retainerPath(g, d, o);
    return {
      id: g.nodeId[o],
      name: displayName(g, d, o),
      className: ct.names[ct.classOf[o]],
      type: g.nodeTypes[g.nodeType[o]],
      selfSize: d.shallow[o],
      retainedSize: retained[o],
      distance: distanceAt(d.distance, o),
      dominatorId: g.nodeId[d.idom[o]],
      path: p.text,
      pathSteps: p.steps,
    };
  });
}
