import type { DiffReport, Suspect } from '../diff-model.js';
import { bytes, clip, count, escapeHtml as h } from '../format.js';
import { suspectSentence } from '../sentences.js';
import { chart, type ChartLine } from './chart.js';
import { containersHeading, heapLine, noSuspects, series, signed, signedCount, stepHeads, title } from './diff-text.js';
import { codeTd, delta, num, SORT_SCRIPT, STYLE, TABLE_END, tableStart, td, th, tr } from './page.js';

const DIFF_STYLE = [
  '',
  '.suspect { border: 1px solid #dde; border-radius: 6px; padding: .6rem 1rem; margin: .8rem 0; }',
  '.suspect.high { border-left: 6px solid #d9480f; } .suspect.medium { border-left: 6px solid #f08c00; } ' +
    '.suspect.low { border-left: 6px solid #adb5bd; }',
  '.legend { list-style: none; padding: 0; columns: 2; font-size: 12px; } ' +
    '.legend span { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: middle; }',
  '.pos { color: #c92a2a; } .neg { color: #2b8a3e; }',
  '',
].join('\n');

/** The diff as one self-contained HTML file: suspects, a chart of retained size per snapshot, sortable tables. */
export function renderDiffHtml(r: DiffReport): string {
  const n = r.snapshots.length;
  const viewport = '<meta name="viewport" content="width=device-width, initial-scale=1">';
  const parts: string[] = [
    `<!doctype html><html lang="en"><head><meta charset="utf-8">${viewport}`,
    `<title>heapsight: ${h(title(r))}</title><style>${STYLE}${DIFF_STYLE}</style></head><body>`,
    `<h1>${h(title(r))}</h1>`,
    `<p class="facts">${h(heapLine(r))} ${h(r.process.note)} ` +
      `Generated ${h(r.generatedAt)} by heapsight ${h(r.tool.version)}.</p>`,
  ];
  for (const w of r.process.warnings) parts.push(`<p class="callout"><b>Warning:</b> ${h(w)}</p>`);

  parts.push('<h2>Leak suspects</h2>');
  if (!r.suspects.length) parts.push(`<p class="callout">${noSuspects(r)}</p>`);
  for (const s of r.suspects) parts.push(...suspectHtml(s, n));

  const lines: ChartLine[] = [
    ...r.suspects.slice(0, 4).map((s) => ({
      name: `suspect #${s.rank}: ${s.accumulationPoint.className} ${s.path}`,
      values: s.growth.retainedSize,
    })),
    ...r.trends.classes.slice(0, 6).map((c) => ({ name: `class ${c.name}`, values: c.retainedSize })),
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
    parts.push(`<h2>${containersHeading(r)}</h2>`);
    const heads = [th('Object'), th('Class'), th('Retained per snapshot'), th('Growth', 'desc'), th('Path')];
    parts.push(tableStart(heads));
    for (const c of r.trends.containers) {
      const object = codeTd(clip(c.name, 60), ` @${c.id}`);
      const retained = td(h(series(c.retainedSize)));
      parts.push(tr(object, td(h(clip(c.className, 60))), retained, delta(c.growth, signed(c.growth)), codeTd(c.path)));
    }
    parts.push(TABLE_END);
  }
  if (r.trends.classes.length) {
    const counts = [th('Count per snapshot'), th('Count growth', 'n')];
    const retained = [th('Retained per snapshot'), th('Retained growth', 'desc')];
    parts.push('<h2>Classes that grew in every step</h2>' + tableStart([th('Class'), ...counts, ...retained]));
    for (const c of r.trends.classes) {
      parts.push(
        tr(
          td(h(clip(c.name, 100))),
          td(h(series(c.count, count))),
          delta(c.countGrowth, signedCount(c.countGrowth)),
          td(h(series(c.retainedSize))),
          delta(c.retainedGrowth, signed(c.retainedGrowth)),
        ),
      );
    }
    parts.push(TABLE_END);
  }
  for (const c of r.comparisons) {
    const a = r.snapshots[c.base].source,
      b = r.snapshots[c.target].source;
    const t = c.totals;
    parts.push(`<h2>Comparison ${c.kind === 'first-last' ? 'first vs last' : 'step'}: ${h(a)} → ${h(b)}</h2>`);
    parts.push(
      `<p class="facts">${count(t.addedCount)} objects added (${bytes(t.addedSize)}), ` +
        `${count(t.removedCount)} removed (${bytes(t.removedSize)}), ` +
        "matched by id as in DevTools' Comparison view. Click a column to sort.</p>",
    );
    const counts = [th('# New', 'n'), th('# Deleted', 'n'), th('# Delta', 'n')];
    const sizes = [th('Alloc. size', 'desc'), th('Freed size', 'n'), th('Size delta', 'n'), th('Retained delta', 'n')];
    parts.push(tableStart([th('Class'), ...counts, ...sizes]));
    for (const x of c.rows.slice(0, 2000)) {
      parts.push(
        tr(
          td(h(clip(x.name, 100))),
          num(x.addedCount, count(x.addedCount)),
          num(x.removedCount, count(x.removedCount)),
          delta(x.countDelta, signedCount(x.countDelta)),
          num(x.addedSize, bytes(x.addedSize)),
          num(x.removedSize, bytes(x.removedSize)),
          delta(x.sizeDelta, signed(x.sizeDelta)),
          delta(x.retainedDelta, signed(x.retainedDelta)),
        ),
      );
    }
    parts.push(TABLE_END);
  }
  for (const c of r.histograms) {
    const a = r.snapshots[c.base].source,
      b = r.snapshots[c.target].source;
    const counts = [th('Count before', 'n'), th('Count after', 'n'), th('Count delta', 'n')];
    const sizes = [th('Shallow delta', 'n'), th('Retained delta', 'desc')];
    parts.push(`<h2>Summary by class name: ${h(a)} → ${h(b)}</h2>` + tableStart([th('Class'), ...counts, ...sizes]));
    for (const x of c.rows.slice(0, 2000)) {
      parts.push(
        tr(
          td(h(clip(x.name, 100))),
          num(x.countBefore, count(x.countBefore)),
          num(x.countAfter, count(x.countAfter)),
          delta(x.countDelta, signedCount(x.countDelta)),
          delta(x.selfSizeDelta, signed(x.selfSizeDelta)),
          delta(x.retainedDelta, signed(x.retainedDelta)),
        ),
      );
    }
    parts.push(TABLE_END);
  }
  const snapshotHeads = [th('#', 'n'), th('File'), th('Objects', 'n'), th('Total size', 'n')];
  parts.push('<h2>Snapshots</h2>' + tableStart(snapshotHeads, 'plain'));
  r.snapshots.forEach((s, i) =>
    parts.push(
      tr(
        `<td class="n">${i + 1}</td>`,
        td(h(s.source)),
        num(s.nodeCount, count(s.nodeCount)),
        num(s.totalSize, bytes(s.totalSize)),
      ),
    ),
  );
  parts.push(TABLE_END + '<h2>Timings</h2>' + tableStart([th('Phase'), th('ms', 'n')], 'plain'));
  for (const t of r.timings) parts.push(tr(td(h(t.phase)), `<td class="n">${t.ms.toFixed(1)}</td>`));
  parts.push(TABLE_END);
  parts.push(`<script>${SORT_SCRIPT}</script></body></html>\n`);
  return parts.join('\n');
}

