/* global document -- the page functions run in the workbench page */
// The real-cloud mode, end to end in the workbench (see scripts/lib/real-cloud.mjs): the built-in sandbox off,
// `microsoft-sovereign-cloud.environment: custom` at the sandbox served over TLS, tokens from the stand-in for VS Code's
// Microsoft sign-in. Sign in as a user does (consent, account), the Directories view, Sign In to Directory on the MFA
// directory; then Microsoft's Azure Resources extension (VS Code >= 1.106 only): its sign-in, its subscriptions, our
// entries on a subscription's and a tenant's context menu, the wizard opened from there running its checks, impact
// and snapshot; and the scope lists the provider was asked for. Screenshots: test-results/extension/<version>/.
import assert from 'node:assert/strict';
import { readStandInLog } from '../../../scripts/lib/real-cloud.mjs';
import { CONTAINER, dialog, expandRow, primary, signInToDirectory } from './_steps.mjs';

export const mode = 'real-cloud';

const RILEY = 'riley@fabrikamlabs.onmicrosoft.com';
const CONTOSO = '22222222-2222-4222-8222-222222222222';
const NORTHWIND = '33333333-3333-4333-8333-333333333333';
const NO_AZURE_RESOURCES = { skipped: 'Azure Resources is not in this run (it needs VS Code ^1.106 and the fixture vsix: see the runner\'s warning)' };

const row = (wb, text, view) => wb.treeRows(view).filter({ hasText: text }).first();

/** Waits until the row with `text` also says `expected` (directories fill in as their checks come back). */
async function rowSays(wb, text, expected, message) {
  const target = row(wb, text);
  await target.waitFor({ timeout: 30_000 });
  await wb.page.waitForFunction(
    ([t, source]) => [...document.querySelectorAll('.pane-body .monaco-list-row')].some((r) => r.textContent?.includes(t) && new RegExp(source).test(r.textContent)),
    [text, expected.source],
    { timeout: 20_000 },
  ).catch(async () => { assert.fail(`${message}: the row says ${JSON.stringify(await target.textContent())}`); });
}

/** The editor's consent for an extension ("… wants to sign in using Microsoft Sovereign Cloud"), then the account. */
async function allowAndPickRiley(wb, extension) {
  const consent = await dialog(wb, `The extension '${extension}' wants to sign in using Microsoft Sovereign Cloud.`);
  await wb.screenshot(`consent-${extension.toLowerCase().replace(/\W+/g, '-')}`);
  await consent.getByRole('button', { name: 'Allow' }).click();
  await consent.waitFor({ state: 'hidden', timeout: 10_000 });
  const account = wb.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: RILEY }).first();
  await account.waitFor({ timeout: 15_000 });
  await account.click();
}

async function contextMenu(wb, target, entry, shot) {
  await target.click({ button: 'right' });
  const item = wb.page.locator('.context-view .monaco-menu .action-item').filter({ hasText: entry }).first();
  await item.waitFor({ timeout: 10_000 });
  await wb.page.waitForTimeout(300); // the menu fades in
  if (shot) await wb.screenshot(shot);
  await item.click();
}

/** The wizard in view: choose Contoso by domain, step 1, then step 2 with checks, impact and the snapshot saved. */
async function checksImpactSnapshot(wb, view, shotPrefix) {
  await view.locator('#typed input').fill('contoso.com');
  await view.locator('#typed input').press('Enter');
  await view.locator('atl-header, header').filter({ hasText: 'Contoso Ltd' }).first().waitFor({ timeout: 15_000 });
  await (await primary(view)).click();
  await view.getByText('Signed in to Contoso Ltd').waitFor({ timeout: 20_000 });
  await (await primary(view)).click();
  await view.locator('[data-action="save-snapshot"]').waitFor({ timeout: 30_000 });
  await view.locator('[data-action="save-snapshot"]').click();
  await view.locator('[data-action="reveal-snapshot"]').waitFor({ timeout: 45_000 });
  const change = await primary(view);
  assert.match((await change.textContent()) ?? '', /Change directory — \d+ role assignments will be deleted/);
  await wb.screenshot(`${shotPrefix}-snapshot`);
}

