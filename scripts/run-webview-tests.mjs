// Webview tier: mocha (+ tsx) over test/webview/**/*.test.ts; the tests drive the built webview UI
// (dist/webview/main.js) in Debian's Chromium through test/webview/harness (API documented there).
//
//   npm run test:webview                 # needs npm run build first (npm test does it)
//   node scripts/run-webview-tests.mjs --grep shell    # extra arguments go to mocha
//
// A missing Chromium fails with CI=true; locally it says how to install it and fails too (nothing would be tested).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM, IS_CI, ROOT } from './lib/code-server.mjs';

const chromium = process.env.CHROMIUM_PATH ?? CHROMIUM;
if (!existsSync(chromium)) {
  console.error(`[webview-tests] ${chromium} is missing${IS_CI ? ' (CI=true: hard failure)' : ''}. Run: npm run setup:test-env`);
  process.exit(1);
}
if (!existsSync(join(ROOT, 'dist', 'webview', 'main.js'))) {
  console.error('[webview-tests] dist/webview/main.js is missing. Run: npm run build');
  process.exit(1);
}

const t0 = Date.now();
// --no-config: the root .mocharc.json is the unit tier's (its spec would be merged into ours).
const args = ['mocha', '--no-config', '--node-option', 'import=tsx', '--reporter', 'spec', '--timeout', '30000', 'test/webview/**/*.test.ts', ...process.argv.slice(2)];
const child = spawn('npx', args, { cwd: ROOT, stdio: 'inherit', detached: true });
const forward = (sig) => () => { try { process.kill(-child.pid, sig); } catch { /* gone */ } };
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, forward(sig));
child.on('exit', (code, signal) => {
  console.log(`[webview-tests] ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(code ?? (signal ? 1 : 0));
});
