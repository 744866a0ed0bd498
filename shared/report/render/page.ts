import { escapeHtml as h } from '../format.js';

/**
 * What the HTML reports share: their style, the script that sorts tables (no network, no libraries), and cells and
 * rows. Text from the snapshot goes through `h` (escaped) wherever it reaches a page.
 */

/** Sorts a table when its header is clicked; numbers come from each cell's data-v. */
export const SORT_SCRIPT = [
  '',
  "for (const table of document.querySelectorAll('table.sortable')) {",
  '  const heads = table.tHead.rows[0].cells;',
  '  for (let i = 0; i < heads.length; i++) {',
  "    heads[i].addEventListener('click', () => {",
  '      const body = table.tBodies[0];',
  "      const desc = heads[i].dataset.dir !== 'desc';",
  '      for (const th of heads) delete th.dataset.dir;',
  "      heads[i].dataset.dir = desc ? 'desc' : 'asc';",
  '      const rows = Array.from(body.rows);',
  '      const key = (r) => { const c = r.cells[i]; ' +
    'return c.dataset.v !== undefined ? Number(c.dataset.v) : c.textContent.toLowerCase(); };',
  '      rows.sort((a, b) => { const x = key(a), y = key(b); ' +
    'return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1); });',
  '      body.append(...rows);',
  '    });',
  '  }',
  '}',
].join('\n');

export const STYLE = [
  '',
  'body { font: 14px/1.45 system-ui, -apple-system, Segoe UI, sans-serif; margin: 2rem auto; max-width: 1200px; ' +
    'padding: 0 1rem; color: #1d2330; }',
  'h1 { font-size: 1.5rem; margin-bottom: .2rem; } ' +
    'h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #dde; }',
  'table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }',
  'th, td { padding: .25rem .5rem; border-bottom: 1px solid #eef; text-align: left; vertical-align: top; }',
  'td.n, th.n { text-align: right; white-space: nowrap; }',
  'table.sortable th { cursor: pointer; user-select: none; } table.sortable th:hover { background: #f2f4fa; }',
  "th[data-dir=desc]::after { content: ' ▼'; } th[data-dir=asc]::after { content: ' ▲'; }",
  'code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; }',
  '.facts { color: #556; } .bar { background: #4c6ef5; height: 8px; display: inline-block; vertical-align: middle; }',
  '.callout { background: #f5f7ff; border-left: 4px solid #4c6ef5; padding: .6rem 1rem; }',
  '',
].join('\n');

/** A cell of a number: shown as `text`, sorted by `v`; `cls` adds a class (pos, neg). */
export function num(v: number, text: string, cls = ''): string {
  return `<td class="n${cls ? ' ' + cls : ''}" data-v="${v}">${h(text)}</td>`;
}

/** A cell of a change: red when it grew, green when it shrank. */
export function delta(v: number, text: string): string {
  return num(v, text, v > 0 ? 'pos' : v < 0 ? 'neg' : '');
}

/** A cell of HTML (escape what goes in). */
export const td = (html: string) => `<td>${html}</td>`;
/** A cell of code from the snapshot, escaped. */
export const codeTd = (text: string, after = '') => `<td><code>${h(text)}</code>${after}</td>`;
export const tr = (...cells: string[]) => `<tr>${cells.join('')}</tr>`;

/** A header cell: `n` right-aligned for numbers, `desc` the column the table is sorted by. */
export function th(label: string, how: '' | 'n' | 'desc' = ''): string {
  if (how === 'desc') return `<th class="n" data-dir="desc">${label}</th>`;
  return how === 'n' ? `<th class="n">${label}</th>` : `<th>${label}</th>`;
}

/** A table's start, up to its body: sortable by clicking its headers unless `plain`. */
export function tableStart(heads: string[], kind: 'sortable' | 'plain' = 'sortable', id = ''): string {
  const attrs = kind === 'sortable' ? ` class="sortable"${id ? ` id="${id}"` : ''}` : '';
  return `<table${attrs}><thead><tr>${heads.join('')}</tr></thead><tbody>`;
}

export const TABLE_END = '</tbody></table>';

/** The Timings table, the last of every report. */
export function timingsTable(timings: { phase: string; ms: number }[]): string[] {
  return [
    '<h2>Timings</h2>' + tableStart([th('Phase'), th('ms', 'n')], 'plain'),
    ...timings.map((t) => tr(td(h(t.phase)), `<td class="n">${t.ms.toFixed(1)}</td>`)),
    TABLE_END,
  ];
}
