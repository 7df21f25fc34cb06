// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'db/migrations/**', '.data/**', 'coverage/**', '.tmp/**', '.tmp-*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An un-awaited promise is a lost error or a race: every promise is awaited, returned or voided.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Workflows are replayed: no Node built-ins, no I/O, no activity code (types only). Their client side
    // (workflows/client) is Node code, never bundled.
    files: ['workflows/**/*.ts'],
    ignores: ['workflows/client/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflows must be deterministic: no Node built-ins. Do I/O in an activity.' })),
          patterns: [
            { group: ['../activities/*', '../activities', '../../activities/*', '../../xero/*'], allowTypeImports: true, message: 'Workflows import activity and Xero client TYPES only.' },
            { group: ['../db/*', '../api/*', '../../db/*', '../../api/*', 'postgres', 'drizzle-orm*', 'xero-node', 'express'], message: 'Workflows do no I/O.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Use a loop with sleep() from @temporalio/workflow.' },
        { name: 'fetch', message: 'Workflows do no I/O: call an activity.' },
        { name: 'process', message: 'Workflows must not read the process environment.' },
      ],
    },
  },
  {
    // The pages' scripts run in the browser: from the server they take types only, and the constants of the
    // two modules written to be shared (no Node built-ins, no server code gets bundled).
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    rules: {
      // Event handlers may be async: each one catches its own failure and shows it (ApiError -> notice).
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Browser code: no Node built-ins.' })),
          patterns: [
            {
              group: ['../../api/*', '!../../api/ui', '../../api/ui/*', '!../../api/ui/paths.ts', '!../../api/ui/boot.ts', '../../db/*', '../../xero/*', '../../lib/*', '../../config/*'],
              allowTypeImports: true,
              message: 'Browser code imports server TYPES only (values from api/ui/paths.ts and api/ui/boot.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests inspect JSON answers from Xero-shaped APIs; `any` there is a reading aid, not a design choice.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
