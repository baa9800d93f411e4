// End to end in the workbench on the two-identities scenario (issue 10): Riley owns Fabrikam Production and is not
// yet in Contoso; Megan is Contoso's Global Administrator. From the wizard Riley signs Megan in as well; Megan invites
// Riley; Riley redeems the invitation (opens the URL); Riley initiates naming Megan; Megan accepts; Megan gives Riley
// Owner back through his guest account and restores the snapshot. The role assignments are read back from the
// sandbox's control API. Screenshots go to test-results/extension/<version>/ui-twoIdentities-*.png.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTAINER, dialog, primary } from './_steps.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const RILEY = 'riley@fabrikamlabs.onmicrosoft.com';
const MEGAN = 'megan@contoso.com';
const OWNER_ROLE = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

export const settings = {
  'azureTenantLink.sandbox.scenario': join(ROOT, 'src', 'sandbox', 'scenarios', 'two-identities.json'),
  'azureTenantLink.experimental.changeDirectoryApi': true,
};

/** What the tests learn on the way: the redemption URL (its origin is the sandbox's, for the control API). */
const seen = { redeemUrl: '' };

const consent = /wants to sign in using Azure Sandbox/;

async function modal(wb, text, button) {
  const box = await dialog(wb, text, { timeout: 20_000 });
  await wb.screenshot(`confirm-${button.toLowerCase().replace(/\W+/g, '-')}`);
  await box.getByRole('button', { name: button, exact: true }).click();
  await box.waitFor({ state: 'hidden', timeout: 10_000 });
}

async function typeTarget(view, domain) {
  await view.locator('#typed input').fill(domain);
  await view.locator('#typed input').press('Enter');
}

