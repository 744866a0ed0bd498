import { EDGE_TYPE_SHIFT } from '../graph/graph.js';
import { sharedU32, sharedU8 } from '../graph/shared-arrays.js';
import { ParseError } from './errors.js';
import type { Header } from './header.js';
import type { NumberSink } from './numbers.js';
import { U32_MAX } from './syntax.js';
import type { WasmScanner } from './wasm-scanner.js';

/**
 * The nodes and edges arrays as columns of typed arrays, one per field the analyses use, written as the numbers are
 * read (field by field through `put`, or record by record through `batch`, split inside the WebAssembly module
 * when it can), each number checked against what its field may hold.
 */

const enum Field {
  Other,
  Type,
  Name,
  Id,
  Self,
  EdgeCount,
  Detached,
}

/** What each node field holds, by position. trace_node_id (allocation tracking) is read past: no analysis uses it. */
const NODE_FIELDS: Record<string, Field> = {
  type: Field.Type,
  name: Field.Name,
  id: Field.Id,
  self_size: Field.Self,
  edge_count: Field.EdgeCount,
  detachedness: Field.Detached,
};
const EDGE_FIELDS: Record<string, Field> = { type: Field.Type, name_or_index: Field.Name, to_node: Field.Id };

const fieldsOf = (names: string[], known: Record<string, Field>) =>
  new Uint8Array(names.map((f) => known[f] ?? Field.Other));

/** 1 for the edge types whose name_or_index is a string index (all but element and hidden). */
function namedEdgeTypes(types: string[]): Uint8Array {
  return Uint8Array.from(types, (t) => (t === 'element' || t === 'hidden' ? 0 : 1));
}

type Alloc32 = (n: number) => Uint32Array;
type Alloc8 = (n: number) => Uint8Array;
const allocators = (shared: boolean): [Alloc32, Alloc8] =>
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

export class NodeWriter implements NumberSink {
  readonly section = 'nodes';
  readonly cols: NodeColumns;
  /** The largest string index a node's name holds. */
  nameMax = 0;
  private readonly fields: Uint8Array;
  private readonly nf: number;
  private field = 0;
  private ord = 0;

  constructor(
    private readonly h: Header,
    private readonly wasm: WasmScanner | null,
    shared: boolean,
  ) {
    const n = h.nodeCount;
    const [u32, u8] = allocators(shared);
    this.nf = h.nodeFields.length;
    this.fields = fieldsOf(h.nodeFields, NODE_FIELDS);
    this.cols = {
      nodeType: u8(n),
      nodeName: u32(n),
      nodeId: u32(n),
      selfSize: u32(n),
      detachedness: h.nodeFields.includes('detachedness') ? u8(n) : null,
      firstEdge: u32(n + 1),
    };
  }

  mark(): number[] {
    return [this.field, this.ord];
  }

  reset([field, ord]: number[]): void {
    this.field = field;
    this.ord = ord;
  }

  put(v: number, at: number): void {
    const o = this.ord;
    const h = this.h;
    const c = this.cols;
    if (o >= h.nodeCount)
      throw new ParseError(`nodes array is longer than snapshot.node_count (${h.nodeCount}) x ${this.nf} fields`, at);
    switch (this.fields[this.field]) {
      case Field.Type:
        if (v >= h.nodeTypes.length) {
          throw new ParseError(
            `node ${o} has type index ${v}, but there are only ${h.nodeTypes.length} node types`,
            at,
          );
        }
        c.nodeType[o] = v;
        break;
      case Field.Name:
        if (v > U32_MAX) throw new ParseError(`node ${o} has string index ${v}, out of range`, at);
        c.nodeName[o] = v;
        if (v > this.nameMax) this.nameMax = v;
        break;
      case Field.Id:
        if (v > U32_MAX) throw new ParseError(`node ${o} has id ${v}, larger than 2^32-1`, at);
        c.nodeId[o] = v;
        break;
      case Field.Self:
        if (v > U32_MAX && !(c.selfSize instanceof Float64Array)) c.selfSize = Float64Array.from(c.selfSize);
        c.selfSize[o] = v;
        break;
      case Field.EdgeCount: {
        const next = c.firstEdge[o] + v;
        if (next > h.edgeCount) {
          const why = `node edge counts add up to more than snapshot.edge_count (${h.edgeCount}) at node ${o}`;
          throw new ParseError(why, at);
        }
        c.firstEdge[o + 1] = next;
        break;
      }
      case Field.Detached:
        if (c.detachedness) c.detachedness[o] = v & 3;
        break;
    }
    if (++this.field === this.nf) {
      this.field = 0;
      this.ord++;
    }
  }