export const tests = {
  'signs in through the editor\'s Microsoft sign-in (provider microsoft-sovereign-cloud), as a user does': async (wb) => {
    await wb.openViewContainer(CONTAINER);
    await wb.page.getByRole('button', { name: 'Sign in to Azure' }).first().click();
    await allowAndPickRiley(wb, 'Azure Tenant Link');
  },

  'the Directories view fills from the custom cloud: Office 365 mark, MFA directory, subscriptions': async (wb) => {
    await rowSays(wb, RILEY, /Azure Sandbox \(TLS\)/, 'the account of the custom cloud');
    await rowSays(wb, 'Contoso Ltd', /Office 365/, 'Contoso is the Office 365 directory');
    await rowSays(wb, 'Northwind Traders', /sign in required/, 'Northwind needs its own sign-in');
    await expandRow(wb, 'Fabrikam Labs', 'Fabrikam Production');
    await wb.screenshot('directories');
  },

  'Sign In to Directory signs in to the MFA directory through the provider': async (wb) => {
    await signInToDirectory(wb, 'Northwind Traders', /wants to sign in using Microsoft Sovereign Cloud/);
    const interactive = readStandInLog(wb.realCloud.logFile).filter((r) => r.op === 'createSession' && r.scopes.includes(`VSCODE_TENANT:${NORTHWIND}`));
    assert.deepEqual(interactive.map((r) => [r.scopes, r.granted]), [[[`${wb.realCloud.baseUrl}/arm/.default`, `VSCODE_TENANT:${NORTHWIND}`], true]]);
  },

  'Azure Resources signs in through the same provider and lists the sandbox\'s subscriptions': async (wb) => {
    if (!wb.realCloud.azureResources) return NO_AZURE_RESOURCES;
    await wb.openViewContainer('Azure');
    await row(wb, 'Sign in to Azure').click();
    await allowAndPickRiley(wb, 'Azure Resources');
    await row(wb, 'Fabrikam Production').waitFor({ timeout: 30_000 });
    const names = await wb.treeRows('Resources').allTextContents();
    for (const name of ['Fabrikam Production', 'Fabrikam Dev/Test', 'Tailspin Web']) assert.ok(names.some((n) => n.includes(name)), `${name} in ${JSON.stringify(names)}`);
    return undefined;
  },

  'right-click a subscription in Azure Resources → our wizard opens with it, and runs checks, impact and snapshot': async (wb) => {
    if (!wb.realCloud.azureResources) return NO_AZURE_RESOURCES;
    await contextMenu(wb, row(wb, 'Fabrikam Production', 'Resources'), 'Link Subscription to Office 365 Directory…', 'azure-resources-menu');
    const view = wb.webview();
    await view.locator('atl-header, header').filter({ hasText: 'Fabrikam Production' }).first().waitFor({ timeout: 20_000 });
    await wb.page.locator('.tabs-container .tab').filter({ hasText: 'Link Fabrikam Production' }).waitFor({ timeout: 10_000 });
    await wb.screenshot('azure-resources-wizard');
    await checksImpactSnapshot(wb, view, 'azure-resources-wizard');
    await wb.runCommand('View: Close All Editors');
    return undefined;
  },

  'right-click a directory in Azure Resources\' Accounts & Tenants → our command, with that directory as the target': async (wb) => {
    if (!wb.realCloud.azureResources) return NO_AZURE_RESOURCES;
    const header = wb.page.locator('.pane-header').filter({ hasText: 'Accounts & Tenants' }).first();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const contoso = row(wb, 'Contoso Ltd', 'Accounts & Tenants');
    await contoso.waitFor({ timeout: 20_000 });
    await contextMenu(wb, contoso, 'Link Subscription to Office 365 Directory…', 'azure-resources-tenant-menu');
    // Contoso homes no subscription: any subscription can be chosen, with Contoso preset as the target.
    await wb.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Fabrikam Dev/Test' }).first().click();
    const view = wb.webview();
    await view.locator('atl-header, header').filter({ hasText: 'Fabrikam Dev/Test' }).filter({ hasText: 'Contoso Ltd' }).first().waitFor({ timeout: 20_000 });
    await wb.screenshot('azure-resources-tenant-wizard');
    await wb.runCommand('View: Close All Editors');
    return undefined;
  },

  'without Azure Resources: the wizard runs checks, impact and snapshot on the real-cloud path': async (wb) => {
    if (wb.realCloud.azureResources) return { skipped: 'done above from the Azure Resources context menu' };
    await wb.runCommand(`${CONTAINER}: Link Subscription to Office 365 Directory…`);
    await wb.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'Fabrikam Production' }).first().click();
    await checksImpactSnapshot(wb, wb.webview(), 'wizard');
    await wb.runCommand('View: Close All Editors');
    return undefined;
  },

  'the scope lists asked for: the custom cloud\'s ARM and Graph, VSCODE_TENANT per directory, no VSCODE_CLIENT_ID': async (wb) => {
    const { baseUrl, logFile } = wb.realCloud;
    const asked = readStandInLog(logFile);
    const arm = `${baseUrl}/arm/.default`;
    const graph = `${baseUrl}/graph/.default`;
    const lists = asked.map((r) => r.scopes.join(' '));
    for (const r of asked) {
      const resources = r.scopes.filter((s) => !s.startsWith('VSCODE_'));
      assert.equal(resources.length, 1, r.scopes.join(' '));
      assert.ok([arm, graph].includes(resources[0]), r.scopes.join(' '));
      assert.ok(!r.scopes.some((s) => s.startsWith('VSCODE_CLIENT_ID:')), r.scopes.join(' '));
    }
    assert.ok(lists.includes(`${graph} VSCODE_TENANT:${CONTOSO}`), 'Graph in the Office 365 directory');
    assert.ok(lists.includes(`${arm} VSCODE_TENANT:${NORTHWIND}`), 'ARM in the MFA directory');
  },
};
