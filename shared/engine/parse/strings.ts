import { StringTable } from '../graph/strings.js';
import { sharedU32, sharedU8 } from '../graph/shared-arrays.js';
import { GrowableBytes, GrowableU32 } from '../util/growable.js';
import { ParseError } from './errors.js';
import { BACKSLASH, CLOSE_BRACKET, COMMA, describe, isWs, presize, QUOTE, U32_MAX } from './syntax.js';
import { WINDOW, type WasmScanner } from './wasm-scanner.js';

const enum Where {
  /** Expecting '"' or ']' (the first string, or none). */
  First,
  InString,
  AfterString,
  /** Expecting '"' after ','. */
  AfterComma,
}

const enum Escape {
  None,
  AfterBackslash,
  InHex,
}

/**
 * The "strings" array: JSON strings with full escape handling, decoded into one UTF-8 buffer with a table of where
 * each ends, never as JS strings. Plain strings go through the WebAssembly module a window at a time; what it stops
 * at (an escape, a control character, the closing ']', anything unexpected) is for the JS code here, one step,
 * before the module takes over again.
 */
export class StringsReader {
  /** Whether the closing ']' was read. */
  closed = false;
  private opened = false;
  private bytes: GrowableBytes | null;
  private ends: GrowableU32 | null;
  private where = Where.First;
  private escape = Escape.None;
  private hex = 0;
  private hexDigits = 0;
  /** A high surrogate waiting for its low half (0: none). */
  private pendingHigh = 0;

  /** `at`: where the array starts in the input, `sizeHint` the input's size (they bound the decoded strings). */
  constructor(
    private readonly wasm: WasmScanner | null,
    private readonly shared: boolean,
    at: number,
    sizeHint: number | undefined,
  ) {
    // decoded strings are never longer than their JSON: what is left of the input bounds them
    this.bytes = new GrowableBytes(sizeHint ? Math.max(16, sizeHint - at) : 1 << 20, shared ? sharedU8 : undefined);
    this.ends = new GrowableU32(presize(sizeHint, at, 8), shared ? sharedU32 : undefined);
    this.ends.push(0);
  }

  /** Reads b[i...] (the chunk starts at byte `pos` of the file); returns where it stopped (past ']' once closed). */
  read(b: Uint8Array, i: number, pos: number): number {
    const len = b.length;
    const out = this.bytes!;
    if (!this.opened) {
      this.opened = true;
      i++;
    }
    const w = this.wasm;
    let jsTurn = false;
    while (i < len) {
      if (w && !jsTurn && this.escape === Escape.None && !this.pendingHigh && out.length + WINDOW <= U32_MAX) {
        const r = w.strings(b, i, Math.min(len - i, WINDOW), this.where, out.length);
        if (r.outLen) out.append(w.stringBytes, 0, r.outLen);
        if (r.ends) this.ends!.appendAll(w.stringEnds.subarray(0, r.ends));
        this.where = r.st;
        i = r.stoppedAt;
        jsTurn = r.status === 1 || r.status === 2;
        continue;
      }
      jsTurn = false;
      const st = this.where;
      if (st !== Where.InString) {
        const c = b[i];
        if (isWs(c)) {
          i++;
          continue;
        }
        if (c === QUOTE && st !== Where.AfterString) {
          this.where = Where.InString;
          i++;
          continue;
        }
        if (c === COMMA && st === Where.AfterString) {
          this.where = Where.AfterComma;
          i++;
          continue;
        }
        if (c === CLOSE_BRACKET && st !== Where.AfterComma) {
          this.closed = true;
          return i + 1;
        }
        throw new ParseError(`malformed strings array: unexpected ${describe(c)}`, pos + i);
      }
      if (this.escape === Escape.None) i = this.plain(b, i, pos);
      else if (this.escape === Escape.AfterBackslash) i = this.escaped(b, i, pos);
      else i = this.hexDigit(b, i, pos);
    }
    return i;
  }

