// The extension tier's "real cloud" mode: the code path real users run, against the sandbox.
//
//  * the sandbox runs standalone over TLS (dist/sandbox-serve.js --tls: a fresh self-signed certificate per run,
//    trusted by the extension host through NODE_EXTRA_CA_CERTS);
//  * VS Code's Microsoft sign-in is replaced by the stand-in in test/fixtures/sign-in-stand-in (provider
//    `microsoft-sovereign-cloud`, sessions from the sandbox's token endpoint); the built-in one is kept from
//    registering the same id with VSCODE_SKIP_BUILTIN_EXTENSIONS (code-server refuses --disable-extension);
//  * `microsoft-sovereign-cloud.environment: custom` points both our extension and Microsoft's Azure Resources at it,
//    and our built-in sandbox stays off;
//  * on VS Code >= 1.106, Microsoft's Azure Resources extension is installed from the fixture vsix (see
//    azureResourcesVsix()); 1.100 runs the same mode without it (its engines.vscode is ^1.106.0).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { ROOT, TOOLS, codeServerEntry, onCleanup, waitFor } from './code-server.mjs';

export const STAND_IN_PROVIDER = 'microsoft-sovereign-cloud';
export const STAND_IN_ID = 'test.microsoft-sign-in-stand-in';

/** Microsoft's Azure Resources 0.12.6, built unchanged from microsoft/vscode-azureresourcegroups tag v0.12.6. */
export const AZURE_RESOURCES = {
  id: 'ms-azuretools.vscode-azureresourcegroups',
  file: 'azureresourcegroups-0.12.6.vsix',
  sha256: '10788a5210ff0ba352879df9869d1a2d2fb068e2a6522b5914c83cad1f106cf6',
  minVscode: [1, 106],
};

/** Where setup-test-env.sh keeps the verified vsix (the machine-wide tool cache, like code-server). */
export const AZURE_RESOURCES_CACHED = join(TOOLS, 'azure-resources', AZURE_RESOURCES.file);

export function supportsAzureResources(version) {
  const [major, minor] = version.vscode.split('.').map(Number);
  return major > AZURE_RESOURCES.minVscode[0] || (major === AZURE_RESOURCES.minVscode[0] && minor >= AZURE_RESOURCES.minVscode[1]);
}

/**
 * The verified Azure Resources vsix in the tool cache, or null when it is not there. It cannot come from a registry
 * (the marketplace is out of reach), only from TENANT_LINK_AZURE_RESOURCES_VSIX or the machine's shared fixtures, so a
 * machine without it runs the real-cloud mode without Azure Resources and says so loudly; a wrong file is an error.
 */
export function azureResourcesVsix() {
  if (!existsSync(AZURE_RESOURCES_CACHED)) return null;
  const sha256 = createHash('sha256').update(readFileSync(AZURE_RESOURCES_CACHED)).digest('hex');
  if (sha256 !== AZURE_RESOURCES.sha256) throw new Error(`${AZURE_RESOURCES_CACHED} has sha256 ${sha256}, not ${AZURE_RESOURCES.sha256}: run npm run setup:test-env`);
  return AZURE_RESOURCES_CACHED;
}

/** Throws unless the stand-in is built; warns (once, loudly) when Azure Resources cannot be tested on this machine. */
export function assertRealCloudReady(versions) {
  const standIn = join(ROOT, 'dist', 'test', 'fixtures', 'sign-in-stand-in', 'extension.js');
  if (!existsSync(standIn)) throw new Error(`${standIn} is missing: run npm run build first`);
  if (versions.some(supportsAzureResources) && azureResourcesVsix() === null) {
    console.warn(`[extension-tests] WARNING: Azure Resources ${AZURE_RESOURCES.file} is not in ${AZURE_RESOURCES_CACHED}: the real-cloud mode runs WITHOUT Microsoft's Azure Resources extension on this machine (its right-click tests are skipped). Run npm run setup:test-env with TENANT_LINK_AZURE_RESOURCES_VSIX=<file> (sha256 ${AZURE_RESOURCES.sha256}).`);
  }
}

/**
 * Starts dist/sandbox-serve.js --tls in its own process group. Returns { baseUrl, certFile, stop() }.
 */
