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
