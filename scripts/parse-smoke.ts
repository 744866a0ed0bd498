import { parseFile } from '../shared/parse/source.js';
const t0 = Date.now();
const g = await parseFile(process.argv[2]);
console.log(g.nodeCount, g.edgeCount, g.strings.count, g.locations.count, Date.now() - t0, 'ms', process.memoryUsage().rss >> 20, 'MB');
console.log(g.strings.get(g.nodeName[1]), g.strings.get(g.strings.count - 1));
