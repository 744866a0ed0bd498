import { edgeToOf, edgeTypeOf, type HeapGraph } from '../graph/graph.js';
import type { Dominance } from '../dominators/index.js';
import { formatPropertyName, rawDisplayName } from './classes.js';

const MAX_CONS_NAME = 1024;
const MAX_CONS_VISITS = 4096;

/**
 * A node's name as DevTools shows it: concatenated strings spelled out (up to ~1 KB), plain objects as
 * `{first, second, …, last}`, detached DOM nodes as "Detached <...>", anything else by its snapshot name.
 */
export function displayName(g: HeapGraph, d: Dominance, o: number): string {
  const t = g.nodeType[o];
  if (t === d.tc.consString) return consStringName(g, d, o);
  if (t === d.tc.object && g.strings.get(g.nodeName[o]) === 'Object') return plainObjectName(g, d, o);
  return rawDisplayName(g, d, o);
}

/**
 * How a graph spells the internal edges to a concatenation's halves: the string indexes of "first" and "second"
 * when each has one (the usual case, compared directly), else a tag per string index (1 first, 2 second).
 */
export interface PartNames {
  first: number;
  second: number;
  tags: Uint8Array | null;
}
const consPartNames = new WeakMap<HeapGraph, PartNames>();

export function partNames(g: HeapGraph): PartNames {
  let names = consPartNames.get(g);
  if (!names) {
    const found = g.strings.indexesOf(['first', 'second']);
    const first = found.get('first')!,
      second = found.get('second')!;
    if (first.length === 1 && second.length === 1) {
      names = { first: first[0], second: second[0], tags: null };
    } else {
      const tags = new Uint8Array(g.strings.count);
      for (const i of first) tags[i] = 1;
      for (const i of second) tags[i] = 2;
      names = { first: -1, second: -1, tags };
    }
    consPartNames.set(g, names);
  }
  return names;
}

const parts: [number, number] = [-1, -1];

/**
 * The two halves of a concatenated string (-1 where missing), found by their internal edge names.
 * Returns a shared pair: read it before the next call.
 */
export function consParts(g: HeapGraph, d: Pick<Dominance, 'tc'>, o: number): [number, number] {
  const { first: fi, second: si, tags } = partNames(g);
  let first = -1,
    second = -1;
  const internal = d.tc.eInternal;
  for (let e = g.firstEdge[o], end = g.firstEdge[o + 1]; e < end && (first < 0 || second < 0); e++) {
    if (edgeTypeOf(g, e) !== internal) continue;
    const nm = g.edgeName[e];
    const tag = tags ? tags[nm] : nm === fi ? 1 : nm === si ? 2 : 0;
    if (tag === 1) first = edgeToOf(g, e);
    else if (tag === 2) second = edgeToOf(g, e);
  }
  parts[0] = first;
  parts[1] = second;
  return parts;
}

function consStringName(g: HeapGraph, d: Dominance, o: number): string {
  const stack = [o];
  let name = '';
  const { tc } = d;
  // a string built by appending in a loop is a chain as deep as the number of appends: stop after a bounded walk
  let visits = 0;
  while (stack.length && name.length < MAX_CONS_NAME) {
    if (++visits > MAX_CONS_VISITS) return name + '…';
    const x = stack.pop()!;
    if (x < 0) continue;
    if (g.nodeType[x] !== tc.consString) {
      name += g.strings.get(g.nodeName[x]);
      continue;
    }
    const parts = consParts(g, d, x);
    const first = parts[0],
      second = parts[1];
    stack.push(second, first);
  }
  return name;
}

function plainObjectName(g: HeapGraph, d: Dominance, o: number): string {
  const prop = d.tc.eProperty;
  let start = '{',
    end = '}';
  let i = g.firstEdge[o],
    j = g.firstEdge[o + 1] - 1;
  let fromEnd = false;
  while (i <= j) {
    const e = fromEnd ? j : i;
    const name = edgeTypeOf(g, e) === prop ? g.strings.get(g.edgeName[e]) : '__proto__';
    if (name === '__proto__') {
      if (fromEnd) j--;
      else i++;
      continue;
    }
    const formatted = formatPropertyName(name);
    if (start.length > 1 && start.length + end.length + formatted.length > 100) break;
    if (fromEnd) {
      j--;
      if (end.length > 1) end = ', ' + end;
      end = formatted + end;
    } else {
      i++;
      if (start.length > 1) start += ', ';
      start += formatted;
    }
    fromEnd = !fromEnd;
  }
  if (i <= j) start += ', …';
  if (end.length > 1) start += ', ';
  return start + end;
}

/** The node that owns an edge (binary search over the edge ranges). */
export function edgeSource(g: HeapGraph, e: number): number {
  let lo = 0,
    hi = g.nodeCount - 1;
  const fe = g.firstEdge;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (fe[mid] <= e) lo = mid;
    else hi = mid - 1;
  }
  // several nodes can share a start when some have no edges: take the one whose range holds e
  while (lo < g.nodeCount - 1 && fe[lo + 1] <= e) lo++;
  return lo;
}

/** An edge as a path step: `name` for properties and variables, `[i]` for elements, `(name)` for internals. */
export function edgeLabel(g: HeapGraph, e: number): string {
  const type = g.edgeTypes[edgeTypeOf(g, e)];
  switch (type) {
    case 'element':
      return `[${g.edgeName[e]}]`;
    case 'hidden':
      return `(hidden ${g.edgeName[e]})`;
    case 'internal':
      return `(${g.strings.get(g.edgeName[e])})`;
    case 'weak':
      return `(weak ${g.strings.get(g.edgeName[e])})`;
    default:
      return g.strings.get(g.edgeName[e]);
  }
}
