// The second thread of an analysis: parses the edges section of a split parse, then computes shallow sizes,
// classes and the Statistics while the analysis thread computes dominators, and duplicate strings once it is done
// with them.
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { SnapshotParser } from '../shared/parse/parser.js';
import { ParseError } from '../shared/parse/errors.js';
import { graphFromMessage } from '../shared/graph/transfer.js';
import { typeCodes } from '../shared/graph/graph.js';
import { sideAnalyses } from '../shared/dominators/side.js';
import { inboundStep } from '../shared/dominators/index.js';
import type { HelperReply, HelperRequest } from './helper-protocol.js';
import type { HeapGraph } from '../shared/graph/graph.js';
import { collectGarbage } from '../shared/util/gc.js';

const port = parentPort!;
const reply = (r: HelperReply, transfer: ArrayBuffer[] = []) => port.postMessage(r, transfer);
/** Plain (not shared) buffers move to the other thread instead of being copied. */
const movable = (...arrays: ArrayBufferView[]) =>
  [...new Set(arrays.map((a) => a.buffer))].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);

port.on('message', (req: HelperRequest) => {
  try {
    if (req.type === 'parse-edges') {
      const t0 = performance.now();
      const locations = parseEdges(req);
      reply({ id: req.id, type: 'done', ms: performance.now() - t0, locations }, locations ? movable(locations.ordinal, locations.scriptId, locations.line, locations.column) : []);
      collectGarbage(); // the parser's buffers, while the other thread finishes its part
    } else if (req.type === 'inbound') {
      // a request of its own, so that nothing here holds on to its buffer (the other thread's immediate dominators
      // end up in it) once it is filled
      const t0 = performance.now();
      const g = graphFromMessage(req.graph);
      inboundStep(g, { tc: typeCodes(g) }, req.into);
      reply({ id: req.id, type: 'inbound', ms: performance.now() - t0 });
    } else {
      const g = graphFromMessage(req.graph);
      sideAnalyses(g, typeCodes(g), req.domState, req.top, { idOrder: req.idOrder, keepShapes: req.keepShapes }, {
        shallow: (shallow, ms) => reply({ id: req.id, type: 'shallow', shallow, ms }),
        classes: (classes, ms) => reply({ id: req.id, type: 'classes', classes, ms }, movable(classes.classOf, ...(classes.shapeOf ? [classes.shapeOf] : []))),
        idOrder: (nodes, ms) => reply({ id: req.id, type: 'idOrder', nodes, ms }, movable(nodes)),
        statistics: (stats, ms) => reply({ id: req.id, type: 'statistics', stats, ms }),
        duplicates: (duplicates, ms) => reply({ id: req.id, type: 'duplicates', duplicates, ms }),
      }, req.gate);
      // drop this thread's hold on the graph's shared buffers now, not at some later collection: a diff parses the
      // next snapshot straight after
      collectGarbage();
    }
  } catch (err) {
    reply({ id: req.id, type: 'error', message: (err as Error).message, parseError: err instanceof ParseError });
  }
});

const CHUNK = 1 << 22;

/** The edges (and with `andAfter`, what follows them up to the strings: the locations come back). */
function parseEdges(req: Extract<HelperRequest, { type: 'parse-edges' }>): HeapGraph['locations'] | null {
  const parser = SnapshotParser.forEdges(req.header, req.nodeCount, req.cols, req.start, req.andAfter, req.end);
  const fd = fs.openSync(req.file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  try {
    let at = req.start;
    while (at < req.end) {
      const n = fs.readSync(fd, buf, 0, Math.min(CHUNK, req.end - at), at);
      if (n === 0) break;
      parser.write(n === CHUNK ? buf : buf.subarray(0, n));
      at += n;
      req.progress[0] = at - req.start;
    }
  } finally {
    fs.closeSync(fd);
  }
  parser.finishEdges();
  return req.andAfter ? parser.takeLocations() : null;
}
