import { keptEarlierGains } from './kept-earlier-gains.js';
import { keptWhatArrived } from './kept-what-arrived.js';
import type { PointMeasures, SuspectRule } from './rule.js';
import { strongEnough } from './strong-enough.js';

export type { Decision, PointMeasures, SuspectRule } from './rule.js';
export { leakThreshold } from './enough-growth.js';
export { isBackingStore } from './backing-store.js';
export { isProgramClass } from './program-class.js';
export { stepInto } from './recursive-structure.js';
export { holdsTheGrowth } from './holds-the-growth.js';
export { splitsTheGrowth } from './split-growth.js';

/** What a point must pass to be reported, in order; the first to dismiss it decides. */
export const SUSPECT_RULES: readonly SuspectRule[] = [keptWhatArrived, keptEarlierGains, strongEnough];

/** Whether every rule lets the point through; else the rule that dismissed it. */
export function dismissedBy(m: PointMeasures, rules: readonly SuspectRule[] = SUSPECT_RULES): SuspectRule | null {
  for (const rule of rules) if (rule.decide(m) === 'not-leak') return rule;
  return null;
}
