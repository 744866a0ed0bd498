// Leaks: a class keeps history in a private field.
export const expected = { path: /history -> #items$/, classes: ['Snapshot'] };
class History {
  #items = [];
  add(x) {
    this.#items.push(x);
  }
  get size() {
    return this.#items.length;
  }
}
const history = new History();
class Snapshot {
  constructor(n) {
    this.n = n;
    this.data = [n, n + 1];
  }
}
globalThis.__svc = { history };
export function setup() {
  return { n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 15000; i++) history.add(new Snapshot(s.n++));
}
