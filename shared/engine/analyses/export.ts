import fs from 'node:fs';
import type { HeapGraph } from '../graph/graph.js';
import { computeDominance, distanceAt } from '../dominators/index.js';
import { displayName } from './names.js';

export const NODE_CSV_HEADER = 'id,type,name,self_size,retained_size,dominator_id,distance';

/** A CSV field: quoted when it holds a comma, quote or line break. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/**
 * One CSV row per node in snapshot order: id, type, name (as DevTools shows it), shallow size as DevTools shows
 * it, retained size, the immediate dominator's id and the distance. Writes to `out`, or standard output when null.
 */
export function exportNodesCsv(g: HeapGraph, out: string | null, onPhase?: (p: string) => void): number {
  const d = computeDominance(g);
  onPhase?.('export');
  const fd = out === null ? 1 : fs.openSync(out, 'w');
  const CHUNK = 1 << 20;
  let buf = NODE_CSV_HEADER + '\n';
  const flush = () => {
    let data = Buffer.from(buf);
    buf = '';
    while (data.length) {
      try {
        const n = fs.writeSync(fd, data);
        data = data.subarray(n);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw err;
      }
    }
  };
  try {
    const types = g.nodeTypes.map(csvField);
    for (let o = 0; o < g.nodeCount; o++) {
      const node = `${g.nodeId[o]},${types[g.nodeType[o]]},${csvField(displayName(g, d, o))}`;
      buf += `${node},${d.shallow[o]},${d.retained[o]},${g.nodeId[d.idom[o]]},${distanceAt(d.distance, o)}\n`;
      if (buf.length > CHUNK) flush();
    }
    flush();
  } finally {
    if (fd !== 1) fs.closeSync(fd);
  }
  return g.nodeCount;
}
