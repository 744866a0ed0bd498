import { edgeTypeOf, type HeapGraph } from '../graph/graph.js';
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
 * A path longer than 64 steps (a long linked list, a deep chain of concatenated strings) keeps its first and last
 * 32; only the steps shown are named, so a path costs little however deep its target.
 */
export function retainerPath(g: HeapGraph, d: Dominance, target: number): RetainerPath {
  // the chain of (node, edge into it) up to the root; the BFS tree has no cycles, and the count bounds it anyway
  const nodes: number[] = [],
    edges: number[] = [];
  let o = target;
  for (let k = 0; o !== g.rootOrdinal && k < g.nodeCount; k++) {
    const via = d.viaEdge[o];
    nodes.push(o);
    edges.push(via - 1);
    if (via === 0) break;
    o = edgeSource(g, via - 1);
  }
  nodes.reverse();
  edges.reverse();
  const n = nodes.length;
  const step = (i: number): PathStep => {
    const x = nodes[i],
      e = edges[i];
    const name = displayName(g, d, x);
    if (e < 0) return { label: '(unreachable)', edgeType: null, nodeId: g.nodeId[x], nodeName: name };
    const from = i > 0 ? nodes[i - 1] : edgeSource(g, e);
    let label: string;
    if (from === g.rootOrdinal) {
      label =
        g.nodeType[x] === d.tc.synthetic
          ? name
          : `(${name === 'global' || name.startsWith('Window') ? 'global' : name})`;
    } else if (g.nodeType[x] === d.tc.synthetic) {
      label = name;
    } else {
      label = edgeLabel(g, e);
    }
    return { label, edgeType: g.edgeTypes[edgeTypeOf(g, e)], nodeId: g.nodeId[x], nodeName: name };
  };
  let shown: PathStep[];
  if (n > MAX_STEPS) {
    const half = MAX_STEPS / 2;
    shown = [];
    for (let i = 0; i < half; i++) shown.push(step(i));
    shown.push({ label: `… ${n - MAX_STEPS} more …`, edgeType: null, nodeId: 0, nodeName: '' });
    for (let i = n - half; i < n; i++) shown.push(step(i));
  } else {
    shown = nodes.map((_, i) => step(i));
  }
  return { text: shown.map((s) => s.label).join(' -> '), steps: shown };
}