  /** Whole records in a tight loop (or split inside the module), partial ones through `put`. */
  batch(out: Uint32Array, count: number): void {
    let k = 0;
    while (k < count && this.field !== 0) this.put(out[k++], 0);
    const { nf, fields, h } = this;
    const typeAt = fields.indexOf(Field.Type),
      nameAt = fields.indexOf(Field.Name),
      idAt = fields.indexOf(Field.Id);
    const selfAt = fields.indexOf(Field.Self),
      ecAt = fields.indexOf(Field.EdgeCount);
    const detAt = fields.indexOf(Field.Detached);
    const whole = Math.floor((count - k) / nf);
    let o = this.ord;
    const { nodeType, nodeName, nodeId, firstEdge, detachedness, selfSize } = this.cols;
    if (o + whole > h.nodeCount || !(selfSize instanceof Uint32Array)) {
      while (k < count) this.put(out[k++], 0);
      return;
    }
    const typeCount = h.nodeTypes.length,
      edgeCount = h.edgeCount;
    const w = this.wasm;
    if (w && out === w.out && whole > 0 && typeAt >= 0 && nameAt >= 0 && idAt >= 0 && selfAt >= 0 && ecAt >= 0) {
      // split into columns inside the module, then copied out in bulk
      w.nodeNameMax = this.nameMax;
      const at = { type: typeAt, name: nameAt, id: idAt, self: selfAt, ec: ecAt, det: detachedness ? detAt : -1 };
      if (!w.splitNodes(k, whole, nf, at, typeCount, edgeCount, firstEdge[o])) {
        throw new ParseError('node check failed');
      }
      nodeType.set(w.colType.subarray(0, whole), o);
      nodeName.set(w.colName.subarray(0, whole), o);
      nodeId.set(w.colTo.subarray(0, whole), o);
      selfSize.set(w.colSelf.subarray(0, whole), o);
      firstEdge.set(w.colEnd.subarray(0, whole), o + 1);
      if (detachedness && detAt >= 0) detachedness.set(w.colDet.subarray(0, whole), o);
      this.nameMax = w.nodeNameMax;
      this.ord = o + whole;
      k += whole * nf;
      while (k < count) this.put(out[k++], 0);
      return;
    }
    let edges = firstEdge[o];
    let nameMax = this.nameMax;
    for (const end = k + whole * nf; k < end; k += nf, o++) {
      const t = out[k + typeAt];
      edges += out[k + ecAt];
      if (t >= typeCount || edges > edgeCount) {
        this.ord = o;
        this.field = 0;
        throw new ParseError('node check failed');
      }
      nodeType[o] = t;
      const name = out[k + nameAt];
      nodeName[o] = name;
      if (name > nameMax) nameMax = name;
      nodeId[o] = out[k + idAt];
      selfSize[o] = out[k + selfAt];
      firstEdge[o + 1] = edges;
      if (detachedness && detAt >= 0) detachedness[o] = out[k + detAt] & 3;
    }
    this.ord = o;
    this.nameMax = nameMax;
    while (k < count) this.put(out[k++], 0);
  }

  close(at: number, count: number): void {
    if (this.field !== 0) throw new ParseError(`nodes array length ${count} is not a multiple of its field count`, at);
    if (this.ord !== this.h.nodeCount) {
      throw new ParseError(
        `snapshot.node_count is ${this.h.nodeCount} but the nodes array holds ${this.ord} nodes`,
        at,
      );
    }
  }
}

export class EdgeWriter implements NumberSink {
  readonly section = 'edges';
  /** Which edge types name a string (1) rather than an index (0). */
  readonly named: Uint8Array;
  private readonly fields: Uint8Array;
  private readonly ef: number;
  private readonly nf: number;
  private field = 0;
  private ord = 0;

  /** `cols`: columns to fill, made by another parser (the other half of a split parse); else new ones. */
  constructor(
    private readonly h: Header,
    private readonly wasm: WasmScanner | null,
    shared: boolean,
    readonly cols: EdgeColumns = EdgeWriter.columns(h, shared),
  ) {
    this.ef = h.edgeFields.length;
    this.nf = h.nodeFields.length;
    this.fields = fieldsOf(h.edgeFields, EDGE_FIELDS);
    this.named = namedEdgeTypes(h.edgeTypes);
    if (wasm) wasm.namedEdgeTypes = this.named;
  }

