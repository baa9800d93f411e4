// Webview tier, issue 12 (the wizard as a new user meets it): the impact table at 600 px, the first click on a fresh
// search result, plural and role wording, colour contrast in the test themes, unmatched restore rows.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { useWebviewPages, type WebviewPage } from './fixtures/page';
import * as S from './fixtures/states';
import { EN } from '../../src/webview/uiStrings';

describe('wizard webview: usability (issue 12)', function () {
  this.timeout(30000);
  let w: WebviewPage;
  useWebviewPages((page) => { w = page; });

  /** How often `needle` is rendered inside `root`, through shadow roots and slots (what a person sees, not the DOM). */
  async function renderedCount(root: Locator, needle: string): Promise<number> {
    const text = await root.evaluate((el: unknown) => {
      interface N { nodeType: number; textContent: string | null; shadowRoot?: { childNodes: ArrayLike<N> } | null; childNodes: ArrayLike<N>; tagName?: string; assignedNodes?: (o: { flatten: boolean }) => N[] }
      // A loop, not a nested function: tsx's keepNames would wrap one in a `__name` helper the page does not have.
      const out: string[] = [];
      const stack: N[] = [el as N];
      while (stack.length > 0) {
        const n = stack.pop()!;
        if (n.nodeType === 3) out.push(n.textContent ?? '');
        else if (n.tagName === 'SLOT' && n.assignedNodes) stack.push(...n.assignedNodes({ flatten: true }).reverse());
        else if (n.tagName !== 'STYLE') stack.push(...Array.from((n.shadowRoot ?? n).childNodes).reverse());
      }
      return out.join('');
    });
    return text.split(needle).length - 1;
  }
  /** WCAG contrast of the element's text colour against what is painted behind it (backgrounds up to the page). */
  async function contrast(el: Locator): Promise<number> {
    const { color, backgrounds } = await el.evaluate((start: unknown) => {
      interface E { parentElement: E | null; getRootNode(): { host?: E }; }
      const g = globalThis as unknown as { getComputedStyle(e: E): { color: string; backgroundColor: string } };
      const backgrounds: string[] = [];
      let node: E | null | undefined = start as E;
      while (node) {
        backgrounds.push(g.getComputedStyle(node).backgroundColor);
        node = node.parentElement ?? node.getRootNode().host;
      }
      return { color: g.getComputedStyle(start as E).color, backgrounds };
    });
    const rgba = (css: string): [number, number, number, number] => {
      const n = (css.match(/[\d.]+/g) ?? []).map(Number);
      assert.ok(n.length >= 3, `a colour: ${css}`);
      return [n[0]!, n[1]!, n[2]!, n[3] ?? 1];
    };
    const over = (top: [number, number, number, number], under: [number, number, number]): [number, number, number] =>
      [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])) as [number, number, number];
    // Paint from the page (the editor background on <html>) up to the element, then the text on top.
    let bg: [number, number, number] = [255, 255, 255];
    for (const b of backgrounds.reverse()) bg = over(rgba(b), bg);
    const fg = over(rgba(color), bg);
    const lum = (c: [number, number, number]) =>
      c.map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
    const [a, b] = [lum(fg), lum(bg)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  async function posted() {
    return (await w.posted()).filter((m) => m.type !== 'ready');
  }

  describe('people search', () => {
    it('renders each fresh result name once, and its first click selects it', async () => {
      await w.init({ ...S.adminsReady, admins: { ...S.adminsReady.admins!, selected: [] } });
      await w.page.locator('[data-search] vscode-textfield input').fill('lee');
      await w.page.waitForFunction(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'searchUsers'));
      await w.send({ type: 'searchResults', query: 'lee', results: [S.lee, S.adele], error: null });
      assert.equal(await renderedCount(w.page.locator('[data-search] .results'), 'Lee Gu'), 1, 'the name is rendered once');
      await w.page.locator(`vscode-checkbox[data-person="${S.LEE}"]`).click();
      assert.deepEqual((await posted()).at(-1), { type: 'setSelectedUsers', ids: [S.LEE] });
      // The host confirms; the box stays checked and the chip appears. The host may also refuse: the box follows it.
      await w.send({ type: 'state', state: { ...S.adminsReady, admins: { ...S.adminsReady.admins!, selected: [S.lee] } } });
      assert.equal(await w.page.locator(`vscode-checkbox[data-person="${S.LEE}"]`).evaluate((el: unknown) => (el as { checked: boolean }).checked), true);
      assert.equal(await w.page.locator(`[data-selected="${S.LEE}"]`).count(), 1);
      await w.page.locator(`vscode-checkbox[data-person="${S.ADELE}"]`).click();
      assert.deepEqual((await posted()).at(-1), { type: 'setSelectedUsers', ids: [S.LEE, S.ADELE] });
      await w.send({ type: 'state', state: { ...S.adminsReady, admins: { ...S.adminsReady.admins!, selected: [S.lee] } } });
      assert.equal(await w.page.locator(`vscode-checkbox[data-person="${S.ADELE}"]`).evaluate((el: unknown) => (el as { checked: boolean }).checked), false);
    });
  });

  describe('impact table at 600 px', () => {
    it('keeps the Effect visible with management-group scopes: no horizontal scroll, short scopes, full scope in the title', async () => {
      await w.page.setViewportSize({ width: 600, height: 900 });
      await w.init(S.changeSaved);
      const table = w.page.locator('atl-impact-table');
      for (const group of ['all', 'inherited']) {
        await table.locator(`[data-group="${group}"]`).click();
        const box = await table.locator('.scroll').evaluate((el: unknown) => {
          const e = el as { scrollWidth: number; clientWidth: number; getBoundingClientRect(): { left: number; right: number } };
          const r = e.getBoundingClientRect();
          return { overflow: e.scrollWidth - e.clientWidth, left: r.left, right: r.right };
        });
        assert.ok(box.overflow <= 0, `${group}: the table scrolls ${box.overflow}px sideways`);
        const effects = await table.locator('tbody td[data-effect]').evaluateAll((els) =>
          els.map((el) => (el as unknown as { getBoundingClientRect(): { left: number; right: number; width: number } }).getBoundingClientRect()),
        );
        assert.ok(effects.length > 0, `${group}: effect cells`);
        for (const r of effects) assert.ok(r.width > 0 && r.left >= box.left && r.right <= Math.min(box.right, 600) + 0.5, `${group}: an Effect cell at ${r.left}–${r.right}`);
      }
      const headers = (await table.locator('thead th').allTextContents()).map((h) => h.trim());
      assert.equal(headers.indexOf('Effect'), headers.indexOf('Principal') + 1, `effect next to the principal: ${headers.join(' | ')}`);
      const mg = table.locator('tbody tr', { hasText: 'Riley Quinn' }).locator('td[data-scope]');
      assert.equal((await mg.textContent())?.trim(), 'management group mg-production');
      assert.equal(await mg.getAttribute('title'), '/providers/Microsoft.Management/managementGroups/mg-production');
      await table.screenshot({ path: 'test-results/webview/impact-600px-inherited.png' });
    });
  });

  describe('colour contrast', () => {
    for (const theme of ['light', 'dark', 'high-contrast'] as const) {
      it(`status words reach WCAG AA 4.5:1 against their background in ${theme}`, async () => {
        await w.setTheme(theme);
        await w.init(S.changeSaved);
        // Open already: a resource no repair brings back (aks-prod) is said before the action.
        assert.equal(await w.page.locator('[data-dependents]').getAttribute('open'), '');
        const ratios: [string, number][] = [];
        ratios.push(['must be recreated', await contrast(w.page.locator('[data-dependents] li span', { hasText: 'must be recreated' }))]);
        ratios.push(['deleted (impact)', await contrast(w.page.locator('atl-impact-table td[data-effect]', { hasText: 'deleted' }).first())]);
        ratios.push(['stops applying (impact)', await contrast(w.page.locator('atl-impact-table td[data-effect]', { hasText: 'stops applying' }).first())]);
        await w.init(S.adminsResults);
        ratios.push(['already there', await contrast(w.page.getByText('already there', { exact: true }))]);
        ratios.push(['failed', await contrast(w.page.getByText('failed (PrincipalNotFound: not replicated yet)', { exact: true }))]);
        await w.init(S.adminsReady);
        ratios.push(['match', await contrast(w.page.getByText('match', { exact: true }))]);
        ratios.push(['pick one', await contrast(w.page.getByText('pick one', { exact: true }))]);
        console.log(`      (${theme}: ${ratios.map(([what, r]) => `${what} ${r.toFixed(1)}`).join(', ')})`);
        const low = ratios.filter(([, r]) => r < 4.5).map(([what, r]) => `${what} ${r.toFixed(2)}:1`);
        assert.deepEqual(low, [], `${theme}: below 4.5:1`);
      });
    }
  });

  describe('texts', () => {
    // One of everything: one warning, one deleted assignment, one custom role with one assignment, one check so far.
    const change = S.changeSaved.change!;
    const impact = change.impact!;
    const one = {
      ...S.changeSaved,
      change: {
        ...change,
        snapshot: { status: 'saved' as const, path: '/tmp/s.json', count: 1, also: [] },
        impact: {
          ...impact,
          rows: [impact.rows[0]!, ...impact.rows.filter((r) => !r.removed)],
          customRoles: [{ ...impact.customRoles[0]!, assignmentCount: 1 }],
          classicAdmins: [{ email: 'riley@fabrikamlabs.onmicrosoft.com', role: 'ServiceAdministrator;AccountAdministrator' }],
        },
        status: 'waiting' as const,
        tracking: { attempts: 1, nextCheckAt: null, status: 'waiting' as const },
      },
    };
    /** The map the host sends for Swedish: every UI key's English looked up in the shipped bundle, as buildL10n does. */
    function swedish(): Record<string, string> {
      const bundle = JSON.parse(readFileSync(join(__dirname, '..', '..', 'l10n', 'bundle.l10n.sv.json'), 'utf8')) as Record<string, string>;
      return Object.fromEntries(Object.entries(EN).flatMap(([key, english]) => (bundle[english] !== undefined ? [[key, bundle[english]]] : [])));
    }
    const text = async (sel: string) => ((await w.page.locator(sel).first().textContent({ timeout: 2000 })) ?? '').trim().replace(/\s+/g, ' ');
    async function texts() {
      return {
        checks: await text('atl-change #checks-h + [role="status"]'),
        impact: await text('[data-impact-summary]'),
        customRole: await text('atl-change details li[title]'),
        classic: await text('atl-change details li:has-text("riley@")'),
        snapshot: await text('[data-snapshot] [role="status"]'),
        tracking: await text('[data-tracking-line]'),
      };
    }

    it('singular counts read as singular, in English and Swedish; classic roles by their names', async () => {
      await w.init(one);
      assert.deepEqual(await texts(), {
        checks: '6 passed · 1 warning · 1 unknown',
        impact: '1 role assignment · 1 custom role',
        customRole: 'Fabrikam VM Operator · 1 assignment',
        classic: 'riley@fabrikamlabs.onmicrosoft.com (Service Administrator, Account Administrator)',
        snapshot: 'Saved 1 role assignment to /tmp/s.json',
        tracking: 'Waiting for Contoso Ltd to show the subscription — checked 1 time.',
      });
      await w.init(one, swedish());
      const sv = await texts();
      assert.match(sv.checks, /· 1 varning ·/);
      assert.equal(sv.impact, '1 rolltilldelning · 1 anpassad roll');
      assert.equal(sv.customRole, 'Fabrikam VM Operator · 1 tilldelning');
      assert.match(sv.classic, /\(Tjänstadministratör, Kontoadministratör\)$/);
      assert.match(sv.tracking, /kontrollerat 1 gång\.$/);
      await w.init({ ...S.done, done: { ...S.done.done!, deleted: 1 } });
      assert.equal((await w.page.locator('[data-done-summary]').textContent())?.trim(), '1 role assignment deleted · 43 created · 1 failed');
    });

    it('plural counts stay plural', async () => {
      await w.init({ ...S.changeWaiting, change: { ...S.changeWaiting.change!, checks: [...S.checks, { ...S.checks.find((c) => c.status === 'warn')!, id: 'target-is-office365' }] } });
      assert.match(await text('atl-change #checks-h + [role="status"]'), /· 2 warnings ·/);
      assert.equal(await text('[data-impact-summary]'), '54 role assignments · 2 custom roles');
      assert.equal(await text('atl-change details li[title]'), 'Fabrikam VM Operator · 4 assignments');
      assert.equal(await text('[data-tracking-line]'), 'Waiting for Contoso Ltd to show the subscription — checked 3 times.');
    });

    it('badge numbers stand apart from their words', async () => {
      await w.init(S.changeSaved);
      const gaps = await w.page.locator('atl-impact-table [data-group]').evaluateAll((buttons) =>
        buttons.map((b) => {
          interface R { left: number; right: number }
          interface N { nodeType: number; textContent: string | null; childNodes: ArrayLike<N>; querySelector(s: string): { getBoundingClientRect(): R } | null }
          const el = b as unknown as N;
          const word = Array.from(el.childNodes).find((n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '')!;
          const range = (globalThis as unknown as { document: { createRange(): { selectNodeContents(n: N): void; getBoundingClientRect(): R } } }).document.createRange();
          range.selectNodeContents(word);
          return el.querySelector('vscode-badge')!.getBoundingClientRect().left - range.getBoundingClientRect().right;
        }),
      );
      assert.equal(gaps.length, 5);
      for (const gap of gaps) assert.ok(gap >= 3, `a badge ${gap.toFixed(1)}px from its word`);
    });
  });

  describe('unmatched restore rows', () => {
    const ROW = '00000000-0000-4000-8000-000000001010';
    const TEAM42 = { id: S.TEAM42_NEW, displayName: 'Team 42', detail: null, type: 'Group' as const };
    const reason = 'A group in another directory is another object: it is never matched by name.';
    const withGroupRow = (searchAllowed: boolean) => ({
      ...S.adminsReady,
      admins: {
        ...S.adminsReady.admins!,
        searchAllowed,
        restore: [
          ...S.adminsReady.admins!.restore!,
          {
            id: ROW, oldPrincipalId: '00000000-0000-4000-8000-000000005010', oldPrincipalName: 'Team 42', oldPrincipalType: 'Group' as const, role: 'Contributor',
            roleDefinitionId: S.CONTRIBUTOR_ROLE, scope: `/subscriptions/${S.SUB_ID}/resourceGroups/rg-app-2`, candidates: [], chosen: null, match: 'unmatched' as const, reason,
          },
        ],
      },
    });

    it('say why, and offer a per-row search whose explicit pick is the only thing posted', async () => {
      await w.page.setViewportSize({ width: 600, height: 900 });
      await w.init(withGroupRow(true));
      const row = w.page.locator(`tr[data-restore="${ROW}"]`);
      assert.equal((await row.locator('[data-reason]').textContent())?.trim(), reason);
      assert.equal(await w.page.locator('tr[data-match="matched"] [data-picker]').count(), 0, 'no picker on a matched row');
      await row.locator('[data-picker] summary').click();
      const field = row.locator('[data-picker] vscode-textfield');
      assert.equal(await field.getAttribute('placeholder'), 'Name, user principal name or object id');
      await field.locator('input').fill('  team 42 ');
      await field.locator('input').press('Enter');
      assert.deepEqual(await posted(), [{ type: 'searchRestorePrincipal', rowId: ROW, query: 'team 42' }]);
      assert.match((await row.locator('[data-picker] [role="status"]').textContent()) ?? '', /Searching/);
      // An answer for another row or another query is not this row's.
      await w.send({ type: 'restoreSearchResults', rowId: S.adminsReady.admins!.restore![1]!.id, query: 'team 42', results: [TEAM42], error: null });
      await w.send({ type: 'restoreSearchResults', rowId: ROW, query: 'team', results: [TEAM42], error: null });
      assert.equal(await row.locator('[data-pick]').count(), 0);
      await w.send({ type: 'restoreSearchResults', rowId: ROW, query: 'team 42', results: [TEAM42], error: null });
      assert.match((await row.locator('[data-pick-results]').textContent()) ?? '', /Team 42\s+· Group/);
      assert.deepEqual(await posted(), [{ type: 'searchRestorePrincipal', rowId: ROW, query: 'team 42' }], 'results alone choose no one');
      const overflow = await w.page.locator('atl-admins .scroll').evaluate((el: unknown) => (el as { scrollWidth: number; clientWidth: number }).scrollWidth - (el as { clientWidth: number }).clientWidth);
      assert.ok(overflow <= 0, `at 600 px the restore table scrolls ${overflow}px sideways`);
      await row.locator(`[data-pick="${S.TEAM42_NEW}"]`).click();
      assert.deepEqual((await posted()).at(-1), { type: 'chooseRestorePrincipal', rowId: ROW, principalId: S.TEAM42_NEW });
    });

    it('ask for an exact UPN or object id where the directory may not be searched, and show the host’s error', async () => {
      await w.init(withGroupRow(false));
      const row = w.page.locator(`tr[data-restore="${ROW}"]`);
      await row.locator('[data-picker] summary').click();
      assert.equal(await row.locator('[data-picker] vscode-textfield').getAttribute('placeholder'), 'User principal name or object id');
      await row.locator('[data-picker] vscode-textfield input').fill(S.TEAM42_NEW);
      await row.locator('[data-action="pick-find"]').click();
      await w.send({ type: 'restoreSearchResults', rowId: ROW, query: S.TEAM42_NEW, results: [], error: 'No group, user or service principal with that id in Contoso Ltd.' });
      assert.match((await row.locator('[data-picker] [role="status"]').textContent()) ?? '', /No group, user or service principal/);
      assert.deepEqual(await posted(), [{ type: 'searchRestorePrincipal', rowId: ROW, query: S.TEAM42_NEW }]);
    });
  });
});
