/* global document -- the page functions run in the workbench page */
// Several accounts in the Directories view, through the editor's real dialogs and the sandbox's account picker: "Sign
// In with Another Account…" adds Megan beside Riley (each with their role per directory), "Sign Out" on an account's
// row removes only that account, and with every account signed out the palette's "Sign In" asks the Azure Sandbox —
// not the Microsoft sign-in — and brings the account back. Screenshots: test-results/extension/<version>/.
import assert from 'node:assert/strict';
import { CONTAINER, dialog } from './_steps.mjs';

const RILEY = 'riley@fabrikamlabs.onmicrosoft.com';
const MEGAN = 'megan@contoso.com';

const row = (wb, text) => wb.treeRows().filter({ hasText: text }).first();

/** The editor's consent dialog for the sandbox (its text matches `text`), answered Allow. */
async function allow(wb, text, shot) {
  const box = await dialog(wb, text);
  if (shot) await wb.screenshot(shot);
  await box.getByRole('button', { name: 'Allow' }).click();
  await box.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The sandbox's account picker, when it asks (it does not when only one account is left to sign in). */
async function pickIfAsked(wb, name) {
  const choice = wb.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first();
  if (await choice.waitFor({ timeout: 5_000 }).then(() => true, () => false)) await choice.click();
}

async function signOut(wb, account) {
  await row(wb, account).click({ button: 'right' });
  const item = wb.page.locator('.context-view .monaco-menu .action-item').filter({ hasText: /^Sign Out$/ }).first();
  await item.waitFor({ timeout: 10_000 });
  await wb.page.waitForTimeout(300); // the menu fades in: a click before that is lost
  await item.click();
  await wb.page.waitForFunction((a) => ![...document.querySelectorAll('.pane-body .monaco-list-row')].some((r) => r.textContent?.includes(a)), account, { timeout: 20_000 });
}

export const tests = {
  'accounts: the editor asks once to let Azure Tenant Link use the sandbox account': async (wb) => {
    await allow(wb, /wants to sign in using Azure Sandbox/);
  },

  'accounts: Sign In with Another Account… adds Megan beside Riley, each with their role in each directory': async (wb) => {
    await wb.openViewContainer(CONTAINER);
    await row(wb, RILEY).waitFor({ timeout: 30_000 });
    await wb.runCommand(`${CONTAINER}: Sign In with Another Account…`);
    await allow(wb, /wants you to sign in again using Azure Sandbox[\s\S]*Choose an account that is not signed in yet/, 'accounts-another-consent');
    await pickIfAsked(wb, 'Megan Bowen');
    await row(wb, MEGAN).waitFor({ timeout: 30_000 });
    await wb.page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('.pane-body .monaco-list-row')].map((r) => r.textContent ?? '');
      return rows.filter((t) => /Global Administrator/.test(t)).length >= 2 && rows.some((t) => /Fabrikam Labs.*guest/.test(t)) && rows.some((t) => /Contoso Ltd.*member/.test(t));
    }, undefined, { timeout: 30_000 });
    await wb.screenshot('accounts-two');
    const label = await row(wb, RILEY).getAttribute('aria-label');
    assert.match(label ?? '', /^Account riley@fabrikamlabs\.onmicrosoft\.com, Azure Sandbox/, 'a screen reader hears who and what');
  },

  'accounts: Sign Out on Megan\'s row signs out only Megan': async (wb) => {
    await signOut(wb, MEGAN);
    await row(wb, RILEY).waitFor({ timeout: 10_000 });
    await wb.screenshot('accounts-signed-out-one');
  },

  'accounts: signed out of every account, the palette\'s Sign In asks the Azure Sandbox and brings the account back': async (wb) => {
    await signOut(wb, RILEY);
    await wb.page.getByRole('button', { name: 'Sign in to Azure' }).first().waitFor({ timeout: 20_000 });
    await wb.runCommand(`${CONTAINER}: Sign In`);
    await allow(wb, /wants to sign in using Azure Sandbox/, 'accounts-sign-in-again');
    await pickIfAsked(wb, 'Riley Quinn');
    await row(wb, RILEY).waitFor({ timeout: 30_000 });
    await row(wb, 'Fabrikam Labs').waitFor({ timeout: 30_000 });
    await wb.screenshot('accounts-signed-in-again');
  },
};
