// `npm start` (after `npm run build`): the extension in the newest VS Code we support (code-server 4.139.1 =
// VS Code 1.139.1), with the sandbox started on activation, in a browser at the printed URL. Ctrl-C stops it.
//
//   npm start                    # a free port on 127.0.0.1
//   PORT=8080 npm start          # a fixed port
//   TENANT_LINK_VERSION=1.100 npm start    # the oldest supported VS Code instead
//
// Each start gets a fresh user-data folder (.cache/runs/start-…); the workspace folder .cache/start-workspace is kept,
// and so are the rehearsal's snapshots and reports (.cache/rehearsal-snapshots/sandbox, see lib/rehearsal.mjs).
// The Azure Tenant Link view opens by itself: a tiny helper extension (written into this run's extensions folder
// only) runs `workbench.view.extension.<container>` once the workbench has started.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { rehearsalSettings, REHEARSAL_SNAPSHOTS } from './lib/rehearsal.mjs';
import { CACHE, ROOT, closeAll, isStopping, manifest, prepareRun, resolveVersion, startCodeServer } from './lib/code-server.mjs';

const version = resolveVersion(process.env.TENANT_LINK_VERSION ?? 'newest');

// 1. The code-server of that version (fast no-op when already installed).
const check = spawnSync('bash', [join(ROOT, 'scripts', 'setup-test-env.sh'), '--check', version.codeServer], { stdio: 'ignore' });
if (check.status !== 0) {
  console.log(`[start] installing code-server ${version.codeServer} first (once; a few minutes)…`);
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'setup-test-env.sh'), version.codeServer], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
  console.error('[start] dist/extension.js is missing: run npm run build (npm start does it)');
  process.exit(1);
}

// 2. A fresh run with the extension installed and the sandbox on.
const workspace = join(CACHE, 'start-workspace');
mkdirSync(workspace, { recursive: true });
if (!existsSync(join(workspace, 'README.md'))) writeFileSync(join(workspace, 'README.md'), '# Azure Tenant Link playground\n\nThe extension runs against its sandbox (an emulated Azure).\n');
const run = prepareRun({ label: 'start', installExtension: true, workspace, settings: rehearsalSettings() });
writeOpenViewHelper(run.extensionsDir);

const port = process.env.PORT ? Number(process.env.PORT) : undefined;
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
  console.error(`[start] PORT=${process.env.PORT} is not a port number`);
  process.exit(2);
}
let server;
try {
  server = await startCodeServer({ version, run, port, smokeTestDriver: false, quiet: true });
} catch (e) {
  console.error(`[start] ${String(e.message ?? e)}`);
  await closeAll();
  process.exit(1);
}
const url = server.workbenchUrl();
const line = '═'.repeat(Math.min(100, url.length + 4));
console.log(`\n${line}\n  Azure Tenant Link in VS Code ${version.vscode} (sandbox on)\n\n  ${url}\n\n  Ctrl-C to stop.   Logs: ${run.dir}\n  Snapshots: ${join(REHEARSAL_SNAPSHOTS, 'sandbox')}\n${line}\n`);

// 3. Until Ctrl-C (the SIGINT handler in lib/code-server.mjs stops the server's whole process group) or the server dies.
await new Promise((resolve) => {
  const tick = setInterval(() => {
    if (isStopping()) { clearInterval(tick); return; } // Ctrl-C: the handler cleans up and exits
    try { process.kill(server.pid, 0); } catch { clearInterval(tick); resolve(); }
  }, 1000);
});
console.error(`[start] code-server exited:\n${server.log().slice(-2000)}`);
await closeAll();
process.exit(1);

function writeOpenViewHelper(extensionsDir) {
  const container = manifest().contributes?.viewsContainers?.activitybar?.[0]?.id;
  if (!container) return;
  const dir = join(extensionsDir, 'tenantlink-dev.open-view-0.0.1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'open-view', publisher: 'tenantlink-dev', version: '0.0.1', displayName: 'Open the Azure Tenant Link view (npm start helper)',
    engines: { vscode: '^1.100.0' }, main: './main.js', activationEvents: ['onStartupFinished'],
  }, null, 2));
  writeFileSync(join(dir, 'main.js'), `exports.activate = () => { require('vscode').commands.executeCommand(${JSON.stringify(`workbench.view.extension.${container}`)}); };\n`);
}
