import { bytes, clip, escapeHtml as h } from '../format.js';

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

export interface ChartLine {
  name: string;
  values: (number | null)[];
}

/** An inline SVG line chart: one line per series over the snapshots (`labels`), and its legend. */
export function chart(labels: string[], lines: ChartLine[]): string {
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
  const label = 'aria-label="Retained size per snapshot"';
  const parts: string[] = [
    `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" ${label}>`,
  ];
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    const at = `x="${L - 6}" y="${y(v) + 4}"`;
    const text = `<text ${at} text-anchor="end" font-size="11">${h(bytes(Math.round(v)))}</text>`;
    parts.push(`<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e6ef"/>${text}`);
  }
  labels.forEach((lab, i) => {
    const last = labels.length > 1 && i === labels.length - 1;
    const anchor = last ? 'end' : i === 0 && labels.length > 1 ? 'start' : 'middle';
    parts.push(`<text x="${x(i)}" y="${H - B + 16}" text-anchor="${anchor}" font-size="11">${h(clip(lab, 28))}</text>`);
  });
  lines.forEach((l, k) => {
    const color = PALETTE[k % PALETTE.length];
    const pts = l.values.map((v, i) => `${x(i).toFixed(1)},${y(v ?? 0).toFixed(1)}`).join(' ');
    const title = `<title>${h(l.name)}</title>`;
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}">${title}</polyline>`);
    l.values.forEach((v, i) => {
      const at = `cx="${x(i).toFixed(1)}" cy="${y(v ?? 0).toFixed(1)}"`;
      const value = `<title>${h(l.name)}: ${h(v === null ? '-' : bytes(v))}</title>`;
      parts.push(`<circle ${at} r="3" fill="${color}">${value}</circle>`);
    });
  });
  parts.push('</svg>');
  const legend = lines.map(
    (l, k) => `<li><span style="background:${PALETTE[k % PALETTE.length]}"></span>${h(clip(l.name, 120))}</li>`,
  );
  parts.push('<ul class="legend">' + legend.join('') + '</ul>');
  return parts.join('');
}
