/** Byte counts as people read them: 1.2 MB, 840 kB, 312 B (decimal units, like DevTools). */
export function bytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let u = 0;
  while (Math.abs(v) >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(Math.abs(v) < 10 ? 2 : 1)} ${units[u]}`;
}

/**
 * Whole numbers with thousands separators, as `toLocaleString('en-US')` writes them (1,234,567), without it for
 * whole numbers: its first call loads the locale data, about 20 ms of a small snapshot's analysis.
 */
export function count(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(n < 0 ? -n : n).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

export function percent(part: number, whole: number): string {
  return whole ? `${((100 * part) / whole).toFixed(1)}%` : '-';
}

/** DevTools shows distances of objects reachable only from system roots (>= 10^8) and unreachable ones as "-". */
export function distance(d: number): string {
  return d < 0 || d >= 100000000 ? '-' : String(d);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Text safe inside a Markdown table cell: no pipes, line breaks, or markup from the snapshot left to act. */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\\`*_[\]|#]/g, (c) => '\\' + c)
    .replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
}

/**
 * Inline code in a Markdown table cell. Backticks inside become a longer fence; pipes are escaped (tables split on
 * them even inside code); line breaks become spaces. Entities are not decoded inside code, so < and > stay.
 */
export function markdownCode(s: string): string {
  const text = s.replace(/[\r\n\t]+/g, ' ').replace(/\|/g, '\\|');
  const runs = text.match(/`+/g);
  const fence = '`'.repeat(runs ? Math.max(...runs.map((r) => r.length)) + 1 : 1);
  const pad = fence.length > 1 || text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return fence + pad + text + pad + fence;
}

/** Cut long snapshot strings for display. */
export function clip(s: string, max = 120): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}
