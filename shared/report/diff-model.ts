import type { GrowthFindings, SuspectFinding } from '../engine/analyses/growth/model.js';
import type { ReportHeader } from './model.js';

export type {
  Accumulated,
  ClassTrend,
  Comparison,
  ComparisonDiffRow,
  Confidence,
  ContainerTrend,
  HistogramComparison,
  HistogramRow,
  ProcessStep,
  Trends,
} from '../engine/analyses/growth/model.js';

/** What `diff` produces for a series of snapshots, independent of how it is rendered. */
export interface DiffReport extends ReportHeader<'heapsight.diff'>, Omit<GrowthFindings, 'process' | 'suspects'> {
  process: ProcessCheck;
  /** Leak suspects, most likely first; empty when nothing leaks. */
  suspects: Suspect[];
}

export interface ProcessCheck extends Omit<GrowthFindings['process'], 'looksOlder'> {
  /** Things the reader should know about the series, like snapshots that look out of order. */
  warnings: string[];
  /** One sentence for the reader. */
  note: string;
}

/** A suspect as the report shows it: the finding, with a sentence and its evidence said in words. */
export interface Suspect extends Omit<SuspectFinding, 'evidence'> {
  /** One plain sentence. */
  summary: string;
  evidence: string[];
}
