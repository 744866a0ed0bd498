import type { HeapGraph } from '../graph/graph.js';
import type { Dominance } from '../dominators/index.js';

export interface Statistics {
  total: number;
  native: { total: number; typedArrays: number };
  v8heap: { total: number; code: number; jsArrays: number; strings: number; system: number };
}

/** DevTools' Statistics pie: code, strings, JS arrays (with their elements store), typed arrays, system, native. */
export function statistics(g: HeapGraph, d: Dominance): Statistics {
  const { tc, shallow } = d;
  const names = g.strings.indexesOf(['system / JSArrayBufferData', 'Array', 'elements']);
  const bufferData = new Set(names.get('system / JSArrayBufferData'));
  const arrayName = new Set(names.get('Array'));
  const elementsName = new Set(names.get('elements'));
  // Whether a node has exactly one retainer (any edge type), for the arrays' elements stores.
  const retainers = new Uint8Array(g.nodeCount);
  for (let e = 0; e < g.edgeCount; e++) {
    const t = g.edgeTo[e];
    if (retainers[t] < 2) retainers[t]++;
  }
  let native = g.extraNativeBytes, typedArrays = 0, code = 0, strings = 0, jsArrays = 0, system = 0;
  for (let o = 0; o < g.nodeCount; o++) {
    const size = shallow[o];
    const t = g.nodeType[o];
    if (t === tc.hidden) { system += size; continue; }
    if (t === tc.native) {
      native += size;
      if (bufferData.has(g.nodeName[o]) && !d.renamed(o)) typedArrays += size;
    } else if (t === tc.code) {
      code += size;
    } else if (t === tc.consString || t === tc.slicedString || t === tc.string) {
      strings += size;
    } else if (arrayName.has(g.nodeName[o])) {
      let s = size;
      for (let e = g.firstEdge[o]; e < g.firstEdge[o + 1]; e++) {
        if (g.edgeType[e] !== tc.eInternal || !elementsName.has(g.edgeName[e])) continue;
        const el = g.edgeTo[e];
        if (retainers[el] === 1) s += shallow[el];
        break;
      }
      jsArrays += s;
    }
  }
  const total = d.retained[g.rootOrdinal] + g.extraNativeBytes;
  return {
    total,
    native: { total: native, typedArrays },
    v8heap: { total: total - native, code, jsArrays, strings, system },
  };
}
