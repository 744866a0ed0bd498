import type { AnalysisReport } from '../model.js';
import { bytes, clip, count, distance, escapeHtml as h, percent } from '../format.js';
import { codeTd, num, SORT_SCRIPT, STYLE, TABLE_END, tableStart, td, th, timingsTable, tr } from './page.js';
import { statisticsRows } from './statistics.js';

const MAX_SUMMARY_ROWS = 2000;

/** The analysis as one self-contained HTML file. Every string from the snapshot is escaped. */
export function renderHtml(r: AnalysisReport): string {
  const s = r.snapshot;
  const st = r.statistics;
  const parts: string[] = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>heapsight: ${h(s.source)}</title><style>${STYLE}</style></head><body>`,
    `<h1>Heap snapshot analysis: ${h(s.source)}</h1>`,
    `<p class="facts">${count(s.nodeCount)} objects, ${count(s.edgeCount)} references, ` +
      `total size <b>${bytes(s.totalSize)}</b> (file ${bytes(s.fileBytes)}${s.gzip ? ', gzip' : ''}). ` +
      `Generated ${h(r.generatedAt)} by heapsight ${h(r.tool.version)}.</p>`,
  ];
  if (r.largestObjects.length) {
    const l = r.largestObjects[0];
    parts.push(
      `<p class="callout">Largest retainer: <code>${h(clip(l.name, 80))}</code> (${h(l.className)}, @${l.id}) holds ` +
        `<b>${bytes(l.retainedSize)}</b> (${percent(l.retainedSize, s.totalSize)}) ` +
        `through <code>${h(l.path)}</code></p>`,
    );
  }

  parts.push('<h2>Statistics</h2>' + tableStart([th('Category'), th('Size', 'n'), th('Share', 'n'), th('')], 'plain'));
  for (const [k, v] of statisticsRows(st)) {
    const w = st.total ? Math.round((300 * v) / st.total) : 0;
    const bar = td(`<span class="bar" style="width:${w}px"></span>`);
    parts.push(tr(td(k), num(v, bytes(v)), `<td class="n">${percent(v, st.total)}</td>`, bar));
  }
  parts.push(TABLE_END);

  const shown = r.summary.slice(0, MAX_SUMMARY_ROWS);
  const which = shown.length < r.summary.length ? `The ${shown.length} largest of ` : '';
  parts.push(`<h2>Summary</h2><p class="facts">${which}${r.summary.length} classes. Click a column to sort.</p>`);
  const summaryHeads = [th('Class'), th('Count', 'n'), th('Shallow size', 'n'), th('Retained size', 'desc')];
  parts.push(tableStart([...summaryHeads, th('Share', 'n'), th('Distance', 'n')], 'sortable', 'summary'));
  for (const row of shown) {
    parts.push(
      tr(
        codeTd(clip(row.name, 160)),
        num(row.count, count(row.count)),
        num(row.selfSize, bytes(row.selfSize)),
        num(row.retainedSize, bytes(row.retainedSize)),
        num(row.retainedSize, percent(row.retainedSize, s.totalSize)),
        num(row.distance, distance(row.distance)),
      ),
    );
  }
  parts.push(TABLE_END);

  const largestHeads = [th('#', 'n'), th('Object'), th('Class'), th('Retained', 'n'), th('Shallow', 'n')];
  parts.push('<h2>Largest objects by retained size</h2>' + tableStart([...largestHeads, th('Retainer path')]));
  r.largestObjects.forEach((o, i) => {
    parts.push(
      tr(
        num(i + 1, String(i + 1)),
        codeTd(clip(o.name, 80), ` @${o.id}`),
        td(h(clip(o.className, 60))),
        num(o.retainedSize, bytes(o.retainedSize)),
        num(o.selfSize, bytes(o.selfSize)),
        codeTd(o.path),
      ),
    );
  });
  parts.push(TABLE_END);

  if (r.duplicateStrings.length) {
    const heads = [th('Value'), th('Copies', 'n'), th('Wasted', 'desc'), th('Total', 'n')];
    parts.push('<h2>Duplicate strings</h2>' + tableStart(heads));
    for (const d of r.duplicateStrings) {
      const chars = d.length > 160 ? ` <span class="facts">(${count(d.length)} chars)</span>` : '';
      parts.push(
        tr(
          codeTd(clip(d.value, 160), chars),
          num(d.count, count(d.count)),
          num(d.wastedSize, bytes(d.wastedSize)),
          num(d.totalSize, bytes(d.totalSize)),
        ),
      );
    }
    parts.push(TABLE_END);
  }

  parts.push(...timingsTable(r.timings), `<script>${SORT_SCRIPT}</script></body></html>\n`);
  return parts.join('\n');
}
