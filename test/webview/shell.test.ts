// Smoke test of the webview harness (test/webview/harness): the built UI loads in Chromium under a webview CSP.
// The UI's own behaviour is tested in the other test/webview/*.test.ts files.
import * as assert from 'node:assert/strict';
import { openHarness, type Harness } from './harness';

describe('webview shell', function () {
  this.timeout(30_000);
  let h: Harness;
  before(async () => { h = await openHarness(); });
  after(async () => { await h.close(); });

  it('loads main.js and the codicons without page errors or CSP violations', async () => {
    await h.withPage(async (wp) => {
      // withPage has already loaded the page; reload to observe every response from the start.
      const statuses = new Map<string, number>();
      wp.page.on('response', (r) => { statuses.set(new URL(r.url()).pathname, r.status()); });
      await wp.page.reload({ waitUntil: 'load' });
      assert.equal(statuses.get('/main.js'), 200, 'main.js served');
      assert.equal(statuses.get('/codicon.css'), 200, 'codicon.css served');
      assert.deepEqual(wp.pageErrors, [], 'no uncaught errors');
      assert.deepEqual(await wp.cspViolations(), [], 'no CSP violations');
    });
  });
});
