import type { ComparisonRow } from '../comparison.js';
import type { PathStep } from '../paths.js';
import type { PhaseTiming, SnapshotFacts } from '../../model.js';

/**
 * What a growth diff over a series of snapshots finds, as data. The report (`shared/report/diff-model.ts`) wraps it
 * and says it in sentences.
 */
export interface GrowthFindings {
  /** The snapshots in the order given (oldest first). */
  snapshots: SnapshotFacts[];
  process: SeriesProcess;
  /** Leak suspects, most likely first; empty when nothing leaks. */
  suspects: SuspectFinding[];
  /** Same process: DevTools' Comparison (objects matched by id), first vs last and each consecutive pair. */
  comparisons: Comparison[];
  /** Different processes: Summary histograms compared by class name, first vs last and each consecutive pair. */
  histograms: HistogramComparison[];
  trends: Trends;
  timings: PhaseTiming[];
}

export interface SeriesProcess {
  /** Whether every consecutive pair comes from one process (ids mean the same objects). */
  sameProcess: boolean;
  steps: ProcessStep[];
  /** Snapshots (indexes) that hold no object newer than the one before's newest: they look older. */
  looksOlder: number[];
}

export interface ProcessStep {
  base: number;
  target: number;
  /** Objects of the base whose id the target has too. */
  matchedIds: number;
  /** Matched objects with a fixed class in both, and how many kept their class name. */
  comparedIds: number;
  sameClass: number;
  sameProcess: boolean;
}

export interface Comparison {
  /** Indexes into `snapshots`. */
  base: number;
  target: number;
  kind: 'first-last' | 'step';
  totals: { addedCount: number; removedCount: number; addedSize: number; removedSize: number };
  rows: ComparisonDiffRow[];
}

/** A row of DevTools' Comparison view, plus the class's retained size (Summary) in both snapshots. */
export interface ComparisonDiffRow extends ComparisonRow {
  retainedBefore: number;
  retainedAfter: number;
  retainedDelta: number;
}

export interface HistogramComparison {
  base: number;
  target: number;
  kind: 'first-last' | 'step';
  rows: HistogramRow[];
}

export interface HistogramRow {
  name: string;
  countBefore: number;
  countAfter: number;
  countDelta: number;
  selfSizeBefore: number;
  selfSizeAfter: number;
  selfSizeDelta: number;
  retainedBefore: number;
  retainedAfter: number;
  retainedDelta: number;
}

export interface Trends {
  /** Classes whose count or retained size grew in every step, with their value in each snapshot. */
  classes: ClassTrend[];
  /** Objects (by id, or by retainer path across processes) whose retained size grew in every step. */
  containers: ContainerTrend[];
}

export interface ClassTrend {
  /** Class key (same process) or name (across processes). */
  key: string;
  name: string;
  count: number[];
  selfSize: number[];
  retainedSize: number[];
  countGrowth: number;
  retainedGrowth: number;
  /** What grew in every step. */
  grows: ('count' | 'retainedSize')[];
}

export interface ContainerTrend {
  /** Node id in the last snapshot. */
  id: number;
  className: string;
  name: string;
  type: string;
  path: string;
  /** Per snapshot; null where the object did not exist yet. */
  retainedSize: (number | null)[];
  /** Objects it retains (dominates), per snapshot. */
  objectCount: (number | null)[];
  growth: number;
  matchedBy: 'id' | 'path';
}

export type Confidence = 'high' | 'medium' | 'low';

export interface SuspectFinding {
  rank: number;
  confidence: Confidence;
  /** 0..1, what `confidence` is derived from. */
  score: number;
  /** The object that retains the growth. */
  accumulationPoint: {
    id: number;
    className: string;
    name: string;
    type: string;
    /** The last edge on the path to it (`requestCache`, `items`): how the code refers to it. */
    edge: string;
    /** The nearest object on the path with a class of its own (`WorkQueue`, `EventEmitter`), if any. */
    heldBy: string | null;
  };
  /** Shortest path from a GC root to the accumulation point, and on into the backing store that holds the growth. */
  path: string;
  pathSteps: PathStep[];
  growth: {
    /** Retained size of the accumulation point per snapshot (null: did not exist yet). */
    retainedSize: (number | null)[];
    objectCount: (number | null)[];
    /** Retained size added in each step. */
    perStep: number[];
    total: number;
    /** Share of the whole heap's growth, first to last (null when the heap did not grow). */
    shareOfHeapGrowth: number | null;
  };
  /** What accumulates: the classes of the objects added under the accumulation point in each step. */
  accumulates: Accumulated[];
  /** What the finding rests on, measured (the report says it in sentences). */
  evidence: SuspectEvidence;
}

/** The measures behind a suspect, each a share from 0 to 1 unless said otherwise. */
export type SuspectEvidence =
  | {
      /** Objects followed by id through the series (one process). */
      matchedBy: 'id';
      /** Of what arrived under the point (`arrived` bytes), how much stayed. */
      retention: number;
      arrived: number;
      /** Of what it gained before the last snapshot, how much the last still holds (null: two snapshots). */
      survival: number | null;
      /** The smallest step's growth over the largest's. */
      steadiness: number;
      /** The heap's growth, first to last, in bytes. */
      heapGrowth: number;
      /** Of what arrived, how much was compiled code and system objects ... */
      internalShare: number;
      /** ... and whether that much makes it look like warm-up (its score halved). */
      warmUp: boolean;
    }
  | {
      /** Containers matched by retainer path and class (different processes). */
      matchedBy: 'path';
      steadiness: number;
      heapGrowth: number;
    };

export interface Accumulated {
  className: string;
  /** Per step (snapshot i-1 to i): objects added and their shallow bytes. */
  added: { count: number; bytes: number }[];
  totalCount: number;
  totalBytes: number;
}
