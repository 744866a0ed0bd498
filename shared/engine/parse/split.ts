import fs from 'node:fs';
import type { HeapGraph } from '../graph/graph.js';
import { SnapshotParser } from './parser.js';
import type { ParserOptions } from './options.js';
import type { EdgeColumns } from './columns.js';
import type { Header } from './header.js';
import { HeapsightError } from '../../errors.js';
import { feedRange, inspectFile, parseFile, type ParseProgress } from './source.js';

/**
 * Where the other thread reads: the edges key (`start`) up to `end`, which is the strings key when `andAfter` (the
 * locations, and V8's allocation traces, lie between), else the key after the edges.
 */
export interface Sections {
  start: number;
  end: number;
  andAfter: boolean;
}

/**
 * On another thread: finds the sections (`findSections`), then parses the edges array into `cols` and, with
 * `andAfter`, what follows up to the strings, whose locations come back (sorted by node). `sections` settles as soon
 * as they are found (null: not the usual layout, and nothing is parsed).
 */
export type EdgesElsewhere = (req: {
  file: string;
  size: number;
  nodesStart: number;
  headerEnd: number;
  header: Header;
  nodeCount: number;
  cols: EdgeColumns;
  progress: Float64Array;
  after?: AfterEdges;
}) => { sections: Promise<Sections | null>; locations: Promise<HeapGraph['locations'] | null> };

/**
 * Which thread reads what lies between the edges and the strings (the locations, and V8's allocation traces):
 * 'helper', the other thread; 'here', this one (with the strings); by default, the one with less to read.
 */
export type AfterEdges = 'helper' | 'here';

/**
 * Whether the other thread should read what lies between the edges and the strings, given each part's size in
 * bytes: it reads the edges, this thread the nodes and the strings. Measured on the 1.01 GB corpus snapshot, on this
 * project's machine, a byte of strings takes about three times as long as a byte of nodes or edges (escapes, UTF-8,
 * a table of where each ends), and the locations about twice (they are sorted by node once read).
 */
export function afterEdgesToHelper(nodes: number, edges: number, after: number, strings: number): boolean {
  return edges + 2 * after < nodes + 3 * strings;
}

const CHUNK = 1 << 22;
/** How many parses were split so far, and the sections of the last (for tests). */
export let splitCount = 0;
export let lastSections: Sections | null = null;

/** Below this size a second thread does not pay for itself. */
export const SPLIT_MIN_BYTES = 32 << 20;

/**
 * Parses a plain (not gzip) snapshot file on two threads: this one reads the header, the nodes and everything
 * after the edges; `elsewhere` reads the edges array, typically half the file, at the same time. Both write into
 * SharedArrayBuffer columns.
 *
 * The other thread finds where the edges start (`findSections`) while this one reads the nodes. When the layout
 * is not the usual one, or anything fails, the file is parsed again on one thread, so errors read exactly as they
 * would have.
 */
export async function parseFileSplit(
  path: string,
  elsewhere: EdgesElsewhere,
  onProgress?: ParseProgress,
  minBytes = SPLIT_MIN_BYTES,
  opts: Pick<ParserOptions, 'memoryLimit'> & { after?: AfterEdges } = {},
): Promise<HeapGraph> {
  const facts = inspectFile(path);
  // gzip cannot be split (nothing says where the edges start without inflating all before them)
  if (facts.gzip || facts.size < minBytes) return parseFile(path, onProgress, { shared: true, ...opts });
  try {
    const g = await trySplit(path, facts.size, elsewhere, onProgress, opts);
    if (g) return g;
  } catch (err) {
    // the same file on one thread says what is wrong as it would have (an error may come from the other thread)
    if (!(err instanceof HeapsightError && err.code === 'BAD_SNAPSHOT')) throw err;
  }
  return parseFile(path, onProgress, { shared: true, ...opts });
}

