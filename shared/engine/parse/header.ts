import { MAX_EDGE_TYPES, MAX_NODES } from '../graph/graph.js';
import { ParseError } from './errors.js';
import { U32_MAX } from './syntax.js';

/** What the "snapshot" header says, once read. */
export interface Header {
  nodeFields: string[];
  nodeTypes: string[];
  edgeFields: string[];
  edgeTypes: string[];
  locationFields: string[];
  nodeCount: number;
  edgeCount: number;
  rootIndex: number;
  extraNativeBytes: number;
}

/** A header longer than this is not a heap snapshot's (V8's are a few KB). */
export const MAX_HEADER_BYTES = 64 << 20;

/** JSON as parsed: its shape is checked field by field. */
type Json = { [key: string]: Json } | undefined;

/**
 * Reads and checks the "snapshot" object (its bytes, from byte `at` of the file): the fields and types of nodes and
 * edges, the counts, where the root is. Every problem is a ParseError at `at`.
 */
export function readHeader(bytes: Uint8Array, at: number): Header {
  let raw: Json;
  try {
    raw = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (e) {
    throw new ParseError(`not a heap snapshot: "snapshot" header is not valid JSON (${(e as Error).message})`, at);
  }
  const meta = raw?.meta;
  const bad = (what: string) => new ParseError(`not a heap snapshot: ${what}`, at);
  if (!meta || typeof meta !== 'object') throw bad('"snapshot.meta" is missing');
  const strList = (v: unknown, name: string): string[] => {
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string'))
      throw bad(`snapshot.meta.${name} is not a list of names`);
    return v as string[];
  };
  const nodeFields = strList(meta.node_fields, 'node_fields');
  const edgeFields = strList(meta.edge_fields, 'edge_fields');
  const typeList = (types: unknown, fields: string[], name: string): string[] => {
    const at2 = fields.indexOf('type');
    if (!Array.isArray(types) || !Array.isArray(types[at2])) throw bad(`snapshot.meta.${name} has no list of types`);
    return strList(types[at2], `${name}[${at2}]`);
  };
  for (const f of ['type', 'name', 'id', 'self_size', 'edge_count']) {
    if (!nodeFields.includes(f)) throw bad(`snapshot.meta.node_fields lacks "${f}"`);
  }
  for (const f of ['type', 'name_or_index', 'to_node']) {
    if (!edgeFields.includes(f)) throw bad(`snapshot.meta.edge_fields lacks "${f}"`);
  }
  const nodeTypes = typeList(meta.node_types, nodeFields, 'node_types');
  const edgeTypes = typeList(meta.edge_types, edgeFields, 'edge_types');
  if (nodeTypes.length > 255 || edgeTypes.length > 255) throw bad('too many node or edge types');
  const count = (v: unknown, name: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw bad(`snapshot.${name} is missing or not a count`);
    return v;
  };
  const nodeCount = count(raw?.node_count, 'node_count');
  const edgeCount = count(raw?.edge_count, 'edge_count');
  if (nodeCount === 0) throw bad('snapshot.node_count is 0');
  if (nodeCount >= U32_MAX || edgeCount >= U32_MAX) throw bad('more than 2^32 nodes or edges');
  if (nodeCount > MAX_NODES) {
    throw new ParseError(`the snapshot holds ${nodeCount} nodes: heapsight reads at most ${MAX_NODES} (2^29)`, at);
  }
  if (edgeTypes.length > MAX_EDGE_TYPES) {
    const why = `${edgeTypes.length} edge types (V8 writes 7; heapsight reads at most ${MAX_EDGE_TYPES})`;
    throw new ParseError(`unsupported snapshot: ${why}`, at);
  }
  const rootIndex = raw?.root_index === undefined ? 0 : count(raw?.root_index, 'root_index');
  const extra = raw?.extra_native_bytes === undefined ? 0 : count(raw?.extra_native_bytes, 'extra_native_bytes');
  return {
    nodeFields,
    nodeTypes,
    edgeFields,
    edgeTypes,
    locationFields: Array.isArray(meta.location_fields) ? (meta.location_fields as unknown as string[]) : [],
    nodeCount,
    edgeCount,
    rootIndex,
    extraNativeBytes: extra,
  };
}
