// For desktops with network access: `npx vscode-test` downloads VS Code and runs the extension tests in it.
// CI and these machines cannot download VS Code; they run the same bundle in code-server instead:
// `npm run test:extension` (scripts/run-extension-tests.mjs). Build first: `npm run build`.
import { defineConfig } from '@vscode/test-cli';

const common = {
  files: 'dist/test/extension/index.js',
  workspaceFolder: 'test/extension/workspace',
  mocha: { ui: 'bdd', timeout: 30_000 },
};

export default defineConfig([
  { ...common, label: 'oldest (1.100.0)', version: '1.100.0' },
  { ...common, label: 'stable', version: 'stable' },
]);
