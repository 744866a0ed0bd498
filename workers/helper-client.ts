import { Worker } from 'node:worker_threads';
import { HeapsightError } from '../shared/errors.js';
import { threadDied } from './died.js';
import type { EdgesElsewhere, Sections } from '../shared/engine/parse/split.js';
import type { HeapGraph } from '../shared/engine/graph/graph.js';
import { graphToMessage } from '../shared/engine/graph/transfer.js';
import type { SearchArrays, SideWork } from '../shared/engine/pipeline/analyze.js';
import type { DuplicateString } from '../shared/engine/analyses/duplicates.js';
import type { ClassTable } from '../shared/engine/analyses/classes.js';
import type { Statistics } from '../shared/engine/analyses/statistics.js';
import type { SideOptions } from '../shared/engine/pipeline/side.js';
import type { HelperReply, HelperRequest } from './helper-protocol.js';

type Handler = (r: HelperReply) => void;

/**
 * The second thread of an analysis worker. Started on first use and kept for later tasks; if it dies, every
 * request waiting on it fails with a clear error and the next request starts a new one.
 */
export class HelperThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly handlers = new Map<number, Handler>();

  constructor(private readonly maxMemoryMb?: number) {}

  private get thread(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(new URL('./helper.js', import.meta.url), {
      resourceLimits: this.maxMemoryMb ? { maxOldGenerationSizeMb: this.maxMemoryMb } : undefined,
    });
    w.unref();
    w.on('message', (r: HelperReply) => this.handlers.get(r.id)?.(r));
    const fail = (err: Error) => {
      const e = threadDied(err, this.maxMemoryMb, 'helper thread');
      this.worker = null;
      for (const h of [...this.handlers.values()]) h({ id: -1, type: 'error', error: e.toClone(), message: e.message });
    };
    w.on('error', fail);
    w.on('exit', (code) => {
      if (this.worker === w) fail(new Error(`exit code ${code}`));
    });
    this.worker = w;
    return w;
  }

  /** Starts the thread now, so its start-up overlaps the caller's own work. */
  warm(): void {
    void this.thread;
  }

  private send(req: HelperRequest, onReply: Handler): void {
    this.handlers.set(req.id, onReply);
    this.thread.postMessage(req);
  }

  /** The error a reply carries: ours with its code, or any other as a plain Error (a fault of the program). */
  private static failure(r: Extract<HelperReply, { type: 'error' }>): Error {
    return HeapsightError.revive(r.error) ?? new Error(r.message);
  }

  /** For `parseFileSplit`: finds the sections of a plain snapshot and parses the edges on this thread. */
  parseEdges: EdgesElsewhere = (req) => {
    const id = this.nextId++;
    let found!: (s: Sections | null) => void, notFound!: (e: Error) => void;
    const sections = new Promise<Sections | null>((resolve, reject) => {
      found = resolve;
      notFound = reject;
    });
    const locations = new Promise<HeapGraph['locations'] | null>((resolve, reject) => {
      this.send({ id, type: 'parse-edges', ...req }, (r) => {
        if (r.type === 'sections') return found(r.sections);
        this.handlers.delete(id);
        if (r.type === 'error') {
          const e = HelperThread.failure(r);
          notFound(e); // (if they were found already, this does nothing)
          reject(e);
        } else {
          found(null);
          resolve(r.type === 'done' ? (r.locations ?? null) : null);
        }
      });
    });
    return { sections, locations };
  };

  /**
   * Fills `into` with the bound on each node's retainers (`inboundStep`). Its own request, and no closure of `side`
   * holds `into`: once filled, its buffer holds the other thread's immediate dominators, which must go when that
   * thread lets them go.
   */
  private inbound(
    g: HeapGraph,
    into: Uint32Array,
    ahead: SearchArrays | null,
  ): Promise<{ ms: number; preds: Uint32Array | null }> {
    const id = this.nextId++;
    const done = new Promise<{ ms: number; preds: Uint32Array | null }>((resolve, reject) => {
      this.send({ id, type: 'inbound', graph: graphToMessage(g), into, ahead }, (r) => {
        this.handlers.delete(id);
        if (r.type === 'error') reject(HelperThread.failure(r));
        else if (r.type === 'inbound') {
          // the caller's search may run while this message is still being delivered, which keeps the message: the
          // table must go with the search, so only the promise's value holds it (and the caller takes it out)
          const preds = r.preds;
          r.preds = null;
          resolve({ ms: r.ms, preds });
        }
      });
    });
    done.catch(() => undefined); // awaited by the caller; a failure must not go unhandled meanwhile
    return done;
  }

  /** For `analyzeGraphParallel`: shallow sizes, classes, Statistics and duplicate strings, each a promise. */
  side: SideWork = (
    g: HeapGraph,
    domState: Uint8Array | null,
    top: number,
    opts: SideOptions,
    gate: Int32Array | null = null,
    into: Uint32Array | null = null,
    ahead: SearchArrays | null = null,
  ) => {
    const id = this.nextId++;
    let resolveShallow!: (v: { shallow: Uint32Array | Float64Array; ms: number }) => void;
    let resolveClasses!: (v: { classes: ClassTable; ms: number }) => void;
    let resolveDuplicates!: (v: { duplicates: DuplicateString[]; ms: number }) => void;
    let resolveStatistics!: (v: { stats: Statistics; ms: number }) => void;
    const rejects: ((e: Error) => void)[] = [];
    const shallow = new Promise<{ shallow: Uint32Array | Float64Array; ms: number }>((res, rej) => {
      resolveShallow = res;
      rejects.push(rej);
    });
    const classes = new Promise<{ classes: ClassTable; ms: number }>((res, rej) => {
      resolveClasses = res;
      rejects.push(rej);
    });
    const duplicates = new Promise<{ duplicates: DuplicateString[]; ms: number }>((res, rej) => {
      resolveDuplicates = res;
      rejects.push(rej);
    });
    const statistics = new Promise<{ stats: Statistics; ms: number }>((res, rej) => {
      resolveStatistics = res;
      rejects.push(rej);
    });
    let resolveOrder!: (v: { nodes: Uint32Array; ms: number }) => void;
    const order = opts.idOrder
      ? new Promise<{ nodes: Uint32Array; ms: number }>((res, rej) => {
          resolveOrder = res;
          rejects.push(rej);
        })
      : null;
    for (const p of [shallow, classes, statistics, duplicates, order]) p?.catch(() => undefined);
    const rejectAll = (e: Error) => rejects.forEach((r) => r(e));
    // first the bound on each node's retainers, which the dominator search here waits for
    const inbound = into ? this.inbound(g, into, ahead) : null;
    // results come in the order the helper computes them; the request is over once the duplicate strings are in
    this.send(
      {
        id,
        type: 'side-analyses',
        graph: graphToMessage(g),
        domState,
        top,
        idOrder: opts.idOrder,
        keepShapes: opts.keepShapes,
        gate,
      },
      (r) => {
        if (r.type === 'shallow') resolveShallow(r);
        else if (r.type === 'idOrder') resolveOrder(r);
        else if (r.type === 'classes') resolveClasses(r);
        else if (r.type === 'statistics') resolveStatistics(r);
        else if (r.type === 'duplicates') {
          this.handlers.delete(id);
          resolveDuplicates(r);
        } else if (r.type === 'error') {
          this.handlers.delete(id);
          rejectAll(HelperThread.failure(r));
        }
      },
    );
    return { inbound, shallow, classes, statistics, duplicates, idOrder: order };
  };

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
