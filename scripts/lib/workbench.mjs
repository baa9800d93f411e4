// Playwright helpers for driving the VS Code workbench served by code-server (UI tests in test/extension/ui/*.mjs).
//
// UI test files: test/extension/ui/<name>.mjs (files starting with `_` are skipped) export
//   export const settings = { … };                 // optional: extra user settings for this file's server
//   export const locale = 'sv';                    // optional: the display language (code-server --locale)
//   export const tests = {
//     'title': async (wb) => { … },                // wb is a Workbench; throw (node:assert) to fail
//   };
// Each file gets a fresh code-server (no smoke-test flag, so toasts show) with the built extension installed and
// `azureTenantLink.sandbox.startOnActivation: true`; its tests run in order on the same open workbench.
//
// Workbench API (selectors measured on VS Code 1.100 and 1.139, see shared/docs/vscode-offline-testing.md):
//   wb.page / wb.server / wb.version      Playwright page, server handle ({ port, base, run, … }), { vscode, … }
//   await wb.open()                       goto the workbench, wait for `.monaco-workbench` (done by the runner)
//   wb.activityBarItem(title)             Locator of an activity-bar item by its title/aria-label prefix
//   await wb.waitForActivityBarItem(title)
//   await wb.openViewContainer(title)     click the activity-bar item (if not already open); returns the side bar
//   await wb.runCommand(title)            F1, `>title`, pick the row whose label is exactly `title`, Enter
//   wb.treeRows(viewTitle?)               Locator of `.pane-body .monaco-list-row` (inside the view with that title)
//   await wb.waitForNotification(textOrRegExp)   a toast (`.notifications-toasts .notification-toast`); returns it
//   wb.webview(selector?)                 FrameLocator of the active webview's content (`iframe.webview.ready` → `#active-frame`)
//   await wb.screenshot(name)             test-results/extension/<vscode-version>/<prefix>-<name>.png; returns the path
//   wb.consoleErrors                      workbench console errors seen so far (offline noise filtered)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isNoise, sleep } from './code-server.mjs';

export class Workbench {
  constructor({ page, server, shotDir, prefix = 'ui' }) {
    this.page = page;
    this.server = server;
    this.version = server.version;
    this.shotDir = shotDir;
    this.prefix = prefix;
    this.console = [];
    this.consoleErrors = [];
    mkdirSync(shotDir, { recursive: true });
    page.on('console', (m) => {
      const line = `[${m.type()}] ${m.text()}`;
      this.console.push(line);
      if (m.type() === 'error' && !isNoise(line)) this.consoleErrors.push(line);
    });
    page.on('pageerror', (e) => {
      const line = `[pageerror] ${String(e)}`;
      this.console.push(line);
      if (!isNoise(line)) this.consoleErrors.push(line);
    });
  }

  async open({ timeout = 30_000 } = {}) {
    await this.page.goto(this.server.workbenchUrl());
    await this.page.locator('.monaco-workbench').waitFor({ timeout });
    // The activity bar is there once the workbench has laid out its parts.
    await this.page.locator('.activitybar').first().waitFor({ timeout });
  }

  activityBarItem(title) {
    // Items are `<li class="action-item" role="tab" aria-label="Title">`, or an `a.action-label` with the title.
    return this.page.locator(`.activitybar .action-item[aria-label^="${cssString(title)}"], .activitybar .action-item:has(a.action-label[aria-label^="${cssString(title)}"])`).first();
  }

  async waitForActivityBarItem(title, { timeout = 20_000 } = {}) {
    const item = this.activityBarItem(title);
    try {
      await item.waitFor({ state: 'visible', timeout });
    } catch {
      const labels = await this.page.locator('.activitybar .action-item').evaluateAll((els) => els.map((e) => e.querySelector('a.action-label')?.getAttribute('aria-label') || e.getAttribute('aria-label') || ''));
      throw new Error(`activity-bar item "${title}" did not appear within ${timeout} ms; items: ${JSON.stringify(labels)}`);
    }
    return item;
  }

