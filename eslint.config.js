// ESLint flat config. Besides the recommended TypeScript rules it enforces the architecture:
// src/core is pure (no IO modules, no process, no clock), and adapters never import each other.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const IO_MODULES = ['node:*', 'ioredis', 'bullmq', '@slack/*', 'node-zendesk', 'prom-client', 'csv-parse', 'yaml', 'fs', 'http', 'https', 'net'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.cxloop/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: IO_MODULES, message: 'src/core is pure: no IO modules (see STYLE.md). Put IO in src/adapters behind a port.' },
            { group: ['**/adapters/**', '**/app/**', '**/cli/**', '**/config/**', '**/main.js'], message: 'src/core must not import outer layers.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'src/core gets its inputs as arguments, not from process.' },
        { name: 'setTimeout', message: 'src/core has no clock or timers.' },
        { name: 'setInterval', message: 'src/core has no clock or timers.' },
      ],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'src/core takes `now` as an argument.' }],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'src/core takes `now` as an argument.' }],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            // A sibling adapter is reached as ../<adapter>/...; the layers below as ../../app|core|config.
            { regex: '^\\.\\./[^.][^/]*/', message: 'adapters never import each other; share through src/app ports.' },
            { group: ['**/cli/**', '**/main.js'], message: 'adapters must not import the CLI or the composition root.' },
          ],
        },
      ],
    },
  },
  {
    // The dashboard's browser script: a plain script, shipped as is.
    files: ['web/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly', document: 'readonly', setInterval: 'readonly', EventSource: 'readonly' } },
  },
  {
    // The Zendesk sidebar app runs in the agent's browser, inside Zendesk's iframe.
    files: ['manifests/zendesk-app/assets/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly', document: 'readonly' } },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
