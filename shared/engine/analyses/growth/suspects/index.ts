import type { Dominance } from '../../../dominators/index.js';
import type { HeapGraph } from '../../../graph/graph.js';
import type { ClassTable } from '../../classes.js';
import type { ContainerTracker } from '../containers.js';
import type { Confidence, SuspectFinding } from '../model.js';
import { descend, type Followed } from './descent.js';
import { measure } from './measures.js';
import { accumulationPoint } from './point.js';
import { dismissedBy, isBackingStore, leakThreshold } from './rules/index.js';
import { ranked, growthOf } from './rank.js';
import { confidence, rounded, score } from './scoring.js';

export { pathSuspects } from './by-path.js';

/**
 * Leak suspects from the objects that grew in every step (see containers.ts), in the last snapshot's graph: the
 * descent (`descent.ts`) finds where growth is held, each point is measured (`measures.ts`), judged by the rules
 * (`rules/`) and scored (`scoring.ts`), and the ones that make a case are ranked, surest first.
 */
export interface SuspectInput {
  g: HeapGraph;
  d: Dominance;
  ct: ClassTable;
  tracker: ContainerTracker;
  /** Snapshots in the series. */
  snapshots: number;
  /** Each snapshot's total size. */
  totals: number[];
}

export function findSuspects(input: SuspectInput, limit = 10): SuspectFinding[] {
  const { g, d, ct, tracker, totals, snapshots } = input;
  const last = tracker.steps[tracker.steps.length - 1];
  if (!last || last.ids.length === 0) return [];
  const tracks = last.ids.map((id) => tracker.tracks.get(id)!);
  const followed: Followed[] = tracks.map((t, j) => ({ o: tracker.lastOrdinals[j], growth: growthOf(t.retained) }));
  const points = descend(
    followed,
    last.parent,
    {
      classOf: (o) => ct.classOf[o],
      className: (cls) => ct.names[cls],
      isBackingStore: (o) => isBackingStore(g.nodeTypes[g.nodeType[o]]),
    },
    leakThreshold(totals),
  );
  const heapGrowth = totals[totals.length - 1] - totals[0];
  const suspects: SuspectFinding[] = [];
  for (const j of points) {
    const { o, growth } = followed[j];
    const track = tracks[j];
    const m = measure(track, growth, tracker, snapshots);
    const s = score({ ...m, steps: track.retained.length - 1 });
    if (dismissedBy({ snapshots, retention: m.retention, survival: m.survival, score: s })) continue;
    suspects.push({
      rank: 0,
      confidence: confidence(s),
      score: rounded(s),
      ...accumulationPoint(g, d, ct, o, track.id),
      growth: {
        retainedSize: track.retained,
        objectCount: track.objectCount,
        perStep: m.perStep,
        total: growth,
        shareOfHeapGrowth: heapGrowth > 0 ? Math.min(1, growth / heapGrowth) : null,
      },
      accumulates: m.accumulates.slice(0, 10),
      evidence: {
        matchedBy: 'id',
        retention: m.retention,
        arrived: m.arrived,
        survival: m.survival,
        steadiness: m.steadiness,
        heapGrowth,
        internalShare: m.internalShare,
        warmUp: m.warmUp,
      },
    });
  }
  return ranked(suspects, limit, (a, b) => TIER[b.confidence] - TIER[a.confidence] || b.growth.total - a.growth.total);
}

const TIER: Record<Confidence, number> = { high: 2, medium: 1, low: 0 };
