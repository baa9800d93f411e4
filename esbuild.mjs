// One build script: extension host, webview UI, CLI (plus the standalone sandbox server and the extension-tier tests).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints the lines VS Code's `$esbuild-watch` problem matcher expects. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = { bundle: true, minify: production, sourcemap: production ? false : 'linked', sourcesContent: false, logLevel: 'silent', plugins: [problemMatcher], legalComments: 'none' };
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'] };

const builds = [
  // Extension host. `@azure/identity` is only reached by azureauth's Azure DevOps provider, which we never construct.
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', external: ['vscode', '@azure/identity'] },
  // Webview UI (browser).
  { ...common, platform: 'browser', format: 'esm', target: 'chrome120', entryPoints: { main: 'src/webview/ui/main.ts' }, outdir: 'dist/webview' },
  // CLI.
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // Standalone sandbox (`npm run sandbox:serve`).
  { ...node, entryPoints: { 'sandbox-serve': 'src/sandbox/serve.ts' }, outdir: 'dist' },
  // Extension-tier tests, run inside VS Code's extension host.
  { ...node, entryPoints: { index: 'test/extension/index.ts' }, outdir: 'dist/test/extension', external: ['vscode'] },
  // The tests' stand-in for VS Code's Microsoft sign-in (test/fixtures/sign-in-stand-in; never in the vsix).
  { ...node, entryPoints: { extension: 'test/fixtures/sign-in-stand-in/extension.ts' }, outdir: 'dist/test/fixtures/sign-in-stand-in', external: ['vscode'] },
];

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist/webview', { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf']) cpSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/webview/${f}`);

const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (results.some((r) => r.status === 'rejected')) process.exit(1);
}
