// Does not leak: the last 4,000 metrics samples in a fixed-size ring buffer, overwritten in place.
class Sample {
  constructor(n) {
    this.n = n;
    this.tags = { host: 'h' + (n % 13) };
    this.values = [n, n * 2, n * 3];
  }
}
const ring = new Array(4000).fill(null);
globalThis.__metrics = { ring };
export const expected = null;
export function setup() {
  return { n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 30000; i++) {
    const n = s.n++;
    ring[n % ring.length] = new Sample(n);
  }
}
