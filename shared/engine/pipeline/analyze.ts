import type { HeapGraph } from '../graph/graph.js';
import {
  computeDominance,
  distanceStep,
  dominatedChildren,
  dominatorTree,
  prepare,
  retainedSizes,
  ruleStep,
  type Dominance,
  type Prepared,
} from '../dominators/index.js';
import { newGate, openGate, type SideOptions } from './side.js';
import type { AnalysisFindings, PhaseTiming } from '../model.js';
import { classTable, type ClassTable } from '../analyses/classes.js';
import { duplicateStrings, type DuplicateString } from '../analyses/duplicates.js';
import { largestObjects } from '../analyses/largest.js';
import { statistics, type Statistics } from '../analyses/statistics.js';
import { summary } from '../analyses/summary.js';
import { collectGarbageFor } from '../util/gc.js';
import { mergeTimings, phaseTimer, type PhaseTimer } from '../util/timing.js';
import { sharedU32 } from '../graph/shared-arrays.js';

export interface AnalyzeOptions {
  source: string;
  fileBytes: number;
  gzip: boolean;
  /** How many largest objects and duplicate strings to list. */
  top?: number;
  /** Whether to look for duplicate strings (default true; a growth diff leaves them out). */
  duplicates?: boolean;
  /** Whether to order the counted objects by id too (a growth diff needs it; done by the helper thread). */
  idOrder?: boolean;
  /**
   * Whether the analysis goes on into a growth diff, which needs more of it kept: each plain object's shape (for
   * the Comparison) and the dominator tree's node order (for containers). Else both go as soon as they are used.
   */
  series?: boolean;
  /** From how many nodes on the helper brings the dominator search's memory in (default `PREFAULT_MIN_NODES`). */
  prefaultMinNodes?: number;
  /** Timings of phases already run (parsing), to be listed first. */
  timings?: PhaseTiming[];
  onPhase?: (phase: string) => void;
}

export interface Analysis {
  findings: AnalysisFindings;
  dominance: Dominance;
  classes: ClassTable;
  /** Counted objects' ordinals in id order, when asked for and computed alongside. */
  idOrder?: Uint32Array;
}

/** Dominators, retained sizes and every single-snapshot analysis, into the report model, on this thread. */
export function analyzeGraph(g: HeapGraph, opts: AnalyzeOptions): Analysis {
  const timings: PhaseTiming[] = [...(opts.timings ?? [])];
  const time = phaseTimer(timings, opts.onPhase);
  const top = opts.top ?? 20;
  const d = computeDominance(g, time);
  const spare = opts.series ? undefined : d.order; // the node order's last use was the retained sizes
  d.order = kept(d.order, opts);
  collectGarbageFor(g.nodeCount);
  const ct = time('classes', () => classTable(g, d, undefined, opts.series === true));
  const dups = opts.duplicates === false ? [] : time('duplicate strings', () => duplicateStrings(g, d, top));
  return finish(g, d, ct, tables(g, d, ct, time, opts, spare), dups, timings, opts);
}

/**
 * The dominator search's node-sized working arrays (nodeCount + 1 long, on shared memory), made before it starts so
 * that the helper brings their pages into memory meanwhile: the search's order (`scratch`), its parents and its
 * semidominators.
 */
export interface SearchArrays {
  scratch: Uint32Array;
  parent: Uint32Array;
  semi: Uint32Array;
}

/** Work a second thread does while this one computes dominators (see workers/helper.ts). */
export type SideWork = (
  g: HeapGraph,
  domState: Uint8Array | null,
  top: number,
  opts: SideOptions,
  gate?: Int32Array | null,
  inbound?: Uint32Array | null,
  ahead?: SearchArrays | null,
) => {
  /**
   * Filled in `inbound` (see `inboundStep`), when given; with `ahead`, also the search's table of predecessors for
   * that bound (see `LtBuffers`), all zeros, its pages in memory, as are `ahead`'s once the helper goes on.
   */
  inbound: Promise<{ ms: number; preds: Uint32Array | null }> | null;
  shallow: Promise<{ shallow: Uint32Array | Float64Array; ms: number }>;
  classes: Promise<{ classes: ClassTable; ms: number }>;
  statistics: Promise<{ stats: Statistics; ms: number }>;
  duplicates: Promise<{ duplicates: DuplicateString[]; ms: number }>;
  idOrder: Promise<{ nodes: Uint32Array; ms: number }> | null;
};

