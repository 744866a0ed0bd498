import type { AnalysisReport } from '../model.js';

export function renderJson(r: AnalysisReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}
