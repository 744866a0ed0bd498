import fs from 'node:fs';
import path from 'node:path';
import type { AnalysisReport } from '../model.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';

export { renderHtml, renderJson, renderMarkdown };

export const REPORT_FILES = ['report.json', 'report.md', 'report.html'] as const;

/** Renders the three report files into `dir` (created if needed); returns their paths. */
export function writeReports(r: AnalysisReport, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['report.json', renderJson(r)],
    ['report.md', renderMarkdown(r)],
    ['report.html', renderHtml(r)],
  ];
  return files.map(([name, text]) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  });
}
