import type { Dominance } from '../../dominators/index.js';
import type { HeapGraph } from '../../graph/graph.js';
import type { ClassTable } from '../classes.js';
import type { ComparisonRow } from '../comparison.js';
import { displayName } from '../names.js';
import { retainerPath } from '../paths.js';
import type { SummaryRow } from '../summary.js';
import type { ContainerTracker } from './containers.js';
import type { ClassTrend, ComparisonDiffRow, ContainerTrend, HistogramRow } from './model.js';

/** Summary rows by key, or by name (several keys with one name added up) when ids cannot be trusted. */
export function byClass(
  rows: SummaryRow[],
  by: 'key' | 'name',
): Map<string, { name: string; count: number; selfSize: number; retainedSize: number }> {
  const out = new Map<string, { name: string; count: number; selfSize: number; retainedSize: number }>();
  for (const r of rows) {
    const k = by === 'key' ? r.key : r.name;
    const v = out.get(k);
    if (v) {
      v.count += r.count;
      v.selfSize += r.selfSize;
      v.retainedSize += r.retainedSize;
    } else out.set(k, { name: r.name, count: r.count, selfSize: r.selfSize, retainedSize: r.retainedSize });
  }
  return out;
}

/**
 * objgraph's show_growth over a whole series: the classes whose count or retained size grew in every step, with
 * their value in each snapshot, most retained growth first.
 */
export function classTrends(summaries: SummaryRow[][], by: 'key' | 'name', limit: number): ClassTrend[] {
  const maps = summaries.map((s) => byClass(s, by));
  const keys = new Set<string>();
  for (const m of maps) for (const k of m.keys()) keys.add(k);
  const out: ClassTrend[] = [];
  for (const key of keys) {
    const vals = maps.map((m) => m.get(key));
    const count = vals.map((v) => v?.count ?? 0);
    const selfSize = vals.map((v) => v?.selfSize ?? 0);
    const retainedSize = vals.map((v) => v?.retainedSize ?? 0);
    const grows: ClassTrend['grows'] = [];
    if (count.every((c, i) => i === 0 || c > count[i - 1])) grows.push('count');
    if (retainedSize.every((c, i) => i === 0 || c > retainedSize[i - 1])) grows.push('retainedSize');
    if (!grows.length) continue;
    const name = vals.find(Boolean)!.name;
    out.push({
      key,
      name,
      count,
      selfSize,
      retainedSize,
      grows,
      countGrowth: count[count.length - 1] - count[0],
      retainedGrowth: retainedSize[retainedSize.length - 1] - retainedSize[0],
    });
  }
  out.sort((a, b) => b.retainedGrowth - a.retainedGrowth || b.countGrowth - a.countGrowth || (a.key < b.key ? -1 : 1));
  return out.slice(0, limit);
}

/** Comparison rows with the class's retained size (from each snapshot's Summary) before and after. */
export function withRetained(rows: ComparisonRow[], base: SummaryRow[], target: SummaryRow[]): ComparisonDiffRow[] {
  const b = byClass(base, 'key'),
    t = byClass(target, 'key');
  return rows.map((r) => {
    const retainedBefore = b.get(r.key)?.retainedSize ?? 0,
      retainedAfter = t.get(r.key)?.retainedSize ?? 0;
    return { ...r, retainedBefore, retainedAfter, retainedDelta: retainedAfter - retainedBefore };
  });
}

/** Two Summary histograms compared by class name: for snapshots of different processes, where ids mean nothing. */
export function histogramDiff(base: SummaryRow[], target: SummaryRow[]): HistogramRow[] {
  const b = byClass(base, 'name'),
    t = byClass(target, 'name');
  const names = new Set([...b.keys(), ...t.keys()]);
  const rows: HistogramRow[] = [];
  for (const name of names) {
    const x = b.get(name),
      y = t.get(name);
    const row: HistogramRow = {
      name,
      countBefore: x?.count ?? 0,
      countAfter: y?.count ?? 0,
      countDelta: (y?.count ?? 0) - (x?.count ?? 0),
      selfSizeBefore: x?.selfSize ?? 0,
      selfSizeAfter: y?.selfSize ?? 0,
      selfSizeDelta: (y?.selfSize ?? 0) - (x?.selfSize ?? 0),
      retainedBefore: x?.retainedSize ?? 0,
      retainedAfter: y?.retainedSize ?? 0,
      retainedDelta: (y?.retainedSize ?? 0) - (x?.retainedSize ?? 0),
    };
    if (row.countDelta || row.selfSizeDelta || row.retainedDelta) rows.push(row);
  }
  rows.sort(
    (p, q) =>
      Math.abs(q.retainedDelta) - Math.abs(p.retainedDelta) ||
      Math.abs(q.selfSizeDelta) - Math.abs(p.selfSizeDelta) ||
      (p.name < q.name ? -1 : 1),
  );
  return rows;
}

/** The followed objects with the most growth, with their paths, for the trend table. */
export function containerTrends(
  g: HeapGraph,
  d: Dominance,
  ct: ClassTable,
  tracker: ContainerTracker,
  limit: number,
): ContainerTrend[] {
  const last = tracker.steps[tracker.steps.length - 1];
  if (!last) return [];
  const rows = last.ids.map((id, j) => {
    const t = tracker.tracks.get(id)!;
    return { j, t, growth: (t.retained[t.retained.length - 1] ?? 0) - (t.retained[0] ?? 0) };
  });
  rows.sort((a, b) => b.growth - a.growth);
  return rows.slice(0, limit).map(({ j, t, growth }) => {
    const o = tracker.lastOrdinals[j];
    return {
      id: t.id,
      className: ct.names[ct.classOf[o]],
      name: displayName(g, d, o),
      type: g.nodeTypes[g.nodeType[o]],
      path: retainerPath(g, d, o).text,
      retainedSize: t.retained,
      objectCount: t.objectCount,
      growth,
      matchedBy: 'id' as const,
    };
  });
}
