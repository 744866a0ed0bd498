// Leaks: an array captured by a timer callback closure that stays scheduled; nothing global points at it.
export const expected = { path: /\(context\) -> seen$/, classes: ['{tag}'] };
export function setup() {
  const seen = [];
  const t = setInterval(() => seen.length, 1e9);
  t.unref();
  return { seen, n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 15000; i++) s.seen.push({ id: s.n++, tag: 'evt' });
}
