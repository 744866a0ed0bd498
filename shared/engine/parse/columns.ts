import { sharedU32, sharedU8 } from '../graph/shared-arrays.js';

/**
 * The nodes and edges arrays as columns of typed arrays, one per field the analyses use, written as the numbers are
 * read (field by field through `put`, or record by record through `batch`, split inside the WebAssembly module
 * when it can), each number checked against what its field may hold: `node-columns.ts`, `edge-columns.ts`.
 */

export const enum Field {
  Other,
  Type,
  Name,
  Id,
  Self,
  EdgeCount,
  Detached,
}

/** What each node field holds, by position. trace_node_id (allocation tracking) is read past: no analysis uses it. */
export const NODE_FIELDS: Record<string, Field> = {
  type: Field.Type,
  name: Field.Name,
  id: Field.Id,
  self_size: Field.Self,
  edge_count: Field.EdgeCount,
  detachedness: Field.Detached,
};
export const EDGE_FIELDS: Record<string, Field> = { type: Field.Type, name_or_index: Field.Name, to_node: Field.Id };

export const fieldsOf = (names: string[], known: Record<string, Field>) =>
  new Uint8Array(names.map((f) => known[f] ?? Field.Other));

/** 1 for the edge types whose name_or_index is a string index (all but element and hidden). */
export function namedEdgeTypes(types: string[]): Uint8Array {
  return Uint8Array.from(types, (t) => (t === 'element' || t === 'hidden' ? 0 : 1));
}

type Alloc32 = (n: number) => Uint32Array;
type Alloc8 = (n: number) => Uint8Array;
export const allocators = (shared: boolean): [Alloc32, Alloc8] =>
  shared ? [sharedU32, sharedU8] : [(n) => new Uint32Array(n), (n) => new Uint8Array(n)];

/** The node columns, as the graph takes them. */
export interface NodeColumns {
  nodeType: Uint8Array;
  nodeName: Uint32Array;
  nodeId: Uint32Array;
  selfSize: Uint32Array | Float64Array;
  detachedness: Uint8Array | null;
  firstEdge: Uint32Array;
}

/** The edge columns, which a second thread may fill (see `split.ts`). */
export interface EdgeColumns {
  /** Type (top bits) and target ordinal of each edge, as in `HeapGraph.edgeTypeTo`. */
  edgeTypeTo: Uint32Array;
  edgeName: Uint32Array;
  /** One cell: the largest string index named by an edge of a named type, so `end()` checks it in one step. */
  nameMax: Uint32Array;
}
