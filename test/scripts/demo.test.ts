// `npm run demo` is what a newcomer runs first: it must work from a fresh checkout and show the leak.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/cli.js';

t.test('the demo writes three snapshots, analyses them and shows what grows', async (t) => {
  const out = execFileSync(process.execPath, [path.join(ROOT, 'dist/scripts/demo.js')], {
    encoding: 'utf8',
    cwd: ROOT,
    timeout: 120000,
  });
  t.match(out, /leaky-service-2\.heapsnapshot/);
  t.match(out, /Session objects: 5,000 -> 10,000 -> 15,000; the Map at \(global\) -> app -> sessions holds them\./);
  t.match(
    out,
    new RegExp(
      String.raw`suspect 1 \(high\): Map sessions @\d+ at \(global\) -> app -> sessions -> \(table\) ` +
        String.raw`grew by .* adding about 5,000 Session`,
    ),
  );
  t.ok(fs.existsSync(path.join(ROOT, 'demo', 'diff', 'diff.html')), 'the diff report');
  for (let r = 0; r < 3; r++)
    t.ok(fs.existsSync(path.join(ROOT, 'demo', `leaky-service-${r}-heapsight`, 'report.html')), `report ${r}`);
  fs.rmSync(path.join(ROOT, 'demo'), { recursive: true, force: true });
});
