// Compares heapsight's retained sizes, Summary rows and Statistics with the DevTools oracle's output for one snapshot.
// usage (for debugging): node dist/test/helpers/parity.js SNAPSHOT ORACLE_NODES_TXT ORACLE_CLASSES_JSON
import fs from 'node:fs';
import { parseFile } from '../../shared/engine/parse/source.js';
import { computeDominance } from '../../shared/engine/dominators/index.js';
import { classTable } from '../../shared/engine/analyses/classes.js';
import { summary } from '../../shared/engine/analyses/summary.js';
import { statistics } from '../../shared/engine/analyses/statistics.js';

export interface ParityResult {
  nodes: number;
  nodeMismatches: number;
  firstNodeMismatches: string[];
  classes: number;
  classMismatches: string[];
  statisticsEqual: boolean;
  totalSizeEqual: boolean;
}

export async function parity(snapshot: string, nodesTxt: string, classesJson: string): Promise<ParityResult> {
  const g = await parseFile(snapshot);
  const d = computeDominance(g);
  const ct = classTable(g, d);
  const rows = summary(g, d, ct);
  const stats = statistics(g, d);
  const lines = fs.readFileSync(nodesTxt, 'utf8').trim().split('\n');
  let nodeMismatches = 0;
  const firstNodeMismatches: string[] = [];
  if (lines.length !== g.nodeCount) throw new Error(`oracle has ${lines.length} nodes, we have ${g.nodeCount}`);
  for (let o = 0; o < lines.length; o++) {
    const [id, ret] = lines[o].split(' ').map(Number);
    if (id !== g.nodeId[o] || ret !== d.retained[o]) {
      nodeMismatches++;
      if (firstNodeMismatches.length < 10) {
        firstNodeMismatches.push(
          `node ${o} id ${g.nodeId[o]} (${g.nodeTypes[g.nodeType[o]]} ${g.strings.get(g.nodeName[o]).slice(0, 40)}): ` +
            `oracle ${ret} ours ${d.retained[o]}`,
        );
      }
    }
  }
  const oracle = JSON.parse(fs.readFileSync(classesJson, 'utf8'));
  const ours = new Map(rows.map((r) => [r.key, r]));
  const classMismatches: string[] = [];
  for (const c of oracle.classes) {
    const r = ours.get(c.key);
    if (!r) {
      classMismatches.push(`missing ${c.key}`);
      continue;
    }
    if (
      r.name !== c.name ||
      r.count !== c.count ||
      r.selfSize !== c.self ||
      r.retainedSize !== c.retained ||
      r.distance !== c.distance
    ) {
      classMismatches.push(
        `${c.key}: oracle ${JSON.stringify([c.name, c.count, c.self, c.retained, c.distance])} ` +
          `ours ${JSON.stringify([r.name, r.count, r.selfSize, r.retainedSize, r.distance])}`,
      );
    }
    ours.delete(c.key);
  }
  for (const k of ours.keys()) classMismatches.push(`extra ${k}`);
  return {
    nodes: g.nodeCount,
    nodeMismatches,
    firstNodeMismatches,
    classes: oracle.classes.length,
    classMismatches,
    statisticsEqual: JSON.stringify(stats) === JSON.stringify(oracle.statistics),
    totalSizeEqual: stats.total === oracle.totalSize,
  };
}

if (process.argv[1]?.endsWith('parity.js') && process.argv.length >= 5) {
  const r = await parity(process.argv[2], process.argv[3], process.argv[4]);
  console.log(
    JSON.stringify(
      { ...r, classMismatches: r.classMismatches.slice(0, 15), classMismatchCount: r.classMismatches.length },
      null,
      1,
    ),
  );
}
