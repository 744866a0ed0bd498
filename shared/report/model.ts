import type { AnalysisFindings } from '../engine/model.js';

export type { AnalysisFindings, PhaseTiming, SnapshotFacts } from '../engine/model.js';

/** What every report starts with: what it is, the version of its shape, who made it and when. */
export interface ReportHeader<Kind extends string> {
  kind: Kind;
  version: 1;
  tool: { name: 'heapsight'; version: string };
  generatedAt: string;
}

/** What `analyze` produces for one snapshot, independent of how it is rendered: the engine's findings, headed. */
export interface AnalysisReport extends ReportHeader<'heapsight.analysis'>, AnalysisFindings {}
