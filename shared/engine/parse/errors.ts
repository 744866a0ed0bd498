import { HeapsightError } from '../../errors.js';

/** A snapshot that cannot be read: says what is wrong and where (`offset`, in bytes), in one line fit for a user. */
export class ParseError extends HeapsightError {
  override name = 'ParseError';
  constructor(
    /** What is wrong, without the offset. */
    readonly detail: string,
    readonly offset?: number,
  ) {
    super('BAD_SNAPSHOT', offset === undefined ? detail : `${detail} (at byte ${offset})`);
  }
}

/** A well-formed snapshot too large for the memory the analysis may use: says how much it needs and the limit. */
export class SnapshotTooLargeError extends HeapsightError {
  override name = 'SnapshotTooLargeError';
  constructor(message: string) {
    super('SNAPSHOT_TOO_LARGE', message);
  }
}

/** Whether `err` says the snapshot itself is at fault (malformed, or too large for the limit). */
export function isSnapshotError(err: unknown): err is HeapsightError {
  return err instanceof HeapsightError && (err.code === 'BAD_SNAPSHOT' || err.code === 'SNAPSHOT_TOO_LARGE');
}
