import type { AnalysisReport } from '../model.js';

/** DevTools' Statistics as the reports list them: each category and its size. */
export function statisticsRows(st: AnalysisReport['statistics']): [string, number][] {
  return [
    ['Code', st.v8heap.code],
    ['Strings', st.v8heap.strings],
    ['JS arrays', st.v8heap.jsArrays],
    ['Typed arrays', st.native.typedArrays],
    ['System objects', st.v8heap.system],
    ['Native (total)', st.native.total],
    ['V8 heap (total)', st.v8heap.total],
    ['Total', st.total],
  ];
}
