import type { HeapGraph } from '../graph/graph.js';
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
  /** Class id of every node. */
  classOf: Uint32Array;
  names: string[];
  keys: string[];
  /** Interface definitions inferred for plain objects, most common first. */
  interfaces: InterfaceDefinition[];
}

export interface InterfaceDefinition {
  name: string;
  properties: string[];
}

const MAX_INTERFACE_NAME_LENGTH = 120;
const MIN_OBJECT_COUNT_PER_INTERFACE = 2;
const MIN_OBJECT_PROPORTION_PER_INTERFACE = 1000;

export function formatPropertyName(name: string): string {
  return /[,'"{}]/.test(name) ? JSON.stringify(name) : name;
}

/** The node's own name as DevTools would show it, before class grouping (detached DOM nodes renamed). */
export function rawDisplayName(g: HeapGraph, d: Dominance, o: number): string {
  const raw = g.strings.get(g.nodeName[o]);
  return d.renamed(o) ? 'Detached ' + raw : raw;
}

export function classTable(g: HeapGraph, d: Dominance, interfaces?: InterfaceDefinition[]): ClassTable {
  const tc = d.tc;
  const n = g.nodeCount;
  const classOf = new Uint32Array(n);
  const names: string[] = [];
  const keys: string[] = [];
  const byKey = new Map<string, number>();
  const classFor = (key: string, name: string): number => {
    let id = byKey.get(key);
    if (id === undefined) {
      id = names.length;
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
  const isObjectName = new Set(objectName);
  const propType = tc.eProperty;
  const shapeOf = new Int32Array(n).fill(-1);
  const shapes: number[][] = [];
  const shapeCount: number[] = [];
  const shapeByKey = new Map<string, number>();
  let plainCount = 0;
  const props: number[] = [];
  for (let o = 0; o < n; o++) {
    if (g.nodeType[o] !== tc.object || !isObjectName.has(g.nodeName[o])) continue;
    plainCount++;
    props.length = 0;
    for (let e = g.firstEdge[o], end = g.firstEdge[o + 1]; e < end; e++) {
      if (g.edgeType[e] === propType) props.push(g.edgeName[e]);
    }
    const key = props.join(',');
    let s = shapeByKey.get(key);
    if (s === undefined) {
      s = shapes.length;
      shapeByKey.set(key, s);
      shapes.push(props.slice());
      shapeCount.push(0);
    }
    shapeCount[s]++;
    shapeOf[o] = s;
  }
  const defs = interfaces ?? inferInterfaces(g, shapes, shapeCount, plainCount);
  const shapeClass = matchShapes(g, shapes, defs);

  // Locations of objects, walked in node order alongside the nodes.
  const loc = g.locations;
  let li = 0;
  for (let o = 0; o < n; o++) {
    const t = g.nodeType[o];
    let name: string | undefined;
    if (t === tc.object || t === tc.native) {
      if (shapeOf[o] >= 0) {
        name = shapeClass[shapeOf[o]] ?? 'Object';
      } else {
        name = rawDisplayName(g, d, o);
        if (name.startsWith('<')) {
          const sp = name.indexOf(' ');
          if (sp !== -1) name = name.substring(0, sp) + '>';
        } else if (name.startsWith('Detached <')) {
          const sp = name.indexOf(' ', 10);
          if (sp !== -1) name = name.substring(0, sp) + '>';
        }
      }
    }
    if (name === undefined) {
      classOf[o] = typeClassId[t];
      continue;
    }
    let key = ',' + name;
    if (t === tc.object) {
      while (li < loc.count && loc.ordinal[li] < o) li++;
      // the last location given for a node wins, as in a map keyed by node
      let hit = -1;
      while (li < loc.count && loc.ordinal[li] === o) hit = li++;
      if (hit >= 0) key = `${loc.scriptId[hit]},${loc.line[hit]},${loc.column[hit]},${name}`;
    }
    classOf[o] = classFor(key, name);
  }
  return { classOf, names, keys, interfaces: defs };
}

function inferInterfaces(g: HeapGraph, shapes: number[][], counts: number[], plainCount: number): InterfaceDefinition[] {
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
  candidates: Map<string, { name: string; properties: string[]; count: number; first: number }>, plainCount: number,
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
function matchShapes(g: HeapGraph, shapes: number[][], defs: InterfaceDefinition[]): (string | undefined)[] {
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
    const props = shape.map((i) => g.strings.get(i)).sort();
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
