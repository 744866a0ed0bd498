import fs from 'node:fs';
import path from 'node:path';
import type { DiffReport, Suspect } from '../diff-model.js';
import { bytes, clip, count, escapeHtml as h, escapeMarkdown as md, markdownCode as code } from '../format.js';
import { SORT_SCRIPT, STYLE } from './html.js';
import { suspectSentence } from '../sentences.js';

export const DIFF_FILES = ['diff.json', 'diff.md', 'diff.html'] as const;

/** Renders diff.json, diff.md and diff.html into `dir` (created if needed); returns their paths. */
export function writeDiffReports(r: DiffReport, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['diff.json', renderDiffJson(r)],
    ['diff.md', renderDiffMarkdown(r)],
    ['diff.html', renderDiffHtml(r)],
  ];
  return files.map(([name, text]) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  });
}

export function renderDiffJson(r: DiffReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}

const signed = (n: number) => (n > 0 ? '+' : n < 0 ? '−' : '') + bytes(Math.abs(n));
const signedCount = (n: number) => (n > 0 ? '+' : n < 0 ? '−' : '') + count(Math.abs(n));
const series = (vals: (number | null)[], f: (n: number) => string = bytes) =>
  vals.map((v) => (v === null ? '-' : f(v))).join(' → ');

function title(r: DiffReport): string {
  const a = r.snapshots[0].source,
    b = r.snapshots[r.snapshots.length - 1].source;
  return `Heap growth: ${a} → ${b} (${r.snapshots.length} snapshots)`;
}

function heapLine(r: DiffReport): string {
  const t = r.snapshots.map((s) => s.totalSize);
  return `Heap total ${series(t)} (${signed(t[t.length - 1] - t[0])}).`;
}

/** What a verdict says in one sentence per suspect, for webhooks and the command line too. */
export function verdict(r: DiffReport): string {
  if (!r.suspects.length) return 'No leak suspects: nothing grew steadily while keeping what it gained.';
  return r.suspects.map((s) => `#${s.rank} (${s.confidence}) ${s.summary}`).join('\n');
}

