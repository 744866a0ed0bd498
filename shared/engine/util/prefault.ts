/**
 * Brings the pages of shared arrays into memory from this thread, ahead of another thread that is about to write
 * them, so that the kernel's work on each new page (zeroing it, and on a virtual machine having the host back it)
 * is done here instead of on the other thread's time. One atomic add of zero per 4 KB: it changes nothing, even
 * where the other thread has written already or writes at the same moment.
 *
 * `whole` are done first, one after another; then `fromEnd`, side by side, a slice of each in turn from their ends
 * back (the other thread writes them from their starts on, so the two meet as late as can be). Stops once `budgetMs`
 * is spent: the pages left are brought in by the thread that writes them, as any page would be. Returns how many
 * bytes it covered.
 */
export function prefault(whole: Uint32Array[], fromEnd: Uint32Array[], budgetMs: number): number {
  const t0 = performance.now();
  const over = () => performance.now() - t0 > budgetMs;
  let bytes = 0;
  for (const a of whole) {
    for (let s = 0; s < STEPS; s++) {
      if (over()) return bytes;
      bytes += touch(a, Math.floor((a.length * s) / STEPS), Math.floor((a.length * (s + 1)) / STEPS));
    }
  }
  for (let s = STEPS - 1; s >= 0; s--) {
    if (over()) return bytes;
    for (const a of fromEnd)
      bytes += touch(a, Math.floor((a.length * s) / STEPS), Math.floor((a.length * (s + 1)) / STEPS));
  }
  return bytes;
}

/** Slices per array: how often the budget is checked. */
const STEPS = 64;
/** 32-bit entries per 4 KB page. */
const PAGE = 1024;

/** Touches the first entry of each page that starts in [from, to); the bytes covered. */
function touch(a: Uint32Array, from: number, to: number): number {
  for (let i = Math.ceil(from / PAGE) * PAGE; i < to; i += PAGE) Atomics.add(a, i, 0);
  return (to - from) * 4;
}
