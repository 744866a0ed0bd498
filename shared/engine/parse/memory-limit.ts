import { SnapshotTooLargeError } from './errors.js';
import type { Header } from './header.js';

/** A memory limit and where it comes from (named in the message when a snapshot is refused). */
export interface MemoryLimit {
  mb: number;
  name: string;
}

/**
 * Peak memory (MB) of analysing a snapshot of this many nodes and edges, as measured by `npm run bench` on the
 * corpus from 50 MB to 2 GB (it predicts 1192 MB at 1 GB, where 1120-1137 MB was measured, and 2234 MB at 2 GB,
 * against 2158 MB): the graph's columns, the dominator tree's working arrays and both threads' results, plus the
 * runtime itself. The string bytes are not known from the header: the analyzer's file-size estimate covers them.
 */
export function analysisMemoryMb(nodeCount: number, edgeCount: number): number {
  return Math.ceil((42 * nodeCount + 13 * edgeCount) / 2 ** 20) + 150;
}

/** Refuses, from its header alone, a snapshot whose analysis would need more memory than `limit`. */
export function checkMemoryLimit(h: Header, limit: MemoryLimit | undefined): void {
  const need = analysisMemoryMb(h.nodeCount, h.edgeCount);
  if (!limit || need <= limit.mb) return;
  const n = (x: number) => x.toLocaleString('en-US');
  throw new SnapshotTooLargeError(
    `the snapshot holds ${n(h.nodeCount)} nodes and ${n(h.edgeCount)} edges: ` +
      `analysing it needs about ${n(need)} MB, more than the limit of ${n(limit.mb)} MB (${limit.name})`,
  );
}
