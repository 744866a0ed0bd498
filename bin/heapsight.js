#!/usr/bin/env node
const fail = (err) => {
  process.stderr.write(`heapsight: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
};
// the command runs here, or in a child process with huge pages (see services/cli/launch.ts)
import('../dist/services/cli/launch.js')
  .then((l) => l.launch(process.argv, (argv) => import('../dist/services/cli/main.js').then((m) => m.main(argv))))
  .catch(fail);
