// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import local from './eslint-rules/no-cycle.mjs';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test-results/**', '*.vsix', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', fetch: 'readonly', Buffer: 'readonly' } },
  },
  // No import cycles between our modules (eslint-rules/no-cycle.mjs).
  { files: ['src/**/*.ts'], ignores: ['src/webview/ui/**'], plugins: { local }, rules: { 'local/no-cycle': 'error' } },
  // Import boundaries (README › Architecture).
  {
    files: ['src/ids.ts'],
    rules: restrict([{ group: ['*', '.*', '../*', './*'], message: 'src/ids.ts imports nothing: every side, the browser bundle included, reads it.' }]),
  },
  {
    files: ['src/core/**/*.ts'],
    rules: restrict([{ group: ['vscode', '../views/*', '../webview/*', '../wizard/*', '../host/*', '../extension', '../sandbox/*', '../cli/*'], message: 'src/core is pure: no vscode, views, webview, wizard, host, extension, sandbox or CLI.' }]),
  },
  {
    files: ['src/views/**/*.ts'],
    rules: restrict([{ group: ['../host/*', '../webview/*', '../wizard/*', '../extension', '../sandbox/*', '../cli/*'], message: 'src/views depends on interfaces it owns (views/ports.ts), on core and azure — never on host, webview, wizard or the extension.' }]),
  },
  {
    files: ['src/host/**/*.ts'],
    rules: restrict([{ group: ['../extension', '../cli/*', '../webview/ui/*', '../wizard/machine', '../wizard/steps/*'], message: 'src/host is plumbing: no extension, CLI, browser UI or wizard internals (use the wizard\'s panel and dialogs).' }]),
  },
  {
    files: ['src/webview/*.ts'],
    rules: restrict([{ group: ['./ui/*', '../views/*', '../host/*', '../wizard/*', '../extension', '../sandbox/*', '../cli/*'], message: 'The host side of the webview is generic: protocol, panel host, registry — no browser UI, tree, host, wizard or extension.' }]),
  },
  {
    files: ['src/wizard/**/*.ts'],
    ignores: ['src/wizard/panel.ts', 'src/wizard/dialogs.ts'],
    rules: restrict([{ group: ['vscode', '**/views/*', '**/host/*', '**/extension', '**/sandbox/*', '**/cli/*', '**/webview/ui/*', '**/webview/panelHost'], message: 'The wizard\'s machine, steps and controller are vscode-free (only panel.ts and dialogs.ts touch the editor) and know nothing of the tree or host.' }]),
  },
  {
    files: ['src/wizard/panel.ts', 'src/wizard/dialogs.ts'],
    rules: restrict([{ group: ['../views/*', '../host/*', '../extension', '../sandbox/*', '../cli/*', '../webview/ui/*'], message: 'The wizard knows nothing of the tree or host.' }]),
  },
  {
    files: ['src/azure/**/*.ts'],
    ignores: ['src/azure/vscode/**'],
    rules: restrict([{ group: ['vscode', '../views/*', '../webview/*', '../extension', '../sandbox/*', '../cli/*', '../core/*'], message: 'src/azure is shared by the CLI: no vscode (only src/azure/vscode/), views, webview, extension or sandbox.' }]),
  },
  {
    files: ['src/azure/vscode/**/*.ts'],
    rules: restrict([{ group: ['../../views/*', '../../webview/*', '../../extension', '../../sandbox/*', '../../cli/*'], message: 'src/azure imports nothing of views, webview, extension, sandbox or CLI.' }]),
  },
  {
    files: ['src/sandbox/**/*.ts'],
    rules: restrict([{ group: ['**/azure/*', '**/azure', '**/core/*', '**/core', '**/views/*', '**/webview/*', '**/cli/*'], message: 'The sandbox is written from the docs: it imports nothing of the client (src/azure, src/core).' }]),
  },
  {
    files: ['src/webview/ui/**/*.ts'],
    rules: restrict([{ group: ['vscode', '../../*', '!../protocol', '../../**'], message: 'The browser UI imports only the protocol.' }, { group: ['node:*'], message: 'Browser code.' }]),
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
