import { GrowableBytes } from '../util/growable.js';
import { ParseError } from './errors.js';
import { MAX_HEADER_BYTES } from './header.js';
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } from './syntax.js';

/**
 * One top-level JSON value of any shape, read past chunk after chunk: the values the parser has no use for, and the
 * "snapshot" header, whose bytes it keeps (`capture`) for `readHeader`.
 */
export class ValueSkipper {
  /** Whether the value ended. */
  ended = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private readonly kept: GrowableBytes | null;

  constructor(capture: boolean) {
    this.kept = capture ? new GrowableBytes(1 << 12) : null;
  }

  /**
   * Reads b[i...] (the chunk starts at byte `pos` of the file) up to the value's end: the index after its last byte
   * (before the ',' or '}' that follows a scalar).
   */
  read(b: Uint8Array, i: number, pos: number): number {
    const start = i;
    const len = b.length;
    let depth = this.depth,
      inString = this.inString,
      escaped = this.escaped;
    for (; i < len; i++) {
      const c = b[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        continue;
      }
      if (c === QUOTE) {
        inString = true;
        continue;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        depth++;
        continue;
      }
      if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (depth === 0) {
          // a scalar value, ended by the enclosing object's '}' (left for the caller)
          this.ended = true;
          break;
        }
        if (--depth === 0) {
          // the value's own closing bracket
          i++;
          this.ended = true;
          break;
        }
        continue;
      }
      if (c === COMMA && depth === 0) {
        this.ended = true;
        break;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    if (this.kept) {
      this.kept.append(b, start, i);
      if (this.kept.length > MAX_HEADER_BYTES) {
        throw new ParseError('not a heap snapshot: "snapshot" header is too large', pos + i);
      }
    }
    return i;
  }

  /** The bytes of the value, when captured. */
  get bytes(): Uint8Array {
    return this.kept!.view();
  }
}
