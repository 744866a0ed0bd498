import type { Confidence } from '../model.js';

/** How much each measure weighs in a point's score (they add up to 1). */
export const WEIGHTS = { retention: 0.35, steadiness: 0.25, survival: 0.4 };
/** Of what arrived under a point, more than this share of compiled code and system objects looks like warm-up. */
export const WARM_UP_SHARE = 0.8;
/** Scores at or above these are of high and medium confidence; the rest low. */
export const HIGH = 0.7;
export const MEDIUM = 0.45;

/** A score's factor by the number of steps in the series: one step shows little, two some. */
function stepsFactor(steps: number): number {
  return steps === 1 ? 0.6 : steps === 2 ? 0.9 : 1;
}

/**
 * A point followed by id, scored from 0 to 1: how much of what arrived stayed, how steady the steps were, and how
 * much of its earlier gains survived (retention again with only two snapshots); halved when it looks like warm-up.
 */
export function score(m: {
  retention: number;
  steadiness: number;
  survival: number | null;
  steps: number;
  warmUp: boolean;
}): number {
  const s =
    stepsFactor(m.steps) *
    (WEIGHTS.retention * m.retention +
      WEIGHTS.steadiness * m.steadiness +
      WEIGHTS.survival * (m.survival ?? m.retention));
  return m.warmUp ? s * 0.5 : s;
}

export function confidence(score: number): Confidence {
  return score >= HIGH ? 'high' : score >= MEDIUM ? 'medium' : 'low';
}

/**
 * A container matched by retainer path across processes: what arrived under it cannot be followed object by
 * object, so its score rests on steady steps and growth relative to its first size, and stays below high.
 */
export function pathScore(steps: number, steadiness: number, relative: number): number {
  return Math.min(0.6, (steps === 1 ? 0.5 : 0.7) * (0.5 * steadiness + 0.5 * relative));
}

/** A score as the report shows it. */
export const rounded = (s: number) => Math.round(s * 1000) / 1000;
