import t from 'tap';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import {
  hugePagesWanted,
  processFacts,
  RELAUNCH_MIN_BYTES,
  TUNABLES,
  withTunables,
  type LaunchFacts,
} from '../../../services/cli/launch.js';
import { buildSnapshot } from '../../helpers/snapshot.js';
import { BIN, heapsight } from '../../helpers/cli.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heapsight-launch-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

const BIG = RELAUNCH_MIN_BYTES;
function facts(
  over: Partial<LaunchFacts> = {},
  sizes: Record<string, number> = { 'big.heapsnapshot': BIG, 'small.heapsnapshot': 1000 },
): LaunchFacts {
  return {
    platform: 'linux',
    env: {},
    thp: 'always [madvise] never\n',
    glibc: () => '2.36',
    fileSize: (p) => sizes[p] ?? null,
    ...over,
  };
}
const argv = (...args: string[]) => ['/usr/bin/node', '/x/bin/heapsight.js', ...args];

t.test(
  'huge pages are wanted for large inputs of the graph commands, on Linux with glibc 2.35+ and madvise',
  async (t) => {
    t.ok(hugePagesWanted(argv('analyze', 'big.heapsnapshot'), facts()));
    t.ok(hugePagesWanted(argv('analyze', '--out', 'o', 'big.heapsnapshot'), facts()), 'options before the file');
    t.ok(hugePagesWanted(argv('diff', 'small.heapsnapshot', 'big.heapsnapshot'), facts()));
    t.ok(hugePagesWanted(argv('export', 'nodes', 'big.heapsnapshot'), facts()));
    t.ok(hugePagesWanted(argv('analyzer'), facts()), 'the queue consumer, whatever comes');
    t.ok(
      hugePagesWanted(argv('analyze', 'a.heapsnapshot.gz'), facts({}, { 'a.heapsnapshot.gz': BIG / 8 })),
      'gzip counts eight times',
    );
    t.ok(
      hugePagesWanted(argv('analyze', 'small.heapsnapshot'), facts({ env: { HEAPSIGHT_HUGE_PAGES: '1' } })),
      'forced on for any size',
    );
    t.ok(
      hugePagesWanted(argv('analyze', 'big.heapsnapshot'), facts({ env: { GLIBC_TUNABLES: 'glibc.malloc.check=0' } })),
      'other tunables are kept',
    );
    t.ok(hugePagesWanted(argv('analyze', 'big.heapsnapshot'), facts({ glibc: () => '3.0' })));

    t.notOk(
      hugePagesWanted(argv('analyze', 'small.heapsnapshot'), facts()),
      'small input: a second process costs more than it saves',
    );
    t.notOk(hugePagesWanted(argv('analyze', 'a.heapsnapshot.gz'), facts({}, { 'a.heapsnapshot.gz': BIG / 8 - 1 })));
    t.notOk(hugePagesWanted(argv('analyze', 'missing.heapsnapshot'), facts()));
    t.notOk(hugePagesWanted(argv('api'), facts()), 'the HTTP API holds no graph');
    t.notOk(hugePagesWanted(argv('--version'), facts()));
    t.notOk(hugePagesWanted(argv('analyze', '--help'), facts({ env: { HEAPSIGHT_HUGE_PAGES: '1' } })));
    t.notOk(hugePagesWanted(argv('analyze', 'big.heapsnapshot'), facts({ platform: 'darwin' })));
    t.notOk(
      hugePagesWanted(argv('analyze', 'big.heapsnapshot'), facts({ thp: '[always] madvise never\n' })),
      'the kernel uses them anyway',
    );
    t.notOk(hugePagesWanted(argv('analyze', 'big.heapsnapshot'), facts({ thp: 'always madvise [never]\n' })));
    t.notOk(hugePagesWanted(argv('analyze', 'big.heapsnapshot'), facts({ thp: null })));
    t.notOk(hugePagesWanted(argv('analyze', 'big.heapsnapshot'), facts({ glibc: () => '2.34' })));
    t.notOk(hugePagesWanted(argv('analyze', 'big.heapsnapshot'), facts({ glibc: () => undefined })), 'musl');
    t.notOk(
      hugePagesWanted(argv('analyze', 'big.heapsnapshot'), facts({ env: { HEAPSIGHT_HUGE_PAGES: '0' } })),
      'turned off',
    );
    t.notOk(
      hugePagesWanted(
        argv('analyze', 'big.heapsnapshot'),
        facts({ env: { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0' } }),
      ),
      'chosen already',
    );
    t.notOk(
      hugePagesWanted(argv('analyze', 'big.heapsnapshot'), facts({ env: { HEAPSIGHT_PARENT_PID: '1' } })),
      'the child itself',
    );
  },
);

t.test('the child gets the huge-page and malloc settings, except those the environment names already', async (t) => {
  t.equal(
    withTunables(undefined),
    'glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=1048576:glibc.malloc.trim_threshold=4194304',
  );
  t.equal(withTunables(''), TUNABLES.join(':'));
  t.equal(withTunables('glibc.malloc.check=0'), ['glibc.malloc.check=0', ...TUNABLES].join(':'), 'others kept, first');
  t.equal(
    withTunables('glibc.malloc.mmap_threshold=65536'),
    'glibc.malloc.mmap_threshold=65536:glibc.malloc.hugetlb=1:glibc.malloc.trim_threshold=4194304',
    'a threshold given is not overridden',
  );
  t.equal(
    withTunables('glibc.malloc.trim_threshold=0:glibc.malloc.mmap_threshold=1'),
    'glibc.malloc.trim_threshold=0:glibc.malloc.mmap_threshold=1:glibc.malloc.hugetlb=1',
  );
});

// The rest runs the real command line on this machine, where the child can be started with huge pages.
const here = processFacts();
const able = hugePagesWanted(argv('analyzer'), { ...here, env: {} });

/** Runs the CLI with a preload that records, per process, its pid, parent and GLIBC_TUNABLES. */
function recorder(name: string): {
  env: NodeJS.ProcessEnv;
  records: () => { pid: number; ppid: number; tunables: string }[];
} {
  const log = path.join(dir, `${name}.log`);
  const preload = path.join(dir, `${name}.cjs`);
  fs.writeFileSync(
    preload,
    `if (require('node:worker_threads').isMainThread) require('node:fs').appendFileSync(${JSON.stringify(log)}, ` +
      `JSON.stringify({ pid: process.pid, ppid: process.ppid, ` +
      `tunables: process.env.GLIBC_TUNABLES || '' }) + '\\n');\n`,
  );
  return {
    env: { NODE_OPTIONS: `--require ${preload}` },
    records: () =>
      fs.existsSync(log)
        ? fs
            .readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l))
        : [],
  };
}

const file = path.join(dir, 'small.heapsnapshot');
fs.writeFileSync(
  file,
  buildSnapshot([
    { type: 'synthetic', name: '', size: 0, edges: [{ type: 'shortcut', name: '1', to: 1 }] },
    { type: 'object', name: 'Holder', size: 40, edges: [{ type: 'property', name: 'text', to: 2 }] },
    { type: 'string', name: 'hello', size: 32 },
  ]),
);

t.test(
  'the command runs in a child with huge pages; output and exit code come through unchanged',
  { skip: !able && 'this machine cannot give huge pages this way' },
  async (t) => {
    const on = recorder('on');
    const r = await heapsight(['analyze', file, '--json'], { env: { ...on.env, HEAPSIGHT_HUGE_PAGES: '1' } });
    t.equal(r.code, 0, r.stderr);
    t.equal(JSON.parse(r.stdout).snapshot.nodeCount, 3);
    const [parent, child, ...more] = on.records();
    t.equal(more.length, 0, 'two processes');
    t.equal(child.ppid, parent.pid, "the second is the first one's child");
    t.notMatch(parent.tunables, /hugetlb/);
    t.equal(child.tunables, TUNABLES.join(':'));

    const off = recorder('off');
    const o = await heapsight(['analyze', file, '--json'], { env: { ...off.env, HEAPSIGHT_HUGE_PAGES: '0' } });
    t.equal(o.code, 0, o.stderr);
    t.same(JSON.parse(o.stdout).summary, JSON.parse(r.stdout).summary, 'the same report');
    t.equal(off.records().length, 1, 'one process when turned off');

    const bad = path.join(dir, 'bad.heapsnapshot');
    fs.writeFileSync(bad, '{"snapshot": 12}');
    const b = await heapsight(['analyze', bad], { env: { HEAPSIGHT_HUGE_PAGES: '1' } });
    t.equal(b.code, 1);
    t.match(b.stderr, /^heapsight: [^\n]+\n$/, 'one line');
  },
);

/** Starts `analyze` on a FIFO nobody writes, so it waits for ever; resolves once the child has started. */
async function stuck(name: string) {
  const fifo = path.join(dir, `${name}.heapsnapshot`);
  execFileSync('mkfifo', [fifo]);
  const rec = recorder(name);
  const proc = spawn(process.execPath, [BIN, 'analyze', fifo, '--json'], {
    env: { ...process.env, ...rec.env, HEAPSIGHT_HUGE_PAGES: '1' },
    stdio: 'ignore',
  });
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    proc.on('exit', (c, s) => resolve([c, s])),
  );
  const t0 = Date.now();
  while (rec.records().length < 2 && Date.now() - t0 < 20000) await new Promise((r) => setTimeout(r, 50));
  const child = rec.records()[1];
  return { proc, closed, child, fifo };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function gone(pid: number, ms: number): Promise<boolean> {
  const t0 = Date.now();
  while (alive(pid) && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

t.test(
  'SIGTERM to the waiting process ends the child too, and the waiting process ends by the same signal',
  { skip: !able && 'no huge pages here' },
  async (t) => {
    const { proc, closed, child } = await stuck('term');
    t.ok(child, 'the child started');
    proc.kill('SIGTERM');
    const [code, signal] = await closed;
    t.equal(signal, 'SIGTERM', `code ${code}`);
    t.ok(await gone(child.pid, 5000), 'the child is gone');
  },
);

t.test(
  'the child gives up when the waiting process is killed outright',
  { skip: !able && 'no huge pages here' },
  async (t) => {
    const { proc, closed, child } = await stuck('kill');
    t.ok(child, 'the child started');
    proc.kill('SIGKILL');
    await closed;
    t.ok(await gone(child.pid, 5000), 'the child is gone within seconds');
  },
);
