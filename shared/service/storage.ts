import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { StorageConfig } from './config.js';
import { HeapsightError } from '../errors.js';

/** Object storage for snapshots and reports: a local folder by default, or an S3 bucket. Keys use `/`. */
export interface Storage {
  /** Streams `body` to `key` with its size and sha256; past `limit` bytes fails (UPLOAD_TOO_LARGE), storing nothing. */
  put(key: string, body: Readable, limit?: number): Promise<{ size: number; sha256: string }>;
  get(key: string): Promise<Readable>;
  /** Copies `key` into a local file (the parser reads files on two threads). */
  download(key: string, file: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Throws when the storage cannot be reached. */
  ping(): Promise<void>;
  readonly description: string;
}

/** The error of an upload cut off at its limit. */
export function uploadTooLarge(limit: number): HeapsightError {
  return new HeapsightError('UPLOAD_TOO_LARGE', `the upload is larger than the limit of ${limit} bytes`);
}

function notFound(key: string): HeapsightError {
  return new HeapsightError('NOT_FOUND', `no object ${key}`);
}

/** Counts and hashes what passes through, and stops the stream past `limit` bytes. */
function meter(limit: number) {
  const hash = crypto.createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limit) {
        done(uploadTooLarge(limit));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  return { stream, result: () => ({ size, sha256: hash.digest('hex') }) };
}

export function createStorage(c: StorageConfig): Storage {
  return c.kind === 'file' ? new FileStorage(c.root) : new S3Storage(c.bucket, c.prefix, c.endpoint, c.region);
}

export class FileStorage implements Storage {
  readonly description: string;
  constructor(private readonly root: string) {
    this.description = `file://${root}`;
  }

  private file(key: string): string {
    const p = path.resolve(this.root, ...key.split('/'));
    if (!p.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`bad storage key ${key}`);
    return p;
  }

  async put(key: string, body: Readable, limit = Infinity) {
    const target = this.file(key);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    // written under a temporary name and renamed when complete: a failed upload leaves nothing
    const tmp = `${target}.part-${crypto.randomBytes(6).toString('hex')}`;
    const m = meter(limit);
    try {
      await pipeline(body, m.stream, fs.createWriteStream(tmp));
      await fs.promises.rename(tmp, target);
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
    return m.result();
  }

  async get(key: string): Promise<Readable> {
    const f = this.file(key);
    if (!fs.existsSync(f)) throw notFound(key);
    return fs.createReadStream(f);
  }

  async download(key: string, file: string): Promise<void> {
    await pipeline(await this.get(key), fs.createWriteStream(file));
  }

  async exists(key: string) {
    return fs.existsSync(this.file(key));
  }
  async delete(key: string) {
    await fs.promises.rm(this.file(key), { force: true });
  }
  async ping() {
    await fs.promises.mkdir(this.root, { recursive: true });
    await fs.promises.access(this.root, fs.constants.W_OK);
  }
}

export class S3Storage implements Storage {
  readonly description: string;
  private readonly client: S3Client;
  constructor(
    private readonly bucket: string,
    private readonly prefix: string,
    endpoint: string | undefined,
    region: string,
  ) {
    this.description = `s3://${bucket}/${prefix}`;
    this.client = new S3Client({
      region,
      endpoint,
      forcePathStyle: Boolean(endpoint),
      // streamed bodies without checksum framing (some S3 servers store the framing otherwise)
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 2,
    });
  }

  async put(key: string, body: Readable, limit = Infinity) {
    const m = meter(limit);
    const piped = body.pipe(m.stream);
    body.on('error', (e) => m.stream.destroy(e));
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.prefix + key, Body: piped },
    });
    try {
      await upload.done();
    } catch (err) {
      await upload.abort().catch(() => undefined);
      // a limit hit mid-stream surfaces as the S3 call's failure: report the cause
      if (m.stream.errored instanceof HeapsightError) throw m.stream.errored;
      throw fromS3(err);
    }
    return m.result();
  }

  async get(key: string): Promise<Readable> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return r.Body as Readable;
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') throw notFound(key);
      throw fromS3(err);
    }
  }

  async download(key: string, file: string): Promise<void> {
    await pipeline(await this.get(key), fs.createWriteStream(file));
  }

  async exists(key: string) {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return true;
    } catch (err) {
      if ((err as S3Failure).$metadata?.httpStatusCode === 404) return false;
      throw fromS3(err);
    }
  }

  async delete(key: string) {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key })).catch((err) => {
      throw fromS3(err);
    });
  }

  async ping() {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }
}

interface S3Failure {
  $metadata?: { httpStatusCode?: number };
}

/**
 * A failed S3 call as the user is told it: one the server answered (a status code) as it is; one that never got an
 * answer (refused, timed out, no such host) as UNAVAILABLE.
 */
function fromS3(err: unknown): unknown {
  if ((err as S3Failure)?.$metadata?.httpStatusCode !== undefined || err instanceof HeapsightError) return err;
  const message = String((err as Error)?.message ?? err).split('\n')[0];
  return new HeapsightError('UNAVAILABLE', `the storage is unavailable: ${message}`, { cause: err });
}

/** A string or buffer as a stream, for small objects such as reports. */
export function fromBytes(data: string | Buffer): Readable {
  return Readable.from([typeof data === 'string' ? Buffer.from(data) : data]);
}
