// Does not leak: a lookup table filled on first use and then only read; later rounds allocate and drop garbage.
const table = new Map();
globalThis.__lookup = table;
export const expected = null;
export function setup() {
  return {};
}
export async function step(s, round) {
  if (round === 0) for (let i = 0; i < 20000; i++) table.set('k' + i, { v: i, label: 'item ' + i });
  let sum = 0;
  for (let i = 0; i < 50000; i++) {
    const tmp = { a: i, b: [i, i + 1], s: 'x' + i };
    sum += tmp.b.length;
  }
  globalThis.__sum = sum;
}
