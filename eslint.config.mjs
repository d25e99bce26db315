// ESLint flat config: typescript-eslint's recommended rules over the TypeScript sources, tests,
// benchmarks and scripts; formatting is Prettier's job (npm run format), not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', '.tools/', '.vscode-test/', 'test-results/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Bounded loops such as `while (true)` with an explicit break are clearer than a contrived condition.
      'no-constant-condition': ['error', { checkLoops: false }],
      // Control characters are the subject here: FTS5's highlight markers (U+0002/U+0003), binary
      // detection, terminal escapes.
      'no-control-regex': 'off',
      // Prettier wraps code at 120 columns; it cannot split a string, an SQL template or a regex, so
      // those are the only lines allowed past it (and should be rare).
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
  {
    // Tests read JSON answers (MCP results, CLI output) field by field.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['webview/**/*.ts', 'webview/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
