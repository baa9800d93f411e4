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

/**
 * Code the host loads only on first use, built as bundles of their own beside dist/extension.js: a dynamic `import()`
 * of one of these in the host becomes `require('./<name>.js')` at run time, so they add nothing to the host bundle
 * or to activation. Only for code that shares no classes with the host (the sandbox talks HTTP; azureauth hands back
 * plain data).
 */
const LAZY_BUNDLES = [
  // The emulated Azure with its default scenario (src/host/sandboxHost.ts, when the sandbox starts).
  { name: 'sandbox', filter: /(^|\/)sandbox\/server$/, entry: 'src/sandbox/server.ts' },
  // Directories on a real cloud (src/azure/vscode/vscodeAuth.ts), with @azure/core-client and the subscriptions SDK.
  { name: 'azureauth', filter: /^@microsoft\/vscode-azext-azureauth$/, entry: '@microsoft/vscode-azext-azureauth' },
];
const lazyBundles = {
  name: 'lazy-bundles',
  setup(build) {
    for (const lazy of LAZY_BUNDLES) {
      build.onResolve({ filter: lazy.filter }, (args) => (args.kind === 'dynamic-import' ? { path: `./${lazy.name}.js`, external: true } : undefined));
    }
  },
};

/**
 * The host bundle without the HTTP proxy agents (and the `debug` logger they bring): @azure/core-rest-pipeline's
 * proxy policy is the only code that would construct one, and our pipeline (src/azure/http.ts) never adds it — VS Code
 * applies its own proxy settings to the extension host's HTTP. A stand-in that throws says so if that ever changes.
 */
const noProxyAgents = {
  name: 'no-proxy-agents',
  setup(build) {
    build.onResolve({ filter: /^https?-proxy-agent$/ }, (args) => ({ path: args.path, namespace: 'no-proxy-agent' }));
    build.onLoad({ filter: /.*/, namespace: 'no-proxy-agent' }, () => ({
      contents: "class NotBundled { constructor() { throw new Error('No proxy agent in the extension host bundle: VS Code applies its own proxy settings (esbuild.mjs).'); } }\nmodule.exports = { HttpsProxyAgent: NotBundled, HttpProxyAgent: NotBundled };",
      loader: 'js',
    }));
  },
};

const common = { bundle: true, minify: production, sourcemap: production ? false : 'linked', sourcesContent: false, logLevel: 'silent', plugins: [problemMatcher], legalComments: 'none' };
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', mainFields: ['module', 'main'] };

/** The extension host bundle and its lazy bundles, into `outdir`. */
const hostBuilds = (outdir) => [
  // Extension host. `@azure/identity` is only reached by azureauth's Azure DevOps provider, which we never construct.
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir, external: ['vscode', '@azure/identity'], plugins: [problemMatcher, lazyBundles, noProxyAgents], supported: { 'dynamic-import': false } },
  ...LAZY_BUNDLES.map((lazy) => ({ ...node, entryPoints: { [lazy.name]: lazy.entry }, outdir, external: ['vscode', '@azure/identity'] })),
];

// `--host-only <dir>`: just the host bundles, into <dir> (the bench and the bundle test measure them there).
const hostOnly = process.argv.indexOf('--host-only');
if (hostOnly >= 0) {
  const dir = process.argv[hostOnly + 1];
  if (!dir) throw new Error('--host-only needs a folder');
  await Promise.all(hostBuilds(dir).map((b) => esbuild.build(b)));
  process.exit(0);
}

const builds = [
  ...hostBuilds('dist'),  // Webview UI (browser).
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
