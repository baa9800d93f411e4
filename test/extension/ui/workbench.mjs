// UI tests driven through Playwright: API in scripts/lib/workbench.mjs, run by scripts/run-extension-tests.mjs --ui.
import assert from 'node:assert/strict';

const CONTAINER = 'Azure Tenant Link';

export const tests = {
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
