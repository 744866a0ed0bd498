import { EDGE_TYPE_SHIFT, type HeapGraph } from '../graph/graph.js';
import type { Dominance } from '../dominators/index.js';

/**
 * Class names as DevTools shows them in the Summary view, and the key it groups by:
 * `(system)` for hidden nodes, `(compiled code)`, `Function` for closures, `RegExp`, `(string)` and other
 * `(type)` names, the constructor name for objects and native nodes (`<div>` for `<div id=..>`,
 * `Detached <li>` for detached DOM), and `{a, b, c}` for plain objects that share an inferred interface.
 * Objects with a source location are keyed by it too (`script,line,column,Name`), so two classes with one name
 * stay apart.
 */
export interface ClassTable {
  /** Class id of every node (16-bit while there are at most 2^16 classes). */
  classOf: Uint32Array | Uint16Array;
  names: string[];
  keys: string[];
  /** Interface definitions inferred for plain objects, most common first. */
  interfaces: InterfaceDefinition[];
  /**
   * For plain objects (`Object`), the index of their property-name list in `shapes`; -1 for other nodes. Kept only
   * when asked for (a Comparison needs it), else null.
   */
  shapeOf: Int32Array | null;
  /** Property names of each plain-object shape, in edge order (`__proto__` included). */
  shapes: string[][];
}

export interface InterfaceDefinition {
  name: string;
  properties: string[];
}

const MAX_INTERFACE_NAME_LENGTH = 120;
const MIN_OBJECT_COUNT_PER_INTERFACE = 2;
const MIN_OBJECT_PROPORTION_PER_INTERFACE = 1000;

const INTERNAL_CLASS = /^\((compiled code|system|array|object shape)\)$/;

/** V8's own objects as DevTools groups them: compiled code, system objects, arrays, shapes. */
export const isInternalClass = (name: string) => INTERNAL_CLASS.test(name);

