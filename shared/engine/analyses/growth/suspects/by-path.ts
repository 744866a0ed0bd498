import type { ContainerTrend, SuspectFinding } from '../model.js';
import { ranked } from './rank.js';
import { dismissedBy, holdsTheGrowth, isBackingStore, leakThreshold } from './rules/index.js';
import { strongEnough } from './rules/strong-enough.js';
import { MEDIUM, pathScore, rounded } from './scoring.js';

/**
 * Suspects across processes, where ids mean nothing: containers found at the same retainer path (and class) in
 * every snapshot whose retained size grew in every step. The same descent applies, along paths instead of the
 * dominator tree: a container gives way to one further down its path that holds its growth, except a backing
 * store or an object of its own class. What accumulates cannot be followed object by object, so confidence stays
 * below high.
 */
export function pathSuspects(growing: ContainerTrend[], totals: number[], limit = 10): SuspectFinding[] {
  const minLeak = leakThreshold(totals);
  const big = growing.filter((c) => c.growth >= minLeak);
  const below = (a: ContainerTrend, b: ContainerTrend) => b.path.startsWith(a.path + ' -> ');
  const kept = big.filter(
    (a) =>
      !big.some(
        (b) =>
          below(a, b) && holdsTheGrowth(b.growth, a.growth) && !isBackingStore(b.type) && b.className !== a.className,
      ),
  );
  const points = kept.filter(
    (b) => !kept.some((a) => below(a, b) && (isBackingStore(b.type) || b.className === a.className)),
  );
  const heapGrowth = totals[totals.length - 1] - totals[0];
  const out: SuspectFinding[] = [];
  for (const c of points) {
    const values = c.retainedSize;
    const perStep = values.slice(1).map((v, i) => (v ?? 0) - (values[i] ?? 0));
    const steadiness = Math.min(...perStep) / Math.max(...perStep);
    const relative = (values[0] ?? 0) > 0 ? Math.min(1, c.growth / (values[0] as number)) : 1;
    const score = pathScore(perStep.length, steadiness, relative);
    // what arrived cannot be followed here: the score alone decides
    if (dismissedBy({ snapshots: values.length, retention: 1, survival: null, score }, [strongEnough])) continue;
    out.push({
      rank: 0,
      confidence: score >= MEDIUM ? 'medium' : 'low',
      score: rounded(score),
      accumulationPoint: {
        id: c.id,
        className: c.className,
        name: c.name,
        type: c.type,
        edge: c.path.split(' -> ').pop() ?? '',
        heldBy: null,
      },
      path: c.path,
      pathSteps: [],
      growth: {
        retainedSize: values,
        objectCount: c.objectCount,
        perStep,
        total: c.growth,
        shareOfHeapGrowth: heapGrowth > 0 ? Math.min(1, c.growth / heapGrowth) : null,
      },
      accumulates: [],
      evidence: { matchedBy: 'path', steadiness, heapGrowth },
    });
  }
  return ranked(out, limit, (a, b) => b.score - a.score || b.growth.total - a.growth.total);
}
