import { HeapsightError } from '../shared/errors.js';

/**
 * A thread of an analysis that died, as the user is told: out of memory (Node's code ERR_WORKER_OUT_OF_MEMORY), with
 * the limit and how to raise it, or with what its runtime said.
 */
export function threadDied(err: Error, maxMemoryMb: number | undefined, which: string): HeapsightError {
  if ((err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new HeapsightError(
      'WORKER_DIED',
      `the analysis ran out of memory (heap limit ${maxMemoryMb} MB per thread); raise it with --max-memory`,
      { cause: err },
    );
  }
  return new HeapsightError('WORKER_DIED', `the analysis ${which} died: ${err.message}`, { cause: err });
}
