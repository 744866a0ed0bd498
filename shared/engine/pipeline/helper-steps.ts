import type { HeapGraph } from '../graph/graph.js';
import { classTable, type ClassTable } from '../analyses/classes.js';
import { duplicateStrings, prepareDuplicates, type DuplicateString } from '../analyses/duplicates/index.js';
import { countedByIdOrder } from '../analyses/comparison.js';
import { statistics, type Statistics } from '../analyses/statistics.js';
import { prepare, shallowStep } from '../dominators/index.js';
import { collectGarbageFor } from '../util/gc.js';

export interface SideResults {
  shallow(shallow: Uint32Array | Float64Array, ms: number): void;
  classes(classes: ClassTable, ms: number): void;
  idOrder(nodes: Uint32Array, ms: number): void;
  statistics(stats: Statistics, ms: number): void;
  duplicates(duplicates: DuplicateString[], ms: number): void;
}

/**
 * The helper thread's steps, in order (see `helper.ts` for what the analysis asks of it, and workers/helper.ts for
 * the thread): what does not need the dominator tree, while the other thread computes it. Shallow sizes first
 * (the retained sizes need them), the objects in id order (for a growth diff), classes and the Statistics, then
 * what duplicate strings need that takes a few MB; then it waits for the gate, which the other thread opens once
 * its dominator search, its memory peak, is over, and finds duplicate strings. Each result is handed over as soon
 * as it is ready. `spare`, asked once the gate is open: a buffer the other thread's search is done with (its table
 * of predecessors, whose pages are in memory), for duplicate strings' arrays.
 */
export function sideAnalyses(
  g: HeapGraph,
  domState: Uint8Array | null,
  top: number,
  opts: SideOptions,
  out: SideResults,
  gate: Int32Array | null = null,
  spare: () => ArrayBufferLike | null = () => null,
): void {
  let t0 = performance.now();
  const p = prepare(g, undefined, domState ?? undefined);
  const shallow = shared(shallowStep(g, p)); // in place, so on the graph's shared buffer (unless it outgrew 32 bits)
  out.shallow(shallow, performance.now() - t0);
  collectGarbageFor(g.nodeCount); // the owner table
  if (opts.idOrder) {
    // a growth diff needs the objects in id order
    t0 = performance.now();
    out.idOrder(countedByIdOrder(g, { shallow }), performance.now() - t0);
  }
  t0 = performance.now();
  out.classes(classTable(g, p, undefined, opts.keepShapes), performance.now() - t0);
  collectGarbageFor(g.nodeCount); // the class table's working maps
  t0 = performance.now();
  out.statistics(statistics(g, { tc: p.tc, shallow, renamed: p.renamed }), performance.now() - t0);
  // The other thread's dominator pass is its memory peak: the duplicate-string pass waits for it to end, but for
  // the part that needs only a few MB
  t0 = performance.now();
  const prep = top > 0 ? prepareDuplicates(g, { tc: p.tc, shallow }) : null;
  const prepMs = performance.now() - t0;
  if (gate) Atomics.wait(gate, 0, 0, GATE_TIMEOUT_MS);
  // the spare buffer only through an open gate: after a time-out the other thread may still be using it
  const open = gate !== null && Atomics.load(gate, 0) === 1;
  t0 = performance.now();
  out.duplicates(
    prep ? duplicateStrings(g, { tc: p.tc, shallow }, top, prep, open ? spare() : null) : [],
    prepMs + performance.now() - t0,
  );
}

export interface SideOptions {
  /** Whether to order the counted objects by id (a growth diff needs it). */
  idOrder: boolean;
  /** Whether the class table keeps each plain object's shape (see `classTable`). */
  keepShapes: boolean;
}

/** A gate never opened (the other thread gone) holds nothing up for longer than this. */
const GATE_TIMEOUT_MS = 120_000;

/** A gate the other thread opens with `openGate`: a shared 32-bit flag. */
export function newGate(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

export function openGate(gate: Int32Array): void {
  Atomics.store(gate, 0, 1);
  Atomics.notify(gate, 0);
}

/** A copy on a SharedArrayBuffer: both threads keep using the shallow sizes. */
function shared<T extends Uint32Array | Float64Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new (a.constructor as { new (b: SharedArrayBuffer): T })(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}