/**
 * The same analysis on two threads: this one computes the dominator tree, retained sizes, distances and the
 * tables while `side` computes shallow sizes and classes (during the dominator pass) and duplicate strings (after
 * it). Helper phases are listed with their own times, and time spent here waiting for them as "waiting for helper".
 */
export async function analyzeGraphParallel(g: HeapGraph, side: SideWork, opts: AnalyzeOptions): Promise<Analysis> {
  const timings: PhaseTiming[] = [...(opts.timings ?? [])];
  const time = phaseTimer(timings, opts.onPhase);
  const top = opts.top ?? 20;
  // DOM state is worked out here first, in the graph's own (shared) column, and the helper reads it there; it
  // starts on duplicate strings only once the dominator pass here is over, so that the two threads' memory peaks
  // do not add up
  const p: Prepared = prepare(g, time);
  const gate = newGate();
  const sideOpts = { idOrder: opts.idOrder === true, keepShapes: opts.series === true };
  // the helper first counts the bound on each node's retainers the dominator search starts from, while this thread
  // finds page ownership
  const n1 = g.nodeCount + 1;
  let inbound: Uint32Array | null = sharedU32(n1);
  // and then, on a large graph, brings the pages of the search's working arrays into memory (the kernel's work on
  // each new page, on a virtual machine the host's too, is done on its time), as this thread begins the search
  let ahead: SearchArrays | null =
    g.nodeCount >= (opts.prefaultMinNodes ?? PREFAULT_MIN_NODES)
      ? { scratch: sharedU32(n1), parent: sharedU32(n1), semi: sharedU32(n1) }
      : null;
  const work = side(
    g,
    p.domState.buffer instanceof SharedArrayBuffer ? p.domState : null,
    opts.duplicates === false ? 0 : top,
    sideOpts,
    gate,
    inbound,
    ahead,
  );
  const wait = async <T extends { ms: number }>(phase: string, promise: Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await promise;
    timings.push({ phase: `${phase} (helper thread)`, ms: r.ms });
    const waited = performance.now() - t0;
    if (waited >= 1) timings.push({ phase: 'waiting for helper', ms: waited });
    return r;
  };
  let tree: ReturnType<typeof dominatorTree> | null;
  try {
    const { scratch, parent, semi } = ahead ?? { scratch: new Uint32Array(n1), parent: undefined, semi: undefined };
    ahead = null;
    const rule = time('dominators', () => ruleStep(g, p, scratch));
    const counted = await wait('retainer counts', work.inbound!);
    tree = time('dominators', () => searchWith(g, rule, inbound!, scratch, parent, semi, counted));
    inbound = null; // its buffer holds the immediate dominators now, which a single analysis lets go after the Summary
    collectGarbageFor(g.nodeCount); // Lengauer-Tarjan's working arrays
  } finally {
    openGate(gate);
  }
  // two of the search's working arrays, whose pages are in memory already: for the retained sizes, and for the
  // distance search's edges and then the Summary's tree (a growth diff keeps the edges: it gets a new array).
  // No variable here holds the dominators themselves past `d`: a single analysis lets them go in `tables`.
  const {
    order,
    spare: [forRetained, forEdges],
  } = tree;
  const { shallow } = await wait('shallow sizes', work.shallow);
  const retained = time('retained sizes', () => retainedSizes(shallow, tree!.idom, order, forRetained));
  // the node order's last use was above (unless a growth diff keeps it): the search's queue, then the Summary's
  const spare = opts.series ? undefined : order;
  // (spread straight in: no variable here holds on to the search tree's edges, which `tables` lets go)
  const d: Dominance = {
    tc: p.tc,
    shallow,
    retained,
    idom: tree.idom,
    order: kept(order, opts),
    domState: p.domState,
    userRoots: p.userRoots,
    renamed: p.renamed,
    ...time('distances', () => distanceStep(g, p, spare, forEdges)),
  };
  tree = null;
  const { classes: ct } = await wait('classes', work.classes);
  const idOrder = work.idOrder ? (await wait('objects by id', work.idOrder)).nodes : undefined;
  const { stats } = await wait('statistics', work.statistics);
  const t = tables(g, d, ct, time, opts, spare, stats, opts.series ? undefined : forEdges); // while the helper finds duplicate strings
  const { duplicates } =
    opts.duplicates === false ? await work.duplicates : await wait('duplicate strings', work.duplicates);
  return { ...finish(g, d, ct, t, duplicates, timings, opts), idOrder };
}

