// Does not leak: per-request metadata in a WeakMap keyed by the request, and requests are dropped after use.
class Request {
  constructor(id) {
    this.id = id;
    this.headers = { 'x-id': String(id) };
  }
}
const meta = new WeakMap();
const recent = []; // the last 500 requests stay alive, for a dashboard
globalThis.__web = { meta, recent };
export const expected = null;
export function setup() {
  return { n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 40000; i++) {
    const req = new Request(s.n++);
    meta.set(req, { started: Date.now(), trace: new Array(8).fill(i) });
    recent.push(req);
    if (recent.length > 500) recent.shift();
  }
}
