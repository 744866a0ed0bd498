// Which edges count for dominance: the search judges them as it meets them, the same as the plain rules would.
import t from 'tap';
import { SnapshotParser } from '../../../../shared/engine/parse/parser.js';
import { semiNca } from '../../../../shared/engine/dominators/semi-nca.js';
import { countsFor, inboundBound, pageOwned, snapshotRule } from '../../../../shared/engine/dominators/essential.js';
import { WeakMapEdgeNames } from '../../../../shared/engine/dominators/weakmap.js';
import { edgeToOf, edgeTypeOf, typeCodes, type HeapGraph } from '../../../../shared/engine/graph/graph.js';
import { buildSnapshot, randomHeap } from '../../../helpers/snapshot.js';
import { analyse, root, obj } from '../../../helpers/dominance.js';

function referenceEssential(g: HeapGraph): { counts: boolean[]; indeg: Uint32Array } {
  const tc = typeCodes(g);
  const n = g.nodeCount,
    root = g.rootOrdinal;
  const owned = new Uint8Array(n);
  const docTrees = new Set(g.strings.indexesOf(['(Document DOM trees)']).get('(Document DOM trees)'));
  const stack: number[] = [];
  for (let e = g.firstEdge[root]; e < g.firstEdge[root + 1]; e++) {
    const to = edgeToOf(g, e),
      t = edgeTypeOf(g, e);
    const seed =
      t === tc.eShortcut || (t === tc.eElement && g.nodeType[to] === tc.synthetic && docTrees.has(g.nodeName[to]));
    if (seed && !owned[to]) {
      owned[to] = 1;
      stack.push(to);
    }
  }
  while (stack.length) {
    const o = stack.pop()!;
    for (let e = g.firstEdge[o]; e < g.firstEdge[o + 1]; e++) {
      if (edgeTypeOf(g, e) !== tc.eWeak && !owned[edgeToOf(g, e)]) {
        owned[edgeToOf(g, e)] = 1;
        stack.push(edgeToOf(g, e));
      }
    }
  }
  const wm = new WeakMapEdgeNames(g);
  const counts: boolean[] = [];
  const indeg = new Uint32Array(n + 1);
  for (let o = 0; o < n; o++) {
    for (let e = g.firstEdge[o]; e < g.firstEdge[o + 1]; e++) {
      const t = edgeTypeOf(g, e),
        to = edgeToOf(g, e);
      const ok = !(
        t === tc.eWeak ||
        to === o ||
        (t === tc.eInternal && wm.match(g.edgeName[e])?.table === g.nodeId[o]) ||
        (o !== root && (t === tc.eShortcut || (owned[to] && !owned[o])))
      );
      counts.push(ok);
      if (ok) indeg[to]++;
    }
  }
  return { counts, indeg };
}

t.test(
  'the edges the search counts, with page ownership from the bitmap walk, are those the plain rules give',
  async (t) => {
    let dropped = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const p = new SnapshotParser();
      p.write(Buffer.from(buildSnapshot(randomHeap(seed, 60))));
      const g = p.end();
      const want = referenceEssential(g);
      const tc = typeCodes(g);
      const docTrees = new Set(g.strings.indexesOf(['(Document DOM trees)']).get('(Document DOM trees)'));
      const rule = snapshotRule(g, tc, new WeakMapEdgeNames(g), pageOwned(g, tc, docTrees));
      for (let o = 0; o < g.nodeCount; o++) {
        for (let e = g.firstEdge[o]; e < g.firstEdge[o + 1]; e++) {
          if (countsFor(rule, o, e, g.edgeTypeTo[e]) !== want.counts[e]) {
            t.fail(`seed ${seed}: edge ${e} of node ${o} judged differently`);
            return;
          }
        }
      }
      // the bound the search starts from is never below the real count; the tree is the same from either
      const bound = inboundBound(g, tc, new Uint32Array(g.nodeCount + 1));
      for (let o = 0; o < g.nodeCount; o++) {
        if (bound[o] < want.indeg[o]) {
          t.fail(`seed ${seed}: node ${o}'s bound ${bound[o]} is below ${want.indeg[o]}`);
          return;
        }
        dropped += bound[o] - want.indeg[o];
      }
      const input = { nodeCount: g.nodeCount, root: g.rootOrdinal, firstEdge: g.firstEdge, edgeTo: g.edgeTypeTo, rule };
      const loose = semiNca({ ...input, inbound: bound }).idom;
      const exact = semiNca({ ...input, inbound: want.indeg.slice() }).idom;
      if (
        !Buffer.from(loose.buffer, loose.byteOffset, loose.byteLength).equals(
          Buffer.from(exact.buffer, exact.byteOffset, exact.byteLength),
        )
      ) {
        {
          t.fail(`seed ${seed}: the dominator trees differ`);
          return;
        }
      }
    }
    t.ok(dropped > 0, `the bound was above the real count ${dropped} times`);
    t.pass('300 random heaps agree');
  },
);

t.test(
  'an object held only through edges that do not count is an orphan even though its bound says one retainer',
  async (t) => {
    // 1 global -> 3 X only by a shortcut (which makes X page-owned but does not count); 2 (system) is not page-owned,
    // so its edge to X does not count either: X hangs off the root, and Z below it is X's.
    const { d, g } = analyse([
      root([
        { type: 'shortcut', name: 'g', to: 1 },
        { type: 'element', name: '1', to: 2 },
      ]),
      obj('global', 1, [{ type: 'shortcut', name: 'x', to: 3 }]),
      { type: 'synthetic', name: '(system)', size: 0, edges: [{ type: 'property', name: 'x', to: 3 }] },
      obj('X', 10, [{ type: 'property', name: 'z', to: 4 }]),
      obj('Z', 100),
    ]);
    const tc = typeCodes(g);
    t.equal(inboundBound(g, tc, new Uint32Array(g.nodeCount + 1))[3], 1, 'the bound counts (system) -> X');
    t.same(Array.from(d.idom), [0, 0, 0, 0, 3]);
    t.same(Array.from(d.retained), [111, 1, 0, 110, 100]);
  },
);
