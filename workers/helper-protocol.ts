import type { Header } from '../shared/engine/parse/header.js';
import type { EdgeColumns } from '../shared/engine/parse/columns.js';
import type { AfterEdges, Sections } from '../shared/engine/parse/split.js';
import type { GraphMessage } from '../shared/engine/graph/transfer.js';
import type { HeapGraph } from '../shared/engine/graph/graph.js';
import type { DuplicateString } from '../shared/engine/analyses/duplicates/index.js';
import type { ClassTable } from '../shared/engine/analyses/classes.js';
import type { Statistics } from '../shared/engine/analyses/statistics.js';
import type { SearchArrays } from '../shared/engine/pipeline/buffers.js';
import type { ClonedError } from '../shared/errors.js';

/** Requests from an analysis thread to its helper thread. */
export type HelperRequest =
  | {
      id: number;
      type: 'parse-edges';
      file: string;
      size: number;
      nodesStart: number;
      headerEnd: number;
      header: Header;
      nodeCount: number;
      cols: EdgeColumns;
      progress: Float64Array;
      after?: AfterEdges;
    }
  | { id: number; type: 'inbound'; graph: GraphMessage; into: Uint32Array; ahead: SearchArrays | null }
  | {
      id: number;
      type: 'side-analyses';
      graph: GraphMessage;
      domState: Uint8Array | null;
      top: number;
      idOrder: boolean;
      keepShapes: boolean;
      gate: Int32Array | null;
    };

/** Replies; side analyses answer in parts, as each is ready. */
export type HelperReply =
  | { id: number; type: 'sections'; sections: Sections | null }
  | { id: number; type: 'done'; ms: number; locations?: HeapGraph['locations'] | null }
  /** `error`: one of ours, with its code; null: a fault of the program, said in `message`. */
  | { id: number; type: 'error'; error: ClonedError | null; message: string }
  | { id: number; type: 'inbound'; ms: number; preds: Uint32Array | null }
  | { id: number; type: 'shallow'; shallow: Uint32Array | Float64Array; ms: number }
  | { id: number; type: 'classes'; classes: ClassTable; ms: number }
  | { id: number; type: 'idOrder'; nodes: Uint32Array; ms: number }
  | { id: number; type: 'statistics'; stats: Statistics; ms: number }
  | { id: number; type: 'duplicates'; duplicates: DuplicateString[]; ms: number };
