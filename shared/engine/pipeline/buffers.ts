import type { DominatorTree, SearchBuffers } from '../dominators/semi-nca.js';
import type { HeapGraph } from '../graph/graph.js';
import { sharedU32 } from '../graph/shared-arrays.js';

/**
 * The dominator search's node-sized working arrays (nodeCount + 1 long, on shared memory), made before it starts so
 * that the helper brings their pages into memory meanwhile: the search's order (`scratch`), its parents and its
 * semidominators.
 */
export interface SearchArrays {
  scratch: Uint32Array;
  parent: Uint32Array;
  semi: Uint32Array;
}

/**
 * Below this many nodes the helper does not bring the dominator search's memory in: its arrays are small enough
 * that the search faults them in about as fast, and the two threads faulting pages of one process at once cost
 * more than that saves (52 MB snapshot, 0.76M nodes: 4 alternated pairs, 0.62-0.66 s without against 0.67-0.71 s
 * with; 200 MB, 2.9M nodes: the same, 1.15-1.21 s against 1.15-1.23 s; 1.01 GB, 14.4M nodes: 4.07 against 3.85 s).
 */
export const PREFAULT_MIN_NODES = 4_000_000;

/**
 * Which arrays each phase of an analysis writes into, and when each is let go. The dominator search is the memory
 * peak; once it is over, its node-sized working arrays are spent but their pages are in memory, where a new array's
 * pages are each faulted in by the kernel on first use (2.9 ms per MB with 4 KB pages on this project's machine):
 * - the helper counts the bound on each node's retainers into `inbound`, which the search then uses for its fill
 *   cursors, its labels and the immediate dominators (a single analysis lets those go once the Summary has its tree);
 * - on large graphs the search's own arrays are made ahead, on shared memory, for the helper to bring in;
 * - the retained sizes go in the search's DFS parents' buffer;
 * - the distance search's queue is the search's node order, and the edges it reached nodes by go in the
 *   semidominators' buffer;
 * - the Summary's dominator tree takes the node order's and the edges' buffers again;
 * - the helper's table of predecessors goes on to duplicate strings (see `helper-steps.ts`).
 * A growth diff keeps the node order and the edges (the series needs them), so those phases get new arrays.
 * Each buffer is handed out once and forgotten here, so that nothing here holds one past its last use.
 */
export class BufferPlan {
  private inbound: Uint32Array | null;
  private ahead: SearchArrays | null;
  private spent: { order: Uint32Array; parents: Uint32Array; semis: Uint32Array } | null = null;

  /**
   * `shared`: the helper is another thread (the arrays it fills or brings in go on shared memory); `series`: the
   * analysis goes on into a growth diff.
   */
  constructor(
    private readonly g: HeapGraph,
    shared: boolean,
    private readonly series: boolean,
    prefaultMinNodes = PREFAULT_MIN_NODES,
  ) {
    const n1 = g.nodeCount + 1;
    this.inbound = shared ? sharedU32(n1) : new Uint32Array(n1);
    this.ahead =
      shared && g.nodeCount >= prefaultMinNodes
        ? { scratch: sharedU32(n1), parent: sharedU32(n1), semi: sharedU32(n1) }
        : null;
  }

  /** For the helper: where to count the retainer bound, and the search's arrays to bring into memory. */
  forHelper(): { inbound: Uint32Array; ahead: SearchArrays | null } {
    return { inbound: this.inbound!, ahead: this.ahead };
  }

  /** The search's order (page ownership's walk uses it first), and the other arrays made ahead, if they were. */
  takeSearchArrays(): { scratch: Uint32Array; buffers: SearchBuffers } {
    const ahead = this.ahead;
    this.ahead = null;
    if (!ahead) return { scratch: new Uint32Array(this.g.nodeCount + 1), buffers: {} };
    return { scratch: ahead.scratch, buffers: { parent: ahead.parent, semi: ahead.semi } };
  }

  /** The retainer bound, for the search, which makes it its own. */
  takeInbound(): Uint32Array {
    const inbound = this.inbound!;
    this.inbound = null;
    return inbound;
  }

  /** The search is over: its spent arrays go on to the phases below. */
  searched(tree: DominatorTree): void {
    this.spent = { order: tree.order, parents: tree.spare[0], semis: tree.spare[1] };
  }

  /** For the retained sizes. */
  forRetained(): Uint32Array {
    return this.spent!.parents;
  }

  /** For the distance search: its queue (a growth diff keeps the order: a new one) and the edges it reached by. */
  forDistances(): { queue: Uint32Array | undefined; via: Uint32Array } {
    return { queue: this.series ? undefined : this.spent!.order, via: this.spent!.semis };
  }

  /** The node order as the analysis keeps it: empty once used, unless a growth diff needs it. */
  keptOrder(): Uint32Array {
    return this.series ? this.spent!.order : new Uint32Array(0);
  }

  /** For the Summary's dominator tree: its children and where each node's start (a growth diff: new ones). */
  takeForSummary(): { kids: Uint32Array | undefined; starts: Uint32Array | undefined } {
    const spent = this.spent!;
    this.spent = null;
    return this.series ? { kids: undefined, starts: undefined } : { kids: spent.order, starts: spent.semis };
  }
}