/**
 * The dominator search with the helper's table of predecessors, taken out of what the helper's promise resolved to
 * (which keeps it): here, not in the caller, whose suspended frame could keep it too, so that it goes with the search.
 */
function searchWith(
  g: HeapGraph,
  rule: ReturnType<typeof ruleStep>,
  inbound: Uint32Array,
  scratch: Uint32Array,
  parent: Uint32Array | undefined,
  semi: Uint32Array | undefined,
  counted: { preds: Uint32Array | null },
) {
  const preds = counted.preds ?? undefined;
  counted.preds = null;
  return dominatorTree(g, rule, inbound, scratch, { parent, semi, preds });
}

/**
 * Below this many nodes the helper does not bring the dominator search's memory in: its arrays are small enough
 * that the search faults them in about as fast, and the two threads faulting pages of one process at once cost
 * more than that saves (52 MB snapshot, 0.76M nodes: 4 alternated pairs, 0.62-0.66 s without against 0.67-0.71 s
 * with; 200 MB, 2.9M nodes: the same, 1.15-1.21 s against 1.15-1.23 s; 1.01 GB, 14.4M nodes: 4.07 against 3.85 s).
 */
export const PREFAULT_MIN_NODES = 4_000_000;

type Tables = ReturnType<typeof tables>;

/**
 * The largest objects, Summary and Statistics. The largest objects come first: their paths are the last use of
 * the search tree's edges, which a single analysis then lets go before the Summary allocates; and the Summary's
 * dominator tree, once built, is the last use of the immediate dominators (so the Summary's walk, alongside the
 * helper's duplicate strings, runs without them).
 */
function tables(
  g: HeapGraph,
  d: Dominance,
  ct: ClassTable,
  time: PhaseTimer,
  opts: AnalyzeOptions,
  spare?: Uint32Array,
  done?: Statistics,
  starts?: Uint32Array,
) {
  const largest = time('largest objects', () => largestObjects(g, d, ct, opts.top ?? 20));
  if (!opts.series) {
    d.viaEdge = new Uint32Array(0);
    collectGarbageFor(g.nodeCount);
  }
  const rows = time('summary', () => {
    const children = dominatedChildren(d.idom, g.rootOrdinal, spare, starts);
    if (!opts.series) {
      d.idom = new Uint32Array(0);
      collectGarbageFor(g.nodeCount);
    }
    return summary(g, d, ct, children);
  });
  collectGarbageFor(g.nodeCount); // the dominator tree's children
  const stats = done ?? time('statistics', () => statistics(g, d));
  return { rows, stats, largest, unreachable: g.nodeCount - d.reached };
}

/** The node order, or an empty one when nothing after the retained sizes needs it (see `series`; the Summary may reuse its buffer). */
function kept(order: Uint32Array, opts: AnalyzeOptions): Uint32Array {
  return opts.series ? order : new Uint32Array(0);
}

function finish(
  g: HeapGraph,
  d: Dominance,
  ct: ClassTable,
  { rows, stats, largest, unreachable }: Tables,
  dups: DuplicateString[],
  timings: PhaseTiming[],
  opts: AnalyzeOptions,
): Analysis {
  const merged = mergeTimings(timings);
  const findings: AnalysisFindings = {
    snapshot: {
      source: opts.source,
      fileBytes: opts.fileBytes,
      jsonBytes: g.byteLength,
      gzip: opts.gzip,
      nodeCount: g.nodeCount,
      edgeCount: g.edgeCount,
      stringCount: g.strings.count,
      totalSize: stats.total,
      nodeFields: g.nodeFieldCount,
      unreachableNodes: unreachable,
    },
    statistics: stats,
    summary: rows,
    largestObjects: largest,
    duplicateStrings: dups,
    timings: merged,
  };
  return { findings, dominance: d, classes: ct };
}
