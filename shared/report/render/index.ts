import fs from 'node:fs';
import path from 'node:path';
import type { DiffReport } from '../diff-model.js';
import type { AnalysisReport } from '../model.js';
import { renderDiffHtml } from './diff-html.js';
import { renderDiffMarkdown } from './diff-markdown.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';

export { renderDiffHtml, renderDiffMarkdown, renderHtml, renderJson, renderMarkdown };

export const REPORT_FILES = ['report.json', 'report.md', 'report.html'] as const;
export const DIFF_FILES = ['diff.json', 'diff.md', 'diff.html'] as const;

/** Renders report.json, report.md and report.html into `dir` (created if needed); returns their paths. */
export function writeReports(r: AnalysisReport, dir: string): string[] {
  return write(dir, [
    ['report.json', renderJson(r)],
    ['report.md', renderMarkdown(r)],
    ['report.html', renderHtml(r)],
  ]);
}

/** Renders diff.json, diff.md and diff.html into `dir` (created if needed); returns their paths. */
export function writeDiffReports(r: DiffReport, dir: string): string[] {
  return write(dir, [
    ['diff.json', renderJson(r)],
    ['diff.md', renderDiffMarkdown(r)],
    ['diff.html', renderDiffHtml(r)],
  ]);
}

function write(dir: string, files: [string, string][]): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return files.map(([name, text]) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  });
}
