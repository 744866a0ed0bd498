import type { DiffReport } from '../diff-model.js';
import type { AnalysisReport } from '../model.js';

export function renderJson(r: AnalysisReport | DiffReport): string {
  return JSON.stringify(r, null, 2) + '\n';
}
