// Leaks: a debug trace kept by appending to one module-level string; the string is replaced on every append, so the
// growth is held by the variable, not by any one object that lasts.
let trace = '';
globalThis.__debug = {
  get size() {
    return trace.length;
  },
};
export const expected = { path: /trace/, classes: ['(concatenated string)'] };
export function setup() {
  return { n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 20000; i++) {
    const n = s.n++;
    trace += `op ${n} took ${n % 17} ms;`;
  }
}
