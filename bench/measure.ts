import { spawn } from 'node:child_process';
import fs from 'node:fs';

/** One command's run: wall time, the largest peak RSS of its processes, its exit code and what it said. */
export interface Run {
  ms: number;
  peakRssMb: number;
  code: number | null;
  stderr: string;
}

/** A process and its descendants, from /proc (the CLI may run its work in a child: see services/cli/launch.ts). */
function processTree(pid: number): number[] {
  const out = [pid];
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
      const kids = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (kids) for (const k of kids.split(' ')) out.push(...processTree(Number(k)));
    }
  } catch {
    /* gone */
  }
  return out;
}

/**
 * Wall time and peak RSS of one command: the largest VmHWM of any of its processes (as GNU time's "maximum
 * resident set size"), read from /proc while it runs and once more at the end.
 */
export function measure(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peak = 0;
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const sample = () => {
      for (const pid of processTree(child.pid!)) {
        try {
          const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
          if (m) peak = Math.max(peak, Number(m[1]) / 1024);
        } catch {
          /* gone */
        }
      }
    };
    const timer = setInterval(sample, 20);
    child.on('exit', () => sample());
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ ms: performance.now() - t0, peakRssMb: peak, code, stderr });
    });
  });
}

/** The median run by time; its peak is the largest of all (memory does not vary the way time does). */
export function median(runs: Run[]): Run {
  const m = [...runs].sort((a, b) => a.ms - b.ms)[(runs.length - 1) >> 1];
  return { ...m, peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)) };
}

/**
 * Reads a file once, untimed, so that every run (ours, the oracle's, whichever comes first) starts with it in the
 * page cache: a snapshot just written, or just generated here, may have been pushed out by what came since.
 */
export function warm(file: string): void {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 24);
  try {
    while (fs.readSync(fd, buf, 0, buf.length, null) > 0);
  } finally {
    fs.closeSync(fd);
  }
}
