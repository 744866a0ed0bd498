import type { HeapGraph } from '../graph/graph.js';

const EPHEMERON =
  /^\d+(?<dup> \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(?<table>\d+)\))$/;
const MARKER = Buffer.from(' / part of key (');

/**
 * V8 names the internal edges that hold a WeakMap value "N / part of key (K @a) -> value (V @b) pair in WeakMap
 * (table @t)", once from the table and once from the key. This parses those names, cached per string index.
 */
export class WeakMapEdgeNames {
  private readonly state: Uint8Array; // 0 unknown, 1 not an ephemeron name, 2 ephemeron
  private readonly parsed = new Map<number, { dup: string; table: number }>();

  constructor(private readonly g: HeapGraph) {
    this.state = new Uint8Array(g.strings.count);
  }

  /** Whether an edge of this name, from the node with this id, is a WeakMap's table -> value edge. */
  isTableEdge(stringIndex: number, fromId: number): boolean {
    if (this.state[stringIndex] === 1) return false;
    const m = this.match(stringIndex);
    return m !== undefined && m.table === fromId;
  }

  /** The parsed name, or undefined when the string is not an ephemeron edge name. */
  match(stringIndex: number): { dup: string; table: number } | undefined {
    const s = this.state[stringIndex];
    if (s === 1) return undefined;
    if (s === 2) return this.parsed.get(stringIndex);
    const strings = this.g.strings;
    const start = strings.offsets[stringIndex];
    const end = strings.offsets[stringIndex + 1];
    const first = strings.bytes[start];
    if (end - start < 40 || first < 48 || first > 57 || !hasMarker(strings.bytes, start, end)) {
      this.state[stringIndex] = 1;
      return undefined;
    }
    const m = EPHEMERON.exec(strings.get(stringIndex));
    if (!m) {
      this.state[stringIndex] = 1;
      return undefined;
    }
    const v = { dup: m.groups!.dup, table: Number(m.groups!.table) };
    this.state[stringIndex] = 2;
    this.parsed.set(stringIndex, v);
    return v;
  }
}

function hasMarker(bytes: Uint8Array, start: number, end: number): boolean {
  const limit = Math.min(end - MARKER.length, start + 16);
  outer: for (let i = start + 1; i <= limit; i++) {
    for (let k = 0; k < MARKER.length; k++) if (bytes[i + k] !== MARKER[k]) continue outer;
    return true;
  }
  return false;
}
