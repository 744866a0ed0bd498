import type { SuspectRule } from './rule.js';

/** Below this share of its earlier gains still held in the last snapshot, a point lets go of what it takes in. */
export const MIN_SURVIVAL = 0.1;

/**
 * With three or more snapshots: what a point gained before the last snapshot must mostly still be under it in the
 * last one. A ring buffer, a rotated log or a drained backlog grows, but what it held earlier is gone.
 */
export const keptEarlierGains: SuspectRule = {
  name: 'still holds what it gained earlier',
  decide: (m) => (m.survival !== null && m.survival < MIN_SURVIVAL ? 'not-leak' : 'maybe-leak'),
};
