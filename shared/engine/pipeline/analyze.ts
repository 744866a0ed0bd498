import type { ClassTable } from '../analyses/classes.js';
import { largestObjects } from '../analyses/largest.js';
import { summary } from '../analyses/summary.js';
import {
  distanceStep,
  dominatedChildren,
  dominatorTree,
  prepare,
  retainedSizes,
  ruleStep,
  type Dominance,
} from '../dominators/index.js';
import type { EssentialRule } from '../dominators/essential.js';
import type { SearchBuffers } from '../dominators/semi-nca.js';
import type { HeapGraph } from '../graph/graph.js';
import type { AnalysisFindings, PhaseTiming } from '../model.js';
import { collectGarbageFor } from '../util/gc.js';
import { mergeTimings, phaseTimer } from '../util/timing.js';
import { BufferPlan } from './buffers.js';
import { inThisThread, type Helper } from './helper.js';
import { newGate, openGate } from './helper-steps.js';

export interface AnalyzeOptions {
  source: string;
  fileBytes: number;
  gzip: boolean;
  /** How many largest objects and duplicate strings to list. */
  top?: number;
  /** Whether to look for duplicate strings (default true; a growth diff leaves them out). */
  duplicates?: boolean;
  /** Whether to order the counted objects by id too (a growth diff needs it; done by the helper). */
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
  /** Counted objects' ordinals in id order, when asked for. */
  idOrder?: Uint32Array;
}

/**
 * The phases of one snapshot's analysis, in order, as DevTools' `HeapSnapshot.initialize()` lists its own. The
 * helper (`helper.ts`: another thread, or this one) computes alongside what needs no dominator tree; the buffer plan
 * (`buffers.ts`) says which phase's spent arrays the next ones reuse. A helper thread's phases are listed with their
 * own times, and time spent here waiting for them as "waiting for helper".
 */
export async function analyzeSnapshot(
  g: HeapGraph,
  opts: AnalyzeOptions,
  helper: Helper = inThisThread,
): Promise<Analysis> {
  const timings: PhaseTiming[] = [...(opts.timings ?? [])];
  const time = phaseTimer(timings, opts.onPhase);
  const wait = waiter(helper, timings);
  const top = opts.top ?? 20;
  const series = opts.series === true;
  const buffers = new BufferPlan(g, helper.thread !== null, series, opts.prefaultMinNodes);
  const gate = newGate();

  // 1. DOM state (worked out in the graph's own column, where a helper thread reads it), user roots, type codes
  const p = prepare(g, time);
  // 2. the helper starts: the bound on each node's retainers (while 3 runs), shallow sizes, classes, Statistics;
  //    duplicate strings once the gate opens, after the search
  const side = helper.start(
    {
      g,
      domState: p.domState,
      top: opts.duplicates === false ? 0 : top,
      options: { idOrder: opts.idOrder === true, keepShapes: series },
      gate,
      ...buffers.forHelper(),
    },
    time,
  );
  let tree: ReturnType<typeof dominatorTree> | null;
  try {
    // 3. page ownership, and with it which edges count for dominance
    const { scratch, buffers: ahead } = buffers.takeSearchArrays();
    const rule = time('dominators', () => ruleStep(g, p, scratch));
    const counted = await wait('retainer counts', side.inbound);
    // 4. the dominator tree (Semi-NCA), from the helper's bound
    tree = time('dominators', () => search(g, rule, buffers.takeInbound(), scratch, ahead, counted));
    collectGarbageFor(g.nodeCount); // the search's working arrays
  } finally {
    openGate(gate);
  }
  buffers.searched(tree);
  // 5. retained sizes, from the helper's shallow sizes
  const { shallow } = await wait('shallow sizes', side.shallow);
  const retained = time('retained sizes', () => retainedSizes(shallow, tree!.idom, tree!.order, buffers.forRetained()));
  // 6. distances from the roots, and the edges that reach each node (for retainer paths). No variable here holds
  //    the dominators themselves past `d`: a single analysis lets them go once the Summary has its tree
  const { queue, via } = buffers.forDistances();
  const d: Dominance = {
    tc: p.tc,
    shallow,
    retained,
    idom: tree.idom,
    order: buffers.keptOrder(),
    domState: p.domState,
    userRoots: p.userRoots,
    renamed: p.renamed,
    ...time('distances', () => distanceStep(g, p, queue, via)),
  };
  tree = null;
  // 7. the helper's classes (and objects by id, for a growth diff) and Statistics
  const { classes: ct } = await wait('classes', side.classes);
  const idOrder = side.idOrder ? (await wait('objects by id', side.idOrder)).nodes : undefined;
  const { stats } = await wait('statistics', side.statistics);
  // 8. the largest objects, with their paths: the last use of the edges the distances came by
  const largest = time('largest objects', () => largestObjects(g, d, ct, top));
  if (!series) {
    d.viaEdge = new Uint32Array(0);
    collectGarbageFor(g.nodeCount);
  }
  // 9. the Summary, over the dominator tree's children: the last use of the immediate dominators
  const rows = time('summary', () => {
    const { kids, starts } = buffers.takeForSummary();
    const children = dominatedChildren(d.idom, g.rootOrdinal, kids, starts);
    if (!series) {
      d.idom = new Uint32Array(0);
      collectGarbageFor(g.nodeCount);
    }
    return summary(g, d, ct, children);
  });
  collectGarbageFor(g.nodeCount); // the dominator tree's children
  // 10. the helper's duplicate strings
  const { duplicates } = await wait('duplicate strings', side.duplicates, opts.duplicates !== false);
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
      unreachableNodes: g.nodeCount - d.reached,
    },
    statistics: stats,
    summary: rows,
    largestObjects: largest,
    duplicateStrings: duplicates,
    timings: mergeTimings(timings),
  };
  return { findings, dominance: d, classes: ct, idOrder };
}

/**
 * Waits for one of the helper's results. A helper thread's result is listed under its own phase with the time it
 * took there, and the time spent here waiting for it as "waiting for helper" (`listed`: whether to list it at all);
 * this thread's helper timed its phases as it ran them.
 */
function waiter(helper: Helper, timings: PhaseTiming[]) {
  return async <T extends { ms: number }>(phase: string, result: PromiseLike<T>, listed = true): Promise<T> => {
    const t0 = performance.now();
    const r = await result;
    if (helper.thread === null || !listed) return r;
    timings.push({ phase: `${phase} (${helper.thread})`, ms: r.ms });
    const waited = performance.now() - t0;
    if (waited >= 1) timings.push({ phase: 'waiting for helper', ms: waited });
    return r;
  };
}

/**
 * The dominator search with the helper's table of predecessors, taken out of what the helper's promise resolved to
 * (which keeps it): here, not in the caller, whose suspended frame could keep it too, so that it goes with the search.
 */
function search(
  g: HeapGraph,
  rule: EssentialRule,
  inbound: Uint32Array,
  scratch: Uint32Array,
  ahead: SearchBuffers,
  counted: { preds: Uint32Array | null },
) {
  const preds = counted.preds ?? undefined;
  counted.preds = null;
  return dominatorTree(g, rule, inbound, scratch, { ...ahead, preds });
}
