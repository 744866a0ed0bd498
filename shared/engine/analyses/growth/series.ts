import type { HeapGraph } from '../../graph/graph.js';
import type { Dominance } from '../../dominators/index.js';
import type { AnalysisFindings, PhaseTiming, SnapshotFacts } from '../../model.js';
import { mergeTimings, type PhaseTimer } from '../../util/timing.js';
import type { ClassTable } from '../classes.js';
import type { SummaryRow } from '../summary.js';
import type {
  Comparison,
  ContainerTrend,
  GrowthFindings,
  HistogramComparison,
  ProcessStep,
  SuspectFinding,
} from './model.js';
import {
  classInstances,
  compare,
  countedByIdOrder,
  idAgreement,
  matchIds,
  sameProcess,
  type ClassInstances,
} from '../comparison.js';
import { retainerPath } from '../paths.js';
import { displayName } from '../names.js';
import { ContainerTracker, dominatedCounts, snapshotSide, type SnapshotSide } from './containers.js';
import { findSuspects, pathSuspects } from './suspects/index.js';
import { classTrends, containerTrends, histogramDiff, withRetained } from './trends.js';

const TREND_LIMIT = 50;
const CONTAINER_LIMIT = 30;
/** Largest objects per snapshot matched by retainer path when ids cannot be matched (different processes). */
const PATH_MATCHED = 300;

interface PathContainer {
  id: number;
  className: string;
  name: string;
  type: string;
  path: string;
  retained: number;
  objectCount: number;
}

/**
 * A growth diff over a series of snapshots, fed one analysed snapshot at a time (oldest first). It keeps what the
 * later steps need and nothing more: the first snapshot's and the previous snapshot's objects by id (for the
 * Comparison and the containers' growth), every snapshot's Summary rows, and the objects that grew in every step so
 * far. Each graph can be dropped as soon as `add` returns.
 */
export class SeriesDiff {
  private readonly facts: SnapshotFacts[] = [];
  private readonly summaries: SummaryRow[][] = [];
  private readonly totals: number[] = [];
  private readonly steps: ProcessStep[] = [];
  /** Largest object id of each snapshot: V8 hands out ids in increasing order, so it grows with time. */
  private readonly maxIds: number[] = [];
  private readonly comparisons: Comparison[] = [];
  private readonly tracker = new ContainerTracker();
  private readonly pathContainers: Map<string, PathContainer>[] = [];
  private first: ClassInstances | null = null;
  private firstSide: SnapshotSide | null = null;
  private prev: { instances: ClassInstances; side: SnapshotSide } | null = null;
  private idsValid = true;
  private suspects: SuspectFinding[] = [];
  private containers: ContainerTrend[] = [];

  constructor(private readonly count: number) {
    if (count < 2) throw new Error('a diff needs at least two snapshots');
  }

  /** `idOrder`: countedByIdOrder(g, d), when it was computed alongside the analysis. */
  add(
    g: HeapGraph,
    d: Dominance,
    ct: ClassTable,
    findings: AnalysisFindings,
    time: PhaseTimer,
    idOrder?: Uint32Array,
  ): void {
    const index = this.facts.length;
    const isLast = index === this.count - 1;
    this.facts.push(findings.snapshot);
    this.summaries.push(findings.summary);
    this.totals.push(findings.snapshot.totalSize);
    const nodes = idOrder ?? time('objects by id', () => countedByIdOrder(g, d));
    const instances = time('objects by id', () => classInstances(g, d, ct, nodes));
    this.maxIds.push(instances.ids.length ? instances.ids[instances.ids.length - 1] : 0);
    const counts = time('growth', () => dominatedCounts(d));
    this.pathContainers.push(time('containers by path', () => largestByPath(g, d, ct, counts)));

    if (this.prev) {
      const prev = this.prev;
      const match = time('objects by id', () => matchIds(prev.instances.ids, instances.ids));
      const agreement = idAgreement(prev.instances, instances, match);
      const same = sameProcess(agreement);
      this.steps.push({
        base: index - 1,
        target: index,
        matchedIds: agreement.matched,
        comparedIds: agreement.compared,
        sameClass: agreement.sameClass,
        sameProcess: same,
      });
      if (!same) this.idsValid = false;
      if (this.idsValid) {
        const rows = time('comparison', () => compare(prev.instances, instances));
        this.comparisons.push(
          comparison(index - 1, index, 'step', withRetained(rows, this.summaries[index - 1], findings.summary)),
        );
        const first =
          isLast && index >= 2
            ? { side: this.firstSide!, match: time('growth', () => matchIds(this.first!.ids, instances.ids)) }
            : null;
        time('growth', () => this.tracker.step(index, g, d, ct, nodes, instances.ids, match, prev.side, counts, first));
        if (isLast) {
          if (index > 1) {
            const rows = time('comparison', () => compare(this.first!, instances));
            this.comparisons.unshift(
              comparison(0, index, 'first-last', withRetained(rows, this.summaries[0], findings.summary)),
            );
          } else {
            this.comparisons[0].kind = 'first-last';
          }
          this.suspects = time('suspects', () =>
            findSuspects({ g, d, ct, tracker: this.tracker, snapshots: this.count, totals: this.totals }),
          );
          this.containers = time('suspects', () => containerTrends(g, d, ct, this.tracker, CONTAINER_LIMIT));
        }
      }
    }
    const side = isLast
      ? null
      : time('growth', () => snapshotSide(d, g.rootOrdinal, nodes, instances.ids, counts, index === 0));
    if (index === 0) {
      this.first = instances;
      // what the last step needs of the first snapshot: where each object was in its dominator tree
      if (this.count >= 3)
        this.firstSide = { ...side!, retained: new Float64Array(0), objectCount: new Uint32Array(0) };
    }
    this.prev = side ? { instances, side } : null;
  }

