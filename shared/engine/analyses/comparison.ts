import { sortByKey } from '../util/radix.js';
import type { HeapGraph } from '../graph/graph.js';
import type { Dominance } from '../dominators/index.js';
import { matchShapes, type ClassTable, type InterfaceDefinition } from './classes.js';

/**
 * What a later comparison needs from one snapshot, small enough to keep while the next snapshot is analysed:
 * every object DevTools counts (non-zero shallow size) by id, with its size and class. Plain objects keep their
 * property names instead of a class, because DevTools classifies the base of a comparison with the interfaces
 * inferred for the target.
 */
export interface ClassInstances {
  /** Ids of the counted objects, ascending. */
  ids: Uint32Array;
  sizes: Uint32Array | Float64Array;
  /** >= 0: index into fixedKeys/fixedNames; < 0: -1 - index into `plain`. */
  ref: Int32Array;
  fixedKeys: string[];
  fixedNames: string[];
  /** Plain-object classes: a shape and the location prefix of the key ("," or "script,line,column,"). */
  plain: { shape: number; prefix: string }[];
  shapes: string[][];
  interfaces: InterfaceDefinition[];
}

export interface ComparisonRow {
  key: string;
  name: string;
  addedCount: number;
  removedCount: number;
  countDelta: number;
  addedSize: number;
  removedSize: number;
  sizeDelta: number;
}

/** Ordinals of the objects DevTools counts (non-zero shallow size), in ascending id order. */
export function countedByIdOrder(g: HeapGraph, d: Pick<Dominance, 'shallow'>): Uint32Array {
  const n = g.nodeCount;
  const { shallow } = d;
  let counted = 0;
  for (let o = 0; o < n; o++) if (shallow[o]) counted++;
  const nodes = new Uint32Array(counted);
  for (let o = 0, k = 0; o < n; o++) if (shallow[o]) nodes[k++] = o;
  sortByKey(nodes, g.nodeId);
  return nodes;
}

/** `nodes`: countedByIdOrder(g, d), when the caller has it already. */
export function classInstances(
  g: HeapGraph,
  d: Dominance,
  ct: ClassTable,
  nodes = countedByIdOrder(g, d),
): ClassInstances {
  const counted = nodes.length;
  const { shallow } = d;
  const shapeOf = ct.shapeOf;
  if (!shapeOf) throw new Error('classInstances needs a class table that kept its shapes');
  // the location prefix of plain objects that have one (rare: V8 gives locations to objects made by a constructor)
  const prefixOf = new Map<number, string>();
  const loc = g.locations;
  for (let k = 0; k < loc.count; k++) {
    const o = loc.ordinal[k];
    if (shapeOf[o] >= 0) prefixOf.set(o, `${loc.scriptId[k]},${loc.line[k]},${loc.column[k]},`);
  }
  const plain: ClassInstances['plain'] = [];
  const plainRef = new Map<string, number>();
  const byShape = new Int32Array(ct.shapes.length).fill(-1);
  const ids = new Uint32Array(counted);
  const sizes = shallow instanceof Uint32Array ? new Uint32Array(counted) : new Float64Array(counted);
  const ref = new Int32Array(counted);
  for (let k = 0; k < counted; k++) {
    const o = nodes[k];
    ids[k] = g.nodeId[o];
    sizes[k] = shallow[o];
    const shape = shapeOf[o];
    if (shape < 0) {
      ref[k] = ct.classOf[o];
      continue;
    }
    const prefix = prefixOf.size ? prefixOf.get(o) : undefined;
    let r: number | undefined;
    if (prefix === undefined) {
      // the common case, no location: one slot per shape, no string keys
      r = byShape[shape];
      if (r < 0) {
        r = byShape[shape] = plain.length;
        plain.push({ shape, prefix: ',' });
      }
    } else {
      const key = `${shape}|${prefix}`;
      r = plainRef.get(key);
      if (r === undefined) {
        r = plain.length;
        plain.push({ shape, prefix });
        plainRef.set(key, r);
      }
    }
    ref[k] = -1 - r;
  }
  return {
    ids,
    sizes,
    ref,
    fixedKeys: ct.keys,
    fixedNames: ct.names,
    plain,
    shapes: ct.shapes,
    interfaces: ct.interfaces,
  };
}

/** Class keys and names of one snapshot's counted objects, plain objects classified with `interfaces`. */
function classify(
  s: ClassInstances,
  interfaces: InterfaceDefinition[],
): { keys: string[]; names: string[]; of: (k: number) => number } {
  const keys = [...s.fixedKeys];
  const names = [...s.fixedNames];
  const matched = matchShapes(s.shapes, interfaces);
  const plainIds = s.plain.map(({ shape, prefix }) => {
    const name = matched[shape] ?? 'Object';
    keys.push(prefix + name);
    names.push(name);
    return keys.length - 1;
  });
  return { keys, names, of: (k) => (s.ref[k] >= 0 ? s.ref[k] : plainIds[-1 - s.ref[k]]) };
}

