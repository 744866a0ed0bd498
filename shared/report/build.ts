import type { GrowthFindings } from '../engine/analyses/growth/model.js';
import type { AnalysisFindings } from '../engine/model.js';
import { VERSION } from '../version.js';
import type { DiffReport } from './diff-model.js';
import type { AnalysisReport, ReportHeader } from './model.js';
import { evidenceSentences, looksOlderWarning, processNote, suspectSentence } from './sentences.js';

/**
 * The reports, from what the engine found: a header saying what each is and who made it when, and for a diff the
 * findings said in words (each suspect in a sentence and its evidence, where the snapshots come from, warnings).
 */

function header<K extends string>(kind: K): ReportHeader<K> {
  return { kind, version: 1, tool: { name: 'heapsight', version: VERSION }, generatedAt: new Date().toISOString() };
}

export function analysisReport(f: AnalysisFindings): AnalysisReport {
  return { ...header('heapsight.analysis'), ...f };
}

export function diffReport(f: GrowthFindings): DiffReport {
  const { sameProcess, steps, looksOlder } = f.process;
  const crossing = steps.filter((s) => !s.sameProcess);
  return {
    ...header('heapsight.diff'),
    snapshots: f.snapshots,
    process: {
      sameProcess,
      warnings: looksOlder.map(looksOlderWarning),
      steps,
      note: processNote(sameProcess, f.snapshots.length, crossing),
    },
    suspects: f.suspects.map(({ evidence: _, ...s }, i) => ({
      ...s,
      summary: suspectSentence(s),
      evidence: evidenceSentences(f.suspects[i]),
    })),
    comparisons: f.comparisons,
    histograms: f.histograms,
    trends: f.trends,
    timings: f.timings,
  };
}
