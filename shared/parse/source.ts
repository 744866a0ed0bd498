import fs from 'node:fs';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { ParseError } from './errors.js';
import { SnapshotParser } from './parser.js';
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
export async function parseStream(source: AsyncIterable<Uint8Array>, onProgress?: ParseProgress): Promise<HeapGraph> {
  const parser = new SnapshotParser();
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
    if (onProgress && raw - reported >= 1 << 22) { reported = raw; onProgress(raw); }
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
      if (err instanceof ParseError) {
        throw new ParseError(`${err.message.replace(/ \(at byte \d+\)$/, '')} (at byte ${err.offset} of the inflated data)`);
      }
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message)) {
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

/** Opens and parses a snapshot file; a missing or unreadable file is a one-line error too. */
export async function parseFile(path: string, onProgress?: ParseProgress): Promise<HeapGraph> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch (err) {
    throw new ParseError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (stat.isDirectory()) throw new ParseError(`cannot read ${path}: it is a directory`);
  return parseStream(fs.createReadStream(path, { highWaterMark: 1 << 22 }), onProgress);
}
