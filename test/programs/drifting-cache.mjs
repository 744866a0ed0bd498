// Does not leak: a bounded LRU whose values get a little larger every round. Its retained size grows in every step,
// but every entry is replaced: nothing accumulates.
const cache = new Map();
globalThis.__drift = cache;
export const expected = null;
export function setup() {
  return { k: 0 };
}
export async function step(s, round) {
  for (let i = 0; i < 30000; i++) {
    const k = s.k++;
    cache.set(k, { k, body: 'z'.repeat(40 + 8 * round + (k % 7)) });
    if (cache.size > 4000) cache.delete(cache.keys().next().value);
  }
}
