// The suspect rules one by one, and the descent they steer, on small graphs built by hand.
import t from 'tap';
import { classTable } from '../../../../../../shared/engine/analyses/classes.js';
import { descend, type Followed } from '../../../../../../shared/engine/analyses/growth/suspects/descent.js';
import {
  dismissedBy,
  holdsTheGrowth,
  isBackingStore,
  isProgramClass,
  leakThreshold,
  splitsTheGrowth,
  stepInto,
  SUSPECT_RULES,
} from '../../../../../../shared/engine/analyses/growth/suspects/rules/index.js';
import { keptEarlierGains } from '../../../../../../shared/engine/analyses/growth/suspects/rules/kept-earlier-gains.js';
import { keptWhatArrived } from '../../../../../../shared/engine/analyses/growth/suspects/rules/kept-what-arrived.js';
import { strongEnough } from '../../../../../../shared/engine/analyses/growth/suspects/rules/strong-enough.js';
import { confidence, score } from '../../../../../../shared/engine/analyses/growth/suspects/scoring.js';
import { prepare } from '../../../../../../shared/engine/dominators/index.js';
import { SnapshotParser } from '../../../../../../shared/engine/parse/parser.js';
import { buildSnapshot, type TestNode } from '../../../../../helpers/snapshot.js';

const point = { snapshots: 3, retention: 0.9, survival: 0.9, score: 0.8 };

t.test('kept what arrived: churn is dismissed, with a stricter bar for two snapshots', async (t) => {
  t.equal(keptWhatArrived.decide({ ...point, retention: 0.05 }), 'not-leak', 'a cache that keeps 5% of what it takes');
  t.equal(keptWhatArrived.decide({ ...point, retention: 0.3 }), 'maybe-leak');
  t.equal(keptWhatArrived.decide({ ...point, snapshots: 2, retention: 0.3 }), 'not-leak', 'two snapshots: 50%');
  t.equal(keptWhatArrived.decide({ ...point, snapshots: 2, retention: 0.6 }), 'maybe-leak');
});

t.test('kept earlier gains: what grew and let go of its past is dismissed; two snapshots cannot tell', async (t) => {
  t.equal(keptEarlierGains.decide({ ...point, survival: 0.02 }), 'not-leak', 'a ring buffer');
  t.equal(keptEarlierGains.decide({ ...point, survival: 0.5 }), 'maybe-leak');
  t.equal(keptEarlierGains.decide({ ...point, survival: null }), 'maybe-leak');
});

t.test('strong enough: a low score is dismissed; the chain stops at the first rule that dismisses', async (t) => {
  t.equal(strongEnough.decide({ ...point, score: 0.29 }), 'not-leak');
  t.equal(strongEnough.decide({ ...point, score: 0.3 }), 'maybe-leak');
  t.equal(dismissedBy(point), null, 'a clear leak passes every rule');
  t.equal(dismissedBy({ ...point, retention: 0.01, score: 0.1 }), keptWhatArrived, 'the first rule decides');
  t.equal(dismissedBy({ ...point, survival: 0.01, score: 0.1 }), keptEarlierGains);
  t.same(
    SUSPECT_RULES.map((r) => r.name),
    ['kept what arrived under it', 'still holds what it gained earlier', 'scores high enough'],
  );
});

t.test('scoring: steady retained growth scores high; one step caps it; warm-up halves it', async (t) => {
  const steady = { retention: 1, steadiness: 1, survival: 1, steps: 2, warmUp: false };
  t.equal(confidence(score({ ...steady, steps: 3 })), 'high');
  t.equal(confidence(score({ ...steady, steps: 1 })), 'medium', 'one step shows little');
  t.equal(score({ ...steady, steps: 3, warmUp: true }), score({ ...steady, steps: 3 }) / 2);
  t.equal(confidence(0.2), 'low');
});

t.test('thresholds: the least growth worth a suspect, holding and splitting growth', async (t) => {
  t.equal(leakThreshold([1e6, 2e6]), 64 * 1024, '64 KiB on a small heap');
  t.equal(leakThreshold([1e9, 2e9]), 2e6, '0.1% of a large one');
  t.ok(holdsTheGrowth(80, 100));
  t.notOk(holdsTheGrowth(79, 100));
  t.ok(splitsTheGrowth([30, 25], 100), 'two children that each grow, with half between them');
  t.notOk(splitsTheGrowth([30, 15], 100), 'less than half');
  t.notOk(splitsTheGrowth([90], 100), 'one child is no split');
});

t.test('recursive structures are held at their top', async (t) => {
  const seen = new Map([[7, 'list head']]);
  t.equal(stepInto(3, 3, seen), 'stay', 'into its own class: a list is held by its head');
  t.equal(stepInto(3, 7, seen), 'list head', 'into a class met further up: links that alternate');
  t.equal(stepInto(3, 9, seen), 'descend');
});

/** A graph built by hand, parsed, with its class table; nodes by name. */
function built(nodes: TestNode[]) {
  const p = new SnapshotParser();
  p.write(Buffer.from(buildSnapshot(nodes)));
  const g = p.end();
  const ct = classTable(g, prepare(g), undefined, false);
  const at = (name: string) => nodes.findIndex((n) => n.name === name);
  const graph = {
    classOf: (o: number) => ct.classOf[o],
    className: (c: number) => ct.names[c],
    isBackingStore: (o: number) => isBackingStore(g.nodeTypes[g.nodeType[o]]),
  };
  return { g, ct, at, graph };
}

