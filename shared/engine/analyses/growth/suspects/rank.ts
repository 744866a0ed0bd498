import type { SuspectFinding } from '../model.js';

/** Retained growth from the first value to the last (a missing value counts as 0). */
export function growthOf(values: (number | null)[]): number {
  return (values[values.length - 1] ?? 0) - (values[0] ?? 0);
}

/** The best `limit` suspects in order, numbered from 1. */
export function ranked(
  suspects: SuspectFinding[],
  limit: number,
  order: (a: SuspectFinding, b: SuspectFinding) => number,
): SuspectFinding[] {
  suspects.sort(order);
  suspects.length = Math.min(suspects.length, limit);
  suspects.forEach((s, i) => (s.rank = i + 1));
  return suspects;
}
