// Webview tier: step 3's per-row restore picker end to end with the real host side — the built UI in Chromium, the
// wizard controller (no vscode) over the in-process sandbox, and the messages carried between them the way the panel
// carries them (every inbound message through the protocol's validator; search answers and state back).
import * as assert from 'node:assert/strict';
import { english } from '../../src/core/l10n';
import { takeSnapshot, writeSnapshot } from '../../src/core/snapshot';
import { parseFromWebview } from '../../src/webview/protocol';
import { WizardController } from '../../src/wizard/controller';
import { RILEY, sessionFor, subscriptionByName, tenantByName, useSandbox } from '../unit/helpers';
import { setUp, type Recorded } from '../unit/wizard/host';
import { useWebviewPages, type WebviewPage } from './fixtures/page';

const FABRIKAM = tenantByName('Fabrikam Labs');
const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');
const TEAM42_OLD = 'f1000000-0002-4000-8000-000000000001';
const TEAM42_NEW = 'c2000000-0002-4000-8000-000000000006';

describe('wizard webview: the restore picker with the real host over the sandbox', function () {
  this.timeout(30000);
  const sandbox = useSandbox();
  let w: WebviewPage;
  useWebviewPages((page) => { w = page; });

  /** Carries what the UI posted to the controller, then the controller's answers and state back to the UI. */
  function bridge(wizard: WizardController, recorded: Recorded): () => Promise<void> {
    let seen = 0;
    return async () => {
      const posted = await w.posted();
      for (const raw of posted.slice(seen)) {
        const msg = parseFromWebview(raw);
        assert.ok(msg, `the UI posted a valid message: ${JSON.stringify(raw)}`);
        if (msg.type === 'searchRestorePrincipal') await wizard.searchRestorePrincipal(msg.rowId, msg.query);
        else if (msg.type !== 'ready' && msg.type !== 'unhandledError') await wizard.dispatch(msg);
      }
      seen = posted.length;
      for (const answer of recorded.restoreSearches.splice(0)) await w.send({ type: 'restoreSearchResults', ...answer });
      await w.send({ type: 'state', state: wizard.state() });
    };
  }

  it('searches the target for an unmatched group row, and the pick comes back as that row\'s choice', async () => {
    const session = sessionFor(sandbox());
    const first = await setUp(session, () => true);
    const snapshot = await takeSnapshot(session, await session.arm.getSubscription(FABRIKAM, PRODUCTION), english);
    const file = (await writeSnapshot(await first.host.snapshotFolder(session.cloud.name), snapshot, english)).jsonPath;
    sandbox().moveSubscription(PRODUCTION, CONTOSO, RILEY);
    const { host, recorded, subscription } = await setUp(session, () => true);
    recorded.remembered.set(PRODUCTION, file);
    const wizard = new WizardController({ subscription, targetTenantId: CONTOSO, moved: true, changeApi: false }, host, () => undefined);
    await wizard.dispatch({ type: 'openStep', step: 'admins' });
    const teamRow = wizard.state().admins?.restore?.find((r) => r.oldPrincipalId === TEAM42_OLD);
    assert.ok(teamRow);
    const pump = bridge(wizard, recorded);

    await w.page.setViewportSize({ width: 600, height: 900 });
    await w.init(wizard.state());
    const row = w.page.locator(`tr[data-restore="${teamRow.id}"]`);
    await row.locator('[data-picker] summary').click();
    const input = row.locator('[data-picker] vscode-textfield input');

    // By name: users only, and the row says why its group is not among them.
    await input.fill('Team 42');
    await input.press('Enter');
    await pump();
    assert.match((await row.locator('[data-picker] [role="status"]').textContent()) ?? '', /only by their object id or application id, never by name/);
    assert.equal(await row.locator(`[data-pick="${TEAM42_NEW}"]`).count(), 0);

    // By object id: the group of the target directory, picked with one click.
    await input.fill(TEAM42_NEW);
    await input.press('Enter');
    await pump();
    const pick = row.locator(`[data-pick="${TEAM42_NEW}"]`);
    assert.match((await row.locator('[data-pick-results]').textContent()) ?? '', /Team 42\s+· Group/);
    await pick.click();
    await pump();
    assert.equal(wizard.state().admins?.restore?.find((r) => r.id === teamRow.id)?.chosen, TEAM42_NEW, 'the host took the pick');
    const shown = await row.locator('vscode-single-select').evaluate((el: unknown) => (el as { value: string }).value);
    assert.equal(shown, TEAM42_NEW, 'the row shows the group as its new principal');
    assert.equal(wizard.state().error, null);
    wizard.dispose();
  });
});
