// Lint rules: @eslint/js and typescript-eslint's recommended sets, and the layers of the code (docs/architecture.md).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
    },
  },
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
