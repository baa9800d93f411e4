// Extension tier: runs the extension inside real VS Code (code-server + Debian Chromium), on the oldest VS Code we
// support (1.100.3, code-server 4.100.3) and the newest (1.139.1, code-server 4.139.1).
//
//   npm run test:extension                        # both versions, both modes
//   node scripts/run-extension-tests.mjs --vscode 1.100 [--vscode 1.139]
//   node scripts/run-extension-tests.mjs --suite   # only the mocha suite (test/extension/suite/**/*.test.ts)
//   node scripts/run-extension-tests.mjs --ui      # only the Playwright-driven UI tests (test/extension/ui/*.mjs)
//   node scripts/run-extension-tests.mjs --real-cloud   # only the real-cloud mode (its suite and its UI files)
//   node scripts/run-extension-tests.mjs --grep activation     # filter both modes by title
//   TENANT_LINK_VERBOSE=1 …                       # also print code-server's and the workbench's own output
//
// Modes:
//  * suite: code-server (1.139 with --vscode-option enable-smoke-test-driver), Chromium opens the workbench with a
//    `payload` that sets extensionDevelopmentPath = the repo root and extensionTestsPath = dist/test/extension/index.js;
//    the extension host runs mocha and the workbench calls codeAutomationExit(0|1). See test/extension/index.ts.
//  * ui: the built extension is installed into a fresh server WITHOUT the smoke-test flag and each
//    test/extension/ui/*.mjs file drives the workbench through scripts/lib/workbench.mjs (API documented there).
//  * real-cloud: the code path real users run — the built-in sandbox off, `microsoft-sovereign-cloud.environment:
//    custom` at the sandbox served over TLS, tokens from a stand-in for VS Code's Microsoft sign-in, and on VS Code
//    >= 1.106 Microsoft's Azure Resources extension installed (scripts/lib/real-cloud.mjs). Its suite runs
//    REAL_CLOUD_SUITES (test/extension/index.ts); its UI files are the test/extension/ui/*.mjs that export
//    `mode = 'real-cloud'`.
// Screenshots go to test-results/extension/<vscode-version>/. Needs `npm run build` first (npm test does it).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clearInterval, setInterval } from 'node:timers';
import { format } from 'node:util';
import { IS_CI, ROOT, VERSIONS, assertInstalled, closeAll, isNoise, launchChromium, prepareRun, resolveVersion, startCodeServer } from './lib/code-server.mjs';
import { Workbench, seedWorkbenchState } from './lib/workbench.mjs';
import { BUILTIN_SIGN_IN_DISABLED, STAND_IN_PROVIDER, assertRealCloudReady, azureResourcesVsix, installRealCloudExtensions, realCloudEnv, realCloudSettings, startTlsSandbox, supportsAzureResources } from './lib/real-cloud.mjs';

const SANDBOX_PROVIDER = 'azureTenantLink.sandbox';
const SANDBOX_ACCOUNT = 'riley@fabrikamlabs.onmicrosoft.com'; // the default scenario's default account
const SECOND_ACCOUNT = 'megan@contoso.com'; // both suites sign in two accounts at once
const EXTENSION_ID = 'tenantlink.azure-tenant-link';

const argv = process.argv.slice(2);
const opt = { versions: [], suite: false, ui: false, realCloud: false, grep: undefined, verbose: !!process.env.TENANT_LINK_VERBOSE };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--vscode') opt.versions.push(resolveVersion(argv[++i] ?? ''));
  else if (a.startsWith('--vscode=')) opt.versions.push(resolveVersion(a.slice(9)));
  else if (a === '--suite') opt.suite = true;
  else if (a === '--ui') opt.ui = true;
  else if (a === '--real-cloud') opt.realCloud = true;
  else if (a === '--grep') opt.grep = argv[++i];
  else if (a === '--verbose') opt.verbose = true;
  else { console.error(`unknown argument ${a}`); process.exit(2); }
}
if (!opt.versions.length) opt.versions = Object.values(VERSIONS);
if (!opt.suite && !opt.ui && !opt.realCloud) { opt.suite = true; opt.ui = true; opt.realCloud = true; }

const FIRST_OUTPUT_TIMEOUT = 30_000; // no test output by then: the payload was ignored (e.g. missing smoke-test flag)
const RUN_TIMEOUT = 180_000;
const TEST_INDEX = join(ROOT, 'dist', 'test', 'extension', 'index.js');
const SUITE_DIR = join(ROOT, 'test', 'extension', 'suite');
const UI_DIR = join(ROOT, 'test', 'extension', 'ui');

