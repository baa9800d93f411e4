import * as assert from 'node:assert/strict';
import { CONTOSO, FABRIKAM, NORTHWIND, PROD, scenario, useSandbox } from './helpers';

describe('sandbox portal page (the portal hand-off, rehearsed)', () => {
  const { sb } = useSandbox();
  const get = (path: string): Promise<Response> => fetch(`${sb().baseUrl}${path}`, { redirect: 'manual' });
  const change = (sub: string, tenantId: string): Promise<Response> =>
    fetch(`${sb().baseUrl}/portal/subscriptions/${sub}/change`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ tenantId }).toString() });

  it('redirects /portal to /portal/ so the relative links and the #@tenant/resource/… fragment work', async () => {
    for (const path of ['/portal', '/']) {
      const res = await get(path);
      assert.equal(res.status, 301, path);
      assert.equal(res.headers.get('location'), 'portal/', path);
    }
    const index = await get('/portal/');
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(index.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await index.text();
    for (const s of scenario.subscriptions) assert.ok(html.includes(`href="subscriptions/${s.subscriptionId}/"`), s.displayName);
    assert.match(html, /location\.replace\('subscriptions\/'/);
  });

  it("offers the directories of the signed-in account, except the subscription's own", async () => {
    const bare = await get(`/portal/subscriptions/${PROD}`);
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), `${PROD}/`);
    const html = await (await get(`/portal/subscriptions/${PROD}/`)).text();
    assert.match(html, /Fabrikam Production/);
    assert.ok(html.includes(`value="${CONTOSO}"`));
    assert.ok(html.includes(`value="${NORTHWIND}"`));
    assert.ok(!html.includes(`value="${FABRIKAM}"`), 'not the current directory');
    assert.match(html, /action="change"/, 'a relative form action (also right on the result page)');
  });

  it('Change moves the subscription with the effects of the real move, and says what it deleted', async () => {
    const res = await change(PROD, CONTOSO);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Directory changed: Fabrikam Production is now in Contoso Ltd/);
    assert.equal(sb().state.subscription(PROD)?.tenantId, CONTOSO);
    assert.equal(sb().state.moves.length, 1);
    const deleted = sb().state.moves[0]?.deletedRoleAssignments.length ?? 0;
    assert.ok(deleted > 0);
    assert.ok(html.includes(`${deleted} role assignments`));
  });

  it('shows a refusal as an error on the page, not a crash', async () => {
    assert.equal((await change(PROD, CONTOSO)).status, 200);
    const again = await change(PROD, CONTOSO);
    assert.equal(again.status, 400);
    assert.match(await again.text(), /could not be changed\. InvalidDestinationTenant: The subscription is already in directory &#39;Contoso Ltd&#39;/);
    assert.equal((await get('/portal/subscriptions/00000000-0000-0000-0000-000000000000')).status, 404);
    assert.equal((await get(`/portal/subscriptions/${PROD}/change`)).status, 405);
  });
});
