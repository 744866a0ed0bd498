/**
 * Every failure heapsight tells a person about: a stable `code`, a one-line message, and from the code the exit code
 * of the command line and the HTTP status of the API. Code decides by `code`, never by reading the message.
 *
 * Errors lose their class and their own properties on the way between threads (structured clone keeps only the
 * message and the stack), so one that crosses goes as `toClone()`, a plain object, and comes back with `revive`.
 */
export const ERROR_CODES = {
  /** The snapshot cannot be read: malformed, truncated, not a snapshot (the message says where). */
  BAD_SNAPSHOT: { exit: 1, status: 422 },
  /** The snapshot is well formed but its analysis would need more memory than the limit allows. */
  SNAPSHOT_TOO_LARGE: { exit: 1, status: 422 },
  /** An analysis thread ran out of memory or died. */
  WORKER_DIED: { exit: 1, status: 500 },
  /** A file or folder named on the command line cannot be read or written. */
  CANNOT_READ: { exit: 1, status: 404 },
  CANNOT_WRITE: { exit: 1, status: 500 },
  /** The command line or a request is wrong in a way its parser cannot tell (two snapshots needed, say). */
  BAD_USAGE: { exit: 2, status: 400 },
  /** An environment variable of the service has a bad value. */
  BAD_CONFIG: { exit: 1, status: 500 },
  BAD_REQUEST: { exit: 1, status: 400 },
  UNAUTHORIZED: { exit: 1, status: 401 },
  FORBIDDEN: { exit: 1, status: 403 },
  NOT_FOUND: { exit: 1, status: 404 },
  CONFLICT: { exit: 1, status: 409 },
  UPLOAD_TOO_LARGE: { exit: 1, status: 413 },
  UNSUPPORTED_MEDIA_TYPE: { exit: 1, status: 415 },
  /** Redis or the storage cannot be reached. */
  UNAVAILABLE: { exit: 1, status: 503 },
  /** A call to the operating system failed (disk full, permission denied): its message names the call and the path. */
  SYSTEM: { exit: 1, status: 500 },
} as const satisfies Record<string, { exit: number; status: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** What an error becomes to cross to another thread. */
export interface ClonedError {
  heapsightError: { code: ErrorCode; message: string };
}

export class HeapsightError extends Error {
  override name = 'HeapsightError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The command line's exit code for it. */
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  /** The API's HTTP status for it. */
  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  toClone(): ClonedError {
    return { heapsightError: { code: this.code, message: this.message } };
  }

  /** The error `toClone` made, back in this thread; null for anything else. */
  static revive(value: unknown): HeapsightError | null {
    const e = (value as Partial<ClonedError> | null)?.heapsightError;
    if (!e || typeof e.message !== 'string' || !(e.code in ERROR_CODES)) return null;
    return new HeapsightError(e.code, e.message);
  }
}

/** Whether `err` is a Node.js system error (ENOENT, EACCES, ENOSPC, ...), whose message names the call and the path. */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  const e = err as NodeJS.ErrnoException | null;
  return e instanceof Error && typeof e.code === 'string' && typeof e.syscall === 'string';
}

/** `err` as one of ours when it says something to the user (ours already, or a system error); else null. */
export function userFacing(err: unknown): HeapsightError | null {
  if (err instanceof HeapsightError) return err;
  if (isSystemError(err)) return new HeapsightError('SYSTEM', err.message.split('\n')[0], { cause: err });
  return null;
}
