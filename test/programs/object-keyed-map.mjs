// Leaks: metadata cached in a Map keyed by the request object instead of a WeakMap, so requests never go away.
class Request {
  constructor(id) {
    this.id = id;
    this.url = '/items/' + id;
  }
}
const metadata = new Map();
globalThis.__http = { metadata };
export const expected = { path: /metadata/, classes: ['Request'] };
export function setup() {
  return { n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 12000; i++) {
    const req = new Request(s.n++);
    metadata.set(req, { start: Date.now(), tags: ['api'] });
  }
}