async function trySplit(
  path: string,
  size: number,
  elsewhere: EdgesElsewhere,
  onProgress: ParseProgress | undefined,
  { after, ...opts }: Pick<ParserOptions, 'memoryLimit'> & { after?: AfterEdges },
): Promise<HeapGraph | null> {
  const fd = fs.openSync(path, 'r');
  const parser = new SnapshotParser({ shared: true, sizeHint: size, ...opts });
  let pos = 0;
  let other: Promise<unknown> | null = null;
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
    // 2. the other thread finds the sections and reads the edges
    const progress = new Float64Array(new SharedArrayBuffer(8));
    const { sections, locations } = elsewhere({
      file: path,
      size,
      nodesStart,
      headerEnd: pos,
      header: h,
      nodeCount: h.nodeCount,
      cols: parser.edgeColumns,
      progress,
      after,
    });
    other = locations;
    // awaited below; a failure here must not go unhandled meanwhile
    sections.catch(() => undefined);
    locations.catch(() => undefined);
    const report = (bytes: number) => onProgress?.(bytes + progress[0]);

    // reads [from, to) of the file into the parser, reporting progress as it goes
    let reported = 0;
    const feed = (from: number, to: number) =>
      feedRange(parser, fd, from, to, (n) => {
        reported += n;
        if (reported % (CHUNK * 4) < n) report(reported);
      });
    // 3. the nodes: up to where the edges key may start first, and past that once the other thread has found it
    const nodesEnd = Math.min(size, shortestEnd(nodesStart, h.nodeCount * h.nodeFields.length));
    feed(pos, nodesEnd);
    const s = await sections;
    if (!s) return null;
    feed(nodesEnd, s.start);
    if (!parser.nodesRead || !parser.betweenKeys) return null;
    splitCount++;
    lastSections = s;
    parser.readElsewhere(s.end, s.andAfter);
    // 4. everything after what the other thread reads
    feed(s.end, size);
    parser.settle(); // the strings (and the locations, unless the other thread has them), while it may still be reading
    const found = await locations;
    if (s.andAfter) parser.useLocations(found!);
    report(size - s.end + s.start);
    onProgress?.(size);
    return parser.end();
  } finally {
    fs.closeSync(fd);
    // if this thread failed first, let the other finish before the caller parses again
    if (other) await other.catch(() => undefined);
  }
}

/**
 * Where the numbers array that starts at byte `open` ends at the earliest, `numbers` long: they hold only digits,
 * commas and white space, at least 2 bytes per number, so the first '"' at or after this is the next key's.
 */
function shortestEnd(open: number, numbers: number): number {
  return open + Math.max(1, 2 * numbers - 1);
}

/**
 * Finds where the other thread's part of a plain snapshot lies, given where the nodes array starts (`nodesStart`)
 * and where the header ended (`headerEnd`): the edges key is the first '"' past the shortest possible nodes array,
 * the key after the edges likewise; what follows the edges up to the strings (the locations, and V8's allocation
 * traces) holds numbers only, so the first '"strings"' past them is the key, and that part goes to the other thread
 * as well when `after` says so or `afterEdgesToHelper` finds it the less loaded (if the guess is wrong, a thread
 * fails to parse its part and the file is parsed again on one thread). Null when the layout is not the usual one.
 */
export function findSections(
  fd: number,
  size: number,
  nodesStart: number,
  headerEnd: number,
  h: Header,
  after?: AfterEdges,
): Sections | null {
  const edgesKey = findByte(fd, size, shortestEnd(nodesStart, h.nodeCount * h.nodeFields.length), 0x22);
  if (edgesKey < headerEnd || !matchKey(fd, edgesKey, 'edges')) return null;
  const edgesOpen = findByte(fd, size, edgesKey + 7, 0x5b);
  if (edgesOpen < 0) return null;
  const afterEdges = findByte(fd, size, shortestEnd(edgesOpen, h.edgeCount * h.edgeFields.length), 0x22);
  if (afterEdges < 0) return null;
  const stringsKey = findText(fd, size, afterEdges, '"strings"');
  const andAfter =
    stringsKey > afterEdges &&
    (after === 'helper' ||
      (after !== 'here' &&
        afterEdgesToHelper(edgesKey - nodesStart, afterEdges - edgesKey, stringsKey - afterEdges, size - stringsKey)));
  return { start: edgesKey, end: andAfter ? stringsKey : afterEdges, andAfter };
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
