import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where the benchmark's snapshots are made (once) and kept, and where the corpus and oracle are. */
export interface Places {
  root: string;
  shared: string;
  benchDir: string;
}

/** Runs a corpus scenario (a name, or a path to a scenario file) for `rounds` rounds at `scale`, once. */
function generated(p: Places, scenario: string, scale: number, rounds = 1): string[] {
  const name = path.basename(scenario, '.mjs');
  const dir = path.join(p.benchDir, rounds === 1 ? `${name}-s${scale}` : `${name}-series-s${scale}`);
  const files = Array.from({ length: rounds }, (_, i) => path.join(dir, `${name}-${i}.heapsnapshot`));
  if (!files.every((f) => fs.existsSync(f))) {
    console.error(`generating ${dir} (${name}, ${rounds} round${rounds > 1 ? 's' : ''}, scale ${scale})...`);
    const heap = `--max-old-space-size=${Math.floor((os.totalmem() / 1048576) * 0.9)}`;
    const snap = path.join(p.shared, 'corpus', 'snap.mjs');
    execFileSync(process.execPath, ['--expose-gc', heap, snap, scenario, dir, String(rounds), String(scale)], {
      stdio: 'inherit',
    });
  }
  return files;
}

/** K copies of a generated snapshot in one (see replicate.ts): sizes V8's writer cannot reach on this machine. */
function replicated(p: Places, source: string, k: number): string {
  const file = source.replace(/\.heapsnapshot$/, `-x${k}.heapsnapshot`);
  if (!fs.existsSync(file)) {
    console.error(`writing ${file} (${k} copies of ${path.basename(source)})...`);
    const replicate = path.join(p.root, 'dist', 'bench', 'replicate.js');
    execFileSync(process.execPath, [replicate, source, file, String(k)], { stdio: 'inherit' });
  }
  return file;
}

export interface Size {
  what: string;
  file: () => string;
}

/** The benchmark's snapshots by size: real corpus snapshots up to 2 GB, then two copies of a 2 GB one. */
export function sizes(p: Places): Record<string, Size> {
  const strings = path.join(p.root, 'bench', 'scenarios', 'distinct-strings.mjs');
  const one = (scenario: string, scale: number) => () => generated(p, scenario, scale)[0];
  return {
    '50MB': { what: 'global-cache, scale 3', file: one('global-cache', 3) },
    '200MB': { what: 'global-cache, scale 12', file: one('global-cache', 12) },
    '1GB': { what: 'global-cache, scale 60', file: one('global-cache', 60) },
    '2GB': { what: 'global-cache, scale 120', file: one('global-cache', 120) },
    '2GB-strings': { what: 'distinct strings, scale 64', file: one(strings, 64) },
    '4GB-strings': { what: '2 copies of 2GB-strings', file: () => replicated(p, one(strings, 64)(), 2) },
    '4GB': { what: '2 copies of 2GB', file: () => replicated(p, one('global-cache', 120)(), 2) },
  };
}

/** A global-cache snapshot at `scale` (the older way of choosing sizes, BENCH_SCALES). */
export function byScale(p: Places, scale: number): Size {
  return { what: `global-cache, scale ${scale}`, file: () => generated(p, 'global-cache', scale)[0] };
}

/** Three snapshots of one global-cache process at `scale`, for the diff benchmark. */
export function series(p: Places, scale: number): string[] {
  return generated(p, 'global-cache', scale, 3);
}
