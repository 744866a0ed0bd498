// Leaks: an in-memory event log kept as a singly linked list, appended at the tail and never trimmed.
class LogNode {
  constructor(event) {
    this.event = event;
    this.next = null;
  }
}
class EventLog {
  constructor() {
    this.head = null;
    this.tail = null;
    this.length = 0;
  }
  append(event) {
    const n = new LogNode(event);
    if (this.tail) this.tail.next = n;
    else this.head = n;
    this.tail = n;
    this.length++;
  }
}
const log = new EventLog();
globalThis.__events = log;
export const expected = { path: /__events/, classes: ['LogNode'] };
export function setup() {
  return { seq: 0 };
}
export async function step(s) {
  for (let i = 0; i < 20000; i++) log.append({ seq: s.seq++, kind: 'click', at: Date.now() });
}
