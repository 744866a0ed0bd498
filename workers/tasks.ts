import type { MessagePort } from 'node:worker_threads';

/** Work sent to an analyzer worker thread. */
export type WorkerTask = AnalyzeTask | DiffTask | ExportNodesTask;

export interface AnalyzeTask {
  kind: 'analyze';
  file: string;
  /** Where to write report.json/.md/.html; none: only return the report. */
  outDir?: string;
  top?: number;
  /** Threads for one analysis: 2 parses and analyses on this worker and a helper thread together. */
  threads?: number;
  /** Heap limit for the helper thread, as for the worker itself. */
  maxMemoryMb?: number;
  /** Refuse a snapshot whose analysis would need more memory than this, once its header is read. */
  memoryLimit?: MemoryLimit;
  port?: MessagePort;
}

/** A memory limit and where it comes from (named in the message when a snapshot is refused). */
export interface MemoryLimit {
  mb: number;
  name: string;
}

/** A growth diff over a series of snapshots of one service, oldest first. */
export interface DiffTask {
  kind: 'diff';
  files: string[];
  /** Where to write diff.json/.md/.html; none: only return the report. */
  outDir?: string;
  top?: number;
  threads?: number;
  maxMemoryMb?: number;
  memoryLimit?: MemoryLimit;
  port?: MessagePort;
}

export interface ExportNodesTask {
  kind: 'export-nodes';
  file: string;
  /** CSV path; null writes to standard output. */
  out: string | null;
  port?: MessagePort;
}

/** A fault of the program (not one of ours, which go as `ClonedError`), as a task throws it across threads. */
export interface ThrownFault {
  fault: { message: string; stack?: string };
}

/** Progress messages a worker posts on the task's port. */
export type ProgressMessage = { type: 'bytes'; bytes: number; total: number } | { type: 'phase'; phase: string };
