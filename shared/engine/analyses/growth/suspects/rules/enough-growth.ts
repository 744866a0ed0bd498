/** The least growth, first to last, a suspect must show, in bytes and as a share of the last heap. */
export const MIN_LEAK_BYTES = 64 * 1024;
export const MIN_LEAK_HEAP_SHARE = 0.001;

/**
 * Growth worth a suspect: at least 64 KiB and 0.1% of the last snapshot's heap (`totals`: each snapshot's total
 * size). Below it the descent does not look at a point, nor at a child as a suspect of its own.
 */
export function leakThreshold(totals: number[]): number {
  return Math.max(MIN_LEAK_BYTES, MIN_LEAK_HEAP_SHARE * totals[totals.length - 1]);
}