/** The diff as Markdown for an incident ticket: suspects first, in sentences, then the tables. */
export function renderDiffMarkdown(r: DiffReport): string {
  const out: string[] = [];
  const n = r.snapshots.length;
  out.push(`# ${md(title(r))}`, '', `${heapLine(r)} ${md(r.process.note)}`, '');
  for (const w of r.process.warnings) out.push(`**Warning:** ${md(w)}`, '');
  out.push('## Leak suspects', '');
  if (!r.suspects.length)
    out.push(
      r.process.sameProcess
        ? 'None: no object grew in every step while keeping what it gained.'
        : 'None: no container at the same retainer path grew in every step.',
      '',
    );
  for (const s of r.suspects) suspectMarkdown(out, s, n);

  if (r.trends.containers.length) {
    out.push(
      `## Containers that grew in every step${r.trends.containers[0].matchedBy === 'path' ? ' (matched by retainer path)' : ''}`,
      '',
    );
    out.push('| Object | Class | Retained per snapshot | Growth | Path |', '| --- | --- | --- | ---: | --- |');
    for (const c of r.trends.containers.slice(0, 15)) {
      out.push(
        `| ${code(clip(c.name, 40))} @${c.id} | ${md(clip(c.className, 40))} | ${series(c.retainedSize)} | ${signed(c.growth)} | ${code(clip(c.path, 140))} |`,
      );
    }
    out.push('');
  }
  if (r.trends.classes.length) {
    out.push('## Classes that grew in every step', '');
    out.push('| Class | Count per snapshot | Retained per snapshot | Retained growth |', '| --- | --- | --- | ---: |');
    for (const c of r.trends.classes.slice(0, 20)) {
      out.push(
        `| ${md(clip(c.name, 60))} | ${series(c.count, count)} | ${series(c.retainedSize)} | ${signed(c.retainedGrowth)} |`,
      );
    }
    out.push('');
  }
  for (const c of r.comparisons) {
    const a = r.snapshots[c.base].source,
      b = r.snapshots[c.target].source;
    const rows = c.rows.slice(0, c.kind === 'first-last' ? 25 : 10);
    out.push(`## Comparison ${c.kind === 'first-last' ? 'first vs last' : 'step'}: ${md(a)} → ${md(b)}`, '');
    out.push(
      `${count(c.totals.addedCount)} objects added (${bytes(c.totals.addedSize)}), ${count(c.totals.removedCount)} removed (${bytes(c.totals.removedSize)}).` +
        ` The ${rows.length} classes that added the most of ${c.rows.length}:`,
      '',
    );
    out.push(
      '| Class | # New | # Deleted | # Delta | Alloc. size | Freed size | Size delta | Retained delta |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const x of rows) {
      out.push(
        `| ${md(clip(x.name, 60))} | ${count(x.addedCount)} | ${count(x.removedCount)} | ${signedCount(x.countDelta)} | ${bytes(x.addedSize)} | ${bytes(x.removedSize)} | ${signed(x.sizeDelta)} | ${signed(x.retainedDelta)} |`,
      );
    }
    out.push('');
  }
  for (const c of r.histograms) {
    const a = r.snapshots[c.base].source,
      b = r.snapshots[c.target].source;
    out.push(`## Summary by class name: ${md(a)} → ${md(b)}`, '');
    out.push('| Class | Count | Count delta | Shallow delta | Retained delta |', '| --- | --- | ---: | ---: | ---: |');
    for (const x of c.rows.slice(0, 25)) {
      out.push(
        `| ${md(clip(x.name, 60))} | ${count(x.countBefore)} → ${count(x.countAfter)} | ${signedCount(x.countDelta)} | ${signed(x.selfSizeDelta)} | ${signed(x.retainedDelta)} |`,
      );
    }
    out.push('');
  }
  out.push('## Snapshots', '', '| # | File | Objects | Total size |', '| ---: | --- | ---: | ---: |');
  r.snapshots.forEach((s, i) =>
    out.push(`| ${i + 1} | ${md(s.source)} | ${count(s.nodeCount)} | ${bytes(s.totalSize)} |`),
  );
  out.push('', '## Timings', '', '| Phase | ms |', '| --- | ---: |');
  for (const t of r.timings) out.push(`| ${md(t.phase)} | ${t.ms.toFixed(1)} |`);
  out.push('', `_heapsight ${r.tool.version}, ${r.generatedAt}_`, '');
  return out.join('\n');
}

function suspectMarkdown(out: string[], s: Suspect, n: number): void {
  const p = s.accumulationPoint;
  out.push(
    `### ${s.rank}. ${md(clip(p.className, 80))}${p.edge && !p.edge.startsWith('(') ? ` ${code(clip(p.edge, 80))}` : ''} (${s.confidence} confidence)`,
    '',
  );
  out.push(suspectSentence(s, { code: (x) => code(clip(x, 300)), text: md }), '');
  out.push(
    `- Accumulation point: ${md(clip(p.className, 60))}${p.name !== p.className ? ` ${code(clip(p.name, 60))}` : ''} @${p.id}${p.heldBy ? `, held by ${md(clip(p.heldBy, 60))}` : ''}`,
  );
  out.push(`- Retainer path: ${code(clip(s.path, 300))}`);
  for (const e of s.evidence) out.push(`- ${md(e)}`);
  if (s.accumulates.length) {
    out.push(
      '',
      `| Added under it | ${Array.from({ length: n - 1 }, (_, i) => `Step ${i + 1}→${i + 2}`).join(' | ')} |`,
      `| --- | ${Array.from({ length: n - 1 }, () => '---:').join(' | ')} |`,
    );
    for (const a of s.accumulates.slice(0, 6)) {
      out.push(
        `| ${md(clip(a.className, 60))} | ${a.added.map((x) => `${count(x.count)} (${bytes(x.bytes)})`).join(' | ')} |`,
      );
    }
  }
  out.push('');
}

