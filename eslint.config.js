// One linter for the whole project (npm run lint): the recommended rules that find bugs in JavaScript and
// TypeScript, and the house's sizes (a file fits in 300 lines, a function in 60).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      'max-lines': ['error', { max: 300 }],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
      // the suite matches control characters on purpose: it keeps a target's text from acting as terminal
      // or report input
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // a test file's describe block holds its tests: the function rule would only measure the file again
  { files: ['test/**'], rules: { 'max-lines-per-function': 'off' } },
);
