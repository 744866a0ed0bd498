import { classTable, type ClassTable } from '../analyses/classes.js';
import { countedByIdOrder } from '../analyses/comparison.js';
import { duplicateStrings, type DuplicateString } from '../analyses/duplicates/index.js';
import { statistics, type Statistics } from '../analyses/statistics.js';
import { inboundStep, prepare, shallowStep } from '../dominators/index.js';
import type { HeapGraph } from '../graph/graph.js';
import { collectGarbageFor } from '../util/gc.js';
import { untimed, type PhaseTimer } from '../util/timing.js';
import type { SearchArrays } from './buffers.js';
import type { SideOptions } from './helper-steps.js';

/**
 * The helper of an analysis: what needs no dominator tree, computed alongside the phases that build it (see
 * `analyze.ts`). On two cores it is another thread (workers/helper-client.ts, running `helper-steps.ts`); else
 * `inThisThread`, which computes each result here when the analysis first waits for it.
 */
export interface Helper {
  /** The thread it works on, as the timings name it; null when it is this one. */
  readonly thread: string | null;
  start(job: HelperJob, time: PhaseTimer): HelperResults;
}

/** What an analysis asks of its helper. */
export interface HelperJob {
  g: HeapGraph;
  /** This thread's DOM state (a helper thread reads it when it is on shared memory, and works it out itself else). */
  domState: Uint8Array;
  /** How many duplicate strings to list (0: none). */
  top: number;
  options: SideOptions;
  /**
   * Opened once the dominator search is over: duplicate strings wait for it, so the two memory peaks never add up
   * (null: they need not wait).
   */
  gate: Int32Array | null;
  /** Where to count the bound on each node's retainers (nodeCount + 1 zeros). */
  inbound: Uint32Array;
  /** The search's arrays for the helper to bring into memory as the search starts (large graphs only). */
  ahead: SearchArrays | null;
}

/** The helper's results, each with the time it took where it was computed. */
export interface HelperResults {
  /** The bound is in the job's buffer; with `ahead`, the search's table of predecessors for it, its pages in memory. */
  inbound: PromiseLike<{ ms: number; preds: Uint32Array | null }>;
  shallow: PromiseLike<{ shallow: Uint32Array | Float64Array; ms: number }>;
  classes: PromiseLike<{ classes: ClassTable; ms: number }>;
  statistics: PromiseLike<{ stats: Statistics; ms: number }>;
  duplicates: PromiseLike<{ duplicates: DuplicateString[]; ms: number }>;
  /** The counted objects in id order, when the job asks for them. */
  idOrder: PromiseLike<{ nodes: Uint32Array; ms: number }> | null;
}

/** A value worked out the first time something waits for it, as a promise. */
class Lazy<T> implements PromiseLike<T> {
  private value: Promise<T> | null = null;
  constructor(private readonly make: () => T) {}
  then<A = T, B = never>(
    onValue?: ((v: T) => A | PromiseLike<A>) | null,
    onError?: ((e: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    this.value ??= new Promise<T>((resolve) => resolve(this.make()));
    return this.value.then(onValue, onError);
  }
}

/**
 * The helper's work on this thread, each result computed (and timed, under its own phase name) when the analysis
 * first waits for it: the analysis waits for them in an order where each finds what it needs done.
 */
export const inThisThread: Helper = {
  thread: null,
  start(job: HelperJob, time: PhaseTimer = untimed): HelperResults {
    // (no closure here holds the job: its `inbound` buffer ends up holding the dominators, which must be let go)
    const { g, top, options } = job;
    let inbound: Uint32Array | null = job.inbound;
    const p = prepare(g, untimed, job.domState);
    const timed = <T>(phase: string, make: () => T) => new Lazy(() => ({ ...time(phase, make), ms: 0 }));
    const shallow = timed('shallow sizes', () => {
      const s = shallowStep(g, p);
      collectGarbageFor(g.nodeCount); // the owner table
      return { shallow: s };
    });
    const sizes = async () => (await shallow).shallow;
    return {
      inbound: timed('retainer counts', () => {
        inboundStep(g, p, inbound!);
        inbound = null;
        return { preds: null };
      }),
      shallow,
      classes: timed('classes', () => ({ classes: classTable(g, p, undefined, options.keepShapes) })),
      statistics: chain(sizes, (s) => timed('statistics', () => ({ stats: statistics(g, { ...p, shallow: s }) }))),
      duplicates:
        top > 0
          ? chain(sizes, (s) =>
              timed('duplicate strings', () => ({ duplicates: duplicateStrings(g, { tc: p.tc, shallow: s }, top) })),
            )
          : Promise.resolve({ duplicates: [], ms: 0 }),
      idOrder: options.idOrder
        ? chain(sizes, (s) => timed('objects by id', () => ({ nodes: countedByIdOrder(g, { shallow: s }) })))
        : null,
    };
  },
};

/** A lazy result that needs another first. */
function chain<A, T>(first: () => Promise<A>, then: (a: A) => PromiseLike<T>): PromiseLike<T> {
  let value: Promise<T> | null = null;
  return {
    then: (onValue, onError) => (value ??= first().then(then)).then(onValue, onError),
  };
}
