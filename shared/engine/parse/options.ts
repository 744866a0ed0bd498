import type { EdgeColumns } from './columns.js';
import type { Header } from './header.js';
import type { MemoryLimit } from './memory-limit.js';

/** What a `SnapshotParser` is asked to do. */
/** The edges part of a split parse: where it starts in the file, and the header and columns the other part made. */
export interface EdgesPart {
  /** Byte offset of the `"edges"` key. */
  from: number;
  header: Header;
  columns: EdgeColumns;
  /** Read on past the edges up to the strings (the locations among what lies between). */
  andAfter: boolean;
}

export interface ParserOptions {
  /** Allocate the node and edge columns on SharedArrayBuffers. */
  shared?: boolean;
  /** Total input size when known: the strings buffer is then sized once instead of grown by doubling. */
  sizeHint?: number;
  /**
   * Refuse, as soon as the header gives the node and edge counts, a snapshot whose analysis would need more memory
   * than this (see `analysisMemoryMb`).
   */
  memoryLimit?: MemoryLimit;
  /**
   * Which part of the file this parser reads: by default all of it; with this, the other thread's part of a split
   * parse (see `split.ts`): the edges array from its key on, into the columns given, and perhaps what follows.
   */
  edges?: EdgesPart;
}
