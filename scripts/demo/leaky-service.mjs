// A small "service" with a leak, for `npm run demo`: every request's session is cached in a module-level Map that
// is never pruned. Writes a heap snapshot after each round of requests.
// usage: node --expose-gc leaky-service.mjs OUTDIR [rounds=3]
import v8 from 'node:v8';
import fs from 'node:fs';
import path from 'node:path';

class Session {
  constructor(id) {
    this.id = id;
    this.user = { name: 'user-' + (id % 50), roles: ['reader'] };
    this.payload = Buffer.alloc(512).toString('hex') + id;
    this.createdAt = Date.now();
  }
}

const sessions = new Map();
globalThis.app = { sessions };

function handleRequest(id) {
  sessions.set('session:' + id, new Session(id));
  return id;
}

const [, , outdir, roundsArg = '3'] = process.argv;
fs.mkdirSync(outdir, { recursive: true });
let next = 0;
for (let round = 0; round < Number(roundsArg); round++) {
  for (let i = 0; i < 5000; i++) handleRequest(next++);
  globalThis.gc?.();
  const file = path.join(outdir, `leaky-service-${round}.heapsnapshot`);
  v8.writeHeapSnapshot(file);
  console.log(file);
}
