import type { DiffReport, Suspect } from '../diff-model.js';
import { bytes, clip, count, escapeMarkdown as md, markdownCode as code } from '../format.js';
import { suspectSentence } from '../sentences.js';
import { row } from './markdown-table.js';
import { containersHeading, heapLine, noSuspects, series, signed, signedCount, stepHeads, title } from './diff-text.js';

/** The diff as Markdown for an incident ticket: suspects first, in sentences, then the tables. */
export function renderDiffMarkdown(r: DiffReport): string {
  const out: string[] = [];
  const n = r.snapshots.length;
  out.push(`# ${md(title(r))}`, '', `${heapLine(r)} ${md(r.process.note)}`, '');
  for (const w of r.process.warnings) out.push(`**Warning:** ${md(w)}`, '');
  out.push('## Leak suspects', '');
  if (!r.suspects.length) out.push(noSuspects(r), '');
  for (const s of r.suspects) suspectMarkdown(out, s, n);

  if (r.trends.containers.length) {
    out.push(`## ${containersHeading(r)}`, '');
    out.push('| Object | Class | Retained per snapshot | Growth | Path |', '| --- | --- | --- | ---: | --- |');
    for (const c of r.trends.containers.slice(0, 15)) {
      const object = `${code(clip(c.name, 40))} @${c.id}`;
      out.push(
        row(object, md(clip(c.className, 40)), series(c.retainedSize), signed(c.growth), code(clip(c.path, 140))),
      );
    }
    out.push('');
  }
  if (r.trends.classes.length) {
    out.push('## Classes that grew in every step', '');
    out.push('| Class | Count per snapshot | Retained per snapshot | Retained growth |', '| --- | --- | --- | ---: |');
    for (const c of r.trends.classes.slice(0, 20)) {
      out.push(row(md(clip(c.name, 60)), series(c.count, count), series(c.retainedSize), signed(c.retainedGrowth)));
    }
    out.push('');
  }
  for (const c of r.comparisons) {
    const a = r.snapshots[c.base].source,
      b = r.snapshots[c.target].source;
    const rows = c.rows.slice(0, c.kind === 'first-last' ? 25 : 10);
    const t = c.totals;
    out.push(`## Comparison ${c.kind === 'first-last' ? 'first vs last' : 'step'}: ${md(a)} → ${md(b)}`, '');
    out.push(
      `${count(t.addedCount)} objects added (${bytes(t.addedSize)}), ` +
        `${count(t.removedCount)} removed (${bytes(t.removedSize)}).` +
        ` The ${rows.length} classes that added the most of ${c.rows.length}:`,
      '',
    );
    out.push(
      '| Class | # New | # Deleted | # Delta | Alloc. size | Freed size | Size delta | Retained delta |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const x of rows) {
      const counts = [count(x.addedCount), count(x.removedCount), signedCount(x.countDelta)];
      const sizes = [bytes(x.addedSize), bytes(x.removedSize), signed(x.sizeDelta), signed(x.retainedDelta)];
      out.push(row(md(clip(x.name, 60)), ...counts, ...sizes));
    }
    out.push('');
  }
  for (const c of r.histograms) {
    const a = r.snapshots[c.base].source,
      b = r.snapshots[c.target].source;
    out.push(`## Summary by class name: ${md(a)} → ${md(b)}`, '');
    out.push('| Class | Count | Count delta | Shallow delta | Retained delta |', '| --- | --- | ---: | ---: | ---: |');
    for (const x of c.rows.slice(0, 25)) {
      const counts = [`${count(x.countBefore)} → ${count(x.countAfter)}`, signedCount(x.countDelta)];
      out.push(row(md(clip(x.name, 60)), ...counts, signed(x.selfSizeDelta), signed(x.retainedDelta)));
    }
    out.push('');
  }
  out.push('## Snapshots', '', '| # | File | Objects | Total size |', '| ---: | --- | ---: | ---: |');
  r.snapshots.forEach((s, i) => out.push(row(String(i + 1), md(s.source), count(s.nodeCount), bytes(s.totalSize))));
  out.push('', '## Timings', '', '| Phase | ms |', '| --- | ---: |');
  for (const t of r.timings) out.push(row(md(t.phase), t.ms.toFixed(1)));
  out.push('', `_heapsight ${r.tool.version}, ${r.generatedAt}_`, '');
  return out.join('\n');
}

function suspectMarkdown(out: string[], s: Suspect, n: number): void {
  const p = s.accumulationPoint;
  const edge = p.edge && !p.edge.startsWith('(') ? ` ${code(clip(p.edge, 80))}` : '';
  out.push(`### ${s.rank}. ${md(clip(p.className, 80))}${edge} (${s.confidence} confidence)`, '');
  out.push(suspectSentence(s, { code: (x) => code(clip(x, 300)), text: md }), '');
  const name = p.name !== p.className ? ` ${code(clip(p.name, 60))}` : '';
  const heldBy = p.heldBy ? `, held by ${md(clip(p.heldBy, 60))}` : '';
  out.push(`- Accumulation point: ${md(clip(p.className, 60))}${name} @${p.id}${heldBy}`);
  out.push(`- Retainer path: ${code(clip(s.path, 300))}`);
  for (const e of s.evidence) out.push(`- ${md(e)}`);
  if (s.accumulates.length) {
    out.push('', row('Added under it', ...stepHeads(n)), row('---', ...stepHeads(n).map(() => '---:')));
    for (const a of s.accumulates.slice(0, 6)) {
      out.push(row(md(clip(a.className, 60)), ...a.added.map((x) => `${count(x.count)} (${bytes(x.bytes)})`)));
    }
  }
  out.push('');
}
