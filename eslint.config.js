// ESLint (flat config): typescript-eslint's type-aware recommended rules on src/ and test/, ESLint's
// recommended rules on the plain JavaScript (bin/, scripts/, bench/, test/e2e/).
//   npm run lint      eslint (cached) + prettier --check; test/run.sh runs it after tsc
//
// Speed: the pre-stop hook gives `npm run lint` 40 s on a busy 2-core machine. Type-aware rules need
// the whole TypeScript program (about tsc's own time); the cache (node_modules/.cache/eslint/, by
// file content) re-lints only changed files. Caveat of that cache: a type change in one file can
// change a verdict in an unchanged importer; CI starts from a fresh clone, so it lints everything.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Node's globals the plain JavaScript files use (no type information there to know them). */
const NODE_GLOBALS = Object.fromEntries(
  ['process', 'console', 'URL', 'URLSearchParams', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'performance', 'structuredClone', 'AbortController', 'AbortSignal', 'TextEncoder', 'TextDecoder', 'fetch'].map(
    (g) => [g, 'readonly'],
  ),
);

export default tseslint.config(
  { ignores: ['dist/**', 'dist-krew/**', 'node_modules/**', 'coverage/**', '.lab/**', 'test/fixtures/**', 'test/lab/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // tsconfig.json's own program (src/ and test/), so lint sees exactly what tsc checks
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Off: `'In' | 'NotIn' | string` is on purpose. Such a union documents the values Kubernetes
      // defines today while accepting what a newer API server sends (facts are untrusted input).
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      // A leading underscore marks a parameter or binding kept for its position or shape.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests: relaxed where a test reads parsed JSON output or builds throw-away doubles.
    files: ['test/**/*.ts'],
    rules: {
      // JSON.parse of the CLI's output is `any`; the assertions that follow are the type check.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Test doubles implement async interfaces with bodies that have nothing to await.
      '@typescript-eslint/require-await': 'off',
      // Tests match ANSI escapes and control bytes on purpose (terminal neutralisation, colour).
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: NODE_GLOBALS },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
