import type { AnalysisReport } from '../model.js';
import { bytes, clip, count, distance, escapeHtml as h, percent } from '../format.js';

const MAX_SUMMARY_ROWS = 2000;

/** Sorts a table when its header is clicked; numbers come from each cell's data-v. No network, no libraries. */
export const SORT_SCRIPT = `
for (const table of document.querySelectorAll('table.sortable')) {
  const heads = table.tHead.rows[0].cells;
  for (let i = 0; i < heads.length; i++) {
    heads[i].addEventListener('click', () => {
      const body = table.tBodies[0];
      const desc = heads[i].dataset.dir !== 'desc';
      for (const th of heads) delete th.dataset.dir;
      heads[i].dataset.dir = desc ? 'desc' : 'asc';
      const rows = Array.from(body.rows);
      const key = (r) => { const c = r.cells[i]; return c.dataset.v !== undefined ? Number(c.dataset.v) : c.textContent.toLowerCase(); };
      rows.sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1); });
      body.append(...rows);
    });
  }
}`;

export const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, Segoe UI, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #1d2330; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #dde; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid #eef; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; white-space: nowrap; }
table.sortable th { cursor: pointer; user-select: none; } table.sortable th:hover { background: #f2f4fa; }
th[data-dir=desc]::after { content: ' ▼'; } th[data-dir=asc]::after { content: ' ▲'; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }
.facts { color: #556; } .bar { background: #4c6ef5; height: 8px; display: inline-block; vertical-align: middle; }
.callout { background: #f5f7ff; border-left: 4px solid #4c6ef5; padding: .6rem 1rem; }
`;

/** The analysis as one self-contained HTML file. Every string from the snapshot is escaped. */
export function renderHtml(r: AnalysisReport): string {
  const s = r.snapshot;
  const st = r.statistics;
  const num = (v: number, text: string) => `<td class="n" data-v="${v}">${h(text)}</td>`;
  const parts: string[] = [];
  parts.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>heapsight: ${h(s.source)}</title><style>${STYLE}</style></head><body>`,
  );
  parts.push(`<h1>Heap snapshot analysis: ${h(s.source)}</h1>`);
  parts.push(
    `<p class="facts">${count(s.nodeCount)} objects, ${count(s.edgeCount)} references, total size <b>${bytes(s.totalSize)}</b>` +
      ` (file ${bytes(s.fileBytes)}${s.gzip ? ', gzip' : ''}). Generated ${h(r.generatedAt)} by heapsight ${h(r.tool.version)}.</p>`,
  );
  if (r.largestObjects.length) {
    const l = r.largestObjects[0];
    parts.push(
      `<p class="callout">Largest retainer: <code>${h(clip(l.name, 80))}</code> (${h(l.className)}, @${l.id}) holds ` +
        `<b>${bytes(l.retainedSize)}</b> (${percent(l.retainedSize, s.totalSize)}) through <code>${h(l.path)}</code></p>`,
    );
  }

  parts.push(
    '<h2>Statistics</h2><table><thead><tr><th>Category</th><th class="n">Size</th><th class="n">Share</th><th></th></tr></thead><tbody>',
  );
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
  for (const [k, v] of statRows) {
    const w = st.total ? Math.round((300 * v) / st.total) : 0;
    parts.push(
      `<tr><td>${k}</td>${num(v, bytes(v))}<td class="n">${percent(v, st.total)}</td><td><span class="bar" style="width:${w}px"></span></td></tr>`,
    );
  }
  parts.push('</tbody></table>');

  const shown = r.summary.slice(0, MAX_SUMMARY_ROWS);
  parts.push(
    `<h2>Summary</h2><p class="facts">${shown.length < r.summary.length ? `The ${shown.length} largest of ` : ''}${r.summary.length} classes. Click a column to sort.</p>`,
  );
  parts.push(
    '<table class="sortable" id="summary"><thead><tr><th>Class</th><th class="n">Count</th><th class="n">Shallow size</th>' +
      '<th class="n" data-dir="desc">Retained size</th><th class="n">Share</th><th class="n">Distance</th></tr></thead><tbody>',
  );
  for (const row of shown) {
    parts.push(
      `<tr><td><code>${h(clip(row.name, 160))}</code></td>${num(row.count, count(row.count))}${num(row.selfSize, bytes(row.selfSize))}` +
        `${num(row.retainedSize, bytes(row.retainedSize))}${num(row.retainedSize, percent(row.retainedSize, s.totalSize))}` +
        `${num(row.distance, distance(row.distance))}</tr>`,
    );
  }
  parts.push('</tbody></table>');

  parts.push(
    '<h2>Largest objects by retained size</h2><table class="sortable"><thead><tr><th class="n">#</th><th>Object</th><th>Class</th>' +
      '<th class="n">Retained</th><th class="n">Shallow</th><th>Retainer path</th></tr></thead><tbody>',
  );
  r.largestObjects.forEach((o, i) => {
    parts.push(
      `<tr>${num(i + 1, String(i + 1))}<td><code>${h(clip(o.name, 80))}</code> @${o.id}</td><td>${h(clip(o.className, 60))}</td>` +
        `${num(o.retainedSize, bytes(o.retainedSize))}${num(o.selfSize, bytes(o.selfSize))}<td><code>${h(o.path)}</code></td></tr>`,
    );
  });
  parts.push('</tbody></table>');

  if (r.duplicateStrings.length) {
    parts.push(
      '<h2>Duplicate strings</h2><table class="sortable"><thead><tr><th>Value</th><th class="n">Copies</th>' +
        '<th class="n" data-dir="desc">Wasted</th><th class="n">Total</th></tr></thead><tbody>',
    );
    for (const d of r.duplicateStrings) {
      parts.push(
        `<tr><td><code>${h(clip(d.value, 160))}</code>${d.length > 160 ? ` <span class="facts">(${count(d.length)} chars)</span>` : ''}</td>` +
          `${num(d.count, count(d.count))}${num(d.wastedSize, bytes(d.wastedSize))}${num(d.totalSize, bytes(d.totalSize))}</tr>`,
      );
    }
    parts.push('</tbody></table>');
  }

  parts.push('<h2>Timings</h2><table><thead><tr><th>Phase</th><th class="n">ms</th></tr></thead><tbody>');
  for (const t of r.timings) parts.push(`<tr><td>${h(t.phase)}</td><td class="n">${t.ms.toFixed(1)}</td></tr>`);
  parts.push('</tbody></table>');
  parts.push(`<script>${SORT_SCRIPT}</script></body></html>\n`);
  return parts.join('\n');
}
