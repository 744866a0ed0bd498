import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/**
 * Runs a full garbage collection when the runtime allows it. The analyses keep almost nothing on the JS heap, so
 * this takes a few milliseconds, and it hands the typed arrays of finished phases back to the system at once
 * instead of whenever V8 gets round to it: that is what keeps peak memory down.
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}

/**
 * Below this many nodes an analysis does not collect garbage itself: what each call would hand back is a few
 * node-sized arrays, tens of MB at most, which V8 collects on its own as external memory grows, while each full
 * collection costs 5-16 ms of a thread's time, on either thread, ten or so times per analysis.
 */
export const GC_MIN_NODES = 1_000_000;

/** `collectGarbage` while analysing a graph of `nodes` nodes: skipped on small graphs (see GC_MIN_NODES). */
export function collectGarbageFor(nodes: number): void {
  if (nodes >= GC_MIN_NODES) collectGarbage();
}