const edge = (name: string, to: number) => ({ type: 'property', name, to });

t.test("backing stores and the program's classes, on a built graph", async (t) => {
  const { g, ct, at } = built([
    { type: 'synthetic', name: '', size: 0, edges: [{ type: 'shortcut', name: 'global', to: 1 }] },
    { type: 'object', name: 'global', size: 10, edges: [edge('cache', 2), edge('queue', 4)] },
    { type: 'object', name: 'Map', size: 10, edges: [{ type: 'internal', name: 'table', to: 3 }] },
    { type: 'array', name: 'table', size: 1000 },
    { type: 'object', name: 'WorkQueue', size: 10, edges: [{ type: 'internal', name: 'map', to: 5 }] },
    { type: 'object shape', name: 'system / Map', size: 10 },
    { type: 'code', name: 'handler', size: 10 },
    { type: 'hidden', name: 'system / Context', size: 10 },
  ]);
  const store = (name: string) => isBackingStore(g.nodeTypes[g.nodeType[at(name)]]);
  t.notOk(store('Map'), 'a Map is an object of the program');
  t.ok(store('table'), "its table is V8's storage");
  t.ok(store('system / Map'));
  t.ok(store('handler'));
  t.ok(store('system / Context'));
  t.ok(isProgramClass(ct.names[ct.classOf[at('WorkQueue')]]), 'WorkQueue is the program’s own');
  t.notOk(isProgramClass(ct.names[ct.classOf[at('Map')]]), 'Map is not');
  t.notOk(isProgramClass('(system)'));
});

t.test('the descent, on built graphs', async (t) => {
  const MB = 1 << 20;
  // a cache that holds a Map, whose table holds the growth: the Map is the point, not its table
  {
    const { at, graph } = built([
      { type: 'synthetic', name: '', size: 0 },
      { type: 'object', name: 'Cache', size: 10 },
      { type: 'object', name: 'Map', size: 10 },
      { type: 'array', name: 'table', size: 10 },
    ]);
    const followed: Followed[] = [
      { o: at('Cache'), growth: 10 * MB },
      { o: at('Map'), growth: 9.9 * MB },
      { o: at('table'), growth: 9.8 * MB },
    ];
    const points = descend(followed, Int32Array.from([-1, 0, 1]), graph, 64 * 1024);
    t.same(points, [1], 'the Map');
  }
  // a linked list of Nodes: held by its head
  {
    const { at, graph } = built([
      { type: 'synthetic', name: '', size: 0 },
      { type: 'object', name: 'Node', size: 10, edges: [edge('next', 2)] },
      { type: 'object', name: 'Node', size: 10, edges: [edge('next', 3)] },
      { type: 'object', name: 'Node', size: 10 },
    ]);
    const followed = [3, 2, 1].map((x, k) => ({ o: at('Node') + k, growth: x * MB }));
    t.same(descend(followed, Int32Array.from([-1, 0, 1]), graph, 64 * 1024), [0], 'the head');
  }
  // links that alternate between two classes: held at the top
  {
    const { graph } = built([
      { type: 'synthetic', name: '', size: 0 },
      { type: 'object', name: 'Entry', size: 10 },
      { type: 'object', name: 'Link', size: 10 },
      { type: 'object', name: 'Entry', size: 10 },
      { type: 'object', name: 'Link', size: 10 },
    ]);
    const followed = [4, 3.9, 3.8, 3.7].map((x, k) => ({ o: 1 + k, growth: x * MB }));
    t.same(descend(followed, Int32Array.from([-1, 0, 1, 2]), graph, 64 * 1024), [0], 'the first Entry');
  }
  // one holder, two caches that each grow by half: two suspects
  {
    const { graph } = built([
      { type: 'synthetic', name: '', size: 0 },
      { type: 'object', name: 'App', size: 10 },
      { type: 'object', name: 'Sessions', size: 10 },
      { type: 'object', name: 'Requests', size: 10 },
    ]);
    const followed = [
      { o: 1, growth: 10 * MB },
      { o: 2, growth: 5 * MB },
      { o: 3, growth: 4.9 * MB },
    ];
    t.same(descend(followed, Int32Array.from([-1, 0, 0]), graph, 64 * 1024).sort(), [1, 2]);
  }
  // through V8's storage to an object of the program's (a module's variables): the object is the point
  {
    const { graph } = built([
      { type: 'synthetic', name: '', size: 0 },
      { type: 'object', name: 'Module', size: 10 },
      { type: 'hidden', name: 'system / Context', size: 10 },
      { type: 'object', name: 'Registry', size: 10 },
    ]);
    const followed = [
      { o: 1, growth: 10 * MB },
      { o: 2, growth: 9.5 * MB },
      { o: 3, growth: 9 * MB },
    ];
    t.same(descend(followed, Int32Array.from([-1, 0, 1]), graph, 64 * 1024), [2], 'the Registry');
  }
  // too little growth: no point at all
  {
    const { graph } = built([
      { type: 'synthetic', name: '', size: 0 },
      { type: 'object', name: 'Small', size: 10 },
    ]);
    t.same(descend([{ o: 1, growth: 1000 }], Int32Array.from([-1]), graph, 64 * 1024), []);
  }
});
