// Leaks: a plain object used as a dictionary of sessions by token; tokens are added and never deleted.
const sessions = {};
globalThis.__auth = { sessions };
export const expected = { path: /sessions/, classes: ['{scopes}'] };
export function setup() {
  return { n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 12000; i++) {
    const n = s.n++;
    sessions['tok-' + n.toString(36)] = { user: n, scopes: ['read', 'write'], seen: Date.now() };
  }
}
