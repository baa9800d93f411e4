import assert from 'node:assert/strict';
import { AzureError } from '../../../src/azure/errors';
import { BUILT_IN_ROLES, roleDefinitionGuid } from '../../../src/azure/models';
import { MEGAN, RILEY, scenario, sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';

describe('ARM client over the sandbox', () => {
  const sandbox = useSandbox({ pageSize: 2 });
  const fabrikam = tenantByName('Fabrikam Labs');
  const contoso = tenantByName('Contoso Ltd');
  const production = subscriptionByName('Fabrikam Production');

  it('lists the directories the account belongs to, across pages', async () => {
    const tenants = await sessionFor(sandbox()).arm.listTenants();
    const expected = scenario().tenants.filter((t) => t.users.some((u) => u.account === RILEY)).map((t) => t.tenantId).sort();
    assert.deepEqual(tenants.map((t) => t.tenantId).sort(), expected);
    assert.ok(sandbox().requestCount(/^\/arm\/tenants/) >= 2, 'page size 2 forces paging');
    const c = tenants.find((t) => t.tenantId === contoso);
    assert.equal(c?.defaultDomain, 'contoso.com');
  });

  it('lists the subscriptions of one directory with that directory\'s token', async () => {
    const subs = await sessionFor(sandbox()).arm.listSubscriptions(fabrikam);
    const expected = scenario().subscriptions.filter((s) => s.tenantId === fabrikam).map((s) => s.subscriptionId).sort();
    assert.deepEqual(subs.map((s) => s.subscriptionId).sort(), expected);
    assert.equal(subs.find((s) => s.subscriptionId === production)?.subscriptionPolicies?.quotaId, 'PayAsYouGo_2014-09-01');
  });

  it('lists many directories in parallel, reporting each result and each failure separately', async () => {
    const session = sessionFor(sandbox());
    const ids = scenario().tenants.map((t) => t.tenantId);
    const seen: string[] = [];
    const results = await session.arm.listSubscriptionsInTenants(ids, (id) => seen.push(id));
    assert.equal(seen.length, ids.length);
    const northwind = results.get(tenantByName('Northwind Traders'));
    assert.ok(northwind instanceof AzureError && northwind.kind === 'notSignedIn', 'Northwind needs its own (MFA) sign-in');
    assert.ok(Array.isArray(results.get(fabrikam)));
  });

  it('turns a token for the wrong directory into a typed wrongTenant error', async () => {
    await assert.rejects(sessionFor(sandbox()).arm.getSubscription(contoso, production), (e: unknown) => e instanceof AzureError && e.kind === 'wrongTenant' && e.code === 'InvalidAuthenticationTokenTenant');
  });

  it('reads role assignments with each filter', async () => {
    const arm = sessionFor(sandbox()).arm;
    const counts = scenario().expectedCounts[production];
    assert.ok(counts);
    const all = await arm.listRoleAssignments(fabrikam, production);
    assert.equal(all.length, counts.subscription + counts.resourceGroup + counts.resource + counts.inherited);
    const atScope = await arm.listRoleAssignments(fabrikam, production, { kind: 'atScope' });
    assert.equal(atScope.length, counts.subscription + counts.inherited);
    const me = (await sessionFor(sandbox()).graph(fabrikam).me()).id;
    const mine = await arm.listRoleAssignments(fabrikam, production, { kind: 'assignedTo', principalId: me, atScope: true });
    assert.ok(mine.some((a) => roleDefinitionGuid(a.properties.roleDefinitionId) === BUILT_IN_ROLES.owner));
  });

  it('creates a role assignment, and a second identical one is a typed conflict', async () => {
    const session = sessionFor(sandbox());
    const jamie = scenario().tenants.find((t) => t.tenantId === fabrikam)?.users.find((u) => u.displayName === 'Jamie Park');
    assert.ok(jamie);
    const created = await session.arm.createRoleAssignment(fabrikam, production, `/subscriptions/${production}`, { roleDefinitionGuid: BUILT_IN_ROLES.reader, principalId: jamie.id, principalType: 'User' });
    assert.equal(roleDefinitionGuid(created.properties.roleDefinitionId), BUILT_IN_ROLES.reader);
    await assert.rejects(
      session.arm.createRoleAssignment(fabrikam, production, `/subscriptions/${production}`, { roleDefinitionGuid: BUILT_IN_ROLES.reader, principalId: jamie.id, principalType: 'User' }),
      (e: unknown) => e instanceof AzureError && e.kind === 'conflict' && e.code === 'RoleAssignmentExists',
    );
    await session.arm.deleteRoleAssignment(fabrikam, created.id);
    await session.arm.deleteRoleAssignment(fabrikam, created.id); // already gone: still fine
  });

  it('names the missing role when a write is forbidden', async () => {
    // Riley is a member of Contoso but not a Global Administrator there: the directory's policy is read-only to him.
    const riley = sessionFor(sandbox());
    const token = (await riley.auth.getToken({ account: riley.account, tenantId: contoso, resource: 'arm' })).token;
    const url = `${sandbox().baseUrl}/arm/providers/Microsoft.Subscription/policies/default?api-version=2021-10-01`;
    await assert.rejects(riley.http.send({ service: 'arm', method: 'PUT', url, token, body: { blockSubscriptionsIntoTenant: false } }), (e: unknown) => {
      assert.ok(e instanceof AzureError && e.kind === 'forbidden' && e.status === 403, String(e));
      assert.match(e.missing ?? '', /Global Administrator/);
      return true;
    });
  });

  it('refuses a scope with a dot segment however spelled (new URL folds %2e%2e into ..), sending nothing', async () => {
    const session = sessionFor(sandbox());
    sandbox().clearRequestLog();
    for (const id of [`/subscriptions/${production}/%2e%2e/%2E%2E/subscriptions/other/resourceGroups/r`, `/subscriptions/${production}/./resourceGroups/r`, `/subscriptions/${production}/../x`]) {
      await assert.rejects(async () => session.arm.getResource(fabrikam, id, '2022-09-01'), (e: unknown) => e instanceof AzureError && e.kind === 'badRequest' && /Not a valid Azure scope/.test(e.message));
    }
    assert.equal(sandbox().requestLog.length, 0);
  });

  it('never follows a nextLink to another host (the token would leak): the listing ends there', async () => {
    const session = sessionFor(sandbox());
    const http = session.http;
    const original = http.send.bind(http);
    const sent: string[] = [];
    http.send = async (req) => {
      sent.push(req.url);
      const res = await original(req);
      if (req.url.includes('/arm/tenants')) return { status: res.status, headers: res.headers, bodyText: JSON.stringify({ value: [{ tenantId: contoso }], nextLink: 'https://evil.example/arm/tenants?page=2' }) };
      return res;
    };
    assert.deepEqual((await session.arm.listTenants()).map((t) => t.tenantId), [contoso]);
    assert.ok(!sent.some((u) => u.includes('evil.example')), 'no request to the other host');
  });
});

describe('Graph client over the sandbox', () => {
  const sandbox = useSandbox({ pageSize: 5 });
  const contoso = tenantByName('Contoso Ltd');
  const fabrikam = tenantByName('Fabrikam Labs');

  it('reads the organization and the subscribed SKUs', async () => {
    const graph = sessionFor(sandbox()).graph(contoso);
    const org = await graph.organization();
    assert.equal(org?.id, contoso);
    const skus = await graph.subscribedSkus();
    assert.ok(skus.some((s) => s.servicePlans?.some((p) => p.servicePlanName?.startsWith('EXCHANGE_S_'))));
  });

  it('searches users with ConsistencyLevel: eventual and pages the rest', async () => {
    const graph = sessionFor(sandbox()).graph(contoso);
    const result = await graph.searchUsers('megan');
    assert.ok(result.users.some((u) => u.userPrincipalName === MEGAN));
    const everyone = await graph.findUsersByAddress(MEGAN);
    assert.equal(everyone.length, 1);
  });

  it('names principals in one batch and leaves out the ones that no longer exist', async () => {
    const graph = sessionFor(sandbox()).graph(fabrikam);
    const users = scenario().tenants.find((t) => t.tenantId === fabrikam)?.users.slice(0, 3).map((u) => u.id) ?? [];
    const ghost = '0deaded0-0000-4000-8000-000000000000';
    const found = await graph.getByIds([...users, ghost]);
    assert.deepEqual(found.map((o) => o.id).sort(), [...users].sort());
    assert.ok(found.every((o) => o['@odata.type'] === '#microsoft.graph.user'));
  });

  it('asks getByIds for what naming needs: userType is not among v1.0\'s default user properties', async () => {
    const guest = scenario().tenants.find((t) => t.tenantId === contoso)?.users.find((u) => u.userType === 'Guest');
    assert.ok(guest, 'the default scenario has a guest in Contoso');
    const found = (await sessionFor(sandbox()).graph(contoso).getByIds([guest.id])).at(0);
    assert.ok(found, 'the guest is found');
    assert.equal((found as { userType?: string }).userType, 'Guest');
    assert.equal(found.userPrincipalName, guest.userPrincipalName);
    assert.ok(!('jobTitle' in found), 'only the selected properties come back');
  });

  it('says which permission is missing when Graph refuses', async () => {
    const northwindUser = sessionFor(sandbox());
    // Tailspin grants only User.Read + User.ReadBasic.All: subscribedSkus needs Organization.Read.All.
    const graph = northwindUser.graph(tenantByName('Tailspin Toys'));
    await assert.rejects(graph.subscribedSkus(), (e: unknown) => e instanceof AzureError && e.kind === 'forbidden' && e.missing === 'Organization.Read.All');
  });

  it('finds a guest by its #EXT# UPN and misses a user that is not there', async () => {
    const graph = sessionFor(sandbox()).graph(contoso);
    assert.equal(await graph.getUser('nobody@contoso.com'), undefined);
    const anyone = scenario().tenants.find((t) => t.tenantId === contoso)?.users.find((u) => u.userType === 'Guest');
    if (anyone) assert.equal((await graph.getUser(anyone.userPrincipalName))?.id, anyone.id);
    else assert.ok((await graph.getUser(MEGAN))?.id);
  });

  it('tells whether the caller is a Global Administrator', async () => {
    assert.equal(await sessionFor(sandbox(), MEGAN).graph(contoso).isGlobalAdministrator(), true);
    assert.equal(await sessionFor(sandbox()).graph(contoso).isGlobalAdministrator(), false);
  });
});
