// The extension host bundle as `npm run package` builds it: at most 350 KB minified, without the sandbox (and its
// default scenario) or azureauth, which are bundles of their own that the host loads on first use (esbuild.mjs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as SandboxModule from '../../src/sandbox/server';

describe('host bundle', function () {
  this.timeout(120_000);
  const out = mkdtempSync(join(tmpdir(), 'atl-host-'));
  after(() => { rmSync(out, { recursive: true, force: true }); });

  before(() => {
    const r = spawnSync(process.execPath, ['esbuild.mjs', '--production', '--host-only', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('is at most 350 KB minified and holds neither the sandbox nor azureauth', () => {
    const host = readFileSync(join(out, 'extension.js'), 'utf8');
    // 350 KB read the strict way: 350,000 bytes.
    assert.ok(host.length <= 350_000, `host bundle is ${host.length} bytes`);
    assert.doesNotMatch(host, /Fabrikam Production/, 'the default scenario is not in the host bundle');
    assert.doesNotMatch(host, /The sandbox does not emulate/, 'the sandbox server is not in the host bundle');
    assert.doesNotMatch(host, /VSCodeAzureSubscriptionProvider=/, 'azureauth is not in the host bundle');
    assert.match(host, /require\("\.\/sandbox\.js"\)/);
    assert.match(host, /require\("\.\/azureauth\.js"\)/);
  });

  it('the sandbox bundle beside it starts and answers on its own', async () => {
    const { startSandbox } = createRequire(__filename)(join(out, 'sandbox.js')) as typeof SandboxModule;
    const sb = await startSandbox();
    try {
      const r = await fetch(`${sb.baseUrl}/_sandbox/health`);
      assert.equal(r.status, 200);
      assert.ok(sb.state.data.subscriptions.some((s) => s.displayName === 'Fabrikam Production'));
    } finally {
      await sb.close();
    }
  });
});
