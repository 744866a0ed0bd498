// Builds small .heapsnapshot files by hand, in Node 20's format (7 node fields) or Node 24's (6), for tests.
export const NODE_TYPES = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
  'concatenated string',
  'sliced string',
  'symbol',
  'bigint',
  'object shape',
];
export const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'];

export interface TestEdge {
  type: string;
  name: string | number;
  to: number;
}
export interface TestNode {
  type: string;
  name: string;
  id?: number;
  size: number;
  edges?: TestEdge[];
  detachedness?: number;
}

export interface BuildOptions {
  fields?: 6 | 7;
  locations?: [number, number, number, number][];
}

/** Node 0 is the root. `to` is a node ordinal. Returns the JSON text of the snapshot. */
export function buildSnapshot(nodes: TestNode[], opts: BuildOptions = {}): string {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      index.set(s, i);
    }
    return i;
  };
  const seven = (opts.fields ?? 7) === 7;
  const nodeFields = seven
    ? ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness']
    : ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness'];
  const nf = nodeFields.length;
  const nodeArr: number[] = [];
  const edgeArr: number[] = [];
  nodes.forEach((n, o) => {
    const t = NODE_TYPES.indexOf(n.type);
    if (t < 0) throw new Error(`unknown node type ${n.type}`);
    const row = [t, str(n.name), n.id ?? o * 2 + 1, n.size, (n.edges ?? []).length];
    if (seven) row.push(0);
    row.push(n.detachedness ?? 0);
    nodeArr.push(...row);
    for (const e of n.edges ?? []) {
      const et = EDGE_TYPES.indexOf(e.type);
      if (et < 0) throw new Error(`unknown edge type ${e.type}`);
      const name = e.type === 'element' || e.type === 'hidden' ? Number(e.name) : str(String(e.name));
      edgeArr.push(et, name, e.to * nf);
    }
  });
  const meta = {
    node_fields: nodeFields,
    node_types: [NODE_TYPES, 'string', 'number', 'number', 'number', 'number', 'number'].slice(0, nf),
    edge_fields: ['type', 'name_or_index', 'to_node'],
    edge_types: [EDGE_TYPES, 'string_or_number', 'node'],
    trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
    trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
    sample_fields: ['timestamp_us', 'last_assigned_id'],
    location_fields: ['object_index', 'script_id', 'line', 'column'],
  };
  const locations = (opts.locations ?? []).flatMap(([o, s, l, c]) => [o * nf, s, l, c]);
  const header = { meta, node_count: nodes.length, edge_count: edgeArr.length / 3, trace_function_count: 0 };
  return (
    `{"snapshot":${JSON.stringify(header)},\n` +
    `"nodes":[${nodeArr.join(',')}],\n"edges":[${edgeArr.join(',')}],\n"trace_function_infos":[],\n"trace_tree":[],\n` +
    `"samples":[],\n"locations":[${locations.join(',')}],\n` +
    `"strings":[${strings.map((s) => JSON.stringify(s)).join(',\n')}]}`
  );
}

/** A deterministic pseudo-random generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random heap: a root with a shortcut to a global object and element edges to a few synthetic roots, and
 * objects, arrays, hidden nodes, closures and strings joined by property, element, internal, hidden, weak and
 * context edges, with cycles, orphans and WeakMap-style ephemeron edge names.
 */
export function randomHeap(seed: number, size = 40): TestNode[] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const nodes: TestNode[] = [
    { type: 'synthetic', name: '', size: 0, edges: [] },
    { type: 'synthetic', name: '(GC roots)', size: 0, edges: [] },
    { type: 'object', name: 'global', size: 40, edges: [] },
  ];
  nodes[0].edges!.push({ type: 'element', name: 1, to: 1 }, { type: 'shortcut', name: '2', to: 2 });
  const types = ['object', 'object', 'object', 'array', 'hidden', 'closure', 'string', 'native', 'code'];
  const names: Record<string, string[]> = {
    object: ['Object', 'Foo', 'Bar', 'Map', 'Array'],
    array: ['', '(map descriptors)'],
    hidden: ['system / Context', 'system / NativeContext'],
    closure: ['f', 'g'],
    string: ['a', 'bb', 'ccc'],
    native: ['<div id="x">', 'system / ExternalStringData', 'Node'],
    code: ['(code)'],
  };
  for (let i = 3; i < size; i++) {
    const type = pick(types);
    nodes.push({
      type,
      name: pick(names[type]),
      size: Math.floor(r() * 200),
      edges: [],
      detachedness: type === 'native' ? pick([0, 0, 1, 2]) : 0,
    });
  }
  const n = nodes.length;
  const props = ['a', 'b', 'c', 'x', '__proto__', 'map', 'elements', 'table'];
  for (let o = 1; o < n; o++) {
    const k = Math.floor(r() * 4);
    for (let j = 0; j < k; j++) {
      const to = 1 + Math.floor(r() * (n - 1));
      const roll = r();
      let edge: TestEdge;
      if (roll < 0.45) edge = { type: 'property', name: pick(props), to };
      else if (roll < 0.6) edge = { type: 'element', name: j, to };
      else if (roll < 0.7) edge = { type: 'internal', name: pick(['elements', 'table', 'map']), to };
      else if (roll < 0.78) edge = { type: 'hidden', name: j, to };
      else if (roll < 0.86) edge = { type: 'weak', name: 'w', to };
      else if (roll < 0.9) edge = { type: 'shortcut', name: 's', to };
      else if (roll < 0.95) edge = { type: 'context', name: 'v', to };
      else {
        // the two halves of a WeakMap entry: from the table and from the key
        const key = 1 + Math.floor(r() * (n - 1));
        const pair = `key (Foo @${nodes[key].id ?? key * 2 + 1}) -> value (Bar @${to * 2 + 1})`;
        const name = `${j} / part of ${pair} pair in WeakMap (table @${o * 2 + 1})`;
        nodes[o].edges!.push({ type: 'internal', name, to });
        edge = { type: 'internal', name, to };
        nodes[key].edges!.push(edge);
        continue;
      }
      nodes[o].edges!.push(edge);
    }
  }
  // make most of it reachable
  for (let o = 3; o < n; o++)
    if (r() < 0.3) nodes[r() < 0.5 ? 2 : 1].edges!.push({ type: 'property', name: `p${o}`, to: o });
  return nodes;
}
