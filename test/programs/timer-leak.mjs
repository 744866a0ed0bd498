// Leaks: every job starts a polling interval that is never cleared; each timer's closure holds the job and its
// result buffer, so Node's timer list for that duration keeps growing.
class PollJob {
  constructor(id) {
    this.id = id;
    this.results = new Array(40).fill(id);
    this.url = `https://api.example/jobs/${id}`;
  }
}
export const expected = { path: /\(Timers\)|timerListMap|TimersList|_idle/, classes: ['PollJob'] };
export function setup() {
  return { next: 0 };
}
export async function step(s) {
  for (let i = 0; i < 3000; i++) {
    const job = new PollJob(s.next++);
    setInterval(() => job.results.length, 3_600_000).unref();
  }
}
