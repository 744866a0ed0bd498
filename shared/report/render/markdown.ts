import type { AnalysisReport } from '../model.js';
import { bytes, clip, count, distance, escapeMarkdown as md, markdownCode as code, percent } from '../format.js';

const SUMMARY_ROWS = 30;

/** The analysis as Markdown that reads well pasted into a ticket. */
export function renderMarkdown(r: AnalysisReport): string {
  const s = r.snapshot;
  const st = r.statistics;
  const out: string[] = [];
  out.push(`# Heap snapshot analysis: ${md(s.source)}`, '');
  out.push(
    `${count(s.nodeCount)} objects, ${count(s.edgeCount)} references, total size **${bytes(s.totalSize)}**` +
      ` (file ${bytes(s.fileBytes)}${s.gzip ? ', gzip' : ''}).`,
    '',
  );
  if (r.largestObjects.length) {
    const l = r.largestObjects[0];
    out.push(
      `Largest retainer: ${code(clip(l.name, 80))} (${md(l.className)}, id ${l.id}) holds **${bytes(l.retainedSize)}**` +
        ` (${percent(l.retainedSize, s.totalSize)}) through ${code(clip(l.path, 200))}.`,
      '',
    );
  }
  out.push('## Statistics', '', '| Category | Size | Share |', '| --- | ---: | ---: |');
  const statRows: [string, number][] = [
    ['Code', st.v8heap.code],
    ['Strings', st.v8heap.strings],
    ['JS arrays', st.v8heap.jsArrays],
    ['Typed arrays', st.native.typedArrays],
    ['System objects', st.v8heap.system],
    ['Native (total)', st.native.total],
    ['V8 heap (total)', st.v8heap.total],
    ['Total', st.total],
  ];
  for (const [k, v] of statRows) out.push(`| ${k} | ${bytes(v)} | ${percent(v, st.total)} |`);
  out.push(
    '',
    `## Summary (top ${Math.min(SUMMARY_ROWS, r.summary.length)} of ${r.summary.length} classes by retained size)`,
    '',
  );
  out.push('| Class | Count | Shallow size | Retained size | Distance |', '| --- | ---: | ---: | ---: | ---: |');
  for (const row of r.summary.slice(0, SUMMARY_ROWS)) {
    out.push(
      `| ${md(clip(row.name, 80))} | ${count(row.count)} | ${bytes(row.selfSize)} | ${bytes(row.retainedSize)} (${percent(row.retainedSize, s.totalSize)}) | ${distance(row.distance)} |`,
    );
  }
  out.push('', '## Largest objects by retained size', '');
  out.push('| # | Object | Class | Retained | Shallow | Retainer path |', '| ---: | --- | --- | ---: | ---: | --- |');
  r.largestObjects.forEach((o, i) => {
    out.push(
      `| ${i + 1} | ${code(clip(o.name, 60))} @${o.id} | ${md(clip(o.className, 40))} | ${bytes(o.retainedSize)} | ${bytes(o.selfSize)} | ${code(clip(o.path, 160))} |`,
    );
  });
  if (r.duplicateStrings.length) {
    out.push('', '## Duplicate strings', '', '| Value | Copies | Wasted | Total |', '| --- | ---: | ---: | ---: |');
    for (const d of r.duplicateStrings) {
      out.push(
        `| ${code(clip(d.value, 80))}${d.length > 80 ? ` (${count(d.length)} chars)` : ''} | ${count(d.count)} | ${bytes(d.wastedSize)} | ${bytes(d.totalSize)} |`,
      );
    }
  }
  out.push('', '## Timings', '', '| Phase | ms |', '| --- | ---: |');
  for (const t of r.timings) out.push(`| ${t.phase} | ${t.ms.toFixed(1)} |`);
  out.push('', `_heapsight ${r.tool.version}, ${r.generatedAt}_`, '');
  return out.join('\n');
}
