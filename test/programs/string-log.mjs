// Leaks: an audit log kept in memory as an array of formatted lines, never rotated.
const auditLog = [];
globalThis.__audit = { auditLog };
export const expected = { path: /auditLog/, classes: ['(string)'] };
export function setup() {
  return { n: 0 };
}
export async function step(s) {
  for (let i = 0; i < 25000; i++) {
    const n = s.n++;
    auditLog.push(`2026-11-23T10:00:${String(n % 60).padStart(2, '0')}Z user=${n % 977} action=update id=${n}`);
  }
}
