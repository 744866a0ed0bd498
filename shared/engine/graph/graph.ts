import type { StringTable } from './strings.js';

/**
 * The one graph type every analysis works on: a V8 heap snapshot held column by column in typed arrays,
 * with no per-node objects. Nodes and edges are addressed by ordinal (0..count-1), never by the snapshot's
 * flat-array index. Type codes are the snapshot's own (see `nodeTypes` / `edgeTypes`).
 */
export interface HeapGraph {
  nodeCount: number;
  edgeCount: number;
  rootOrdinal: number;
  /** Fields per node in the snapshot (7 for Node 20, 6 for Node 24). */
  nodeFieldCount: number;
  /** Names of node type codes, from `snapshot.meta.node_types[type]`. */
  nodeTypes: string[];
  /** Names of edge type codes, from `snapshot.meta.edge_types[type]`. */
  edgeTypes: string[];

  nodeType: Uint8Array;
  /** String index of the node's name (for `number` nodes too: V8 stores the value as a string). */
  nodeName: Uint32Array;
  nodeId: Uint32Array;
  /**
   * Self size as written in the snapshot; once shallow sizes are worked out (`shallowSizes`), DevTools' shallow size
   * in place (backing stores moved into their owner).
   */
  selfSize: Uint32Array | Float64Array;
  /** DOM link state per node (0 unknown, 1 attached, 2 detached) when the snapshot has `detachedness`. */
  detachedness: Uint8Array | null;
  /** Allocation trace ids: not kept (null) until an analysis needs them. */
  traceNodeId: Uint32Array | null;
  /** Edges of node n are firstEdge[n] .. firstEdge[n+1]-1. Length nodeCount + 1. */
  firstEdge: Uint32Array;

  /**
   * Each edge's type code and target in one number: the type in the top 3 bits, the target node's ordinal in the
   * low 29 (read them with `edgeTypeOf` and `EDGE_TO`). One column instead of two saves a byte per edge, and the
   * loops that follow edges read both anyway.
   */
  edgeTypeTo: Uint32Array;
  /** String index for named edges; the element/hidden index for `element` and `hidden` edges. */
  edgeName: Uint32Array;

  strings: StringTable;
  /** Source locations, sorted by node ordinal. */
  locations: Locations;
  /** `snapshot.extra_native_bytes` (Node 24+), else 0. */
  extraNativeBytes: number;
  /** Byte length of the snapshot as read (inflated, when it was gzip). */
  byteLength: number;
}

export interface Locations {
  count: number;
  ordinal: Uint32Array;
  scriptId: Uint32Array;
  line: Uint32Array;
  column: Uint32Array;
}

/** Where `edgeTypeTo` keeps an edge's type: its top 3 bits. */
export const EDGE_TYPE_SHIFT = 29;
/** The bits of `edgeTypeTo` that hold the target's ordinal (so at most 2^29 nodes). */
export const EDGE_TO = 0x1fffffff;
/** How many nodes and edge types `edgeTypeTo` can tell apart. */
export const MAX_NODES = EDGE_TO + 1;
export const MAX_EDGE_TYPES = 1 << (32 - EDGE_TYPE_SHIFT);

/** An edge's type code, from `edgeTypeTo` (cold paths; hot loops shift inline). */
export function edgeTypeOf(g: HeapGraph, e: number): number {
  return g.edgeTypeTo[e] >>> EDGE_TYPE_SHIFT;
}

/** An edge's target ordinal, from `edgeTypeTo` (cold paths; hot loops mask inline). */
export function edgeToOf(g: HeapGraph, e: number): number {
  return g.edgeTypeTo[e] & EDGE_TO;
}

/** Type codes looked up by name once, so hot loops compare integers. -1 where a snapshot lacks the type. */
export interface TypeCodes {
  hidden: number;
  array: number;
  string: number;
  object: number;
  code: number;
  closure: number;
  regexp: number;
  number: number;
  native: number;
  synthetic: number;
  consString: number;
  slicedString: number;
  eContext: number;
  eElement: number;
  eProperty: number;
  eInternal: number;
  eHidden: number;
  eShortcut: number;
  eWeak: number;
  eInvisible: number;
}

export function typeCodes(g: HeapGraph): TypeCodes {
  const n = (s: string) => g.nodeTypes.indexOf(s);
  const e = (s: string) => g.edgeTypes.indexOf(s);
  return {
    hidden: n('hidden'),
    array: n('array'),
    string: n('string'),
    object: n('object'),
    code: n('code'),
    closure: n('closure'),
    regexp: n('regexp'),
    number: n('number'),
    native: n('native'),
    synthetic: n('synthetic'),
    consString: n('concatenated string'),
    slicedString: n('sliced string'),
    eContext: e('context'),
    eElement: e('element'),
    eProperty: e('property'),
    eInternal: e('internal'),
    eHidden: e('hidden'),
    eShortcut: e('shortcut'),
    eWeak: e('weak'),
    eInvisible: e('invisible'),
  };
}
