/**
 * The rules that decide which accumulation points are reported, one per file, each small enough to read at once,
 * after memlab's leak filters. A rule looks at a point's measures and either dismisses it ('not-leak') or lets it
 * through ('maybe-leak'); a point every rule lets through is scored and reported. The rules that steer the descent
 * to a point are predicates, in files of their own beside these.
 */
export type Decision = 'not-leak' | 'maybe-leak';

/** What the rules see of an accumulation point: its growth and what happened under it. */
export interface PointMeasures {
  /** Snapshots in the series. */
  snapshots: number;
  /** Of what arrived under the point in all steps, the share that stayed (0..1). */
  retention: number;
  /** Of what it gained before the last snapshot, the share the last still holds; null with two snapshots. */
  survival: number | null;
  /** Its score (see `scoring.ts`). */
  score: number;
}

export interface SuspectRule {
  /** A few words for people: what the rule asks of a point. */
  readonly name: string;
  decide(m: PointMeasures): Decision;
}
