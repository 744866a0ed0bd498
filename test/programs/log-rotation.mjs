// Does not leak: a log kept in memory but rotated to its last 3,000 lines.
const lines = [];
globalThis.__log = { lines };
export const expected = null;
export function setup() {
  return { n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 30000; i++) {
    const n = s.n++;
    lines.push(`line ${n} at ${Date.now()} ` + 'y'.repeat(n % 50));
    if (lines.length > 3000) lines.shift();
  }
}