const PALETTE = [
  '#d9480f',
  '#4c6ef5',
  '#2b8a3e',
  '#ae3ec9',
  '#1098ad',
  '#f08c00',
  '#495057',
  '#e64980',
  '#74b816',
  '#7048e8',
];

/** An inline SVG line chart: one line per series over the snapshots. */
function chart(labels: string[], lines: { name: string; values: (number | null)[] }[]): string {
  if (!lines.length) return '';
  const W = 760,
    H = 260,
    L = 80,
    R = 20,
    T = 16,
    B = 40;
  const max = Math.max(1, ...lines.flatMap((l) => l.values.map((v) => v ?? 0)));
  const x = (i: number) => L + (labels.length === 1 ? 0 : (i * (W - L - R)) / (labels.length - 1));
  const y = (v: number) => T + (H - T - B) * (1 - v / max);
  const parts: string[] = [
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="Retained size per snapshot">`,
  ];
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    parts.push(
      `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e6ef"/><text x="${L - 6}" y="${y(v) + 4}" text-anchor="end" font-size="11">${h(bytes(Math.round(v)))}</text>`,
    );
  }
  labels.forEach((lab, i) => {
    const anchor =
      labels.length > 1 && i === labels.length - 1 ? 'end' : i === 0 && labels.length > 1 ? 'start' : 'middle';
    parts.push(`<text x="${x(i)}" y="${H - B + 16}" text-anchor="${anchor}" font-size="11">${h(clip(lab, 28))}</text>`);
  });
  lines.forEach((l, k) => {
    const color = PALETTE[k % PALETTE.length];
    const pts = l.values.map((v, i) => `${x(i).toFixed(1)},${y(v ?? 0).toFixed(1)}`).join(' ');
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}"><title>${h(l.name)}</title></polyline>`,
    );
    l.values.forEach((v, i) =>
      parts.push(
        `<circle cx="${x(i).toFixed(1)}" cy="${y(v ?? 0).toFixed(1)}" r="3" fill="${color}"><title>${h(l.name)}: ${h(v === null ? '-' : bytes(v))}</title></circle>`,
      ),
    );
  });
  parts.push('</svg>');
  parts.push(
    '<ul class="legend">' +
      lines
        .map(
          (l, k) => `<li><span style="background:${PALETTE[k % PALETTE.length]}"></span>${h(clip(l.name, 120))}</li>`,
        )
        .join('') +
      '</ul>',
  );
  return parts.join('');
}

const DIFF_STYLE = `
.suspect { border: 1px solid #dde; border-radius: 6px; padding: .6rem 1rem; margin: .8rem 0; }
.suspect.high { border-left: 6px solid #d9480f; } .suspect.medium { border-left: 6px solid #f08c00; } .suspect.low { border-left: 6px solid #adb5bd; }
.legend { list-style: none; padding: 0; columns: 2; font-size: 12px; } .legend span { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: middle; }
.pos { color: #c92a2a; } .neg { color: #2b8a3e; }
`;

