// Leaks twice: a cache of rendered pages (the bigger leak) and a listener list on a shared emitter (the smaller).
import { EventEmitter } from 'node:events';
class RenderedPage {
  constructor(id) {
    this.id = id;
    this.html = '<div>' + 'x'.repeat(300) + id + '</div>';
  }
}
class Subscriber {
  constructor(id) {
    this.id = id;
  }
}
const pageCache = new Map();
const hub = new EventEmitter();
hub.setMaxListeners(0);
globalThis.__site = { pageCache, hub };
export const expected = {
  path: /pageCache/,
  classes: ['RenderedPage'],
  second: { path: /hub|_events/, classes: ['Subscriber'] },
};
export function setup() {
  return { n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 10000; i++) {
    const n = s.n++;
    pageCache.set('/page/' + n, new RenderedPage(n));
  }
  for (let i = 0; i < 2000; i++) {
    const sub = new Subscriber(s.n++);
    hub.on('update', () => sub.id);
  }
}