/**
 * DevTools' Comparison view: per class, the objects of `target` whose ids `base` did not have (added) and the
 * other way round (removed), with counts and shallow sizes. Both sides are classified with the target's inferred
 * interfaces, as DevTools does; an object whose class changed counts as removed from one and added to the other.
 * Classes with nothing added or removed are left out. One merge over the two id-sorted lists, in typed arrays.
 */
export function compare(base: ClassInstances, target: ClassInstances): ComparisonRow[] {
  const keys: string[] = [],
    names: string[] = [];
  const rowOf = new Map<string, number>();
  const rowsOf = (s: ClassInstances): Int32Array => {
    const c = classify(s, target.interfaces);
    const byClass = c.keys.map((key, i) => {
      let r = rowOf.get(key);
      if (r === undefined) {
        r = keys.length;
        keys.push(key);
        names.push(c.names[i]);
        rowOf.set(key, r);
      }
      return r;
    });
    const out = new Int32Array(s.ids.length);
    for (let k = 0; k < out.length; k++) out[k] = byClass[c.of(k)];
    return out;
  };
  const rb = rowsOf(base),
    rt = rowsOf(target);
  const n = keys.length;
  const addedCount = new Float64Array(n),
    removedCount = new Float64Array(n),
    addedSize = new Float64Array(n),
    removedSize = new Float64Array(n);
  const bi = base.ids,
    ti = target.ids,
    bs = base.sizes,
    ts = target.sizes;
  let i = 0,
    j = 0;
  while (i < bi.length && j < ti.length) {
    if (bi[i] < ti[j]) {
      removedCount[rb[i]]++;
      removedSize[rb[i]] += bs[i];
      i++;
    } else if (bi[i] > ti[j]) {
      addedCount[rt[j]]++;
      addedSize[rt[j]] += ts[j];
      j++;
    } else {
      if (rb[i] !== rt[j]) {
        removedCount[rb[i]]++;
        removedSize[rb[i]] += bs[i];
        addedCount[rt[j]]++;
        addedSize[rt[j]] += ts[j];
      }
      i++;
      j++;
    }
  }
  for (; i < bi.length; i++) {
    removedCount[rb[i]]++;
    removedSize[rb[i]] += bs[i];
  }
  for (; j < ti.length; j++) {
    addedCount[rt[j]]++;
    addedSize[rt[j]] += ts[j];
  }
  const rows: ComparisonRow[] = [];
  for (let r = 0; r < n; r++) {
    if (!addedCount[r] && !removedCount[r]) continue;
    rows.push({
      key: keys[r],
      name: names[r],
      addedCount: addedCount[r],
      removedCount: removedCount[r],
      countDelta: addedCount[r] - removedCount[r],
      addedSize: addedSize[r],
      removedSize: removedSize[r],
      sizeDelta: addedSize[r] - removedSize[r],
    });
  }
  rows.sort((x, y) => y.addedSize - x.addedSize || y.removedSize - x.removedSize || (x.key < y.key ? -1 : 1));
  return rows;
}

/**
 * For each object of `target` (by index), the index of the object with the same id in `base`, or -1: one merge
 * over the two ascending id lists.
 */
export function matchIds(base: Uint32Array, target: Uint32Array): Int32Array {
  const out = new Int32Array(target.length).fill(-1);
  let i = 0;
  for (let j = 0; j < target.length; j++) {
    const id = target[j];
    while (i < base.length && base[i] < id) i++;
    if (i < base.length && base[i] === id) out[j] = i++;
  }
  return out;
}

export interface IdAgreement {
  /** Objects of the base whose id the target has too. */
  matched: number;
  /** Matched objects that have a fixed class (not a plain object) in both snapshots ... */
  compared: number;
  /** ... and of those, the ones whose class name is the same. */
  sameClass: number;
}

/**
 * Whether ids mean the same objects in both snapshots. Within one process an object keeps its id and its class;
 * two processes hand out the same ids to unrelated objects, so about two thirds of matched ids change class.
 */
export function idAgreement(base: ClassInstances, target: ClassInstances, match: Int32Array): IdAgreement {
  let matched = 0,
    compared = 0,
    sameClass = 0;
  for (let j = 0; j < match.length; j++) {
    const i = match[j];
    if (i < 0) continue;
    matched++;
    const a = base.ref[i],
      b = target.ref[j];
    if (a < 0 || b < 0) continue;
    compared++;
    if (base.fixedNames[a] === target.fixedNames[b]) sameClass++;
  }
  return { matched, compared, sameClass };
}

/** Same process when at least 80% of the matched objects with a fixed class kept it (measured: 100% vs about 31%). */
export function sameProcess(a: IdAgreement): boolean {
  return a.compared > 0 && a.sameClass >= 0.8 * a.compared;
}