  finish(timings: PhaseTiming[]): GrowthFindings {
    if (this.facts.length !== this.count)
      throw new Error(`the diff was given ${this.facts.length} of ${this.count} snapshots`);
    const same = this.idsValid;
    const histograms: HistogramComparison[] = [];
    let containers = this.containers;
    let suspects = this.suspects;
    if (!same) {
      const n = this.count;
      histograms.push({
        base: 0,
        target: n - 1,
        kind: 'first-last',
        rows: histogramDiff(this.summaries[0], this.summaries[n - 1]),
      });
      if (n > 2)
        for (let i = 1; i < n; i++)
          histograms.push({
            base: i - 1,
            target: i,
            kind: 'step',
            rows: histogramDiff(this.summaries[i - 1], this.summaries[i]),
          });
      const growing = pathTrends(this.pathContainers);
      containers = growing.slice(0, CONTAINER_LIMIT);
      suspects = pathSuspects(growing, this.totals);
    }
    // V8 hands out ids in increasing order: a snapshot whose newest object is older than the one before's is older
    const looksOlder = this.steps.filter((s) => s.sameProcess && this.maxIds[s.target] < this.maxIds[s.base]);
    return {
      snapshots: this.facts,
      process: { sameProcess: same, steps: this.steps, looksOlder: looksOlder.map((s) => s.target) },
      suspects,
      comparisons: same ? this.comparisons : [],
      histograms,
      trends: { classes: classTrends(this.summaries, same ? 'key' : 'name', TREND_LIMIT), containers },
      timings: mergeTimings(timings),
    };
  }
}

function comparison(base: number, target: number, kind: Comparison['kind'], rows: Comparison['rows']): Comparison {
  const totals = { addedCount: 0, removedCount: 0, addedSize: 0, removedSize: 0 };
  for (const r of rows) {
    totals.addedCount += r.addedCount;
    totals.removedCount += r.removedCount;
    totals.addedSize += r.addedSize;
    totals.removedSize += r.removedSize;
  }
  return { base, target, kind, totals, rows };
}

/** The largest objects of one snapshot keyed by class and retainer path, to follow across processes. */
function largestByPath(g: HeapGraph, d: Dominance, ct: ClassTable, counts: Uint32Array): Map<string, PathContainer> {
  const { retained } = d;
  const { synthetic, string, consString, slicedString } = d.tc;
  const top: number[] = [];
  let floor = -1;
  for (let o = 0; o < g.nodeCount; o++) {
    const r = retained[o];
    if (r <= floor || o === g.rootOrdinal) continue;
    // strings are not containers (a chain of concatenated strings would fill the list)
    const t = g.nodeType[o];
    if (t === synthetic || t === string || t === consString || t === slicedString) continue;
    top.push(o);
    if (top.length >= 4 * PATH_MATCHED) {
      top.sort((a, b) => retained[b] - retained[a]);
      top.length = PATH_MATCHED;
      floor = retained[top[PATH_MATCHED - 1]];
    }
  }
  top.sort((a, b) => retained[b] - retained[a]);
  const out = new Map<string, PathContainer>();
  for (const o of top.slice(0, PATH_MATCHED)) {
    const className = ct.names[ct.classOf[o]];
    const path = retainerPath(g, d, o).text;
    const key = `${className} @ ${path}`;
    if (out.has(key)) continue;
    out.set(key, {
      id: g.nodeId[o],
      className,
      name: displayName(g, d, o),
      type: g.nodeTypes[g.nodeType[o]],
      path,
      retained: retained[o],
      objectCount: counts[o],
    });
  }
  return out;
}

/** Containers found at the same retainer path in every snapshot whose retained size grew in every step. */
function pathTrends(perSnapshot: Map<string, PathContainer>[]): ContainerTrend[] {
  const out: ContainerTrend[] = [];
  for (const [key, lastC] of perSnapshot[perSnapshot.length - 1]) {
    const series = perSnapshot.map((m) => m.get(key));
    if (series.some((c) => !c)) continue;
    const r = series.map((c) => c!.retained);
    if (!r.every((v, i) => i === 0 || v > r[i - 1])) continue;
    out.push({
      id: lastC.id,
      className: lastC.className,
      name: lastC.name,
      type: lastC.type,
      path: lastC.path,
      retainedSize: r,
      objectCount: series.map((c) => c!.objectCount),
      growth: r[r.length - 1] - r[0],
      matchedBy: 'path',
    });
  }
  out.sort((a, b) => b.growth - a.growth);
  return out;
}
