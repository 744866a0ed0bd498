// A benchmark scenario for ../shared/corpus/snap.mjs: a heap dominated by millions of distinct strings (log lines
// kept in an array), so the snapshot's strings section and string nodes are most of the file. Scale 1 writes a
// snapshot of about 40 MB; the writer needs about 3x the snapshot's size in memory.
export function setup() {
  return { lines: [] };
}

export async function step(state, round, scale) {
  const n = Math.round(150_000 * scale);
  const base = state.lines.length;
  for (let i = 0; i < n; i++) {
    const k = base + i;
    const line =
      `${new Date(1_700_000_000_000 + k * 997).toISOString()} req=${((k * 2654435761) >>> 0).toString(36)} ` +
      `user=${(k % 100_003).toString(16)} path=/api/v${k % 7}/items/${k} ` +
      `status=${200 + (k % 5)} bytes=${(k * 31) % 65_536} ` +
      `agent=client-${((k * 40503) >>> 0) % 9_973}`;
    // flat, as a line read from a socket or a file would be (a template literal alone leaves a concatenation)
    state.lines.push(line.toUpperCase());
  }
}
