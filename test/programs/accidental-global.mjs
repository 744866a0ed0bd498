// Leaks: a helper assigns to an undeclared name, so its buffer list becomes a property of the global object.
export const expected = { path: /\(global\) -> pendingChunks|pendingChunks/, classes: ['Buffer'] };
export function setup() {
  return {};
}
function collect(chunk) {
  globalThis.pendingChunks ??= [];
  globalThis.pendingChunks.push(chunk);
}
export async function step() {
  for (let i = 0; i < 3000; i++) collect(Buffer.alloc(200, i % 251));
}
