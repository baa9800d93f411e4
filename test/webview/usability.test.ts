// Webview tier, issue 12 (the wizard as a new user meets it): the impact table at 600 px, the first click on a fresh
// search result, plural and role wording, colour contrast in the test themes, unmatched restore rows.
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { useWebviewPages, type WebviewPage } from './fixtures/page';
import * as S from './fixtures/states';

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
});
