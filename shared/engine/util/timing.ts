import type { PhaseTiming } from '../model.js';

/** Runs a phase of the analysis, timing it (and telling whoever follows the progress). */
export type PhaseTimer = <T>(name: string, fn: () => T) => T;

/** Runs phases untimed. */
export const untimed: PhaseTimer = (_name, fn) => fn();

/** Runs a phase and adds its wall time to the list (phases with the same name add up). */
export function phaseTimer(timings: PhaseTiming[], onPhase?: (phase: string) => void): PhaseTimer {
  return <T>(phase: string, fn: () => T): T => {
    onPhase?.(phase);
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      const ms = performance.now() - t0;
      const row = timings.find((t) => t.phase === phase);
      if (row) row.ms += ms;
      else timings.push({ phase, ms });
    }
  };
}

/** Phases that ran more than once (waiting, for one; or per snapshot) added up, in order of first appearance. */
export function mergeTimings(timings: PhaseTiming[]): PhaseTiming[] {
  const merged: PhaseTiming[] = [];
  for (const t of timings) {
    const row = merged.find((m) => m.phase === t.phase);
    if (row) row.ms += t.ms;
    else merged.push({ ...t });
  }
  for (const t of merged) t.ms = Math.round(t.ms * 10) / 10;
  return merged;
}
