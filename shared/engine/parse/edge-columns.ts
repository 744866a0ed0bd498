import { EDGE_TYPE_SHIFT } from '../graph/graph.js';
import { allocators, EDGE_FIELDS, Field, fieldsOf, namedEdgeTypes, type EdgeColumns } from './columns.js';
import { ParseError } from './errors.js';
import type { Header } from './header.js';
import type { NumberSink } from './numbers.js';
import { U32_MAX } from './syntax.js';
import type { WasmScanner } from './wasm-scanner.js';

/** The edges array into its columns (see `columns.ts`), on this thread or, in a split parse, the other one. */
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

  /** Once the strings are read: every named edge's name is one of them (the largest was kept while reading). */
  checkNames(stringCount: number): void {
    const { edgeTypeTo, edgeName, nameMax } = this.cols;
    for (let e = 0; nameMax[0] >= stringCount && e < this.h.edgeCount; e++) {
      const t = edgeTypeTo[e] >>> EDGE_TYPE_SHIFT;
      if (this.named[t] && edgeName[e] >= stringCount) {
        const why = `has name index ${edgeName[e]}, but there are only ${stringCount} strings`;
        throw new ParseError(`edge ${e} (${this.h.edgeTypes[t]}) ${why}`);
      }
    }
  }
}
