import type { Statistics } from '../engine/analyses/statistics.js';
import type { SummaryRow } from '../engine/analyses/summary.js';
import type { LargeObject } from '../engine/analyses/largest.js';
import type { DuplicateString } from '../engine/analyses/duplicates.js';

/** What `analyze` produces for one snapshot, independent of how it is rendered. */
export interface AnalysisReport {
  kind: 'heapsight.analysis';
  version: 1;
  tool: { name: 'heapsight'; version: string };
  generatedAt: string;
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
