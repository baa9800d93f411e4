import * as assert from 'node:assert/strict';
import { CONTOSO, MEGAN, NORTHWIND, objectId, RILEY, scenario, TAILSPIN, useSandbox } from './helpers';

const EVENTUAL = { ConsistencyLevel: 'eventual' };
const search = (q: string): string => `/users?$search=${encodeURIComponent(q)}&$select=id,displayName,userPrincipalName,mail,userType,accountEnabled&$count=true`;

describe('sandbox Graph', () => {
  const { c, sb } = useSandbox({ pageSize: 5 });
  const contoso = scenario.tenants.find((t) => t.tenantId === CONTOSO);

  it('returns the full organization with Organization.Read.All, only id/displayName/verifiedDomains without', async () => {
    const full = await c().graph('GET', '/organization', { token: await c().token(CONTOSO, 'graph') });
    assert.equal(full.status, 200);
    const org = full.body.value[0];
    assert.equal(org.id, CONTOSO);
    assert.equal(org.displayName, 'Contoso Ltd');
    assert.ok((org.assignedPlans as { service: string }[]).some((p) => p.service === 'exchange'));
    assert.ok((full.body['@odata.context'] as string).endsWith('$metadata#organization'));
    const limited = await c().graph('GET', '/organization', { token: await c().token(TAILSPIN, 'graph') });
    const l = limited.body.value[0];
    assert.equal(l.displayName, 'Tailspin Toys');
    assert.ok((l.verifiedDomains as unknown[]).length > 0);
    assert.equal(l.assignedPlans, null);
    assert.equal(l.countryLetterCode, null);
  });

  it('lists subscribedSkus with M365 service plans, 403 without Organization.Read.All', async () => {
    const skus = await c().graph('GET', '/subscribedSkus', { token: await c().token(CONTOSO, 'graph') });
    const plans = (skus.body.value as { servicePlans: { servicePlanName: string }[] }[]).flatMap((s) => s.servicePlans.map((p) => p.servicePlanName));
    assert.ok(plans.includes('EXCHANGE_S_ENTERPRISE') && plans.includes('SHAREPOINTENTERPRISE') && plans.includes('TEAMS1'));
    const denied = await c().graph('GET', '/subscribedSkus', { token: await c().token(TAILSPIN, 'graph') });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'Authorization_RequestDenied');
    assert.ok(denied.body.error.innerError.date);
  });

  it('answers /me with $select and the directory roles (Global Administrator template)', async () => {
    const token = await c().token(CONTOSO, 'graph', MEGAN);
    const me = await c().graph('GET', '/me?$select=id,displayName,userType', { token });
    assert.equal(me.body.id, objectId('Contoso Ltd', MEGAN));
    assert.equal(me.body.userType, 'Member');
    assert.equal('mail' in me.body, false);
    for (const rel of ['memberOf', 'transitiveMemberOf']) {
      const roles = await c().graph('GET', `/me/${rel}/microsoft.graph.directoryRole?$select=id,displayName,roleTemplateId`, { token });
      assert.deepEqual((roles.body.value as { roleTemplateId: string }[]).map((r) => r.roleTemplateId), ['62e90394-69f5-4237-9190-012177145e10']);
    }
    const riley = await c().graph('GET', '/me/transitiveMemberOf/microsoft.graph.directoryRole', { token: await c().token(CONTOSO, 'graph') });
    assert.deepEqual(riley.body.value, []);
  });

  it('requires ConsistencyLevel: eventual for $search', async () => {
    const token = await c().token(CONTOSO, 'graph');
    const r = await c().graph('GET', search('"displayName:meg"'), { token });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'Request_UnsupportedQuery');
  });

  it('searches users with tokenised prefix matching, $count and paging', async () => {
    const token = await c().token(CONTOSO, 'graph');
    const r = await c().graph('GET', search('"displayName:ale" OR "mail:ale" OR "userPrincipalName:ale"'), { token, headers: EVENTUAL });
    assert.equal(r.status, 200);
    const expected = contoso?.users.filter((u) => [u.displayName, u.mail ?? '', u.userPrincipalName].some((v) => v.toLowerCase().split(/[\s._@\-#]+/).some((w) => w.startsWith('ale')))) ?? [];
    assert.equal(r.body['@odata.count'], expected.length);
    assert.ok(expected.length >= 3, 'Alex Wilber, two Alex Johnsons, Adele…');
    const all = await c().all(search('"displayName:ale" OR "mail:ale" OR "userPrincipalName:ale"'), token, true, EVENTUAL);
    assert.equal(all.items.length, expected.length);
    assert.equal(all.pages, Math.ceil(expected.length / 5));
    const bowen = await c().graph('GET', search('"displayName:bow"'), { token, headers: EVENTUAL });
    assert.deepEqual((bowen.body.value as { displayName: string }[]).map((u) => u.displayName), ['Megan Bowen']);
    const top = await c().graph('GET', '/users?$top=3', { token });
    assert.equal(top.body.value.length, 3);
    assert.ok((top.body['@odata.nextLink'] as string).startsWith(`${sb().baseUrl}/graph/v1.0/users?`));
    // User.ReadBasic.All does not include accountEnabled.
    assert.equal(top.body.value[0].accountEnabled, undefined);
    assert.equal(bowen.body.value[0].accountEnabled, null);
  });

  it('refuses user search without a user-read permission', async () => {
    const token = await c().token(NORTHWIND, 'graph', RILEY, true);
    const r = await c().graph('GET', search('"displayName:a"'), { token, headers: EVENTUAL });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'Authorization_RequestDenied');
  });

  it('gets users by id and by url-encoded #EXT# UPN, and filters by userPrincipalName/mail', async () => {
    const token = await c().token(CONTOSO, 'graph');
    const guest = contoso?.users.find((u) => u.userPrincipalName.includes('#EXT#'));
    assert.ok(guest !== undefined);
    const byUpn = await c().graph('GET', `/users/${encodeURIComponent(guest.userPrincipalName)}`, { token });
    assert.equal(byUpn.body.id, guest.id);
    const byId = await c().graph('GET', `/users/${objectId('Contoso Ltd', MEGAN)}`, { token });
    assert.equal(byId.body.userPrincipalName, MEGAN);
    const filtered = await c().graph('GET', `/users?$filter=${encodeURIComponent(`userPrincipalName eq '${MEGAN}'`)}`, { token });
    assert.equal(filtered.body.value.length, 1);
    const byMail = await c().graph('GET', `/users?$filter=${encodeURIComponent("mail eq 'adele@contoso.com'")}`, { token });
    assert.equal(byMail.body.value[0].displayName, 'Adele Vance');
    const missing = await c().graph('GET', '/users/nobody@contoso.com', { token });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'Request_ResourceNotFound');
  });

  it('resolves directoryObjects/getByIds with @odata.type, omitting unknown ids and filtering types', async () => {
    const token = await c().token(CONTOSO, 'graph');
    const ids = [objectId('Contoso Ltd', MEGAN), objectId('Contoso Ltd', 'IT Admins'), objectId('Contoso Ltd', 'Contoso HR Portal'), 'dead0000-0000-4000-8000-000000000001'];
    const r = await c().graph('POST', '/directoryObjects/getByIds', { token, body: { ids } });
    assert.deepEqual((r.body.value as Record<string, string>[]).map((o) => o['@odata.type']), ['#microsoft.graph.user', '#microsoft.graph.group', '#microsoft.graph.servicePrincipal']);
    const users = await c().graph('POST', '/directoryObjects/getByIds', { token, body: { ids, types: ['user'] } });
    assert.equal(users.body.value.length, 1);
  });

  it('searches groups', async () => {
    const token = await c().token(CONTOSO, 'graph');
    const r = await c().graph('GET', `/groups?$search=${encodeURIComponent('"displayName:team"')}`, { token, headers: EVENTUAL });
    assert.deepEqual((r.body.value as { displayName: string }[]).map((g) => g.displayName), ['Team 42']);
  });
});
