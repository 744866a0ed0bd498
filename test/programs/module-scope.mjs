// Leaks: a module-private cache, reachable only through the closure of an exported function.
export const expected = { path: /responseCache -> \(table\)$/, classes: ['{body}'] };
const responseCache = new Map();
export function handle(id) {
  if (!responseCache.has(id)) responseCache.set(id, { body: 'resp-' + id, at: Date.now() });
  return responseCache.get(id);
}
export function setup() {
  return { n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 15000; i++) handle('r' + s.n++);
}
