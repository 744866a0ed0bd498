// Does not leak: timeouts and intervals that are cleared when their work is done.
class Task {
  constructor(id) {
    this.id = id;
    this.data = new Array(20).fill(id);
  }
}
const live = new Set();
globalThis.__tasks = live;
export const expected = null;
export function setup() {
  return { n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 5000; i++) {
    const t = new Task(s.n++);
    const handle = setInterval(() => t.data.length, 3_600_000);
    const to = setTimeout(() => t.id, 3_600_000);
    live.add(t);
    clearInterval(handle);
    clearTimeout(to);
    live.delete(t);
  }
  await new Promise((r) => setTimeout(r, 5));
}
