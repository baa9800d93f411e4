// Webview tier, issue 11 and 12's leftovers: the impact's groups beyond role assignments (unknown says which
// permission), the snapshot's counts, step 3's eligible / time-bound marks, the Repair group and the policy's offer of
// the longest allowed end, the header after the move, and the Done page's "still to do".
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { useWebviewPages, type WebviewPage } from './fixtures/page';
import * as S from './fixtures/states';

const SHOTS = 'test-results/webview';

describe('wizard webview: nothing lost (issue 11)', function () {
  this.timeout(30000);
  let w: WebviewPage;
  useWebviewPages((page) => { w = page; });
  before(() => { mkdirSync(SHOTS, { recursive: true }); });
  const posted = async () => (await w.posted()).filter((m) => m.type !== 'ready');
  const text = async (selector: string): Promise<string> => ((await w.page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

  it('shows each group with its count, what the move deletes and who puts it back; a refused read is unknown with the permission', async () => {
    await w.init(S.changeSaved);
    assert.match(await text('[data-extra-group="eligible"] summary'), /^Eligible \(PIM\) assignments \(2\) · 2 deleted by the move · 2 put back by the restore$/);
    assert.match(await text('[data-extra-group="timeBound"] summary'), /Time-bound \(PIM\) active assignments \(1\)/);
    assert.match(await text('[data-extra-group="denyAssignments"] summary'), /Unknown — needs Microsoft\.Authorization\/denyAssignments\/read/);
    assert.equal(await w.page.locator('[data-extra-group="denyAssignments"] table').count(), 0, 'no table, never a zero');
    assert.equal(await w.page.locator('[data-extra-group="delegations"]').count(), 0, 'an empty group says nothing');
    assert.match(await text('[data-extra-group="locks"] summary'), /a ReadOnly lock makes repair writes fail until it is removed/);
    for (const g of ['eligible', 'keyVaults', 'identities', 'locks', 'policyAssignments']) await w.page.locator(`[data-extra-group="${g}"] summary`).click();
    assert.match(await text('[data-extra-group="eligible"] tr[data-extra]'), /Megan Bowen.*Contributor.*until 2027-06-30.*deleted.*by the restore/);
    assert.match(await text('[data-extra-group="keyVaults"] tr[data-extra]'), new RegExp(`kv-fabrikam-prod.*tenantId ${S.FABRIKAM} · 3 access policies.*by the restore`));
    assert.match(await text('[data-extra-group="identities"] tr[data-extra]:nth-child(2)'), /func-orders.*user-assigned identity.*by hand/);
    assert.match(await text('[data-extra-group="policyAssignments"] tr[data-extra]'), /Require a cost-center tag.*system-assigned identity/);
    assert.equal(await w.page.locator('[data-blocks-repair]').count(), 1);
    assert.match(await text('[data-extra-group="keyVaults"] tr[data-extra]'), /kept; stops working until repaired/);
    assert.match(await text('[data-snapshot-also]'), /^Also saved: Eligible \(PIM\) assignments: 2 · .* · Locks: Unknown$/);
    await w.page.setViewportSize({ width: 900, height: 1400 });
    await w.page.locator('atl-impact-extras').screenshot({ path: `${SHOTS}/impact-extras.png` });
  });

  it('step 3 marks eligible and time-bound rows, shows the Repair group and the steps by hand', async () => {
    await w.init(S.adminsExtras);
    assert.match(await text(`tr[data-restore="${S.adminsExtras.admins!.restore![3]!.id}"]`), /Owner.*time-bound until 2027-01-31/);
    assert.match(await text('[data-mark="eligible"]'), /^eligible, permanent$/);
    assert.match(await text('tr:has([data-follows])'), /app-fabrikam-web.*The re-created managed identity.*follows the identity/);
    assert.equal(await w.page.locator('tr:has([data-follows]) atl-restore-picker').count(), 0, 'no picker: the grant follows the identity');
    const kinds: (string | null)[] = [];
    for (const row of await w.page.locator('[data-repair-item]').all()) kinds.push(await row.getAttribute('data-repair-item'));
    assert.deepEqual(kinds, ['identity', 'policyAssignment', 'keyVault', 'accessPolicy']);
    assert.match(await text('[data-repair-item="keyVault"]'), /Set the tenantId of Key Vault kv-fabrikam-prod.*to do/);
    assert.match(await text('[data-manual]'), /id-func.*Attach the new identity to func-orders/);
    await w.page.setViewportSize({ width: 900, height: 1600 });
    await w.page.locator('atl-admins').screenshot({ path: `${SHOTS}/restore-extras.png` });
  });

  it('offers the longest end a role-management policy allows, and posts the choice', async () => {
    const rows = S.adminsExtras.admins!.restore!.map((r) => (r.eligible === true ? { ...r, result: { status: 'failed' as const, reason: 'The role management policy forbids permanent eligibility (ExpirationRule).' }, longestAllowedEnd: '2027-11-26T16:00:00Z' } : r));
    await w.init({ ...S.adminsExtras, admins: { ...S.adminsExtras.admins!, restore: rows } });
    assert.match(await text('[data-policy-offer]'), /forbids permanent eligibility for 1 rows\. The longest it allows ends 2027-11-26T16:00:00Z/);
    await w.page.locator('[data-action="accept-longest-end"]').click();
    assert.deepEqual(await posted(), [{ type: 'acceptLongestEnd' }]);
  });

  it('with failures left after a restore, Finish leads to Done and Retry failed stays beside it', async () => {
    await w.init(S.adminsResults);
    assert.equal((await w.page.locator('[data-primary]').textContent())?.trim(), 'Finish');
    await w.page.locator('[data-primary]').click();
    await w.page.locator('[data-action="retry-failed"]').click();
    assert.deepEqual(await posted(), [{ type: 'openStep', step: 'done' }, { type: 'retryFailed' }]);
  });

  it('after the move the header names the new directory', async () => {
    const contoso = { tenantId: S.CONTOSO, name: 'Contoso Ltd', domain: 'contoso.com' };
    const header = S.adminsExtras.header;
    await w.init({ ...S.adminsExtras, header: { ...header, subscription: { ...header.subscription!, current: contoso, moved: true } } });
    assert.match(await text('[data-header-in]'), /in Contoso Ltd$/);
    assert.equal(await w.page.locator('atl-header h1').textContent(), 'Moved Fabrikam Production from Fabrikam Labs to Contoso Ltd (contoso.com)');
  });

  it('fits 600px at 200% zoom with every group open, in step 2, step 3 and Done', async () => {
    await w.page.setViewportSize({ width: 300, height: 900 });
    const overflow = () => w.page.evaluate(() => {
      const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
      return d.documentElement.scrollWidth - d.documentElement.clientWidth;
    });
    await w.init(S.changeSaved);
    for (const summary of await w.page.locator('[data-extra-group] summary').all()) await summary.click();
    assert.ok(await overflow() <= 0, `change: ${await overflow()}px horizontal overflow`);
    for (const state of [S.adminsExtras, S.done]) {
      await w.init(state);
      assert.ok(await overflow() <= 0, `${state.activeStep}: ${await overflow()}px horizontal overflow`);
    }
  });

  it('Done lists what is still to do and offers to re-create the custom roles', async () => {
    await w.init(S.done);
    assert.equal(await w.page.locator('[data-todo-kind]').count(), 4);
    assert.match(await text('[data-todo-kind="unrestored"]'), /Not restored: Contributor of Team 42 at resourceGroups\/rg-app-2 is not restored ?a group of another directory/);
    assert.match(await text('[data-todo-kind="classicAdmin"]'), /Classic administrator: Classic administrator billing@/);
    assert.equal(await text('[data-action="recreate-roles"]'), 'Re-create 2 custom roles');
    await w.page.locator('[data-action="recreate-roles"]').click();
    assert.deepEqual(await posted(), [{ type: 'recreateCustomRoles' }]);
  });
});
