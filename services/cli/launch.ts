import { spawn } from 'node:child_process';
import fs from 'node:fs';

/**
 * Transparent huge pages for the commands that build a heap graph.
 *
 * An analysis writes over a gigabyte of fresh typed arrays per gigabyte of snapshot. Linux maps fresh memory a
 * 4 KB page at a time, with one page fault per page. On virtual machines such a fault can cost 10 µs or more:
 * 1 GB of snapshot means about 350,000 faults and 3-4 s of CPU. glibc 2.35 and later can ask the kernel for 2 MB
 * pages on the memory it maps (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`), where typed arrays live. This needs the
 * kernel's huge pages set to `madvise`, the default on Debian and Ubuntu. With `always`, the kernel uses them
 * anyway; with `never`, there are none.
 *
 * glibc reads the setting only when a process starts. So when it would help, the command runs in a child
 * process started with it. This process only waits for the child: it passes on SIGTERM, SIGHUP and SIGINT, and
 * exits as the child does. It does not pass SIGINT on when it runs in a terminal, whose Ctrl-C reaches the child
 * directly. If this process is killed outright, the child kills itself within half a second.
 *
 * Two more malloc settings go with it, each unless the environment already names it. glibc hands out allocations
 * below its mmap threshold from per-thread arenas, whose memory is not given huge pages; by default that threshold
 * rises to 32 MB after the first large free, so most of the analyses' typed arrays land there, 4 KB at a time.
 * `mmap_threshold=1 MB` keeps every allocation of a megabyte or more in its own mapping, with huge pages (and
 * handed back when freed). And a thread's arena gives memory back to the kernel once 128 KB of it is free at the
 * top, which V8's compiler and garbage-collector threads hit over and over, faulting the same pages in again each
 * time: `trim_threshold=4 MB` keeps up to that much per arena (1.01 GB snapshot: page faults 69,000-70,000 ->
 * 45,000-46,000, peak RSS the same).
 *
 * `HEAPSIGHT_HUGE_PAGES=0` turns this off; `=1` turns it on for any input size, not only large ones.
 */

/**
 * Inputs below this many bytes (gzip counted eight times) gain less than starting a second process costs (about
 * 0.1 s).
 */
export const RELAUNCH_MIN_BYTES = 64 << 20;
/** The malloc settings the child runs with (see above). */
export const TUNABLES = [
  'glibc.malloc.hugetlb=1',
  'glibc.malloc.mmap_threshold=1048576',
  'glibc.malloc.trim_threshold=4194304',
];
/** Set in the child: the waiting process's pid. */
const PARENT_VAR = 'HEAPSIGHT_PARENT_PID';

export interface LaunchFacts {
  platform: string;
  env: NodeJS.ProcessEnv;
  /** The contents of /sys/kernel/mm/transparent_hugepage/enabled, or null. */
  thp: string | null;
  /** glibc's version, as `process.report` gives it (undefined: not glibc, e.g. musl). */
  glibc: () => string | undefined;
  /** A path's size if it is a regular file, else null. */
  fileSize: (p: string) => number | null;
}

/** Whether `argv` (as `process.argv`) should run in a child process with huge pages. */
export function hugePagesWanted(argv: string[], f: LaunchFacts): boolean {
  if (f.platform !== 'linux' || f.env[PARENT_VAR]) return false;
  const choice = f.env.HEAPSIGHT_HUGE_PAGES;
  if (choice === '0') return false;
  // chosen already by whoever started us
  if ((f.env.GLIBC_TUNABLES ?? '').includes('glibc.malloc.hugetlb')) return false;
  if (!f.thp || !f.thp.includes('[madvise]')) return false;
  const args = argv.slice(2);
  const command = args.find((a) => !a.startsWith('-'));
  if (command !== 'analyze' && command !== 'diff' && command !== 'export' && command !== 'analyzer') return false;
  if (args.includes('--help') || args.includes('-h')) return false;
  if (command !== 'analyzer' && choice !== '1') {
    let bytes = 0;
    for (const a of args) {
      const size = a.startsWith('-') ? null : f.fileSize(a);
      if (size !== null) bytes += /\.gz$/i.test(a) ? size * 8 : size;
    }
    if (bytes < RELAUNCH_MIN_BYTES) return false;
  }
  const [major, minor] = (f.glibc() ?? '0.0').split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 35);
}

export function processFacts(): LaunchFacts {
  return {
    platform: process.platform,
    env: process.env,
    thp: readOrNull('/sys/kernel/mm/transparent_hugepage/enabled'),
    glibc: () =>
      (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header
        ?.glibcVersionRuntime,
    fileSize: (p) => {
      try {
        const st = fs.statSync(p);
        return st.isFile() ? st.size : null;
      } catch {
        return null;
      }
    },
  };
}

function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Runs the command line: in a child process with huge pages when `hugePagesWanted`, else here. Resolves when
 * this process should exit with `process.exitCode` (or never, when it ends by the child's signal).
 */
export async function launch(argv: string[], runHere: (argv: string[]) => Promise<void>): Promise<void> {
  if (process.env[PARENT_VAR]) watchParent(Number(process.env[PARENT_VAR]));
  if (!hugePagesWanted(argv, processFacts())) return runHere(argv);
  const tunables = withTunables(process.env.GLIBC_TUNABLES);
  const child = spawn(process.execPath, [...process.execArgv, ...argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, GLIBC_TUNABLES: tunables, [PARENT_VAR]: String(process.pid) },
  });
  const started = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!started) return runHere(argv); // could not start a second process: run here, with 4 KB pages
  const inTerminal = process.stdin.isTTY === true;
  const signals: NodeJS.Signals[] = inTerminal ? ['SIGTERM', 'SIGHUP'] : ['SIGTERM', 'SIGHUP', 'SIGINT'];
  const forward = (signal: NodeJS.Signals) => {
    child.kill(signal);
  };
  for (const s of signals) process.on(s, forward);
  // in a terminal, Ctrl-C reaches both processes: this one waits for the child to act on it
  if (inTerminal) process.on('SIGINT', () => undefined);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.once('exit', (c, s) => resolve([c, s]));
  });
  for (const s of [...signals, 'SIGINT' as const]) process.removeAllListeners(s);
  if (signal) {
    process.kill(process.pid, signal); // end the way the child did, so whoever started this sees the same
    return new Promise(() => undefined);
  }
  process.exitCode = code ?? 1;
}

/** `GLIBC_TUNABLES` for the child: what it was, and each of `TUNABLES` whose name it does not give already. */
export function withTunables(existing: string | undefined): string {
  const given = new Set(
    (existing ?? '')
      .split(':')
      .map((t) => t.split('=')[0].trim())
      .filter(Boolean),
  );
  return [...(existing ? [existing] : []), ...TUNABLES.filter((t) => !given.has(t.split('=')[0]))].join(':');
}

/**
 * In the child: if the process that waits for it is gone, it was killed outright (it passes on every signal it
 * can catch), and this one ends the same way rather than run on orphaned (an analyzer's running jobs go back to
 * the queue when their locks run out).
 */
function watchParent(parent: number): void {
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, 'SIGKILL');
  }, 500).unref();
}
