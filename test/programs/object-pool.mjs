// Does not leak: a pool of reusable connection objects; each round checks them out and back in, resetting state.
class PooledConn {
  constructor(id) {
    this.id = id;
    this.buf = Buffer.alloc(512);
    this.inUse = false;
    this.lastQuery = null;
  }
}
const pool = { free: [], all: [] };
for (let i = 0; i < 2000; i++) {
  const c = new PooledConn(i);
  pool.free.push(c);
  pool.all.push(c);
}
globalThis.__pool = pool;
export const expected = null;
export function setup() {
  return { q: 0 };
}
export async function step(s) {
  for (let i = 0; i < 30000; i++) {
    const c = pool.free.pop();
    c.inUse = true;
    c.lastQuery = { sql: 'select ' + s.q++, params: [i] };
    c.inUse = false;
    pool.free.push(c);
  }
}
