// Graphs built by hand for the dominator tests, and what they are analysed into.
import { computeDominance } from '../../shared/engine/dominators/index.js';
import type { EssentialRule } from '../../shared/engine/dominators/essential.js';
import { EDGE_TYPE_SHIFT } from '../../shared/engine/graph/graph.js';
import { SnapshotParser } from '../../shared/engine/parse/parser.js';
import { buildSnapshot, type TestNode } from './snapshot.js';

export function analyse(nodes: TestNode[]) {
  const p = new SnapshotParser();
  p.write(Buffer.from(buildSnapshot(nodes)));
  const g = p.end();
  return { g, d: computeDominance(g) };
}

/** For graphs built by hand: edges whose type code is 1 do not count, the rest do (but self edges). */
export const plainRule: EssentialRule = {
  root: 0,
  never: 1 << 1,
  rootOnly: 0,
  internal: -1,
  wm: null,
  edgeName: new Uint32Array(0),
  nodeId: new Uint32Array(0),
  owned: null,
  plain: null,
};
/** An edge's target, marked as not counting unless `counts`. */
export const plainEdge = (to: number, counts = true) => (counts ? to : ((1 << EDGE_TYPE_SHIFT) | to) >>> 0);

export const root = (edges: TestNode['edges']): TestNode => ({ type: 'synthetic', name: '', size: 0, edges });
export const obj = (name: string, size: number, edges: TestNode['edges'] = []): TestNode => ({
  type: 'object',
  name,
  size,
  edges,
});
