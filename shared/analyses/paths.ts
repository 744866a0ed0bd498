import type { HeapGraph } from '../graph/graph.js';
import type { Dominance } from '../dominators/index.js';
import { displayName, edgeLabel, edgeSource } from './names.js';

export interface PathStep {
  /** How this step is shown: an edge name, or a root's name in parentheses. */
  label: string;
  edgeType: string | null;
  nodeId: number;
  nodeName: string;
}

export interface RetainerPath {
  /** `(global) -> __app -> requestCache -> (table)` */
  text: string;
  steps: PathStep[];
}

const MAX_STEPS = 64;

/**
 * The shortest path from a GC root to a node, following the breadth-first tree DevTools' distances come from.
 * User roots (the global object) start as "(global)"; system roots by their synthetic names, like "(GC roots)".
 */
export function retainerPath(g: HeapGraph, d: Dominance, target: number): RetainerPath {
  const steps: PathStep[] = [];
  let o = target;
  const seen = new Set<number>();
  while (o !== g.rootOrdinal && !seen.has(o)) {
    seen.add(o);
    const via = d.viaEdge[o];
    if (via === 0) {
      steps.push({ label: '(unreachable)', edgeType: null, nodeId: g.nodeId[o], nodeName: displayName(g, d, o) });
      break;
    }
    const e = via - 1;
    const from = edgeSource(g, e);
    const name = displayName(g, d, o);
    let label: string;
    if (from === g.rootOrdinal) {
      label = g.nodeType[o] === d.tc.synthetic ? name : `(${name === 'global' || name.startsWith('Window') ? 'global' : name})`;
    } else if (g.nodeType[o] === d.tc.synthetic) {
      label = name;
    } else {
      label = edgeLabel(g, e);
    }
    steps.push({ label, edgeType: g.edgeTypes[g.edgeType[e]], nodeId: g.nodeId[o], nodeName: name });
    o = from;
  }
  steps.reverse();
  let shown = steps;
  if (steps.length > MAX_STEPS) {
    const head = steps.slice(0, MAX_STEPS / 2);
    const tail = steps.slice(-MAX_STEPS / 2);
    shown = [...head, { label: `… ${steps.length - MAX_STEPS} more …`, edgeType: null, nodeId: 0, nodeName: '' }, ...tail];
  }
  return { text: shown.map((s) => s.label).join(' -> '), steps: shown };
}