  /** Inside a string, no escape pending: its plain bytes, up to its end or an escape. */
  private plain(b: Uint8Array, i: number, pos: number): number {
    const len = b.length;
    const out = this.bytes!;
    const start = i;
    while (i < len) {
      const c = b[i];
      if (c === QUOTE || c === BACKSLASH || c < 32) break;
      i++;
    }
    if (i > start) {
      if (this.pendingHigh) this.flushHigh();
      out.append(b, start, i);
    }
    if (i === len) return i;
    const c = b[i];
    if (c === QUOTE) {
      if (this.pendingHigh) this.flushHigh();
      if (out.length > U32_MAX) throw new ParseError('strings section larger than 4 GiB', pos + i);
      this.ends!.push(out.length);
      i++;
      // the usual separators, `,"` and `,\n"`, straight into the next string
      if (i + 2 < len && b[i] === COMMA) {
        const d = b[i + 1];
        if (d === QUOTE) return i + 2;
        if (d === 10 && b[i + 2] === QUOTE) return i + 3;
      }
      this.where = Where.AfterString;
      return i;
    }
    if (c === BACKSLASH) {
      this.escape = Escape.AfterBackslash;
      return i + 1;
    }
    const hex = c.toString(16).padStart(2, '0');
    throw new ParseError(`bad string: raw control character 0x${hex} (string ${this.current})`, pos + i);
  }

  /** The character after a backslash. */
  private escaped(b: Uint8Array, i: number, pos: number): number {
    const c = b[i];
    const ch = SIMPLE_ESCAPES[c];
    if (c === 117) {
      // \uXXXX
      this.escape = Escape.InHex;
      this.hex = 0;
      this.hexDigits = 0;
      return i + 1;
    }
    if (ch === undefined) {
      const bad = String.fromCharCode(c);
      throw new ParseError(`bad string: invalid escape '\\${bad}' (string ${this.current})`, pos + i);
    }
    if (this.pendingHigh) this.flushHigh();
    this.bytes!.push(ch);
    this.escape = Escape.None;
    return i + 1;
  }

  /** One of the four hex digits of a \u escape. */
  private hexDigit(b: Uint8Array, i: number, pos: number): number {
    const c = b[i];
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else if (c >= 65 && c <= 70) d = c - 55;
    else throw new ParseError(`bad string: invalid \\u escape (string ${this.current})`, pos + i);
    this.hex = this.hex * 16 + d;
    if (++this.hexDigits === 4) {
      this.escape = Escape.None;
      this.codeUnit(this.hex);
    }
    return i + 1;
  }

  /** The index of the string being read, for messages. */
  private get current(): number {
    return this.ends!.length - 1;
  }

  private codeUnit(u: number): void {
    if (this.pendingHigh) {
      if (u >= 0xdc00 && u <= 0xdfff) {
        const cp = 0x10000 + ((this.pendingHigh - 0xd800) << 10) + (u - 0xdc00);
        this.pendingHigh = 0;
        this.utf8(cp);
        return;
      }
      this.flushHigh();
    }
    if (u >= 0xd800 && u <= 0xdbff) {
      this.pendingHigh = u;
      return;
    }
    // a lone low surrogate: U+FFFD
    this.utf8(u >= 0xdc00 && u <= 0xdfff ? 0xfffd : u);
  }

  /** A high surrogate with no low one after it: U+FFFD, as a UTF-8 decoder would show it. */
  private flushHigh(): void {
    this.pendingHigh = 0;
    this.utf8(0xfffd);
  }

  private utf8(cp: number): void {
    const out = this.bytes!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) {
      out.push(0xc0 | (cp >> 6));
      out.push(0x80 | (cp & 63));
    } else if (cp < 0x10000) {
      out.push(0xe0 | (cp >> 12));
      out.push(0x80 | ((cp >> 6) & 63));
      out.push(0x80 | (cp & 63));
    } else {
      out.push(0xf0 | (cp >> 18));
      out.push(0x80 | ((cp >> 12) & 63));
      out.push(0x80 | ((cp >> 6) & 63));
      out.push(0x80 | (cp & 63));
    }
  }

  /**
   * The string table, once the array is read; the reader lets go of its buffers. Shared: the buffers are taken as
   * they are (what is left of their capacity was never touched and costs no memory, where trimming them would copy
   * every string's bytes); else trimmed to size.
   */
  table(): StringTable {
    const bytes = this.bytes!,
      ends = this.ends!;
    this.bytes = this.ends = null;
    if (this.shared) return new StringTable(bytes.data.subarray(0, bytes.length), ends.data.subarray(0, ends.length));
    return new StringTable(bytes.view(), ends.view());
  }
}

/** The characters after a backslash that stand for one byte, by that character's code. */
const SIMPLE_ESCAPES: Record<number, number> = { 34: 34, 92: 92, 47: 47, 98: 8, 102: 12, 110: 10, 114: 13, 116: 9 };
