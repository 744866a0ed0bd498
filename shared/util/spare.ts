/**
 * The first `n` entries of a buffer an earlier phase is done with, when it is long enough (its pages are in memory
 * already, where a new array's are each faulted in on first use), else a new array. Cleared only when asked: a new
 * array is all zeros anyway.
 */
export function spareOr(spare: Uint32Array | undefined, n: number, clear: boolean): Uint32Array {
  if (!spare || spare.length < n) return new Uint32Array(n);
  const a = spare.subarray(0, n);
  return clear ? a.fill(0) : a;
}
