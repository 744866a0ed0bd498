import type { HeapGraph } from '../graph/graph.js';
import { computeDominance, NO_DISTANCE, type Dominance } from '../dominators/index.js';
import type { AnalysisReport, PhaseTiming } from '../report/model.js';
import { classTable, type ClassTable } from './classes.js';
import { duplicateStrings } from './duplicates.js';
import { largestObjects } from './largest.js';
import { statistics } from './statistics.js';
import { summary } from './summary.js';
import { VERSION } from '../version.js';

export interface AnalyzeOptions {
  source: string;
  fileBytes: number;
  gzip: boolean;
  /** How many largest objects and duplicate strings to list. */
  top?: number;
  /** Timings of phases already run (parsing), to be listed first. */
  timings?: PhaseTiming[];
  onPhase?: (phase: string) => void;
}

/** Runs a phase and adds its wall time to the list (phases with the same name add up). */
export function phaseTimer(timings: PhaseTiming[], onPhase?: (phase: string) => void) {
  return <T>(phase: string, fn: () => T): T => {
    onPhase?.(phase);
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      const ms = performance.now() - t0;
      const row = timings.find((t) => t.phase === phase);
      if (row) row.ms += ms; else timings.push({ phase, ms });
    }
  };
}

export interface Analysis {
  report: AnalysisReport;
  dominance: Dominance;
  classes: ClassTable;
}

/** Dominators, retained sizes and every single-snapshot analysis, into the report model. */
export function analyzeGraph(g: HeapGraph, opts: AnalyzeOptions): Analysis {
  const timings: PhaseTiming[] = [...(opts.timings ?? [])];
  const time = phaseTimer(timings, opts.onPhase);
  const top = opts.top ?? 20;
  const d = computeDominance(g, time);
  const ct = time('classes', () => classTable(g, d));
  const rows = time('summary', () => summary(g, d, ct));
  const stats = time('statistics', () => statistics(g, d));
  const largest = time('largest objects', () => largestObjects(g, d, ct, top));
  const dups = time('duplicate strings', () => duplicateStrings(g, d, top));
  let unreachable = 0;
  for (let o = 0; o < g.nodeCount; o++) if (d.distance[o] === NO_DISTANCE) unreachable++;
  for (const t of timings) t.ms = Math.round(t.ms * 10) / 10;
  const report: AnalysisReport = {
    kind: 'heapsight.analysis',
    version: 1,
    tool: { name: 'heapsight', version: VERSION },
    generatedAt: new Date().toISOString(),
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
    timings,
  };
  return { report, dominance: d, classes: ct };
}
