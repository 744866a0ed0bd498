import type { SuspectRule } from './rule.js';

/** Suspects scoring below this are not reported. */
export const MIN_SCORE = 0.3;

/** The measures together, as scored (`scoring.ts`), must make a case. */
export const strongEnough: SuspectRule = {
  name: 'scores high enough',
  decide: (m) => (m.score < MIN_SCORE ? 'not-leak' : 'maybe-leak'),
};
