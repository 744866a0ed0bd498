import type { AnalysisReport } from '../model.js';
import { bytes, clip, count, distance, escapeMarkdown as md, markdownCode as code, percent } from '../format.js';
import { row } from './markdown-table.js';
import { statisticsRows } from './statistics.js';

const SUMMARY_ROWS = 30;

/** The analysis as Markdown that reads well pasted into a ticket. */
export function renderMarkdown(r: AnalysisReport): string {
  const s = r.snapshot;
  const st = r.statistics;
  const out: string[] = [`# Heap snapshot analysis: ${md(s.source)}`, ''];
  out.push(
    `${count(s.nodeCount)} objects, ${count(s.edgeCount)} references, total size **${bytes(s.totalSize)}**` +
      ` (file ${bytes(s.fileBytes)}${s.gzip ? ', gzip' : ''}).`,
    '',
  );
  if (r.largestObjects.length) {
    const l = r.largestObjects[0];
    out.push(
      `Largest retainer: ${code(clip(l.name, 80))} (${md(l.className)}, id ${l.id}) ` +
        `holds **${bytes(l.retainedSize)}**` +
        ` (${percent(l.retainedSize, s.totalSize)}) through ${code(clip(l.path, 200))}.`,
      '',
    );
  }
  out.push('## Statistics', '', '| Category | Size | Share |', '| --- | ---: | ---: |');
  for (const [k, v] of statisticsRows(st)) out.push(row(k, bytes(v), percent(v, st.total)));
  const top = Math.min(SUMMARY_ROWS, r.summary.length);
  out.push('', `## Summary (top ${top} of ${r.summary.length} classes by retained size)`, '');
  out.push('| Class | Count | Shallow size | Retained size | Distance |', '| --- | ---: | ---: | ---: | ---: |');
  for (const c of r.summary.slice(0, SUMMARY_ROWS)) {
    const retained = `${bytes(c.retainedSize)} (${percent(c.retainedSize, s.totalSize)})`;
    out.push(row(md(clip(c.name, 80)), count(c.count), bytes(c.selfSize), retained, distance(c.distance)));
  }
  out.push('', '## Largest objects by retained size', '');
  out.push('| # | Object | Class | Retained | Shallow | Retainer path |', '| ---: | --- | --- | ---: | ---: | --- |');
  r.largestObjects.forEach((o, i) => {
    const object = `${code(clip(o.name, 60))} @${o.id}`;
    const sizes = [bytes(o.retainedSize), bytes(o.selfSize)];
    out.push(row(String(i + 1), object, md(clip(o.className, 40)), ...sizes, code(clip(o.path, 160))));
  });
  if (r.duplicateStrings.length) {
    out.push('', '## Duplicate strings', '', '| Value | Copies | Wasted | Total |', '| --- | ---: | ---: | ---: |');
    for (const d of r.duplicateStrings) {
      const value = code(clip(d.value, 80)) + (d.length > 80 ? ` (${count(d.length)} chars)` : '');
      out.push(row(value, count(d.count), bytes(d.wastedSize), bytes(d.totalSize)));
    }
  }
  out.push('', '## Timings', '', '| Phase | ms |', '| --- | ---: |');
  for (const t of r.timings) out.push(row(t.phase, t.ms.toFixed(1)));
  out.push('', `_heapsight ${r.tool.version}, ${r.generatedAt}_`, '');
  return out.join('\n');
}
