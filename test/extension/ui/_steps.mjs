/* global document -- the page functions run in the workbench page */
// Steps the UI test files share (files starting with `_` are not test files; see scripts/lib/workbench.mjs).

export const CONTAINER = 'Azure Tenant Link';

/** A workbench dialog (modal or consent) whose text matches. */
export async function dialog(wb, text, { timeout = 30_000 } = {}) {
  const box = wb.page.locator('.monaco-dialog-box').filter({ hasText: text });
  await box.waitFor({ state: 'visible', timeout });
  return box;
}

/**
 * Expands the tree row `name` of our view until `child` shows. The view draws rows again as its late reads land (roles,
 * summaries, change requests), so a click can meet a row that just moved, and a hover card can cover the next row:
 * close any hover card, click only a collapsed row, and try again until the child is there.
 */
export async function expandRow(wb, name, child, { timeout = 20_000 } = {}) {
  const rows = wb.treeRows();
  const parent = rows.filter({ hasText: name }).first();
  const shown = rows.filter({ hasText: child }).first();
  const end = Date.now() + timeout;
  while (!(await shown.isVisible())) {
    if (Date.now() > end) throw new Error(`"${child}" did not show under "${name}" within ${timeout} ms`);
    await wb.page.keyboard.press('Escape');
    if ((await parent.getAttribute('aria-expanded').catch(() => null)) === 'false') await parent.click({ timeout: 3_000 }).catch(() => undefined);
    await shown.waitFor({ timeout: 2_000 }).catch(() => undefined);
  }
  await wb.page.mouse.move(0, 0); // no hover card left over the rows
}

/** The wizard's enabled primary button (the last one: a step's own, not the header's). */
export async function primary(view) {
  const button = view.locator('main [data-primary]:not([disabled])').last();
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  return button;
}

/**
 * Opens the link wizard from the command palette on a subscription, chooses the target by typing its domain, and goes
 * through step 1 (the directory visible and signed in) to step 2. `shot(name)` is called at each step.
 */
export async function wizardToChangeStep(wb, { subscription, domain, directory }, shot = async () => {}) {
  await wb.runCommand(`${CONTAINER}: Link Subscription to Office 365 Directory…`);
  await wb.page.locator('.quick-input-list .monaco-list-row').filter({ hasText: subscription }).first().click();
  const view = wb.webview();
  await view.locator('#typed input').fill(domain);
  await view.locator('#typed input').press('Enter');
  await view.locator('atl-header, header').filter({ hasText: directory }).first().waitFor({ timeout: 15_000 });
  await shot('wizard-choose');
  await (await primary(view)).click();
  await view.getByText(`Signed in to ${directory}`).waitFor({ timeout: 20_000 });
  await shot('wizard-visible');
  await (await primary(view)).click();
  // The pre-flight checks and the impact arrive together and push the snapshot section down the page: wait for
  // them, so that a click on a button below does not land where it was a moment before (seen under load).
  await view.getByText(/\d+ role assignments? · \d+ custom roles?/).first().waitFor({ timeout: 30_000 });
  return view;
}

/**
 * "Sign In to Directory" on a directory row of our view that says "sign in required": the inline action, the editor's
 * consent (`consent` matches its text), then waits until the row no longer says so.
 */
export async function signInToDirectory(wb, name, consent) {
  const directory = wb.treeRows().filter({ hasText: name }).first();
  // The inline action shows on hover, and the row is drawn again as the view's late reads land (roles, summaries,
  // change requests): hover and click again until a click lands, instead of one click on a row that was replaced.
  const end = Date.now() + 30_000;
  for (;;) {
    try {
      await directory.hover({ timeout: 5_000 });
      await directory.locator('.action-label[aria-label*="Sign In to Directory"]').click({ timeout: 3_000 });
      break;
    } catch (e) {
      if (Date.now() > end) throw e;
      await wb.page.keyboard.press('Escape'); // a hover card left over the row takes the pointer
      await wb.page.mouse.move(0, 0);
    }
  }
  const box = await dialog(wb, consent);
  await box.getByRole('button', { name: 'Allow' }).click();
  await wb.page.waitForFunction(
    (n) => [...document.querySelectorAll('.pane-body .monaco-list-row')].some((r) => r.textContent?.includes(n) && !r.textContent.includes('sign in required')),
    name,
    { timeout: 20_000 },
  );
}