/** Workbench start-up lines that codeAutomationLog also carries (shown with --verbose). */
const STARTUP_NOISE = /^\s*(Resolving connection token|Resolved connection token|Creating a socket|Updating additional builtin|\[Service Worker\]|Creation of workbench contribution|WARNING: IPC handle|at .*(https?:|<anonymous>)|\[(Extension Host|Remote)\] \(node:\d+\)|$)/;
const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;
const log = (...a) => { console.log('[extension-tests]', ...a); };

function listFiles(dir, re) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => re.test(f)).sort().map((f) => join(dir, f));
}

function newestMtime(dir) {
  let newest = 0;
  for (const f of listFiles(dir, /\.ts$/)) newest = Math.max(newest, statSync(f).mtimeMs);
  return newest;
}

/** Preconditions that must fail loudly rather than let the tier pass with nothing tested. */
function preflight() {
  for (const v of opt.versions) assertInstalled(v);
  for (const f of ['dist/extension.js', 'dist/test/extension/index.js']) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run npm run build first`);
  }
  // Every suite file must be listed in test/extension/index.ts (esbuild bundles only what is imported).
  const index = readFileSync(join(ROOT, 'test', 'extension', 'index.ts'), 'utf8');
  const suites = listFiles(SUITE_DIR, /\.test\.ts$/);
  if (opt.suite && !suites.length) throw new Error('no test/extension/suite/**/*.test.ts file');
  const unlisted = suites.map((f) => relative(join(ROOT, 'test', 'extension'), f).replace(/\.ts$/, '')).filter((p) => !index.includes(`'./${p}'`));
  if (unlisted.length) throw new Error(`suite files not imported by test/extension/index.ts (add them to SUITES): ${unlisted.join(', ')}`);
  if (opt.realCloud) assertRealCloudReady(opt.versions);
  const built = statSync(TEST_INDEX).mtimeMs;
  if (Math.max(newestMtime(join(ROOT, 'test', 'extension')), newestMtime(join(ROOT, 'src'))) > built) {
    console.warn('[extension-tests] WARNING: sources are newer than dist/: run npm run build (or npm run watch) to test the current code');
  }
}

/**
 * Runs the mocha suite in the extension host of one VS Code version. Returns { ok, tests, passes, failures }.
 * `realCloud`: the real-cloud mode's suites, against a TLS sandbox through the sign-in stand-in.
 */
async function runSuite(version, { realCloud = false } = {}) {
  const t0 = Date.now();
  const mode = realCloud ? 'real-cloud suite' : 'suite';
  const tls = realCloud ? await startTlsSandbox() : undefined;
  const run = prepareRun({ label: `${realCloud ? 'real-cloud-' : ''}suite-${version.key}`, settings: tls ? realCloudSettings(tls.baseUrl, version) : { 'azureTenantLink.sandbox.startOnActivation': true } });
  if (realCloud) installRealCloudExtensions({ version, run, azureResources: false });
  const resultFile = join(run.dir, 'result.json');
  const browser = launchChromium({ run });
  const server = await startCodeServer({
    version,
    run,
    smokeTestDriver: version.key !== '1.100',
    quiet: !opt.verbose,
    env: {
      TENANT_LINK_TEST_RESULT: resultFile,
      TENANT_LINK_EXPECT_VSCODE: version.vscode,
      TENANT_LINK_DEV_PATH: ROOT,
      ...(opt.grep ? { TENANT_LINK_TEST_GREP: opt.grep } : {}),
      ...(tls ? { TENANT_LINK_TEST_MODE: 'real-cloud', ...realCloudEnv({ certFile: tls.certFile, logFile: join(run.dir, 'stand-in.jsonl') }) } : {}),
    },
  });
  const { page, close } = await browser;
  const shotDir = join(ROOT, 'test-results', 'extension', version.vscode);
  mkdirSync(shotDir, { recursive: true });
  const workbenchLog = [];
  page.on('console', (m) => { workbenchLog.push(`[${m.type()}] ${m.text()}`); });
  page.on('pageerror', (e) => { workbenchLog.push(`[pageerror] ${String(e)}`); });

  let firstOutput = false;
  let settle;
  const exited = new Promise((r) => { settle = r; });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    for (const line of text.split('\n')) {
      if (!opt.verbose && (isNoise(line) || STARTUP_NOISE.test(line))) continue;
      firstOutput = true;
      console.log(`  ${line}`);
    }
  });
  await page.exposeFunction('codeAutomationExit', (code) => { settle({ code }); });

  const payload = [
    ['extensionDevelopmentPath', server.remoteUri(ROOT)],
    ['extensionTestsPath', server.remoteUri(TEST_INDEX)],
    ['skipWelcome', 'true'],
  ];
  log(`VS Code ${version.vscode}: ${mode} (code-server ${version.codeServer} on port ${server.port}${tls ? `, sandbox ${tls.baseUrl}` : ''})`);
  const firstOutputTimer = new Promise((r) => {
    const start = Date.now();
    const tick = setInterval(() => {
      if (firstOutput || existsSync(resultFile)) { clearInterval(tick); return; }
      if (Date.now() - start > FIRST_OUTPUT_TIMEOUT) {
        clearInterval(tick);
        r({ error: `no test output within ${FIRST_OUTPUT_TIMEOUT / 1000} s: the workbench did not run the extension tests` +
          (version.key === '1.100' ? '' : ' (is the server running with --vscode-option enable-smoke-test-driver?)') });
      }
    }, 250);
    exited.then(() => { clearInterval(tick); }, () => undefined);
  });
  // Extension tests may not show dialogs ("DialogService: refused to show dialog in tests"), so the one-time "Allow
  // Azure Tenant Link to sign in using Azure Sandbox?" answer is recorded the way VS Code records it, before the
  // workbench loads. The UI tier answers that dialog by clicking, as a user does.
  await seedConsent(page, new URL(server.workbenchUrl({ payload })).origin, realCloud ? STAND_IN_PROVIDER : SANDBOX_PROVIDER, [SANDBOX_ACCOUNT, SECOND_ACCOUNT]);
  if (realCloud) await seedWorkbenchState(page, server.base, BUILTIN_SIGN_IN_DISABLED);
  await page.goto(server.workbenchUrl({ payload }));
  const consent = answerSandboxConsent(page);
  const overall = new Promise((r) => setTimeout(() => { r({ error: `no result within ${RUN_TIMEOUT / 1000} s` }); }, RUN_TIMEOUT).unref());
  const outcome = await Promise.race([exited, firstOutputTimer, overall]);

  consent.stop();
  if (consent.answered() > 0) log(`answered the "sign in using Azure Sandbox" consent dialog ${consent.answered()} time(s)`);
  const shot = realCloud ? 'real-cloud-suite-workbench' : 'suite-workbench';
  await page.screenshot({ path: join(shotDir, `${shot}.png`) }).catch((e) => { log(`screenshot failed: ${String(e)}`); });
  let result;
  try { result = JSON.parse(readFileSync(resultFile, 'utf8')); } catch { result = undefined; }
  writeFileSync(join(shotDir, `${shot}-console.log`), `${workbenchLog.join('\n')}\n`);
  await close();
  await server.stop();
  await tls?.stop();
  if (outcome.error || outcome.code !== 0 || opt.verbose) {
    if (outcome.error) log(`VS Code ${version.vscode}: ${outcome.error}`);
    console.log(`--- code-server output (last 3000 chars, ${run.dir}) ---\n${server.log().slice(-3000)}`);
    console.log(`--- workbench console: ${relative(ROOT, join(shotDir, `${shot}-console.log`))}`);
  }
  const ok = !outcome.error && outcome.code === 0 && result !== undefined && result.failures === 0 && result.tests > 0;
  const ms = Date.now() - t0;
  log(`VS Code ${version.vscode}: ${mode} ${ok ? 'passed' : 'FAILED'} in ${fmt(ms)}` + (result ? ` (${result.passes} passed, ${result.failures} failed, ${result.pending} pending)` : ' (no result)'));
  return { ok, ms, passes: result?.passes ?? 0, failures: result ? result.failures : 1 };
}

/**
 * Runs every test/extension/ui/*.mjs file against a fresh server (no smoke-test flag) with the extension installed.
 * `realCloud`: only the files that export `mode = 'real-cloud'` (else only the others). Such a file's workbench gets
 * `wb.realCloud = { baseUrl, logFile, azureResources }`; a test may return `{ skipped: reason }`.
 */
async function runUi(version, { realCloud = false } = {}) {
  const t0 = Date.now();
  const mode = realCloud ? 'real-cloud ui' : 'ui';
  const files = listFiles(UI_DIR, /\.mjs$/).filter((f) => !/(^|\/)_/.test(relative(UI_DIR, f)));
  if (!files.length) throw new Error('no test/extension/ui/*.mjs file');
  let passes = 0;
  let failures = 0;
  let skipped = 0;
  for (const file of files) {
    const mod = await import(pathToFileURL(file).href);
    if ((mod.mode === 'real-cloud') !== realCloud) continue;
    const tests = Object.entries(mod.tests ?? {}).filter(([name]) => !opt.grep || new RegExp(opt.grep).test(name));
    if (!tests.length) continue;
    const label = relative(UI_DIR, file).replace(/\.mjs$/, '');
    const tls = realCloud ? await startTlsSandbox() : undefined;
    const settings = tls ? { ...realCloudSettings(tls.baseUrl, version), ...mod.settings } : { 'azureTenantLink.sandbox.startOnActivation': true, ...mod.settings };
    const run = prepareRun({ label: `ui-${version.key}-${label.replace(/\W/g, '_')}`, installExtension: true, settings });
    const azureResources = realCloud && supportsAzureResources(version) && azureResourcesVsix() !== null;
    if (tls) installRealCloudExtensions({ version, run, azureResources });
    const browser = launchChromium({ run });
    // A UI file may ask for a display language (`export const locale = 'sv'`).
    if (mod.locale) writeLanguagePack(run.extensionsDir, run.userDataDir, mod.locale);
    const logFile = join(run.dir, 'stand-in.jsonl');
    const server = await startCodeServer({
      version,
      run,
      smokeTestDriver: false,
      quiet: !opt.verbose,
      extraArgs: mod.locale ? ['--locale', mod.locale] : [],
      env: tls ? realCloudEnv({ certFile: tls.certFile, logFile }) : {},
    });
    const { page, close } = await browser;
    const wb = new Workbench({ page, server, shotDir: join(ROOT, 'test-results', 'extension', version.vscode), prefix: `ui-${label}` });
    if (tls) wb.realCloud = { baseUrl: tls.baseUrl, logFile, azureResources };
    log(`VS Code ${version.vscode}: ${mode} ${relative(ROOT, file)} (port ${server.port}${tls ? `, sandbox ${tls.baseUrl}${azureResources ? ', with Azure Resources' : ', without Azure Resources'}` : ''})`);
    try {
      if (tls) await seedWorkbenchState(page, server.base, BUILTIN_SIGN_IN_DISABLED);
      await wb.open();
      for (const [name, fn] of tests) {
        const t = Date.now();
        try {
          const outcome = await fn(wb);
          if (outcome?.skipped) {
            skipped++;
            console.log(`  - ${name} (skipped: ${outcome.skipped})`);
            continue;
          }
          passes++;
          console.log(`  ✔ ${name} (${fmt(Date.now() - t)})`);
        } catch (e) {
          failures++;
          console.log(`  ✘ ${name} (${fmt(Date.now() - t)})\n    ${String(e?.stack ?? e).split('\n').join('\n    ')}`);
          await wb.screenshot(`FAILED-${name.replace(/\W+/g, '_').slice(0, 60)}`).catch(() => undefined);
        }
      }
    } catch (e) {
      failures++;
      console.log(`  ✘ ${label}: workbench did not open: ${String(e)}`);
      await wb.screenshot('FAILED-open').catch(() => undefined);
    } finally {
      wb.writeConsoleLog();
      if (failures || opt.verbose) console.log(`--- code-server output (last 2000 chars) ---\n${server.log().slice(-2000)}`);
      await close();
      await server.stop();
      await tls?.stop();
    }
  }
  const ms = Date.now() - t0;
  const ok = failures === 0 && passes > 0;
  log(`VS Code ${version.vscode}: ${mode} ${ok ? 'passed' : 'FAILED'} in ${fmt(ms)} (${passes} passed, ${failures} failed${skipped ? `, ${skipped} skipped` : ''})`);
  return { ok, ms, passes, failures: failures || (passes ? 0 : 1) };
}

async function main() {
  const t0 = Date.now();
  try {
    preflight();
  } catch (e) {
    console.error(`[extension-tests] ${e.message}`);
    if (!IS_CI && /setup:test-env/.test(e.message)) console.error('[extension-tests] (with CI=true this is a hard failure too; nothing was tested)');
    process.exitCode = 1;
    return;
  }
  let passes = 0;
  let failures = 0;
  const timings = [];
  const perMode = {};
  for (const version of opt.versions) {
    const tv = Date.now();
    const modes = [
      ['suite', () => runSuite(version)],
      ['ui', () => runUi(version)],
      ['realCloud', () => runSuite(version, { realCloud: true })],
      ['realCloud', () => runUi(version, { realCloud: true })],
    ];
    for (const [mode, fn] of modes) {
      if (!opt[mode]) continue;
      const tm = Date.now();
      try {
        const r = await fn();
        passes += r.passes;
        failures += r.failures;
        if (!r.ok && r.failures === 0) failures++;
      } catch (e) {
        failures++;
        log(`VS Code ${version.vscode}: ${mode} FAILED: ${String(e?.stack ?? e)}`);
        await closeAll();
      }
      perMode[mode] = (perMode[mode] ?? 0) + Date.now() - tm;
    }
    timings.push(`VS Code ${version.vscode}: ${fmt(Date.now() - tv)}`);
  }
  log(`timings: ${timings.join(', ')}; per mode: ${Object.entries(perMode).map(([m, ms]) => `${m} ${fmt(ms)}`).join(', ')}; total ${fmt(Date.now() - t0)}`);
  console.log(`extension: ${passes} passed, ${failures} failed`);
  process.exitCode = failures ? 1 : 0;
}

await main().finally(closeAll);

/**
 * VS Code asks the user once per account whether an extension may sign in with an authentication provider ("The
 * extension 'Azure Tenant Link' wants to sign in using Azure Sandbox."). The suite runs where nobody can click, so this
 * watches the workbench and clicks Allow on that dialog — and only on that one — as the user would.
 */
function answerSandboxConsent(page) {
  let stopped = false;
  let answered = 0;
  const loop = (async () => {
    while (!stopped) {
      try {
        const dialog = page.locator('.monaco-dialog-box').filter({ hasText: /wants to sign in using Azure Sandbox/ });
        if (await dialog.count()) {
          await dialog.getByRole('button', { name: 'Allow' }).first().click({ timeout: 2_000 });
          answered++;
        }
      } catch {
        // The page is navigating or closing; try again.
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return { stop: () => { stopped = true; void loop; }, answered: () => answered };
}

/**
 * Records "Azure Tenant Link may use the account" of `provider` (the sandbox's, or the Microsoft sign-in stand-in's in
 * the real-cloud mode) in the workbench's application storage (IndexedDB `vscode-web-state-db-global`, store
 * `ItemTable`, key `<providerId>-<accountLabel>`, the format of VS Code's AuthenticationAccessService), as if the user
 * had clicked Allow earlier.
 */
async function seedConsent(page, origin, provider, accounts) {
  const allowed = JSON.stringify([{ id: EXTENSION_ID, name: 'Azure Tenant Link', allowed: true }]);
  await seedWorkbenchState(page, origin, Object.fromEntries(accounts.map((account) => [`${provider}-${account}`, allowed])));
}

/**
 * A display language needs a language pack, and none can be downloaded here. This writes a minimal one (no
 * translations of VS Code itself, so its own UI stays English) so that VS Code runs in that language and loads the
 * extension's own translations (package.nls.<lang>.json, l10n/bundle.l10n.<lang>.json) — the part under test.
 */
function writeLanguagePack(extensionsDir, userDataDir, languageId) {
  const dir = join(extensionsDir, `test.language-pack-${languageId}-0.0.1`);
  mkdirSync(join(dir, 'translations'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: `language-pack-${languageId}`, publisher: 'test', version: '0.0.1', engines: { vscode: '*' },
    categories: ['Language Packs'],
    contributes: { localizations: [{ languageId, languageName: languageId, localizedLanguageName: languageId, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }] },
  }));
  const translations = join(dir, 'translations', 'main.i18n.json');
  writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  // The server resolves the display language through languagepacks.json (normally written when a pack is installed).
  mkdirSync(userDataDir, { recursive: true });
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify({
    [languageId]: { hash: 'test0001', label: languageId, extensions: [{ extensionIdentifier: { id: `test.language-pack-${languageId}` }, version: '0.0.1' }], translations: { vscode: translations } },
  }));
}
