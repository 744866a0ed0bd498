// Leaks: a class keeps every instance in a static registry that nothing ever removes from.
class Session {
  static registry = new Set();
  constructor(id) {
    this.id = id;
    this.user = { name: 'user' + id, roles: ['reader'] };
    this.createdAt = Date.now();
    Session.registry.add(this);
  }
  close() {
    this.closed = true;
  } // forgets to delete itself from the registry
}
globalThis.__Session = Session;
export const expected = { path: /registry/, classes: ['Session'] };
export function setup() {
  return { id: 0 };
}
export async function step(s) {
  for (let i = 0; i < 15000; i++) new Session(s.id++).close();
}
