import type { DuplicateString } from './analyses/duplicates/index.js';
import type { LargeObject } from './analyses/largest.js';
import type { Statistics } from './analyses/statistics.js';
import type { SummaryRow } from './analyses/summary.js';

/**
 * What the engine finds in one snapshot, as data. The report (`shared/report/model.ts`) wraps it; the growth diff's
 * findings are in `analyses/growth/model.ts`.
 */
export interface AnalysisFindings {
  snapshot: SnapshotFacts;
  statistics: Statistics;
  summary: SummaryRow[];
  largestObjects: LargeObject[];
  duplicateStrings: DuplicateString[];
  timings: PhaseTiming[];
}

export interface SnapshotFacts {
  /** File name as given (no directories), or the storage key. */
  source: string;
  /** Bytes read (compressed size for gzip input). */
  fileBytes: number;
  /** Bytes of snapshot JSON parsed. */
  jsonBytes: number;
  gzip: boolean;
  nodeCount: number;
  edgeCount: number;
  stringCount: number;
  /** Total size as DevTools shows it: the root's retained size plus extra native bytes. */
  totalSize: number;
  nodeFields: number;
  unreachableNodes: number;
}

export interface PhaseTiming {
  phase: string;
  ms: number;
}
