// Leaks: a list whose links alternate between two classes, appended at the tail (150,000 links deep).
class Even {
  constructor(v) {
    this.v = v;
    this.next = null;
  }
}
class Odd {
  constructor(v) {
    this.v = v;
    this.next = null;
  }
}
const list = { head: null, tail: null };
globalThis.__alt = list;
export const expected = { path: /__alt -> head$/, classes: ['Even', 'Odd'] };
export function setup() {
  return { n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 50000; i++) {
    const n = s.n++;
    const x = n % 2 ? new Odd(n) : new Even(n);
    if (list.tail) list.tail.next = x;
    else list.head = x;
    list.tail = x;
  }
}
