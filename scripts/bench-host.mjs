// `npm run bench` (first part): the extension host bundle — its production size, and how long `activate()` takes in a
// real VS Code (code-server 4.139.1, measured by the extension itself: the "activated in N ms" line of its log).
// Prints numbers; asserts nothing about time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, closeAll, launchChromium, prepareRun, resolveVersion, startCodeServer, waitFor } from './lib/code-server.mjs';

// The same build as `npm run package` (esbuild.mjs --production): the host bundle without the lazy bundles beside it.
const out = mkdtempSync(join(tmpdir(), 'atl-bench-host-'));
const built = spawnSync(process.execPath, [join(ROOT, 'esbuild.mjs'), '--production', '--host-only', out], { cwd: ROOT, encoding: 'utf8' });
if (built.status !== 0) throw new Error(`esbuild: ${built.stderr}`);
const bytes = readFileSync(join(out, 'extension.js'));
const lazy = ['sandbox', 'azureauth'].map((n) => `${n}.js ${(statSync(join(out, `${n}.js`)).size / 1024).toFixed(0)} KiB`).join(', ');
rmSync(out, { recursive: true, force: true });
// With --json the bench's stdout is the JSON array only: these lines go to stderr.
const print = process.argv.includes('--json') ? console.error : console.log;
print(`host bundle (production): ${(bytes.length / 1000).toFixed(0)} kB (${(bytes.length / 1024).toFixed(0)} KiB), ${(gzipSync(bytes).length / 1024).toFixed(0)} KiB gzip (target ≤ 350 kB = 350,000 bytes); loaded on first use: ${lazy}`);

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
print(`activation: ${activation}`);

function findLog(dir) {
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (entry.endsWith('Azure Tenant Link.log')) {
      const p = join(dir, entry);
      if (statSync(p).size > 0) return p;
    }
  }
  return undefined;
}
