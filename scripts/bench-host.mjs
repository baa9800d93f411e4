// `npm run bench` (first part): the extension host bundle — its production size, and how long `activate()` takes in a
// real VS Code (code-server 4.139.1, measured by the extension itself: the "activated in N ms" line of its log).
// Prints numbers; asserts nothing about time.
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, closeAll, launchChromium, prepareRun, resolveVersion, startCodeServer, waitFor } from './lib/code-server.mjs';

const out = mkdtempSync(join(tmpdir(), 'atl-bench-host-'));
await build({
  entryPoints: [join(ROOT, 'src', 'extension.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20',
  external: ['vscode', '@azure/identity'], minify: true, legalComments: 'none', outfile: join(out, 'extension.js'), logLevel: 'silent',
});
const bytes = readFileSync(join(out, 'extension.js'));
rmSync(out, { recursive: true, force: true });
console.log(`host bundle (production): ${(bytes.length / 1024).toFixed(0)} KiB, ${(gzipSync(bytes).length / 1024).toFixed(0)} KiB gzip`);

const version = resolveVersion('newest');
let activation = 'skipped (code-server not installed: npm run setup:test-env)';
try {
  const run = prepareRun({ label: 'bench-activation', installExtension: true, settings: {} });
  const browser = launchChromium({ run });
  const server = await startCodeServer({ version, run, smokeTestDriver: false });
  const { page } = await browser;
  await page.goto(server.workbenchUrl());
  // The extension activates on startup-finished and logs its own activation time to its output channel's log file.
  const logFile = await waitFor(() => findLog(run.userDataDir), { timeout: 60_000, message: 'the extension log' });
  const ms = await waitFor(() => /activated in (\d+) ms/.exec(readFileSync(logFile, 'utf8'))?.[1], { timeout: 30_000, message: 'the activation line' });
  activation = `${ms} ms (VS Code ${version.vscode}, activate() to the end of registration)`;
} catch (e) {
  if (!/not installed|missing/i.test(String(e))) activation = `failed: ${String(e).split('\n')[0]}`;
} finally {
  await closeAll();
}
console.log(`activation: ${activation}`);

function findLog(dir) {
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (entry.endsWith('Azure Tenant Link.log')) {
      const p = join(dir, entry);
      if (statSync(p).size > 0) return p;
    }
  }
  return undefined;
}