export function formatPropertyName(name: string): string {
  return /[,'"{}]/.test(name) ? JSON.stringify(name) : name;
}

/** The node's own name as DevTools would show it, before class grouping (detached DOM nodes renamed). */
export function rawDisplayName(g: HeapGraph, d: Pick<Dominance, 'renamed'>, o: number): string {
  const raw = g.strings.get(g.nodeName[o]);
  return d.renamed(o) ? 'Detached ' + raw : raw;
}

export function classTable(
  g: HeapGraph,
  d: Pick<Dominance, 'tc' | 'renamed'>,
  interfaces?: InterfaceDefinition[],
  keepShapes = true,
): ClassTable {
  // in 16 bits, unless there are more shapes or classes than that holds: then again in 32
  return classTableIn(g, d, interfaces, keepShapes, false) ?? classTableIn(g, d, interfaces, keepShapes, true)!;
}

function classTableIn(
  g: HeapGraph,
  d: Pick<Dominance, 'tc' | 'renamed'>,
  interfaces: InterfaceDefinition[] | undefined,
  keepShapes: boolean,
  wide: boolean,
): ClassTable | null {
  const tc = d.tc;
  const n = g.nodeCount;
  const classOf = wide ? new Uint32Array(n) : new Uint16Array(n);
  const most = wide ? 0xffffffff : 0xffff;
  const names: string[] = [];
  const keys: string[] = [];
  const byKey = new Map<string, number>();
  const classFor = (key: string, name: string): number => {
    let id = byKey.get(key);
    if (id === undefined) {
      id = names.length; // past 16 bits only while classOf is narrow (checked as the loop below goes)
      byKey.set(key, id);
      names.push(name);
      keys.push(key);
    }
    return id;
  };
  const typeClass = g.nodeTypes.map((t, code) => {
    if (code === tc.hidden) return '(system)';
    if (code === tc.code) return '(compiled code)';
    if (code === tc.closure) return 'Function';
    if (code === tc.regexp) return 'RegExp';
    return `(${t})`;
  });
  const typeClassId = typeClass.map((name) => classFor(',' + name, name));

  // Plain objects: group by property-name sequence ("shape") first, then name each shape once.
  const objectName = g.strings.indexesOf(['Object']).get('Object')!;
  const objectIdx = objectName.length === 1 ? objectName[0] : -1;
  const isObjectName = new Set(objectName);
  const propType = tc.eProperty;
  // each plain object's shape + 1 waits in classOf (0: not a plain object) until its class replaces it
  const shapes: number[][] = [];
  const shapeCount: number[] = [];
  const shapeByHash = new Map<number, number[]>(); // hash of the property-name indexes -> shapes with it
  let plainCount = 0;
  let props = new Uint32Array(64);
  {
    const { nodeType, nodeName, firstEdge, edgeTypeTo, edgeName } = g;
    const objectType = tc.object;
    for (let o = 0; o < n; o++) {
      if (nodeType[o] !== objectType) continue;
      const nm = nodeName[o];
      if (nm !== objectIdx && (objectIdx >= 0 || !isObjectName.has(nm))) continue;
      plainCount++;
      let k = 0;
      let h = 0x811c9dc5;
      for (let e = firstEdge[o], end = firstEdge[o + 1]; e < end; e++) {
        if (edgeTypeTo[e] >>> EDGE_TYPE_SHIFT !== propType) continue;
        if (k === props.length) {
          const grown = new Uint32Array(k * 2);
          grown.set(props);
          props = grown;
        }
        const p = edgeName[e];
        props[k++] = p;
        h = Math.imul(h ^ p, 16777619);
      }
      h = Math.imul(h ^ k, 16777619) >>> 0;
      let candidates = shapeByHash.get(h);
      let s = -1;
      if (candidates) {
        for (const c of candidates) {
          const sh = shapes[c];
          if (sh.length !== k) continue;
          let same = true;
          for (let j = 0; j < k; j++)
            if (sh[j] !== props[j]) {
              same = false;
              break;
            }
          if (same) {
            s = c;
            break;
          }
        }
      } else {
        shapeByHash.set(h, (candidates = []));
      }
      if (s < 0) {
        if (shapes.length >= most) return null;
        s = shapes.length;
        candidates.push(s);
        shapes.push(Array.from(props.subarray(0, k)));
        shapeCount.push(0);
      }
      shapeCount[s]++;
      classOf[o] = s + 1;
    }
  }
  const defs = interfaces ?? inferInterfaces(g, shapes, shapeCount, plainCount);
  const shapeNames = shapes.map((shape) => shape.map((i) => g.strings.get(i)));
  const shapeClass = matchShapes(shapeNames, defs);

  // Class names of objects and native nodes depend only on their name (and whether it reads "Detached "):
  // work each out once. Objects with a location are keyed by it too; those keys are cached by number.
  const nameOf = new Map<number, string>(); // name index * 2 + renamed -> class name
  const idOf = new Map<number, number>(); // same key -> class id, without location
  const idAt = new Map<number, Map<number, Map<number, number>>>(); // script -> line/column -> name key -> id
  const baseName = (o: number, nk: number): string => {
    let name = nameOf.get(nk);
    if (name !== undefined) return name;
    name = rawDisplayName(g, d, o);
    if (name.startsWith('<')) {
      const sp = name.indexOf(' ');
      if (sp !== -1) name = name.substring(0, sp) + '>';
    } else if (name.startsWith('Detached <')) {
      const sp = name.indexOf(' ', 10);
      if (sp !== -1) name = name.substring(0, sp) + '>';
    }
    nameOf.set(nk, name);
    return name;
  };
  const loc = g.locations;
  const { nodeType, nodeName } = g;
  const typeIds = Uint32Array.from(typeClassId);
  const objectType = tc.object,
    nativeType = tc.native;
  const shapeOf = keepShapes ? new Int32Array(n).fill(-1) : null;
  let li = 0;
  for (let o = 0; o < n; o++) {
    if (names.length > most + 1) return null;
    const t = nodeType[o];
    if (t !== objectType && t !== nativeType) {
      classOf[o] = typeIds[t];
      continue;
    }
    const shape = t === objectType ? classOf[o] - 1 : -1;
    const plain = shape >= 0;
    if (shapeOf) shapeOf[o] = shape;
    // plain objects: key by their interface; others by their name
    const nk = plain ? -1 - shape : nodeName[o] * 2 + (d.renamed(o) ? 1 : 0);
    let hit = -1;
    if (t === objectType) {
      while (li < loc.count && loc.ordinal[li] < o) li++;
      // the last location given for a node wins, as in a map keyed by node
      while (li < loc.count && loc.ordinal[li] === o) hit = li++;
    }
    const name = () => (plain ? (shapeClass[shape] ?? 'Object') : baseName(o, nk));
    if (hit < 0) {
      let id = idOf.get(nk);
      if (id === undefined) {
        const nm = name();
        id = classFor(',' + nm, nm);
        idOf.set(nk, id);
      }
      classOf[o] = id;
      continue;
    }
    const script = loc.scriptId[hit],
      line = loc.line[hit],
      col = loc.column[hit];
    if (col >= 1 << 26 || line >= 1 << 26) {
      const nm = name();
      classOf[o] = classFor(`${script},${line},${col},${nm}`, nm);
      continue;
    }
    let byLine = idAt.get(script);
    if (!byLine) idAt.set(script, (byLine = new Map()));
    const lc = line * (1 << 26) + col;
    let byName = byLine.get(lc);
    if (!byName) byLine.set(lc, (byName = new Map()));
    let id = byName.get(nk);
    if (id === undefined) {
      const nm = name();
      id = classFor(`${script},${line},${col},${nm}`, nm);
      byName.set(nk, id);
    }
    classOf[o] = id;
  }
  if (names.length > most + 1) return null;
  return { classOf, names, keys, interfaces: defs, shapeOf, shapes: shapeNames };
}

function inferInterfaces(
  g: HeapGraph,
  shapes: number[][],
  counts: number[],
  plainCount: number,
): InterfaceDefinition[] {
  const proto = new Set(g.strings.indexesOf(['__proto__']).get('__proto__'));
  const candidates = new Map<string, { name: string; properties: string[]; count: number; first: number }>();
  shapes.forEach((shape, s) => {
    let name = '{';
    const properties: string[] = [];
    for (const idx of shape) {
      if (proto.has(idx)) continue;
      const prop = g.strings.get(idx);
      const formatted = formatPropertyName(prop);
      if (name.length > 1 && name.length + formatted.length > MAX_INTERFACE_NAME_LENGTH) break;
      if (name.length !== 1) name += ', ';
      name += formatted;
      properties.push(prop);
    }
    if (!properties.length) return;
    name += '}';
    const c = candidates.get(name);
    if (c) c.count += counts[s];
    else candidates.set(name, { name, properties, count: counts[s], first: s });
  });
  return finishInterfaces(candidates, plainCount);
}

function finishInterfaces(
  candidates: Map<string, { name: string; properties: string[]; count: number; first: number }>,
  plainCount: number,
): InterfaceDefinition[] {
  // DevTools orders candidates by first appearance in the snapshot, then sorts stably by count.
  const sorted = [...candidates.values()];
  sorted.sort((a, b) => b.count - a.count);
  const minCount = Math.max(MIN_OBJECT_COUNT_PER_INTERFACE, plainCount / MIN_OBJECT_PROPORTION_PER_INTERFACE);
  const out: InterfaceDefinition[] = [];
  for (const c of sorted) {
    if (c.count < minCount) break;
    out.push({ name: c.name, properties: c.properties });
  }
  return out;
}

interface TreeNode {
  next: Map<string, TreeNode>;
  match: { name: string; count: number; index: number } | null;
  greatest: string | null;
}

/**
 * The best interface for each shape: among the definitions whose properties the object all has, the one with the
 * most properties, then the earliest. Objects matching none stay "Object" (undefined here).
 */
export function matchShapes(shapes: string[][], defs: InterfaceDefinition[]): (string | undefined)[] {
  const root: TreeNode = { next: new Map(), match: null, greatest: null };
  defs.forEach((def, index) => {
    const props = [...def.properties].sort();
    let node = root;
    for (const p of props) {
      let child = node.next.get(p);
      if (!child) {
        child = { next: new Map(), match: null, greatest: null };
        node.next.set(p, child);
        if (node.greatest === null || node.greatest < p) node.greatest = p;
      }
      node = child;
    }
    if (!node.match) node.match = { name: def.name, count: props.length, index };
  });
  type M = { name: string; count: number; index: number };
  const better = (a: M, b: M | null): M => {
    if (!b || a.count > b.count) return a;
    if (b.count > a.count) return b;
    return a.index <= b.index ? a : b;
  };
  const none: M = { name: 'Object', count: 0, index: Infinity };
  return shapes.map((shape) => {
    if (!defs.length) return undefined;
    const props = [...shape].sort();
    const states = new Set<TreeNode>([root]);
    let match = better(none, root.match);
    for (const p of props) {
      for (const st of [...states]) {
        if (st.greatest === null || p >= st.greatest) states.delete(st);
        const nx = st.next.get(p);
        if (nx) {
          states.add(nx);
          match = better(match, nx.match);
        }
      }
    }
    return match === none ? undefined : match.name;
  });
}
