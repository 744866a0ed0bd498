import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { AnalyzerPool } from '../../workers/pool.js';
import { ProgressBar } from './progress.js';
import { bytes, count } from '../../shared/report/format.js';
import { DIFF_FILES, REPORT_FILES } from '../../shared/report/render/index.js';
import { suspectLine, terminalSafe } from '../../shared/report/sentences.js';
import { VERSION } from '../../shared/version.js';
import { HeapsightError, userFacing, type ErrorCode } from '../../shared/errors.js';
import type { Config } from '../../shared/service/config.js';

/** Where reports go by default: a folder next to the snapshot, named after it. */
export function defaultOutDir(file: string): string {
  const base = path
    .basename(file)
    .replace(/\.gz$/i, '')
    .replace(/\.heapsnapshot$/i, '');
  return path.join(path.dirname(file), `${base}-heapsight`);
}

function positiveInt(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive whole number`);
    return n;
  };
}

function fail(code: ErrorCode, message: string): never {
  throw new HeapsightError(code, message);
}

const WHY: Record<string, string> = {
  ENOENT: 'no such folder',
  EACCES: 'permission denied',
  EROFS: 'read-only file system',
};

/**
 * Checks before any work that `target` can be written: as a folder (`dir`) to create or fill, or as a file. The
 * nearest existing ancestor must be a writable folder. Fails with one line otherwise.
 */
function checkWritable(target: string, kind: 'dir' | 'file', option: string): void {
  const abs = path.resolve(target);
  if (fs.existsSync(abs)) {
    const isDir = fs.statSync(abs).isDirectory();
    if (kind === 'dir' && !isDir) fail('CANNOT_WRITE', `${option} ${target} exists and is not a folder`);
    if (kind === 'file' && isDir) fail('CANNOT_WRITE', `${option} ${target} is a folder`);
  }
  let up = kind === 'dir' ? abs : path.dirname(abs);
  while (!fs.existsSync(up)) up = path.dirname(up);
  if (!fs.statSync(up).isDirectory()) fail('CANNOT_WRITE', `cannot write ${option} ${target}: ${up} is not a folder`);
  if (kind === 'file' && up !== path.dirname(abs))
    fail('CANNOT_WRITE', `cannot write ${option} ${target}: ${WHY.ENOENT} ${path.dirname(abs)}`);
  try {
    fs.accessSync(up, fs.constants.W_OK);
  } catch (err) {
    fail(
      'CANNOT_WRITE',
      `cannot write ${option} ${target}: ${WHY[(err as NodeJS.ErrnoException).code ?? ''] ?? (err as Error).message}`,
    );
  }
}

/**
 * The services' configuration, or one line and exit 1 (loaded only by the service commands: its schema library
 * costs the others 60 ms).
 */
async function serviceConfig(): Promise<Config> {
  const { loadConfig } = await import('../../shared/service/config.js');
  return loadConfig();
}

const MEMORY_LIMIT_OPTION = [
  '--memory-limit <mb>',
  'refuse a snapshot whose analysis would need more memory than this, in MB (checked from its header, before any work)',
  positiveInt('--memory-limit'),
] as const;

function memoryLimit(opts: { memoryLimit?: number }) {
  return opts.memoryLimit ? { mb: opts.memoryLimit, name: '--memory-limit' } : undefined;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('heapsight')
    .description('Find memory leaks in V8 heap snapshots (.heapsnapshot, gzip or not).')
    .version(VERSION)
    .showHelpAfterError('(run heapsight --help for usage)')
    .exitOverride();

  program
    .command('analyze')
    .description(
      'analyse one snapshot: Summary, Statistics, largest objects with their retainer paths, duplicate strings',
    )
    .argument('<file>', 'heap snapshot (.heapsnapshot or .heapsnapshot.gz)')
    .option(
      '-o, --out <dir>',
      'folder for report.json, report.md and report.html (default: <file>-heapsight next to the input)',
    )
    .option('--json', 'print the JSON report to standard output (files are written only with --out)')
    .option('--top <n>', 'how many largest objects and duplicate strings to list', positiveInt('--top'), 20)
    .option('--max-memory <mb>', 'heap limit of the analysis worker thread, in MB', positiveInt('--max-memory'))
    .option(
      '--threads <n>',
      'threads for the analysis: 2 parses and analyses on two cores (default: 2 when there are 2+ cores)',
      positiveInt('--threads'),
    )
    .option(...MEMORY_LIMIT_OPTION)
    .action(
      async (
        file: string,
        opts: { out?: string; json?: boolean; top: number; maxMemory?: number; threads?: number; memoryLimit?: number },
      ) => {
        const outDir = opts.out ?? (opts.json ? undefined : defaultOutDir(file));
        if (outDir) checkWritable(outDir, 'dir', '--out');
        const pool = new AnalyzerPool({ maxMemoryMb: opts.maxMemory, threadsPerTask: opts.threads });
        const bar = new ProgressBar();
        const t0 = Date.now();
        try {
          const report = await pool.analyze(
            {
              file: path.resolve(file),
              outDir: outDir && path.resolve(outDir),
              top: opts.top,
              memoryLimit: memoryLimit(opts),
            },
            bar.update,
          );
          bar.done();
          if (opts.json) {
            process.stdout.write(JSON.stringify(report, null, 2) + '\n');
            return;
          }
          const s = report.snapshot;
          const top = report.largestObjects[0];
          process.stdout.write(
            `${s.source}: ${count(s.nodeCount)} objects, ${count(s.edgeCount)} references, ` +
              `total ${bytes(s.totalSize)} ` +
              `(analysed in ${((Date.now() - t0) / 1000).toFixed(1)} s)\n` +
              (top
                ? terminalSafe(
                    `largest retainer: ${top.className} @${top.id} holds ${bytes(top.retainedSize)} via ${top.path}`,
                  ) + '\n'
                : '') +
              `reports: ${REPORT_FILES.map((f) => path.join(outDir!, f)).join(', ')}\n`,
          );
        } finally {
          bar.done();
          await pool.close();
        }
      },
    );

  program
    .command('diff')
    .description('growth across snapshots of one service (oldest first): Comparison, trends and ranked leak suspects')
    .argument('<files...>', 'two or more heap snapshots, oldest first')
    .option(
      '-o, --out <dir>',
      'folder for diff.json, diff.md and diff.html (default: <last file>-diff-heapsight next to it)',
    )
    .option('--json', 'print the JSON report to standard output (files are written only with --out)')
    .option('--max-memory <mb>', 'heap limit of the analysis worker thread, in MB', positiveInt('--max-memory'))
    .option('--threads <n>', 'threads for each analysis (default: 2 when there are 2+ cores)', positiveInt('--threads'))
    .option(...MEMORY_LIMIT_OPTION)
    .action(
      async (
        files: string[],
        opts: { out?: string; json?: boolean; maxMemory?: number; threads?: number; memoryLimit?: number },
      ) => {
        if (files.length < 2) fail('BAD_USAGE', 'diff needs at least two snapshots, oldest first');
        for (const f of files) {
          if (!fs.existsSync(f)) fail('CANNOT_READ', `cannot read ${f}: no such file`);
          if (fs.statSync(f).isDirectory()) fail('CANNOT_READ', `cannot read ${f}: it is a folder`);
        }
        const last = files[files.length - 1];
        const outDir =
          opts.out ?? (opts.json ? undefined : defaultOutDir(last).replace(/-heapsight$/, '-diff-heapsight'));
        if (outDir) checkWritable(outDir, 'dir', '--out');
        const pool = new AnalyzerPool({ maxMemoryMb: opts.maxMemory, threadsPerTask: opts.threads });
        const bar = new ProgressBar();
        const t0 = Date.now();
        try {
          const report = await pool.diff(
            {
              files: files.map((f) => path.resolve(f)),
              outDir: outDir && path.resolve(outDir),
              memoryLimit: memoryLimit(opts),
            },
            bar.update,
          );
          bar.done();
          if (opts.json) {
            process.stdout.write(JSON.stringify(report, null, 2) + '\n');
            return;
          }
          const t = report.snapshots.map((s) => s.totalSize);
          const lines = [
            `${files.length} snapshots, heap ${t.map(bytes).join(' → ')} ` +
              `(analysed in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
          ];
          if (!report.process.sameProcess) lines.push(report.process.note);
          for (const w of report.process.warnings) lines.push(`warning: ${w}`);
          if (!report.suspects.length) lines.push('no leak suspects');
          for (const s of report.suspects) lines.push(`suspect ${s.rank} (${s.confidence}): ${suspectLine(s)}`);
          lines.push(`reports: ${DIFF_FILES.map((f) => path.join(outDir!, f)).join(', ')}`);
          process.stdout.write(lines.join('\n') + '\n');
        } finally {
          bar.done();
          await pool.close();
        }
      },
    );

  program
    .command('api')
    .description('the HTTP API (configured by environment variables: PORT, REDIS_URL, HEAPSIGHT_STORAGE, ...)')
    .action(async () => {
      const config = await serviceConfig();
      const { runApi } = await import('../api/main.js');
      await runApi(config);
    });

  program
    .command('analyzer')
    .description('the queue consumer that runs analyses (REDIS_URL, HEAPSIGHT_STORAGE, HEAPSIGHT_MAX_MEMORY_MB, ...)')
    .action(async () => {
      const config = await serviceConfig();
      const { runAnalyzer } = await import('../analyzer/main.js');
      await runAnalyzer(config);
    });

  const exp = program.command('export').description('export the graph for use elsewhere');
  exp
    .command('nodes')
    .description('one CSV row per node: id,type,name,self_size,retained_size,dominator_id,distance')
    .argument('<file>', 'heap snapshot (.heapsnapshot or .heapsnapshot.gz)')
    .option('-o, --out <file.csv>', 'write here instead of standard output')
    .option('--max-memory <mb>', 'heap limit of the worker thread, in MB', positiveInt('--max-memory'))
    .action(async (file: string, opts: { out?: string; maxMemory?: number }) => {
      if (opts.out) checkWritable(opts.out, 'file', '--out');
      // an export uses no helper thread
      const pool = new AnalyzerPool({ maxMemoryMb: opts.maxMemory, threadsPerTask: 1 });
      const bar = new ProgressBar();
      try {
        const { rows } = await pool.exportNodes(
          { file: path.resolve(file), out: opts.out ? path.resolve(opts.out) : null },
          bar.update,
        );
        bar.done();
        if (opts.out) process.stderr.write(`wrote ${count(rows)} rows to ${opts.out}\n`);
      } finally {
        bar.done();
        await pool.close();
      }
    });
  return program;
}

/** Runs the command line; every failure ends as one line on stderr and a non-zero exit code. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      process.exitCode = 2;
      return;
    }
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander has already printed its message (or the help/version)
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    // ours (and the system's: disk full, permission denied) say what is wrong in one line; anything else is a fault
    const known = userFacing(err);
    if (known) {
      process.stderr.write(`heapsight: ${known.message.split('\n')[0]}\n`);
      process.exitCode = known.exitCode;
      return;
    }
    const e = err as Error;
    process.stderr.write(`heapsight: internal error: ${String(e?.message ?? e).split('\n')[0]}\n`);
    if (process.env.HEAPSIGHT_DEBUG) process.stderr.write(`${e?.stack}\n`);
    process.exitCode = 1;
  }
}
