import type { Dominance } from '../../../dominators/index.js';
import { edgeToOf, edgeTypeOf, type HeapGraph } from '../../../graph/graph.js';
import type { ClassTable } from '../../classes.js';
import { displayName, edgeLabel, edgeSource } from '../../names.js';
import { retainerPath, type PathStep } from '../../paths.js';
import type { SuspectFinding } from '../model.js';
import { isBackingStore, isProgramClass } from './rules/index.js';

/** How far up its path a point's owner is looked for. */
const OWNER_SEARCH_STEPS = 64;

/**
 * The object that retains the growth, as a developer names it: its class and name, the edge the code knows it by
 * (`requestCache`, `items`), and the nearest object up its path with a class of the program's own (`WorkQueue`).
 */
export function accumulationPoint(
  g: HeapGraph,
  d: Dominance,
  ct: ClassTable,
  o: number,
  id: number,
): Pick<SuspectFinding, 'accumulationPoint' | 'path' | 'pathSteps'> {
  const path = pathInto(g, d, o);
  const pointStep = path.steps[path.pointIndex];
  return {
    accumulationPoint: {
      id,
      className: ct.names[ct.classOf[o]],
      name: displayName(g, d, o),
      type: g.nodeTypes[g.nodeType[o]],
      edge: pointStep ? pointStep.label : '',
      heldBy: owner(g, d, o),
    },
    path: path.text,
    pathSteps: path.steps,
  };
}

/** The nearest object up the retainer path of `o` that has a class of the program's own. */
function owner(g: HeapGraph, d: Dominance, o: number): string | null {
  const objectType = d.tc.object;
  for (let k = 0, x = o; k < OWNER_SEARCH_STEPS; k++) {
    const via = d.viaEdge[x];
    if (via === 0) return null;
    x = edgeSource(g, via - 1);
    if (x === g.rootOrdinal) return null;
    if (g.nodeType[x] !== objectType) continue;
    const name = displayName(g, d, x);
    if (isProgramClass(name)) return name;
  }
  return null;
}

/**
 * The retainer path of `o`, continued into the V8 backing store it dominates that holds most of what it retains
 * (`requestCache -> (table)`), or for a closure context into the variable that does (`(context) -> theThing`), so
 * the path ends where the growth is. `pointIndex`: the step of `o` itself.
 */
export function pathInto(
  g: HeapGraph,
  d: Dominance,
  o: number,
): { text: string; steps: PathStep[]; pointIndex: number } {
  const p = retainerPath(g, d, o);
  const steps = [...p.steps];
  const pointIndex = steps.length - 1;
  const context = g.strings.get(g.nodeName[o]) === 'system / Context';
  let best = -1,
    bestEdge = -1;
  for (let e = g.firstEdge[o]; e < g.firstEdge[o + 1]; e++) {
    const t = edgeToOf(g, e);
    if (d.idom[t] !== o) continue;
    if (context ? edgeTypeOf(g, e) !== d.tc.eContext : !isBackingStore(g.nodeTypes[g.nodeType[t]])) continue;
    if (best < 0 || d.retained[t] > d.retained[best]) {
      best = t;
      bestEdge = e;
    }
  }
  if (best >= 0 && d.retained[best] >= 0.5 * d.retained[o]) {
    steps.push({
      label: edgeLabel(g, bestEdge),
      edgeType: g.edgeTypes[edgeTypeOf(g, bestEdge)],
      nodeId: g.nodeId[best],
      nodeName: displayName(g, d, best),
    });
  }
  return { text: steps.map((s) => s.label).join(' -> '), steps, pointIndex };
}
