import { isInternalClass } from '../../classes.js';
import type { ContainerTracker, Track } from '../containers.js';
import type { Accumulated } from '../model.js';
import { WARM_UP_SHARE } from './scoring.js';

/** An accumulation point's growth and what happened under it, as the rules and the score read them. */
export interface Measures {
  /** Retained size added in each step. */
  perStep: number[];
  /** Bytes that arrived under it, in all steps. */
  arrived: number;
  retention: number;
  survival: number | null;
  steadiness: number;
  internalShare: number;
  warmUp: boolean;
  /** The classes that arrived, most bytes first. */
  accumulates: Accumulated[];
}

/**
 * Measures a followed object that grew by `growth` from first to last: what arrived under it in each step and how
 * much of it stayed (retention), how much of what it gained before the last snapshot the last still holds
 * (survival, with three snapshots or more), how even its steps were (steadiness), and how much of what arrived was
 * V8's own (compiled code, system objects).
 */
export function measure(track: Track, growth: number, tracker: ContainerTracker, snapshots: number): Measures {
  const values = track.retained;
  const perStep: number[] = [];
  for (let i = 1; i < values.length; i++) perStep.push((values[i] ?? 0) - (values[i - 1] ?? 0));
  const addedMaps = tracker.addedUnder(track.id);
  const addedPerStep = addedMaps.map((m) => [...m.values()].reduce((s, v) => s + v.bytes, 0));
  const arrived = addedPerStep.reduce((s, v) => s + v, 0);
  const retention = arrived > 0 ? Math.min(1, growth / arrived) : 1;
  let survival: number | null = null;
  const kept = tracker.keptUnder(track.id);
  if (kept !== null && snapshots >= 3) {
    const before = addedPerStep.slice(0, -1).reduce((s, v) => s + v, 0);
    survival = before > 0 ? Math.min(1, kept / before) : null;
  }
  const steadiness = Math.min(...perStep) / Math.max(...perStep);
  const accumulates = accumulated(addedMaps);
  const internal = accumulates.filter((a) => isInternalClass(a.className)).reduce((s, a) => s + a.totalBytes, 0);
  const internalShare = arrived > 0 ? internal / arrived : 0;
  return {
    perStep,
    arrived,
    retention,
    survival,
    steadiness,
    internalShare,
    warmUp: internalShare > WARM_UP_SHARE,
    accumulates,
  };
}

function accumulated(maps: Map<string, { count: number; bytes: number }>[]): Accumulated[] {
  const names = new Set<string>();
  for (const m of maps) for (const k of m.keys()) names.add(k);
  const out: Accumulated[] = [];
  for (const className of names) {
    const added = maps.map((m) => m.get(className) ?? { count: 0, bytes: 0 });
    out.push({
      className,
      added: added.map((a) => ({ count: a.count, bytes: a.bytes })),
      totalCount: added.reduce((s, a) => s + a.count, 0),
      totalBytes: added.reduce((s, a) => s + a.bytes, 0),
    });
  }
  out.sort((a, b) => b.totalBytes - a.totalBytes || b.totalCount - a.totalCount);
  return out;
}