  async openViewContainer(title, { timeout = 20_000 } = {}) {
    const item = await this.waitForActivityBarItem(title, { timeout });
    if ((await item.getAttribute('aria-selected')) !== 'true') await item.click();
    const sideBar = this.page.locator('.part.sidebar');
    await sideBar.locator('.composite.title').filter({ hasText: title }).first().waitFor({ timeout }).catch(async () => {
      await sideBar.waitFor({ state: 'visible', timeout: 1000 });
    });
    return sideBar;
  }

  async runCommand(title, { timeout = 15_000 } = {}) {
    const input = this.page.locator('.quick-input-widget input');
    const end = Date.now() + timeout;
    for (let attempt = 1; ; attempt++) {
      // F1 toggles the palette: press it only while the palette is closed (under load it can take longer than one
      // wait to appear, and a second F1 would close it again), waiting longer each time.
      if (!(await input.isVisible())) {
        if (attempt > 1) await this.page.locator('.monaco-workbench').first().focus().catch(() => undefined);
        await this.page.keyboard.press('F1');
      }
      try {
        await input.waitFor({ state: 'visible', timeout: 2000 * Math.min(attempt, 3) });
        break;
      } catch {
        if (Date.now() > end) throw new Error(`the command palette did not open (F1, ${attempt} tries)`);
      }
    }
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: exact(title) }) }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: Math.max(1000, end - Date.now()) });
    } catch {
      const rows = await this.page.locator('.quick-input-list .monaco-list-row').allTextContents();
      await this.page.keyboard.press('Escape');
      throw new Error(`command "${title}" not in the command palette; rows: ${JSON.stringify(rows.slice(0, 10))}`);
    }
    // A modal dialog (a consent or confirmation the test has not answered) takes every click: name it, instead of a
    // 30-second click timeout that says only "intercepts pointer events".
    const modal = this.page.locator('.monaco-dialog-box');
    if (await modal.isVisible()) {
      throw new Error(`a dialog blocks the command palette: ${JSON.stringify(((await modal.first().textContent()) ?? '').trim().slice(0, 200))}`);
    }
    await row.click();
    await input.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
  }

  treeRows(viewTitle) {
    const pane = viewTitle
      ? this.page.locator('.pane').filter({ has: this.page.locator('.pane-header', { hasText: viewTitle }) })
      : this.page.locator('.part.sidebar');
    return pane.locator('.pane-body .monaco-list-row');
  }

  async waitForNotification(text, { timeout = 15_000 } = {}) {
    const toast = this.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout });
    await sleep(500); // toasts slide in: let the animation finish before a screenshot
    return toast;
  }

  webview() {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  async screenshot(name) {
    const path = join(this.shotDir, `${this.prefix}-${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  writeConsoleLog() {
    writeFileSync(join(this.shotDir, `${this.prefix}-console.log`), `${this.console.join('\n')}\n`);
  }
}

function cssString(s) {
  return s.replace(/["\\]/g, '\\$&');
}
function exact(s) {
  return new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

/**
 * Writes entries into the workbench's application storage before it loads (IndexedDB `vscode-web-state-db-global`,
 * store `ItemTable`), for state a user would have made earlier (a consent, a disabled extension). Navigates the page
 * to `<origin>/healthz` to be on the workbench's origin.
 */
export async function seedWorkbenchState(page, origin, entries) {
  await page.goto(`${origin}/healthz`);
  await page.evaluate(async (items) => {
    const db = await new Promise((resolve, reject) => {
      // eslint-disable-next-line no-undef -- runs in the browser page
      const req = indexedDB.open('vscode-web-state-db-global');
      req.onupgradeneeded = () => { if (!req.result.objectStoreNames.contains('ItemTable')) req.result.createObjectStore('ItemTable'); };
      req.onsuccess = () => { resolve(req.result); };
      req.onerror = () => { reject(req.error); };
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction('ItemTable', 'readwrite');
      for (const [key, value] of Object.entries(items)) tx.objectStore('ItemTable').put(value, key);
      tx.oncomplete = () => { resolve(undefined); };
      tx.onerror = () => { reject(tx.error); };
    });
    db.close();
  }, entries);
}
