import fs from 'node:fs';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { HeapsightError } from '../../errors.js';
import { ParseError } from './errors.js';
import { SnapshotParser } from './parser.js';
import type { ParserOptions } from './options.js';
import type { HeapGraph } from '../graph/graph.js';

export interface ParseProgress {
  /** Bytes read from the source (compressed bytes, for gzip). */
  (bytesRead: number): void;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/**
 * Streams any byte source into the parser. Gzip is recognised by its magic bytes and inflated on the fly;
 * a truncated or corrupt gzip stream becomes a ParseError, like any other bad input.
 */
export async function parseStream(
  source: AsyncIterable<Uint8Array>,
  onProgress?: ParseProgress,
  opts: ParserOptions = {},
): Promise<HeapGraph> {
  const parser = new SnapshotParser(opts);
  let raw = 0;
  const counted = (async function* () {
    for await (const chunk of source) {
      raw += chunk.length;
      yield chunk;
    }
  })();

  const first = await counted.next();
  if (first.done) throw new ParseError('not a heap snapshot: the input is empty', 0);
  const head = first.value;
  const isGzip = head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
  let reported = 0;
  const report = () => {
    if (onProgress && raw - reported >= 1 << 22) {
      reported = raw;
      onProgress(raw);
    }
  };

  if (!isGzip) {
    parser.write(head);
    report();
    for await (const chunk of counted) {
      parser.write(chunk);
      report();
    }
  } else {
    const rest = (async function* () {
      yield head;
      yield* counted;
    })();
    const gunzip = zlib.createGunzip({ chunkSize: 1 << 20 });
    const inflated = Readable.from(rest).pipe(gunzip);
    try {
      for await (const chunk of inflated) {
        parser.write(chunk as Buffer);
        report();
      }
    } catch (err) {
      if (err instanceof ParseError && err.offset !== undefined) {
        throw new ParseError(`${err.detail} (at byte ${err.offset} of the inflated data)`);
      }
      if (err instanceof HeapsightError) throw err;
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'Z_BUF_ERROR') {
        throw new ParseError(`truncated gzip input: the compressed stream ends after ${raw} bytes`);
      }
      throw new ParseError(`corrupt gzip input: ${e.message}`);
    } finally {
      gunzip.destroy();
    }
  }
  onProgress?.(raw);
  return parser.end();
}

export interface FileFacts {
  size: number;
  gzip: boolean;
}

/** Size and compression of a snapshot file; a missing or unreadable file is a one-line CANNOT_READ error. */
export function inspectFile(path: string): FileFacts {
  try {
    const st = fs.statSync(path);
    if (st.isDirectory()) throw new HeapsightError('CANNOT_READ', `cannot read ${path}: it is a directory`);
    const fd = fs.openSync(path, 'r');
    const head = Buffer.alloc(2);
    const n = fs.readSync(fd, head, 0, 2, 0);
    fs.closeSync(fd);
    return { size: st.size, gzip: n === 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1 };
  } catch (err) {
    if (err instanceof HeapsightError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new HeapsightError('CANNOT_READ', `cannot read ${path}: ${why}`, { cause: err });
  }
}

const READ_CHUNK = 1 << 22;

/**
 * Reads bytes [from, to) of an open file into the parser (to its end, or the file's), straight into its scanner's
 * window when it has one, so no byte is copied twice; else through a buffer of its own. `onRead` is told how many
 * bytes each read brought.
 */
export function feedRange(
  parser: SnapshotParser,
  fd: number,
  from: number,
  to: number,
  onRead?: (bytes: number) => void,
): void {
  const buf = parser.readBuffer ?? Buffer.allocUnsafe(READ_CHUNK);
  for (let at = from; at < to;) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, to - at), at);
    if (n === 0) break;
    parser.write(n === buf.length ? buf : buf.subarray(0, n));
    at += n;
    onRead?.(n);
  }
}

/**
 * Opens and parses a snapshot file. Plain files are read synchronously into one reused buffer (the parser copies
 * what it keeps); gzip files stream through zlib. `shared`: columns on SharedArrayBuffers, for a helper thread.
 */
export async function parseFile(
  path: string,
  onProgress?: ParseProgress,
  opts: Pick<ParserOptions, 'shared' | 'memoryLimit'> = {},
): Promise<HeapGraph> {
  const facts = inspectFile(path);
  if (facts.gzip) return parseStream(fs.createReadStream(path, { highWaterMark: READ_CHUNK }), onProgress, opts);
  const parser = new SnapshotParser({ ...opts, sizeHint: facts.size });
  const fd = fs.openSync(path, 'r');
  let total = 0;
  let reported = 0;
  try {
    feedRange(parser, fd, 0, Infinity, (n) => {
      total += n;
      if (onProgress && total - reported >= 1 << 24) {
        reported = total;
        onProgress(total);
      }
    });
  } finally {
    fs.closeSync(fd);
  }
  onProgress?.(total);
  return parser.end();
}
