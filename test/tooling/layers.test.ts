// The layers of the code are enforced by the linter: an import across a forbidden line fails `npm run lint`.
import t from 'tap';
import { ESLint } from 'eslint';
import { ROOT } from '../helpers/cli.js';

const eslint = new ESLint({ cwd: ROOT });

/** The lint messages for `code` as if it were the file at `filePath` (nothing is written). */
async function lint(filePath: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath });
  return r.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const importing = (spec: string) => `import * as m from '${spec}';\nexport const x = m;\n`;

t.test('the engine never imports the API, the service, the workers or the report', async (t) => {
  for (const spec of [
    '../../../services/api/app.js',
    '../../service/store.js',
    '../../../workers/pool.js',
    '../../report/render/html.js',
  ]) {
    const messages = await lint('shared/engine/analyses/summary.ts', importing(spec));
    t.match(messages, [/^no-restricted-imports: /], spec);
  }
});

t.test('dominators never import analyses; analyses never import the pipeline', async (t) => {
  t.match(await lint('shared/engine/dominators/index.ts', importing('../analyses/summary.js')), [
    /dominators never import analyses/,
  ]);
  t.match(await lint('shared/engine/analyses/summary.ts', importing('../pipeline/analyze.js')), [
    /analyses never import the pipeline/,
  ]);
  t.match(await lint('shared/engine/graph/graph.ts', importing('../parse/parser.js')), [/no-restricted-imports/]);
});

t.test('what each layer may import passes', async (t) => {
  t.same(await lint('shared/engine/analyses/summary.ts', importing('../dominators/index.js')), []);
  t.same(await lint('shared/report/build.ts', importing('../engine/model.js')), []);
  t.same(await lint('services/api/app.ts', importing('../../shared/service/store.js')), []);
  t.same(await lint('workers/analyze.ts', importing('../shared/engine/pipeline/analyze.js')), []);
});

t.test('the service layer knows nothing of analyses; threads nothing of processes', async (t) => {
  t.match(await lint('shared/service/store.ts', importing('../engine/model.js')), [/no-restricted-imports/]);
  t.match(await lint('shared/report/build.ts', importing('../service/store.js')), [/no-restricted-imports/]);
  t.match(await lint('workers/analyze.ts', importing('../services/cli/main.js')), [/no-restricted-imports/]);
});
