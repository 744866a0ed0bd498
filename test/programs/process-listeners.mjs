// Leaks: each worker registers a process 'message' handler that closes over its state and never removes it.
class WorkerState {
  constructor(id) {
    this.id = id;
    this.stats = { done: 0, failed: 0 };
  }
}
process.setMaxListeners(0);
export const expected = { path: /_events|message/, classes: ['WorkerState'] };
export function setup() {
  return { n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 4000; i++) {
    const st = new WorkerState(s.n++);
    process.on('message', () => st.stats.done++);
  }
}
