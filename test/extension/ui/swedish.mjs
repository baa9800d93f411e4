// The Swedish display language: the extension's own contributions (package.nls.sv.json) and its runtime strings
// (l10n/bundle.l10n.sv.json) appear in Swedish. VS Code's own UI stays English here: no Swedish language pack is
// installed offline, and the extension's strings do not depend on one.
import assert from 'node:assert/strict';

export const locale = 'sv';

export const tests = {
  'the view, its commands and the tree speak Swedish': async (wb) => {
    const dialog = wb.page.locator('.monaco-dialog-box').filter({ hasText: /Azure Sandbox/ });
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Allow' }).click(); // VS Code's own strings stay English (see above)
    const sideBar = await wb.openViewContainer('Azure Tenant Link');
    // A container with one view shows the view's name in its title ("AZURE TENANT LINK: KATALOGER").
    await sideBar.locator('.composite.title').filter({ hasText: /Kataloger/i }).first().waitFor({ timeout: 20_000 });
    await wb.treeRows().filter({ hasText: 'Contoso Ltd' }).first().waitFor({ timeout: 30_000 });
    const account = (await wb.treeRows().first().textContent()) ?? '';
    assert.match(account, /övning/, `the sandbox account row: ${account}`);
    await wb.runCommand('Azure Tenant Link: Uppdatera');
    await wb.screenshot('swedish');
  },
};