export const tests = {
  'two identities: the editor asks to let Azure Tenant Link use Riley\'s sandbox account': async (wb) => {
    const box = await dialog(wb, consent);
    await box.getByRole('button', { name: 'Allow' }).click();
    await box.waitFor({ state: 'hidden', timeout: 10_000 });
    await wb.openViewContainer(CONTAINER);
    await wb.treeRows().filter({ hasText: 'Fabrikam Labs' }).first().click();
    await wb.treeRows().filter({ hasText: 'Fabrikam Production' }).first().waitFor({ timeout: 30_000 });
  },

  'two identities: from the wizard Riley signs Megan in; Megan invites Riley; Riley redeems': async (wb) => {
    await wb.runCommand(`${CONTAINER}: Link Subscription to Office 365 Directory…`);
    await wb.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Fabrikam Production' }).first().click();
    const view = wb.webview();
    // Contoso is not among Riley's directories: sign in with Megan from step 0.
    await typeTarget(view, 'contoso.com');
    await view.locator('[data-action="signInAnotherAccount"]').click();
    // The editor may ask for consent ("… wants to sign in using Azure Sandbox") and show its account picker ("Sign in
    // to another account") before the sandbox's own picker lists Megan; the order varies, so answer what shows.
    // Picks by typing into the quick input and Enter (a click on a row that is still moving can land on its neighbour).
    const rows = wb.page.locator('.quick-input-list .monaco-list-row');
    const pick = async (text) => {
      await wb.page.locator('.quick-input-box input').fill(text);
      await rows.first().filter({ hasText: text }).waitFor({ timeout: 5_000 });
      await wb.page.locator('.quick-input-box input').press('Enter');
    };
    const allow = wb.page.locator('.monaco-dialog-box').filter({ hasText: consent }).getByRole('button', { name: 'Allow' });
    const meganSignedIn = wb.treeRows().filter({ hasText: MEGAN }).first();
    for (let attempt = 0; !(await meganSignedIn.isVisible().catch(() => false)); attempt++) {
      assert.ok(attempt < 60, 'Megan was not signed in');
      if (await allow.isVisible().catch(() => false)) await allow.click().catch(() => undefined);
      else if (await rows.filter({ hasText: MEGAN }).first().isVisible().catch(() => false)) await pick('Megan Bowen').catch(() => undefined); // the picker filters on the label (the display name)
      else if (await rows.filter({ hasText: 'Sign in to another account' }).first().isVisible().catch(() => false)) {
        // The editor's picker: its last row is an action that typing would filter away; reach it with the keyboard.
        const input = wb.page.locator('.quick-input-box input');
        await input.press('ArrowUp');
        const active = wb.page.locator('.quick-input-list .monaco-list-row.focused');
        if (((await active.textContent().catch(() => '')) ?? '').includes('Sign in to another account')) await input.press('Enter');
      } else await wb.page.waitForTimeout(500);
    }
    await wb.screenshot('signed-in-megan');
    for (let attempt = 0; attempt < 20; attempt++) {
      await typeTarget(view, 'contoso.com');
      if (await view.locator('atl-header, header').filter({ hasText: 'Contoso Ltd' }).first().isVisible().catch(() => false)) break;
      await wb.page.waitForTimeout(500);
    }
    await view.locator('atl-header, header').filter({ hasText: 'Contoso Ltd' }).first().waitFor({ timeout: 10_000 });
    await (await primary(view)).click();

    // Step 1: Riley is not in Contoso; Megan may invite him.
    const invite = view.locator('[data-action="inviteOwner"]').filter({ hasText: MEGAN });
    await invite.waitFor({ timeout: 30_000 });
    await wb.screenshot('wizard-invite');
    await invite.click();
    await modal(wb, `Invite ${RILEY} to Contoso Ltd as a guest?`, 'Invite');
    const url = view.locator('[data-invitation] code.url');
    await url.waitFor({ timeout: 20_000 });
    seen.redeemUrl = ((await url.textContent()) ?? '').trim();
    assert.match(seen.redeemUrl, /\/portal\/redeem\//);
    await wb.screenshot('wizard-invited');
    // Riley opens the redemption URL (the sandbox's redemption page), then checks again.
    const redeemed = await fetch(seen.redeemUrl);
    assert.equal(redeemed.status, 200);
    await view.locator('atl-visible [data-action="recheck"]').click();
    await view.getByText('Signed in to Contoso Ltd').waitFor({ timeout: 30_000 });
    await wb.screenshot('wizard-visible');
  },

  'two identities: Riley initiates naming Megan, Megan accepts after the modal': async (wb) => {
    const view = wb.webview();
    await (await primary(view)).click();
    await view.getByText(/\d+ role assignments? · \d+ custom roles?/).first().waitFor({ timeout: 30_000 });
    await view.locator('[data-action="save-snapshot"]').click();
    await view.locator('[data-action="reveal-snapshot"]').waitFor({ timeout: 20_000 });
    await view.locator('[data-chosen]').filter({ hasText: MEGAN }).waitFor({ timeout: 20_000 });
    await wb.screenshot('wizard-acceptor');
    await (await primary(view)).click();
    await modal(wb, 'Change the directory of Fabrikam Production?', 'Send request');
    await modal(wb, `Accept the move as ${MEGAN}?`, `Accept as ${MEGAN}`);
    await view.getByText('Contoso Ltd shows the subscription').waitFor({ timeout: 60_000 });
    await wb.screenshot('wizard-moved');
  },

  'two identities: Megan gives Riley Owner back and restores the snapshot; the sandbox has the assignments': async (wb) => {
    const view = wb.webview();
    await (await primary(view)).click();
    const back = view.locator('[data-action="giveOwnerBack"]');
    await back.waitFor({ timeout: 30_000 });
    await wb.screenshot('wizard-owner-back');
    await back.click();
    await modal(wb, /Create 1 role assignment in Contoso Ltd\?/, 'Create');
    await view.locator('[data-owner-back="created"]').waitFor({ timeout: 30_000 });
    // The old directory's users are not in Contoso: Megan invites them as guests, and their rows map to the new guests.
    const invite = view.locator('[data-action="inviteUnmatched"]');
    await invite.waitFor({ timeout: 30_000 });
    await wb.screenshot('wizard-invite-guests');
    await invite.click();
    await modal(wb, /Invite \d+ users to Contoso Ltd as guests\?/, 'Invite');
    await view.locator('[data-guest="invited"]').first().waitFor({ timeout: 60_000 });
    assert.equal(await view.locator('[data-guest="failed"]').count(), 0, 'every invitation sent');
    const create = await primary(view);
    assert.match((await create.textContent()) ?? '', /Create \d+ role assignments?/);
    await create.click();
    await modal(wb, /Create \d+ role assignments? in Contoso Ltd\?/, 'Create');
    await view.locator('[data-result="created"]').first().waitFor({ timeout: 60_000 });
    // Rows report as they are written; the repairs' outcome comes at the end: wait for the restore to finish.
    await view.locator('[data-step="admins"] vscode-progress-ring, main [role="status"] vscode-progress-ring').first().waitFor({ state: 'detached', timeout: 60_000 }).catch(() => undefined);
    await wb.screenshot('wizard-restored');
    // The scenario's ReadOnly lock on app-fabrikam-web (issue 11): its identity cannot be re-enabled, so only the grants
    // that follow it fail, saying why; everything else is created.
    const failed = await view.locator('[data-result="failed"]').allTextContents();
    assert.ok(failed.every((f) => /ReadOnly lock/.test(f)), `rows failed: ${failed.join(' | ')}`);

    // The sandbox's own record (control API): Owner for Megan (the acceptor) and for Riley's guest account in Contoso.
    const base = seen.redeemUrl.slice(0, seen.redeemUrl.indexOf('/portal/redeem/'));
    const state = await (await fetch(`${base}/_sandbox/state`)).json();
    const production = state.scenario.subscriptions.find((s) => s.displayName === 'Fabrikam Production');
    const contoso = state.scenario.tenants.find((t) => t.displayName === 'Contoso Ltd');
    assert.equal(production.tenantId, contoso.tenantId, 'the subscription lives in Contoso');
    const ownersOf = new Set(state.scenario.roleAssignments
      .filter((a) => a.scope.toLowerCase() === `/subscriptions/${production.subscriptionId}`.toLowerCase() && (a.role === 'Owner' || a.role.toLowerCase().endsWith(OWNER_ROLE)))
      .map((a) => a.principalId));
    const riley = contoso.users.find((u) => u.account === RILEY);
    const megan = contoso.users.find((u) => u.userPrincipalName === MEGAN);
    assert.ok(riley && riley.userType === 'Guest', 'Riley has a guest account in Contoso');
    assert.ok(ownersOf.has(megan.id), 'Megan holds Owner');
    assert.ok(ownersOf.has(riley.id), 'Riley has Owner back through his guest account');
    const inContoso = new Set(contoso.users.map((u) => u.id));
    const restored = state.scenario.roleAssignments.filter((a) => a.scope.toLowerCase().startsWith(`/subscriptions/${production.subscriptionId}`.toLowerCase()) && inContoso.has(a.principalId));
    assert.ok(restored.length > 2, `restored assignments in Contoso: ${restored.length}`);
    const invitedGuests = new Set(contoso.users.filter((u) => u.userType === 'Guest' && u.account !== RILEY).map((u) => u.id));
    assert.ok(restored.some((a) => invitedGuests.has(a.principalId)), 'the invited guests have their roles back');
  },
};
