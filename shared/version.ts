import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The package version, read from package.json at run time. */
export const VERSION: string = (() => {
  for (const p of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(p);
      if (pkg.name === 'heapsight') return pkg.version as string;
    } catch {
      /* try the next */
    }
  }
  return '0.0.0';
})();