/** The diff as one self-contained HTML file: suspects, a chart of retained size per snapshot, sortable tables. */
export function renderDiffHtml(r: DiffReport): string {
  const n = r.snapshots.length;
  const num = (v: number, text: string, cls = '') =>
    `<td class="n${cls ? ' ' + cls : ''}" data-v="${v}">${h(text)}</td>`;
  const delta = (v: number, text: string) => num(v, text, v > 0 ? 'pos' : v < 0 ? 'neg' : '');
  const parts: string[] = [];
  parts.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>heapsight: ${h(title(r))}</title><style>${STYLE}${DIFF_STYLE}</style></head><body>`,
  );
  parts.push(`<h1>${h(title(r))}</h1>`);
  parts.push(
    `<p class="facts">${h(heapLine(r))} ${h(r.process.note)} Generated ${h(r.generatedAt)} by heapsight ${h(r.tool.version)}.</p>`,
  );
  for (const w of r.process.warnings) parts.push(`<p class="callout"><b>Warning:</b> ${h(w)}</p>`);

  parts.push('<h2>Leak suspects</h2>');
  if (!r.suspects.length)
    parts.push(
      `<p class="callout">${r.process.sameProcess ? 'None: no object grew in every step while keeping what it gained.' : 'None: no container at the same retainer path grew in every step.'}</p>`,
    );
  for (const s of r.suspects) {
    const p = s.accumulationPoint;
    parts.push(
      `<div class="suspect ${s.confidence}"><p><b>#${s.rank} · ${h(s.confidence)} confidence</b> · ${suspectSentence(s, { code: (x) => `<code>${h(x)}</code>`, text: h })}</p>`,
    );
    parts.push(
      `<p>Accumulation point: <b>${h(p.className)}</b>${p.name !== p.className ? ` <code>${h(clip(p.name, 80))}</code>` : ''} @${p.id}` +
        `${p.heldBy ? `, held by <b>${h(p.heldBy)}</b>` : ''}<br>Retainer path: <code>${h(s.path)}</code></p>`,
    );
    parts.push('<ul>' + s.evidence.map((e) => `<li>${h(e)}</li>`).join('') + '</ul>');
    if (s.accumulates.length) {
      parts.push(
        `<table><thead><tr><th>Added under it</th>${Array.from({ length: n - 1 }, (_, i) => `<th class="n">Step ${i + 1}→${i + 2}</th>`).join('')}</tr></thead><tbody>`,
      );
      for (const a of s.accumulates.slice(0, 6)) {
        parts.push(
          `<tr><td>${h(clip(a.className, 80))}</td>${a.added.map((x) => num(x.bytes, `${count(x.count)} (${bytes(x.bytes)})`)).join('')}</tr>`,
        );
      }
      parts.push('</tbody></table>');
    }
    parts.push('</div>');
  }

  const lines = [
    ...r.suspects.slice(0, 4).map((s) => ({
      name: `suspect #${s.rank}: ${s.accumulationPoint.className} ${s.path}`,
      values: s.growth.retainedSize,
    })),
    ...r.trends.classes
      .slice(0, 6)
      .map((c) => ({ name: `class ${c.name}`, values: c.retainedSize as (number | null)[] })),
  ];
  // the whole heap for scale, and so a series with nothing growing still shows its shape
  if (lines.length < 4) lines.push({ name: 'heap total', values: r.snapshots.map((s) => s.totalSize) });
  parts.push('<h2>Retained size per snapshot</h2>');
  parts.push(
    chart(
      r.snapshots.map((s, i) => `${i + 1}. ${s.source}`),
      lines,
    ),
  );

  if (r.trends.containers.length) {
    parts.push(
      `<h2>Containers that grew in every step${r.trends.containers[0].matchedBy === 'path' ? ' (matched by retainer path)' : ''}</h2>`,
    );
    parts.push(
      '<table class="sortable"><thead><tr><th>Object</th><th>Class</th><th>Retained per snapshot</th><th class="n" data-dir="desc">Growth</th><th>Path</th></tr></thead><tbody>',
    );
    for (const c of r.trends.containers) {
      parts.push(
        `<tr><td><code>${h(clip(c.name, 60))}</code> @${c.id}</td><td>${h(clip(c.className, 60))}</td><td>${h(series(c.retainedSize))}</td>${delta(c.growth, signed(c.growth))}<td><code>${h(c.path)}</code></td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  if (r.trends.classes.length) {
    parts.push(
      '<h2>Classes that grew in every step</h2><table class="sortable"><thead><tr><th>Class</th><th>Count per snapshot</th>' +
        '<th class="n">Count growth</th><th>Retained per snapshot</th><th class="n" data-dir="desc">Retained growth</th></tr></thead><tbody>',
    );
    for (const c of r.trends.classes) {
      parts.push(
        `<tr><td>${h(clip(c.name, 100))}</td><td>${h(series(c.count, count))}</td>${delta(c.countGrowth, signedCount(c.countGrowth))}` +
          `<td>${h(series(c.retainedSize))}</td>${delta(c.retainedGrowth, signed(c.retainedGrowth))}</tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  for (const c of r.comparisons) {
    const a = r.snapshots[c.base].source,
      b = r.snapshots[c.target].source;
    parts.push(`<h2>Comparison ${c.kind === 'first-last' ? 'first vs last' : 'step'}: ${h(a)} → ${h(b)}</h2>`);
    parts.push(
      `<p class="facts">${count(c.totals.addedCount)} objects added (${bytes(c.totals.addedSize)}), ${count(c.totals.removedCount)} removed (${bytes(c.totals.removedSize)}), matched by id as in DevTools' Comparison view. Click a column to sort.</p>`,
    );
    parts.push(
      '<table class="sortable"><thead><tr><th>Class</th><th class="n"># New</th><th class="n"># Deleted</th><th class="n"># Delta</th>' +
        '<th class="n" data-dir="desc">Alloc. size</th><th class="n">Freed size</th><th class="n">Size delta</th><th class="n">Retained delta</th></tr></thead><tbody>',
    );
    for (const x of c.rows.slice(0, 2000)) {
      parts.push(
        `<tr><td>${h(clip(x.name, 100))}</td>${num(x.addedCount, count(x.addedCount))}${num(x.removedCount, count(x.removedCount))}` +
          `${delta(x.countDelta, signedCount(x.countDelta))}${num(x.addedSize, bytes(x.addedSize))}${num(x.removedSize, bytes(x.removedSize))}` +
          `${delta(x.sizeDelta, signed(x.sizeDelta))}${delta(x.retainedDelta, signed(x.retainedDelta))}</tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  for (const c of r.histograms) {
    const a = r.snapshots[c.base].source,
      b = r.snapshots[c.target].source;
    parts.push(
      `<h2>Summary by class name: ${h(a)} → ${h(b)}</h2><table class="sortable"><thead><tr><th>Class</th><th class="n">Count before</th>` +
        '<th class="n">Count after</th><th class="n">Count delta</th><th class="n">Shallow delta</th><th class="n" data-dir="desc">Retained delta</th></tr></thead><tbody>',
    );
    for (const x of c.rows.slice(0, 2000)) {
      parts.push(
        `<tr><td>${h(clip(x.name, 100))}</td>${num(x.countBefore, count(x.countBefore))}${num(x.countAfter, count(x.countAfter))}` +
          `${delta(x.countDelta, signedCount(x.countDelta))}${delta(x.selfSizeDelta, signed(x.selfSizeDelta))}${delta(x.retainedDelta, signed(x.retainedDelta))}</tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  parts.push(
    '<h2>Snapshots</h2><table><thead><tr><th class="n">#</th><th>File</th><th class="n">Objects</th><th class="n">Total size</th></tr></thead><tbody>',
  );
  r.snapshots.forEach((s, i) =>
    parts.push(
      `<tr><td class="n">${i + 1}</td><td>${h(s.source)}</td>${num(s.nodeCount, count(s.nodeCount))}${num(s.totalSize, bytes(s.totalSize))}</tr>`,
    ),
  );
  parts.push(
    '</tbody></table><h2>Timings</h2><table><thead><tr><th>Phase</th><th class="n">ms</th></tr></thead><tbody>',
  );
  for (const t of r.timings) parts.push(`<tr><td>${h(t.phase)}</td><td class="n">${t.ms.toFixed(1)}</td></tr>`);
  parts.push('</tbody></table>');
  parts.push(`<script>${SORT_SCRIPT}</script></body></html>\n`);
  return parts.join('\n');
}
