import fs from 'node:fs';
import type { HeapGraph } from '../graph/graph.js';
import { SnapshotParser, type EdgeColumns, type Header, type ParserOptions } from './parser.js';
import { ParseError } from './errors.js';
import { inspectFile, parseFile, type ParseProgress } from './source.js';

/**
 * Parses the edges array found at bytes [start, end) of a file into `cols`, on another thread; with `andAfter`, the
 * range runs on to the strings, and the locations found in it come back (sorted by node).
 */
export type EdgesElsewhere = (req: {
  file: string; start: number; end: number; header: Header; nodeCount: number; cols: EdgeColumns; progress: Float64Array; andAfter: boolean;
}) => Promise<HeapGraph['locations'] | null>;

const CHUNK = 1 << 22;
/** How many parses were split so far (for tests). */
export let splitCount = 0;

/** Below this size a second thread does not pay for itself. */
export const SPLIT_MIN_BYTES = 32 << 20;

/**
 * Parses a plain (not gzip) snapshot file on two threads: this one reads the header, the nodes and everything
 * after the edges; `elsewhere` reads the edges array, typically half the file, at the same time. Both write into
 * SharedArrayBuffer columns.
 *
 * The edges array is found without parsing the nodes: they hold only digits, commas and white space, at least
 * 2 bytes per number, so the first '"' at or after `nodes start + 2 x node numbers` is the next key's. Likewise
 * for the key after the edges. When the layout is not the usual one, or anything fails, the file is parsed again
 * on one thread, so errors read exactly as they would have.
 */
export async function parseFileSplit(
  path: string, elsewhere: EdgesElsewhere, onProgress?: ParseProgress, minBytes = SPLIT_MIN_BYTES,
  opts: Pick<ParserOptions, 'memoryLimit'> = {},
): Promise<HeapGraph> {
  const facts = inspectFile(path);
  // gzip cannot be split (nothing says where the edges start without inflating all before them)
  if (facts.gzip || facts.size < minBytes) return parseFile(path, onProgress, { shared: true, ...opts });
  try {
    const g = await trySplit(path, facts.size, elsewhere, onProgress, opts);
    if (g) return g;
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
  }
  return parseFile(path, onProgress, { shared: true, ...opts });
}

async function trySplit(
  path: string, size: number, elsewhere: EdgesElsewhere, onProgress: ParseProgress | undefined, opts: Pick<ParserOptions, 'memoryLimit'>,
): Promise<HeapGraph | null> {
  const fd = fs.openSync(path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  const parser = new SnapshotParser({ shared: true, sizeHint: size, ...opts });
  let pos = 0;
  let other: Promise<HeapGraph['locations'] | null> | null = null;
  try {
    // 1. the header, and where the nodes array starts
    const head = Buffer.allocUnsafe(1 << 10); // small reads: the header is short, and the nodes must not be overrun
    while (!parser.nodesStart && pos < Math.min(size, 64 << 20)) {
      const n = fs.readSync(fd, head, 0, head.length, pos);
      if (!n) break;
      // feed up to the nodes array's first byte at most, byte ranges at a time
      parser.write(n === head.length ? head : head.subarray(0, n));
      pos += n;
    }
    const h = parser.headerInfo;
    const nodesStart = parser.nodesStart;
    if (!h || !nodesStart) return null;
    // 2. the edges key: first '"' past the shortest possible nodes array
    const nodeNumbers = h.nodeCount * h.nodeFields.length;
    const edgesKey = findByte(fd, size, nodesStart + 2 * nodeNumbers - 1, 0x22);
    if (edgesKey < 0 || !matchKey(fd, edgesKey, 'edges')) return null;
    const edgesOpen = findByte(fd, size, edgesKey + 7, 0x5b);
    // 3. the key after the edges: first '"' past the shortest possible edges array
    const edgeNumbers = h.edgeCount * h.edgeFields.length;
    const afterEdges = findByte(fd, size, edgesOpen + Math.max(1, 2 * edgeNumbers - 1), 0x22);
    if (edgesOpen < 0 || afterEdges < 0 || edgesKey < pos) return null;
    // 4. what follows the edges up to the strings (the locations, and V8's allocation traces) holds numbers only,
    // so the first '"strings"' past them is the key: that part goes to the other thread as well, which is usually
    // the one with less to read (if the guess is wrong, a thread fails to parse its part and the file is parsed again
    // on one thread)
    const stringsKey = findText(fd, size, afterEdges, '"strings"');
    const andAfter = stringsKey > afterEdges;
    const nextKey = andAfter ? stringsKey : afterEdges;

    const progress = new Float64Array(new SharedArrayBuffer(8));
    other = elsewhere({ file: path, start: edgesKey, end: nextKey, header: h, nodeCount: h.nodeCount, cols: parser.edgeColumns, progress, andAfter });
    other.catch(() => undefined); // awaited below; a failure here must not go unhandled meanwhile
    const report = (bytes: number) => onProgress?.(bytes + progress[0]);

    // 5. the nodes, up to the edges key; then everything after what the other thread reads
    let reported = 0;
    const feed = (from: number, to: number) => {
      let at = from;
      while (at < to) {
        const n = fs.readSync(fd, buf, 0, Math.min(CHUNK, to - at), at);
        if (!n) break;
        parser.write(n === CHUNK ? buf : buf.subarray(0, n));
        at += n;
        reported += n;
        if (reported % (CHUNK * 4) < n) report(reported);
      }
    };
    feed(pos, edgesKey);
    if (!parser.nodesRead || !parser.betweenKeys) return null;
    splitCount++;
    parser.edgesReadElsewhere(nextKey);
    if (andAfter) parser.locationsReadElsewhere();
    feed(nextKey, size);
    parser.settle(); // the strings (and the locations, unless the other thread has them), while it may still be reading
    const locations = await other;
    if (andAfter) parser.useLocations(locations!);
    report(size - nextKey + edgesKey);
    onProgress?.(size);
    return parser.end();
  } finally {
    fs.closeSync(fd);
    // if this thread failed first, let the other finish before the caller parses again
    if (other) await other.catch(() => undefined);
  }
}

/** Offset of the first occurrence of ASCII `text` at or after `from`, or -1. */
function findText(fd: number, size: number, from: number, text: string): number {
  const want = Buffer.from(text, 'latin1');
  const buf = Buffer.allocUnsafe(1 << 22);
  for (let at = Math.max(0, from); at < size;) {
    const n = fs.readSync(fd, buf, 0, buf.length, at);
    if (!n) break;
    const i = buf.subarray(0, n).indexOf(want);
    if (i >= 0) return at + i;
    if (at + n >= size) break;
    at += n - (want.length - 1); // a match may straddle two reads
  }
  return -1;
}

/** Offset of the first `byte` at or after `from`, or -1. */
function findByte(fd: number, size: number, from: number, byte: number): number {
  return findText(fd, size, from, String.fromCharCode(byte));
}

function matchKey(fd: number, at: number, key: string): boolean {
  const want = `"${key}"`;
  const buf = Buffer.alloc(want.length);
  fs.readSync(fd, buf, 0, buf.length, at);
  return buf.toString('latin1') === want;
}
