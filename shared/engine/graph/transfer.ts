import type { HeapGraph } from './graph.js';
import { StringTable } from './strings.js';

/** A HeapGraph as it crosses to another thread: typed arrays on SharedArrayBuffers travel without a copy. */
export type GraphMessage = Omit<HeapGraph, 'strings'> & {
  stringBytes: Uint8Array;
  stringOffsets: Uint32Array;
  knownStrings: [string, number[]][];
};

export function graphToMessage(g: HeapGraph): GraphMessage {
  const { strings, ...rest } = g;
  return { ...rest, stringBytes: strings.bytes, stringOffsets: strings.offsets, knownStrings: strings.known() };
}

export function graphFromMessage(m: GraphMessage): HeapGraph {
  const { stringBytes, stringOffsets, knownStrings, ...rest } = m;
  return { ...rest, strings: new StringTable(stringBytes, stringOffsets, knownStrings) };
}

/** Whether the graph's big columns live on SharedArrayBuffers (so a helper thread can use them). */
export function isShared(g: HeapGraph): boolean {
  return (
    g.edgeTypeTo.buffer instanceof SharedArrayBuffer &&
    g.nodeType.buffer instanceof SharedArrayBuffer &&
    g.strings.bytes.buffer instanceof SharedArrayBuffer
  );
}
