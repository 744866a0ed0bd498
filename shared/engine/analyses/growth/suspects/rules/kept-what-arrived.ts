import type { SuspectRule } from './rule.js';

/** Below this share of what arrived under a point staying there, its growth is churn that happened to end higher. */
export const MIN_RETENTION = 0.1;
/** With two snapshots there is no survival to check, so more of what arrived must have stayed. */
export const MIN_RETENTION_TWO_SNAPSHOTS = 0.5;

/** A bounded cache with churn takes in far more than it keeps: a leak keeps what arrives. */
export const keptWhatArrived: SuspectRule = {
  name: 'kept what arrived under it',
  decide: (m) => {
    if (m.retention < MIN_RETENTION) return 'not-leak';
    if (m.snapshots < 3 && m.retention < MIN_RETENTION_TWO_SNAPSHOTS) return 'not-leak';
    return 'maybe-leak';
  },
};
