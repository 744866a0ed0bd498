// Lint rules: @eslint/js and typescript-eslint's recommended sets, and the layers of the code (docs/architecture.md).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * What each layer may not import, by the folders an import names, and why. Inner layers add to their outer one's
 * list (a file takes the list of the most specific layer it is in), so the engine's rules hold in every part of it.
 */
const ENGINE = {
  report: 'the engine finds, the report layer says; shared/report imports the engine, never the other way',
  service: 'engine code never imports service code (shared/service)',
  services: 'shared code never imports the processes (services/)',
  workers: 'shared code never imports the thread entry points (workers/)',
};
const PHASES = 'comes before the phases that use it';
const LAYERS = [
  { files: ['shared/engine/**'], forbid: ENGINE },
  {
    files: ['shared/engine/graph/**', 'shared/engine/util/**'],
    forbid: { ...ENGINE, parse: PHASES, dominators: PHASES, analyses: PHASES, pipeline: PHASES },
  },
  { files: ['shared/engine/parse/**'], forbid: { ...ENGINE, dominators: PHASES, analyses: PHASES, pipeline: PHASES } },
  {
    files: ['shared/engine/dominators/**'],
    forbid: { ...ENGINE, analyses: 'dominators never import analyses', pipeline: PHASES },
  },
  {
    files: ['shared/engine/analyses/**'],
    forbid: { ...ENGINE, pipeline: 'analyses never import the pipeline that runs them' },
  },
  {
    files: ['shared/report/**'],
    forbid: { service: ENGINE.service.replace('engine', 'report'), services: ENGINE.services, workers: ENGINE.workers },
  },
  {
    files: ['shared/service/**'],
    forbid: {
      engine: "the service's storage, store and webhooks know nothing of analyses",
      report: "the service's storage, store and webhooks know nothing of reports",
      services: ENGINE.services,
      workers: ENGINE.workers,
    },
  },
  {
    files: ['shared/*.ts'],
    forbid: { engine: 'used by every layer', report: 'used by every layer', service: 'used by every layer', ...ENGINE },
  },
  { files: ['workers/**'], forbid: { services: 'threads never import the processes that start them' } },
];

const layerRules = LAYERS.map(({ files, forbid }) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: Object.entries(forbid).map(([folder, why]) => ({ regex: `(^|/)${folder}/`, message: `${why}.` })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Prettier wraps code at 120; this holds comments and long strings to it too
      'max-len': ['error', { code: 120, ignoreUrls: true }],
    },
  },
  ...layerRules,
  {
    // tests read JSON reports and API answers of any shape
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // programs that leak on purpose, for the tests and the demo: unused closures and globals are the point
    files: ['test/programs/**', 'scripts/demo/**'],
    rules: { 'no-unused-vars': 'off', '@typescript-eslint/no-unused-vars': 'off', 'no-undef': 'off' },
  },
);
