// UI tests driven through Playwright: API in scripts/lib/workbench.mjs, run by scripts/run-extension-tests.mjs --ui.
import assert from 'node:assert/strict';
import { dialog } from './_steps.mjs';

const CONTAINER = 'Azure Tenant Link';

export const tests = {
  // The editor asks once, at start-up, whether the extension may use the sandbox account. Answer it first: left open,
  // its modal block takes every click (a CI run saw the palette row click time out behind it).
  'the editor asks once to let Azure Tenant Link use the sandbox account': async (wb) => {
    const consent = await dialog(wb, /wants to sign in using Azure Sandbox/);
    await consent.getByRole('button', { name: 'Allow' }).click();
    await consent.waitFor({ state: 'hidden', timeout: 10_000 });
  },

  'the workbench loads and shows the Azure Tenant Link activity bar item': async (wb) => {
    const item = await wb.waitForActivityBarItem(CONTAINER);
    assert.ok(await item.isVisible());
    const sideBar = await wb.openViewContainer(CONTAINER);
    await sideBar.locator('.composite.title').filter({ hasText: new RegExp(CONTAINER, 'i') }).first().waitFor({ timeout: 10_000 });
    await wb.screenshot('activity-bar');
  },

  'the command palette runs Azure Tenant Link: Refresh': async (wb) => {
    await wb.runCommand(`${CONTAINER}: Refresh`);
    // The palette closed on the pick; an error toast would mean the command failed.
    const errors = wb.page.locator('.notifications-toasts .notification-toast').filter({ has: wb.page.locator('.codicon-error') });
    if (await errors.count()) assert.fail(`error notification: ${await errors.first().textContent()}`);
  },
};