/** A suspect: its sentence, where it is and what holds it, the evidence, and what arrived under it in each step. */
function suspectHtml(s: Suspect, n: number): string[] {
  const p = s.accumulationPoint;
  const sentence = suspectSentence(s, { code: (x) => `<code>${h(x)}</code>`, text: h });
  const name = p.name !== p.className ? ` <code>${h(clip(p.name, 80))}</code>` : '';
  const heldBy = p.heldBy ? `, held by <b>${h(p.heldBy)}</b>` : '';
  const parts = [
    `<div class="suspect ${s.confidence}"><p><b>#${s.rank} · ${h(s.confidence)} confidence</b> · ${sentence}</p>`,
    `<p>Accumulation point: <b>${h(p.className)}</b>${name} @${p.id}${heldBy}` +
      `<br>Retainer path: <code>${h(s.path)}</code></p>`,
    '<ul>' + s.evidence.map((e) => `<li>${h(e)}</li>`).join('') + '</ul>',
  ];
  if (s.accumulates.length) {
    parts.push(tableStart([th('Added under it'), ...stepHeads(n).map((x) => th(x, 'n'))], 'plain'));
    for (const a of s.accumulates.slice(0, 6)) {
      const steps = a.added.map((x) => num(x.bytes, `${count(x.count)} (${bytes(x.bytes)})`));
      parts.push(tr(td(h(clip(a.className, 80))), ...steps));
    }
    parts.push(TABLE_END);
  }
  parts.push('</div>');
  return parts;
}
