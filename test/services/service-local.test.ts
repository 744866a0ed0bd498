// The service end to end with local folder storage (the default).
import fs from 'node:fs';
import path from 'node:path';
import { serviceFlow } from '../helpers/service-flow.js';

await serviceFlow(async (dir) => {
  const root = path.join(dir, 'data');
  return {
    env: { HEAPSIGHT_STORAGE: `file://${root}` },
    snapshotObjects: async () => {
      const d = path.join(root, 'projects', 'shop', 'snapshots');
      return fs.existsSync(d) ? fs.readdirSync(d).sort() : [];
    },
    stop: async () => undefined,
  };
});
