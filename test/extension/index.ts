// Extension-tier test entry. esbuild bundles this file (and mocha) into dist/test/extension/index.js; VS Code's
// extension host loads it through the workbench `payload` (extensionTestsPath) and calls `run()`.
// scripts/run-extension-tests.mjs starts code-server, opens the workbench in Chromium and waits for the result.
//
// Layout: one file per area in test/extension/suite/<area>.test.ts (mocha BDD: describe/it, node:assert). esbuild
// cannot glob at run time, so every suite file is listed in SUITES below; the runner fails when a
// test/extension/suite/**/*.test.ts file is missing from this list.
// Run: npm run test:extension [-- --vscode 1.100|1.139] [--suite] [--grep <re>]   (needs npm run build first)
//
// Environment the runner gives the extension host (all optional, so the bundle also runs under @vscode/test-cli):
//   TENANT_LINK_TEST_RESULT   file to write the summary JSON to ({ tests, passes, failures, pending, vscode })
//   TENANT_LINK_TEST_GREP     only run tests whose full title matches this regular expression
//   TENANT_LINK_EXPECT_VSCODE the VS Code version the runner started (checked by activation.test.ts)
//   TENANT_LINK_DEV_PATH      the extensionDevelopmentPath (checked by activation.test.ts)
//   TENANT_LINK_TEST_MODE     `real-cloud`: run REAL_CLOUD_SUITES (custom cloud, sign-in stand-in, TLS sandbox) instead
import { writeFileSync } from 'node:fs';
import Mocha from 'mocha';
import * as vscode from 'vscode';

// Synchronous requires (bundled by esbuild): a suite module is evaluated only when its loader runs, i.e. after mocha
// has defined describe/it, and synchronously, as a mocha that loads this file as a spec file (@vscode/test-cli) needs.
/* eslint-disable @typescript-eslint/no-require-imports */
const SUITES: readonly (() => void)[] = [
  () => { require('./suite/activation.test'); },
  () => { require('./suite/directories.test'); },
  () => { require('./suite/accounts.test'); },
  () => { require('./suite/subscriptionRows.test'); },
];
const REAL_CLOUD_SUITES: readonly (() => void)[] = [
  () => { require('./suite/realCloud.test'); },
];
/* eslint-enable @typescript-eslint/no-require-imports */

function loadSuites(): void {
  for (const load of process.env.TENANT_LINK_TEST_MODE === 'real-cloud' ? REAL_CLOUD_SUITES : SUITES) load();
}

// Loaded as a spec file by another mocha (`npx vscode-test` with .vscode-test.mjs): describe/it exist already.
if (typeof (globalThis as { describe?: unknown }).describe === 'function') loadSuites();

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 30_000, slow: 5_000 });
  const grep = process.env.TENANT_LINK_TEST_GREP;
  if (grep) mocha.grep(new RegExp(grep));
  // Define describe/it/before… on globalThis before the suite modules are evaluated (they are lazy in the bundle).
  mocha.suite.emit('pre-require', globalThis, 'extension-tests', mocha);
  loadSuites();

  const summary = await new Promise<{ tests: number; passes: number; failures: number; pending: number }>((resolve) => {
    const runner = mocha.run(() => {
      const s = runner.stats;
      resolve({ tests: s?.tests ?? 0, passes: s?.passes ?? 0, failures: s?.failures ?? 0, pending: s?.pending ?? 0 });
    });
  });
  const resultFile = process.env.TENANT_LINK_TEST_RESULT;
  if (resultFile) writeFileSync(resultFile, JSON.stringify({ ...summary, vscode: vscode.version }));
  console.log(`extension tests: ${summary.passes} passed, ${summary.failures} failed, ${summary.pending} pending (VS Code ${vscode.version})`);
  if (summary.failures > 0) throw new Error(`${summary.failures} extension test(s) failed`);
  if (summary.tests === 0) throw new Error('no extension test ran');
}
