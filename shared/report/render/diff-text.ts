import type { DiffReport } from '../diff-model.js';
import { bytes, count } from '../format.js';

/** What the diff's Markdown and HTML say alike (escaped by each as its format needs). */

export const signed = (n: number) => (n > 0 ? '+' : n < 0 ? '−' : '') + bytes(Math.abs(n));
export const signedCount = (n: number) => (n > 0 ? '+' : n < 0 ? '−' : '') + count(Math.abs(n));
export const series = (vals: (number | null)[], f: (n: number) => string = bytes) =>
  vals.map((v) => (v === null ? '-' : f(v))).join(' → ');

export function title(r: DiffReport): string {
  const a = r.snapshots[0].source,
    b = r.snapshots[r.snapshots.length - 1].source;
  return `Heap growth: ${a} → ${b} (${r.snapshots.length} snapshots)`;
}

export function heapLine(r: DiffReport): string {
  const t = r.snapshots.map((s) => s.totalSize);
  return `Heap total ${series(t)} (${signed(t[t.length - 1] - t[0])}).`;
}

export function noSuspects(r: DiffReport): string {
  return r.process.sameProcess
    ? 'None: no object grew in every step while keeping what it gained.'
    : 'None: no container at the same retainer path grew in every step.';
}

export function containersHeading(r: DiffReport): string {
  const byPath = r.trends.containers[0].matchedBy === 'path';
  return `Containers that grew in every step${byPath ? ' (matched by retainer path)' : ''}`;
}

/** The headings of a table's steps: Step 1→2, Step 2→3, ... over `n` snapshots. */
export function stepHeads(n: number): string[] {
  return Array.from({ length: n - 1 }, (_, i) => `Step ${i + 1}→${i + 2}`);
}
