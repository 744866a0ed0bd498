import { EDGE_TO, EDGE_TYPE_SHIFT, type HeapGraph } from '../graph/graph.js';
import type { Dominance } from '../dominators/index.js';

export interface Statistics {
  total: number;
  native: { total: number; typedArrays: number };
  v8heap: { total: number; code: number; jsArrays: number; strings: number; system: number };
}

/**
 * DevTools' Statistics pie: code, strings, JS arrays (with their elements store), typed arrays, system, native.
 * It needs shallow sizes only, not the dominator tree: the total is every node's shallow size (what the root
 * retains, since the dominator tree holds every node), so a helper thread can compute it while the other thread
 * is still on the dominators.
 */
export function statistics(g: HeapGraph, d: Pick<Dominance, 'tc' | 'shallow' | 'renamed'>): Statistics {
  const { tc, shallow } = d;
  const names = g.strings.indexesOf(['system / JSArrayBufferData', 'Array', 'elements']);
  const bufferData = new Set(names.get('system / JSArrayBufferData'));
  const arrayName = new Set(names.get('Array'));
  const elementsName = new Set(names.get('elements'));
  const { nodeType, nodeName, firstEdge, edgeTypeTo, edgeName } = g;
  // An array's elements store counts with it when the array is its only retainer (by any edge type): the stores
  // are found first (a bit each), then only edges to them are counted
  const store = new Uint32Array((g.nodeCount + 31) >>> 5);
  const storeOf = (o: number): number => {
    for (let e = firstEdge[o]; e < firstEdge[o + 1]; e++) {
      if (edgeTypeTo[e] >>> EDGE_TYPE_SHIFT === tc.eInternal && elementsName.has(edgeName[e]))
        return edgeTypeTo[e] & EDGE_TO;
    }
    return -1;
  };
  // what the pie counts as a JS array (the loop below tells the other categories apart first)
  const isArray = (o: number): boolean => {
    const t = nodeType[o];
    return (
      t !== tc.hidden &&
      t !== tc.native &&
      t !== tc.code &&
      t !== tc.consString &&
      t !== tc.slicedString &&
      t !== tc.string &&
      arrayName.has(nodeName[o])
    );
  };
  let total = 0,
    arrays = 0;
  for (let o = 0; o < g.nodeCount; o++) {
    total += shallow[o];
    if (!isArray(o)) continue;
    const el = storeOf(o);
    if (el >= 0) {
      store[el >>> 5] |= 1 << (el & 31);
      arrays++;
    }
  }
  const retainers = new Map<number, number>();
  if (arrays > 0) {
    for (let e = 0; e < g.edgeCount; e++) {
      const to = edgeTypeTo[e] & EDGE_TO;
      if (store[to >>> 5] & (1 << (to & 31))) retainers.set(to, (retainers.get(to) ?? 0) + 1);
    }
  }
  let native = g.extraNativeBytes,
    typedArrays = 0,
    code = 0,
    strings = 0,
    jsArrays = 0,
    system = 0;
  for (let o = 0; o < g.nodeCount; o++) {
    const size = shallow[o];
    const t = nodeType[o];
    if (t === tc.hidden) {
      system += size;
      continue;
    }
    if (t === tc.native) {
      native += size;
      if (bufferData.has(nodeName[o]) && !d.renamed(o)) typedArrays += size;
    } else if (t === tc.code) {
      code += size;
    } else if (t === tc.consString || t === tc.slicedString || t === tc.string) {
      strings += size;
    } else if (isArray(o)) {
      const el = storeOf(o);
      jsArrays += size + (el >= 0 && retainers.get(el) === 1 ? shallow[el] : 0);
    }
  }
  total += g.extraNativeBytes;
  return {
    total,
    native: { total: native, typedArrays },
    v8heap: { total: total - native, code, jsArrays, strings, system },
  };
}
