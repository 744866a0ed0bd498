// Does not leak: a job queue whose backlog is larger at every snapshot (traffic is rising), but every job in it is
// new: the consumer drains what was queued before, so nothing stays.
class Job {
  constructor(id) {
    this.id = id;
    this.payload = { kind: 'resize', args: [id, id + 1, id + 2] };
  }
}
const backlog = [];
globalThis.__jobs = { backlog };
export const expected = null;
export function setup() {
  return { n: 0 };
}
export async function step(s, round) {
  backlog.length = 0; // the consumer caught up with everything queued before
  const queued = 4000 * (round + 1);
  for (let i = 0; i < queued; i++) backlog.push(new Job(s.n++));
}
