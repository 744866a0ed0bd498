/** Typed arrays on a SharedArrayBuffer, so another thread can fill or read them without a copy. */
export function sharedU32(n: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(Math.max(1, n) * 4), 0, n);
}

export function sharedU8(n: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(Math.max(1, n)), 0, n);
}
