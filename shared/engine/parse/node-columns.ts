import { ParseError } from './errors.js';
import { allocators, Field, fieldsOf, NODE_FIELDS, type NodeColumns } from './columns.js';
import type { Header } from './header.js';
import type { NumberSink } from './numbers.js';
import { U32_MAX } from './syntax.js';
import type { WasmScanner } from './wasm-scanner.js';

/** The nodes array into its columns (see `columns.ts`). */
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

  /** Once the strings are read: every node's name is one of them (the largest name was kept while reading). */
  checkNames(stringCount: number): void {
    const { nodeName, nodeId } = this.cols;
    for (let o = 0; this.nameMax >= stringCount && o < this.h.nodeCount; o++) {
      if (nodeName[o] >= stringCount) {
        const why = `has name index ${nodeName[o]}, but there are only ${stringCount} strings`;
        throw new ParseError(`node ${o} (id ${nodeId[o]}) ${why}`);
      }
    }
  }

  /** Once the edges are read (here or on another thread): the nodes' edge counts add up to them. */
  checkEdgeTotal(): void {
    const sum = this.cols.firstEdge[this.h.nodeCount];
    if (sum !== this.h.edgeCount) {
      throw new ParseError(`node edge counts add up to ${sum} but snapshot.edge_count is ${this.h.edgeCount}`);
    }
  }
}
