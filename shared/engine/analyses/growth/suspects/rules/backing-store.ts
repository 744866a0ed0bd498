/** The node types of V8's own storage: arrays' and maps' backing stores, hidden objects, code and shapes. */
const BACKING_STORE_TYPES = new Set(['array', 'hidden', 'code', 'object shape']);

/**
 * Whether a node of this type is V8's storage rather than an object of the program's. The descent never stops in
 * one: a `Map` whose table grows is the accumulation point, and its path goes on into the `(table)`. It passes
 * through one only on the way to an object of the program's (a module record on the way to a module's variables).
 */
export function isBackingStore(nodeType: string): boolean {
  return BACKING_STORE_TYPES.has(nodeType);
}