export async function startTlsSandbox({ args = [] } = {}) {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'sandbox-serve.js'), '--tls', '--port', '0', ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d.toString(); });
  const kill = (signal) => { try { process.kill(-child.pid, signal); } catch { /* gone */ } };
  const unregister = onCleanup({ async: async () => { kill('SIGTERM'); }, sync: () => { kill('SIGKILL'); } });
  const lines = [];
  const rl = createInterface({ input: child.stdout });
  rl.on('line', (l) => { lines.push(l); });
  await waitFor(() => lines.length >= 2 || child.exitCode !== null, { timeout: 20_000, message: 'the TLS sandbox to print its URL' });
  if (child.exitCode !== null) throw new Error(`sandbox-serve --tls exited: ${stderr}`);
  const baseUrl = lines[0];
  const certFile = /NODE_EXTRA_CA_CERTS\): (.+)$/.exec(lines[1] ?? '')?.[1];
  if (!/^https:\/\/127\.0\.0\.1:\d+$/.test(baseUrl) || !certFile) throw new Error(`sandbox-serve --tls printed:\n${lines.join('\n')}`);
  return {
    baseUrl,
    certFile,
    stop: async () => { kill('SIGTERM'); unregister(); },
  };
}

/** The custom environment (the fields @azure/ms-rest-azure-env requires, plus our microsoftGraphEndpointUrl). */
export function customEnvironment(baseUrl) {
  return {
    name: 'Azure Sandbox (TLS)',
    portalUrl: `${baseUrl}/portal`,
    managementEndpointUrl: `${baseUrl}/arm/`,
    resourceManagerEndpointUrl: `${baseUrl}/arm/`,
    activeDirectoryEndpointUrl: `${baseUrl}/`,
    activeDirectoryResourceId: `${baseUrl}/arm/`,
    microsoftGraphEndpointUrl: `${baseUrl}/graph/`,
  };
}

/**
 * User settings of the mode. On VS Code 1.100 the extension host's https is patched by @vscode/proxy-agent 0.32,
 * which replaces the CA list with Node's bundled roots plus the system's certificates and so drops
 * NODE_EXTRA_CA_CERTS ("self-signed certificate"); `http.systemCertificates: false` leaves Node's own list (with the
 * extra certificate) in place. 1.139 (proxy-agent 0.45) keeps it with the default settings.
 */
export function realCloudSettings(baseUrl, version) {
  return {
    'azureTenantLink.sandbox.startOnActivation': false,
    'microsoft-sovereign-cloud.environment': 'custom',
    'microsoft-sovereign-cloud.customEnvironment': customEnvironment(baseUrl),
    ...(version.key === '1.100' ? { 'http.systemCertificates': false } : {}),
  };
}

/**
 * VS Code's own Microsoft sign-in (built-in extension `vscode.microsoft-authentication`) registers the same provider
 * ids. VS Code 1.139's server skips it with VSCODE_SKIP_BUILTIN_EXTENSIONS (code-server refuses --disable-extension);
 * 1.100's server has no such switch, so it is also disabled the way a user disables an extension: the workbench's
 * `extensionsIdentifiers/disabled` state, written before the workbench loads (seedWorkbenchState).
 */
export const BUILTIN_SIGN_IN_DISABLED = { 'extensionsIdentifiers/disabled': JSON.stringify([{ id: 'vscode.microsoft-authentication' }]) };

/** Environment for code-server (and so the extension host). */
export function realCloudEnv({ certFile, logFile }) {
  return {
    NODE_EXTRA_CA_CERTS: certFile,
    VSCODE_SKIP_BUILTIN_EXTENSIONS: 'vscode.microsoft-authentication',
    SIGN_IN_STAND_IN_LOG: logFile,
  };
}

/**
 * Puts the stand-in (and, when wanted, Azure Resources) into the run's extensions folder before the server's first
 * start. Returns the list of extension ids installed.
 */
export function installRealCloudExtensions({ version, run, azureResources }) {
  const standIn = join(run.extensionsDir, `${STAND_IN_ID}-0.0.1`);
  mkdirSync(standIn, { recursive: true });
  cpSync(join(ROOT, 'test', 'fixtures', 'sign-in-stand-in', 'package.json'), join(standIn, 'package.json'));
  cpSync(join(ROOT, 'dist', 'test', 'fixtures', 'sign-in-stand-in', 'extension.js'), join(standIn, 'extension.js'));
  const installed = [STAND_IN_ID];
  if (azureResources) {
    const r = spawnSync(version.node, [codeServerEntry(version), '--extensions-dir', run.extensionsDir, '--user-data-dir', run.userDataDir, '--install-extension', AZURE_RESOURCES_CACHED], {
      env: { ...process.env, XDG_CONFIG_HOME: run.xdg.config, XDG_DATA_HOME: run.xdg.data, XDG_CACHE_HOME: run.xdg.cache, TMPDIR: run.tmp },
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`--install-extension ${AZURE_RESOURCES.file} failed:\n${r.stdout}\n${r.stderr}`);
    installed.push(AZURE_RESOURCES.id);
  }
  return installed;
}

/** The scope lists the stand-in recorded (one JSON line each). */
export function readStandInLog(logFile) {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
}
