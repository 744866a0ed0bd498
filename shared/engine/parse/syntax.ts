/** The few facts of JSON's bytes the parser's parts share. */

export const U32_MAX = 0xffffffff;
/** 15 digits: the largest number kept exactly in a double. */
export const MAX_EXACT = 999999999999999;

export const QUOTE = 34;
export const COMMA = 44;
export const COLON = 58;
export const BACKSLASH = 92;
export const OPEN_BRACKET = 91;
export const CLOSE_BRACKET = 93;
export const OPEN_BRACE = 123;
export const CLOSE_BRACE = 125;

export function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** A byte as an error message shows it: the character when printable, else its hex code. */
export function describe(c: number): string {
  if (c >= 32 && c < 127) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/**
 * A first capacity for an array of numbers read from the rest of the input (`sizeHint - at` bytes, one number per
 * `bytes` on a guess): big enough that it seldom grows by copying, and costing nothing for the part never written (a
 * new typed array's pages are only mapped in once touched); at most 64 M entries.
 */
export function presize(sizeHint: number | undefined, at: number, bytes: number): number {
  return sizeHint ? Math.min(1 << 26, Math.max(1 << 12, Math.ceil((sizeHint - at) / bytes))) : 1 << 12;
}
