import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger } from 'pino';

/**
 * The processes' log: pino (fastify's own), one JSON object per line on standard output, at the configured level
 * (HEAPSIGHT_LOG_LEVEL). `name`: which process, on every line.
 */
export function createLogger(name: string, level: LogLevel): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}

/** What emits 'error' events: Redis clients, BullMQ queues and workers. */
interface Emitter {
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
}

/**
 * Logs the 'error' events of a connection or queue (`what` names it) instead of letting them crash the process. A
 * Redis client retries while Redis is down and fails each attempt: one line until it is ready again, not one per
 * attempt.
 */
export function logErrors(emitter: Emitter, log: Logger, what: string): void {
  let quiet = false;
  emitter.on('error', (err: Error) => {
    if (quiet) return;
    quiet = true;
    log.warn({ err: { message: err.message, code: (err as NodeJS.ErrnoException).code } }, `${what}: ${err.message}`);
  });
  emitter.on('ready', () => {
    if (quiet) log.info(`${what}: connected again`);
    quiet = false;
  });
}
