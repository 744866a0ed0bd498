import type { Locations } from '../graph/graph.js';
import { sharedU32 } from '../graph/shared-arrays.js';
import { GrowableU32 } from '../util/growable.js';
import { sortByKey } from '../util/radix.js';
import { ParseError } from './errors.js';
import type { NumberSink } from './numbers.js';
import { U32_MAX } from './syntax.js';

/**
 * The "locations" array (where V8 says each object's constructor or closure was defined: the node, a script id, a
 * line and a column), read as raw numbers and then split into columns sorted by node.
 */
export class LocationValues implements NumberSink {
  readonly section = 'locations';
  private readonly values: GrowableU32;

  constructor(capacity: number) {
    this.values = new GrowableU32(capacity);
  }

  put(v: number): void {
    this.values.push(v > U32_MAX ? U32_MAX : v);
  }

  batch(out: Uint32Array, count: number): void {
    for (let k = 0; k < count; k++) this.values.push(out[k]);
  }

  mark(): number[] {
    return [this.values.length];
  }

  reset([length]: number[]): void {
    this.values.length = length;
  }

  close(): void {}

  /** The numbers read, in the order read (not copied: they are read once, into columns). */
  get raw(): Uint32Array {
    return this.values.data.subarray(0, this.values.length);
  }
}

const NONE: Locations = {
  count: 0,
  ordinal: new Uint32Array(0),
  scriptId: new Uint32Array(0),
  line: new Uint32Array(0),
  column: new Uint32Array(0),
};

/**
 * The locations in columns sorted by node ordinal (empty when the snapshot has none, or names none of the fields),
 * on one buffer, shared when `shared`: a helper thread reads them there (a plain one would be copied to it).
 * `values` is spent afterwards. `nf`: fields per node, `n`: nodes.
 */
export function buildLocations(
  values: Uint32Array,
  fields: string[],
  nf: number,
  n: number,
  shared: boolean,
): Locations {
  const fc = fields.length;
  const io = fields.indexOf('object_index'),
    so = fields.indexOf('script_id'),
    lo = fields.indexOf('line'),
    co = fields.indexOf('column');
  if (!fc || io < 0 || so < 0 || lo < 0 || co < 0 || values.length === 0) return { ...NONE };
  if (values.length % fc) throw new ParseError(`locations array length ${values.length} is not a multiple of ${fc}`);
  const count = values.length / fc;
  const all = shared ? sharedU32(4 * count) : new Uint32Array(4 * count);
  const ordinal = all.subarray(0, count),
    scriptId = all.subarray(count, 2 * count);
  const line = all.subarray(2 * count, 3 * count),
    column = all.subarray(3 * count);
  let sorted = true;
  for (let k = 0, at = 0, prev = 0; k < count; k++, at += fc) {
    const idx = values[at + io];
    const o = Math.floor(idx / nf);
    if (o * nf !== idx || o >= n) {
      throw new ParseError(`location ${k} refers to node index ${idx}, which is not a node`);
    }
    ordinal[k] = o;
    scriptId[k] = values[at + so];
    line[k] = values[at + lo];
    column[k] = values[at + co];
    if (o < prev) sorted = false;
    prev = o;
  }
  if (!sorted) {
    // V8 lists them in its own order: a radix sort by node, stable, so the last location given for a node still
    // comes last
    const order = new Uint32Array(count);
    for (let k = 0; k < count; k++) order[k] = k;
    sortByKey(order, ordinal);
    // each column put in order through the raw numbers' buffer, which is spent (it holds fc >= 4 per location)
    const scratch = values.subarray(0, count);
    const permute = (a: Uint32Array) => {
      for (let k = 0; k < count; k++) scratch[k] = a[order[k]];
      a.set(scratch);
    };
    permute(ordinal);
    permute(scriptId);
    permute(line);
    permute(column);
  }
  return { count, ordinal, scriptId, line, column };
}
