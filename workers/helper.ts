// The second thread of an analysis: parses the edges section of a split parse, then computes shallow sizes,
// classes and the Statistics while the analysis thread computes dominators, and duplicate strings once it is done
// with them.
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { SnapshotParser } from '../shared/engine/parse/parser.js';
import { sharedU32 } from '../shared/engine/graph/shared-arrays.js';
import { predSlots } from '../shared/engine/dominators/semi-nca.js';
import { prefault } from '../shared/engine/util/prefault.js';
import { HeapsightError } from '../shared/errors.js';
import { graphFromMessage } from '../shared/engine/graph/transfer.js';
import { typeCodes } from '../shared/engine/graph/graph.js';
import { sideAnalyses } from '../shared/engine/pipeline/helper-steps.js';
import { findSections, type Sections } from '../shared/engine/parse/split.js';
import { feedRange } from '../shared/engine/parse/source.js';
import { inboundStep } from '../shared/engine/dominators/index.js';
import type { HelperReply, HelperRequest } from './helper-protocol.js';
import type { HeapGraph } from '../shared/engine/graph/graph.js';
import { collectGarbage, collectGarbageFor } from '../shared/engine/util/gc.js';

const port = parentPort!;
const reply = (r: HelperReply, transfer: ArrayBuffer[] = []) => port.postMessage(r, transfer);
/** Plain (not shared) buffers move to the other thread instead of being copied. */
const movable = (...arrays: ArrayBufferView[]) =>
  [...new Set(arrays.map((a) => a.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);

port.on('message', (req: HelperRequest) => {
  try {
    if (req.type === 'parse-edges') {
      const t0 = performance.now();
      const locations = parseEdges(req, (sections) => reply({ id: req.id, type: 'sections', sections }));
      reply(
        { id: req.id, type: 'done', ms: performance.now() - t0, locations },
        locations ? movable(locations.ordinal, locations.scriptId, locations.line, locations.column) : [],
      );
      collectGarbageFor(req.nodeCount); // the parser's buffers, while the other thread finishes its part
    } else if (req.type === 'inbound') {
      // a request of its own, so that nothing here holds on to its buffer (the other thread's immediate dominators
      // end up in it) once it is filled
      countInbound(req);
      collectGarbageFor(req.graph.nodeCount);
    } else {
      const g = graphFromMessage(req.graph);
      // the table of predecessors, which the other thread's search is done with once the gate opens: its pages
      // are in memory, so duplicate strings cut their arrays from it rather than fault in new ones (1.01 GB
      // snapshot: 94 of its 110 MB)
      const spare = () => spentPreds?.buffer ?? null;
      try {
        sideAnalyses(
          g,
          req.domState,
          req.top,
          { idOrder: req.idOrder, keepShapes: req.keepShapes },
          {
            shallow: (shallow, ms) => reply({ id: req.id, type: 'shallow', shallow, ms }),
            classes: (classes, ms) =>
              reply(
                { id: req.id, type: 'classes', classes, ms },
                movable(classes.classOf, ...(classes.shapeOf ? [classes.shapeOf] : [])),
              ),
            idOrder: (nodes, ms) => reply({ id: req.id, type: 'idOrder', nodes, ms }, movable(nodes)),
            statistics: (stats, ms) => reply({ id: req.id, type: 'statistics', stats, ms }),
            duplicates: (duplicates, ms) => reply({ id: req.id, type: 'duplicates', duplicates, ms }),
          },
          req.gate,
          spare,
        );
      } finally {
        // used, or not (no duplicate strings asked for, or a failure): not kept for the thread's next task
        spentPreds = null;
      }
      // drop this thread's hold on the graph's shared buffers now, not at some later collection: a diff parses the
      // next snapshot straight after
      collectGarbage();
    }
  } catch (err) {
    // ours go with their code; anything else is a fault of the program, said as such on the other side
    reply({
      id: req.id,
      type: 'error',
      error: err instanceof HeapsightError ? err.toClone() : null,
      message: String((err as Error)?.message ?? err),
    });
  }
});

/**
 * The bound on each node's retainers, into `req.into`. With `req.ahead`, the search's table of predecessors, sized
 * by the bound, is made here and sent with the answer; then, while the other thread starts its search, the pages of
 * its working arrays are brought into memory, for as long as this thread can spare (see PREFAULT_MS): the
 * semidominators' first (the search reaches them last), then the rest from their ends back.
 */
function countInbound(req: Extract<HelperRequest, { type: 'inbound' }>): void {
  const t0 = performance.now();
  const g = graphFromMessage(req.graph);
  inboundStep(g, { tc: typeCodes(g) }, req.into);
  const ahead = req.ahead;
  const preds = ahead ? sharedU32(predSlots(req.into, g.nodeCount)) : null;
  reply({ id: req.id, type: 'inbound', ms: performance.now() - t0, preds });
  if (ahead) prefault([ahead.semi], [ahead.scratch, ahead.parent, preds!], PREFAULT_MS);
  spentPreds = preds; // for the side analyses' request, which follows (the other thread lets go of it after its search)
}

/** The last table of predecessors made here, kept for duplicate strings (see the side analyses' request). */
let spentPreds: Uint32Array | null = null;

/**
 * How long this thread spends bringing the dominator search's pages into memory, at most. Its own work before the
 * search ends (shallow sizes, classes, Statistics) leaves it about 0.5 s idle on a 1 GB snapshot; each millisecond
 * spent here is one the search saves, so half of that keeps its results in time. Pages usually take much less: only
 * memory a virtual machine's host has taken back costs this much (see the README's "Measuring on this machine").
 */
const PREFAULT_MS = 250;

/**
 * Finds the sections (told to `found` at once: the other thread waits for them to read on past the nodes), then
 * parses the edges (and with `andAfter`, what follows them up to the strings: the locations come back).
 */
function parseEdges(
  req: Extract<HelperRequest, { type: 'parse-edges' }>,
  found: (s: Sections | null) => void,
): HeapGraph['locations'] | null {
  const fd = fs.openSync(req.file, 'r');
  try {
    const s = findSections(fd, req.size, req.nodesStart, req.headerEnd, req.header, req.after);
    found(s);
    if (!s) return null;
    return parseRange(fd, req, s);
  } finally {
    fs.closeSync(fd);
  }
}

function parseRange(
  fd: number,
  req: Extract<HelperRequest, { type: 'parse-edges' }>,
  s: Sections,
): HeapGraph['locations'] | null {
  // (the locations it reads go to a graph on shared memory)
  const edges = { from: s.start, header: req.header, columns: req.cols, andAfter: s.andAfter };
  const parser = new SnapshotParser({ sizeHint: s.end, shared: true, edges });
  feedRange(parser, fd, s.start, s.end, (n) => {
    req.progress[0] += n;
  });
  return parser.endPart();
}