  static columns(h: Header, shared: boolean): EdgeColumns {
    const [u32] = allocators(shared);
    return { edgeTypeTo: u32(h.edgeCount), edgeName: u32(h.edgeCount), nameMax: u32(1) };
  }

  mark(): number[] {
    return [this.field, this.ord];
  }

  reset([field, ord]: number[]): void {
    this.field = field;
    this.ord = ord;
  }

  put(v: number, at: number): void {
    const e = this.ord;
    const h = this.h;
    const c = this.cols;
    const ec = h.edgeCount;
    if (e >= ec) throw new ParseError(`edges array is longer than snapshot.edge_count (${ec}) x ${this.ef} fields`, at);
    switch (this.fields[this.field]) {
      case Field.Type:
        if (v >= h.edgeTypes.length) {
          throw new ParseError(
            `edge ${e} has type index ${v}, but there are only ${h.edgeTypes.length} edge types`,
            at,
          );
        }
        c.edgeTypeTo[e] |= v << EDGE_TYPE_SHIFT;
        break;
      case Field.Name:
        c.edgeName[e] = v > U32_MAX ? U32_MAX : v;
        break;
      case Field.Id: {
        const nf = this.nf;
        if (v % nf !== 0) {
          throw new ParseError(`edge ${e} points to ${v}, which is not a multiple of the node field count (${nf})`, at);
        }
        const o = v / nf;
        if (o >= h.nodeCount) {
          throw new ParseError(`edge ${e} points to node ${o}, but there are only ${h.nodeCount} nodes`, at);
        }
        c.edgeTypeTo[e] |= o;
        break;
      }
    }
    if (++this.field === this.ef) {
      if (this.named[c.edgeTypeTo[e] >>> EDGE_TYPE_SHIFT] && c.edgeName[e] > c.nameMax[0]) c.nameMax[0] = c.edgeName[e];
      this.field = 0;
      this.ord++;
    }
  }

  /** Whole records in a tight loop (or split inside the module), partial ones through `put`. */
  batch(out: Uint32Array, count: number): void {
    let k = 0;
    while (k < count && this.field !== 0) this.put(out[k++], 0);
    const { ef, nf, fields, h } = this;
    const typeAt = fields.indexOf(Field.Type),
      nameAt = fields.indexOf(Field.Name),
      toAt = fields.indexOf(Field.Id);
    const whole = Math.floor((count - k) / ef);
    let e = this.ord;
    if (e + whole > h.edgeCount) {
      while (k < count) this.put(out[k++], 0);
      return;
    }
    const { edgeTypeTo, edgeName, nameMax } = this.cols;
    const typeCount = h.edgeTypes.length,
      nodeCount = h.nodeCount,
      named = this.named;
    const w = this.wasm;
    if (w && out === w.out && whole > 0 && typeAt >= 0 && nameAt >= 0 && toAt >= 0) {
      // split into columns inside the module, then copied out in bulk
      w.nameMax = nameMax[0];
      if (!w.splitEdges(k, whole, ef, { type: typeAt, name: nameAt, to: toAt }, nf, typeCount, nodeCount)) {
        throw new ParseError('edge check failed');
      }
      edgeName.set(w.colName.subarray(0, whole), e);
      edgeTypeTo.set(w.colTo.subarray(0, whole), e); // packed in the module
      nameMax[0] = w.nameMax;
      k += whole * ef;
      this.ord = e + whole;
      while (k < count) this.put(out[k++], 0);
      return;
    }
    let max = nameMax[0];
    for (const end = k + whole * ef; k < end; k += ef, e++) {
      const t = out[k + typeAt];
      const to = out[k + toAt];
      const o = (to / nf) | 0;
      if (t >= typeCount || o * nf !== to || o >= nodeCount) {
        this.ord = e;
        this.field = 0;
        throw new ParseError('edge check failed');
      }
      const name = out[k + nameAt];
      edgeTypeTo[e] = (t << EDGE_TYPE_SHIFT) | o;
      edgeName[e] = name;
      if (named[t] && name > max) max = name;
    }
    nameMax[0] = max;
    this.ord = e;
    while (k < count) this.put(out[k++], 0);
  }

  close(at: number, count: number): void {
    if (this.field !== 0) throw new ParseError(`edges array length ${count} is not a multiple of its field count`, at);
    if (this.ord !== this.h.edgeCount) {
      throw new ParseError(
        `snapshot.edge_count is ${this.h.edgeCount} but the edges array holds ${this.ord} edges`,
        at,
      );
    }
  }
}
