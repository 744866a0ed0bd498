#!/usr/bin/env node
import('../dist/services/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`heapsight: ${err && err.message ? err.message : String(err)}\n`);
  process.exit(1);
});
