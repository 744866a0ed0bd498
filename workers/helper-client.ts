import { Worker } from 'node:worker_threads';
import { HeapsightError } from '../shared/errors.js';
import { threadDied } from './died.js';
import type { EdgesElsewhere, Sections } from '../shared/engine/parse/split.js';
import type { HeapGraph } from '../shared/engine/graph/graph.js';
import { graphToMessage } from '../shared/engine/graph/transfer.js';
import type { SearchArrays } from '../shared/engine/pipeline/buffers.js';
import type { Helper, HelperJob, HelperResults } from '../shared/engine/pipeline/helper.js';
import { deferred } from './deferred.js';
import type { DuplicateString } from '../shared/engine/analyses/duplicates/index.js';
import type { ClassTable } from '../shared/engine/analyses/classes.js';
import type { Statistics } from '../shared/engine/analyses/statistics.js';
import type { HelperReply, HelperRequest } from './helper-protocol.js';

type Handler = (r: HelperReply) => void;

/**
 * The second thread of an analysis worker. Started on first use and kept for later tasks; if it dies, every
 * request waiting on it fails with a clear error and the next request starts a new one.
 */
export class HelperThread implements Helper {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly handlers = new Map<number, Handler>();

  constructor(private readonly maxMemoryMb?: number) {}

  private get running(): Worker {
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
    void this.running;
  }

  private send(req: HelperRequest, onReply: Handler): void {
    this.handlers.set(req.id, onReply);
    this.running.postMessage(req);
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

  readonly thread = 'helper thread';

  /**
   * The helper's share of an analysis (see `Helper`): first the bound on each node's retainers, a request of its own,
   * then shallow sizes, classes, Statistics and duplicate strings, each a promise, in the order the thread computes
   * them. (No closure here holds the job: its `inbound` buffer ends up holding the other thread's dominators.)
   */
  start({ g, domState, top, options, gate, inbound: into, ahead }: HelperJob): HelperResults {
    const id = this.nextId++;
    const shallow = deferred<{ shallow: Uint32Array | Float64Array; ms: number }>();
    const classes = deferred<{ classes: ClassTable; ms: number }>();
    const statistics = deferred<{ stats: Statistics; ms: number }>();
    const duplicates = deferred<{ duplicates: DuplicateString[]; ms: number }>();
    const order = options.idOrder ? deferred<{ nodes: Uint32Array; ms: number }>() : null;
    const all = [shallow, classes, statistics, duplicates, ...(order ? [order] : [])];
    // first the bound on each node's retainers, which the dominator search there waits for
    const inbound = this.inbound(g, into, ahead);
    // results come in the order the helper computes them; the request is over once the duplicate strings are in
    const message = {
      id,
      type: 'side-analyses' as const,
      graph: graphToMessage(g),
      // the DOM state is read where it lies when it is on shared memory; else the helper works it out again
      domState: domState.buffer instanceof SharedArrayBuffer ? domState : null,
      top,
      idOrder: options.idOrder,
      keepShapes: options.keepShapes,
      gate,
    };
    this.send(message, (r) => {
      if (r.type === 'shallow') shallow.resolve(r);
      else if (r.type === 'idOrder') order?.resolve(r);
      else if (r.type === 'classes') classes.resolve(r);
      else if (r.type === 'statistics') statistics.resolve(r);
      else if (r.type === 'duplicates') {
        this.handlers.delete(id);
        duplicates.resolve(r);
      } else if (r.type === 'error') {
        this.handlers.delete(id);
        const e = HelperThread.failure(r);
        for (const d of all) d.reject(e);
      }
    });
    return {
      inbound,
      shallow: shallow.promise,
      classes: classes.promise,
      statistics: statistics.promise,
      duplicates: duplicates.promise,
      idOrder: order?.promise ?? null,
    };
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
