import * as assert from 'node:assert/strict';
import { AUTH, CONTOSO, CT_VERSION, FABRIKAM, MEGAN, NORTHWIND, objectId, PROD, RA_VERSION, RILEY, scenario, SUB_VERSION, subscriptionId, TAILSPIN, useSandbox } from './helpers';

const POLICY = '/providers/Microsoft.Subscription/policies/default?api-version=2021-10-01';
const request = (sub: string): string => `/subscriptions/${sub}/providers/Microsoft.Subscription/changeTenantRequest/default?${CT_VERSION}`;
const accept = (sub: string): string => `/providers/Microsoft.Subscription/subscriptions/${sub}/acceptChangeTenant?${CT_VERSION}`;

describe('sandbox ARM: tenant policies and the change-directory flow', () => {
  let clock = new Date('2026-11-26T10:00:00Z');
  const { c, sb } = useSandbox({ now: () => clock });
  beforeEach(() => { clock = new Date('2026-11-26T10:00:00Z'); });

  it('reads the policy of the token directory; only admins see exemptedPrincipals; unset means blocked', async () => {
    const admin = await c().arm('GET', POLICY, { token: await c().token(FABRIKAM, 'arm') });
    assert.equal(admin.status, 200);
    assert.equal(admin.body.properties.blockSubscriptionsLeavingTenant, false);
    assert.deepEqual(admin.body.properties.exemptedPrincipals, []);
    const member = await c().arm('GET', POLICY, { token: await c().token(CONTOSO, 'arm') });
    assert.equal(member.body.properties.blockSubscriptionsIntoTenant, false);
    assert.equal('exemptedPrincipals' in member.body.properties, false);
    const unset = await c().arm('GET', POLICY, { token: await c().token(TAILSPIN, 'arm') });
    assert.equal(unset.body.properties.blockSubscriptionsLeavingTenant, true);
    assert.equal(unset.body.properties.blockSubscriptionsIntoTenant, true);
  });

  it('lets only a Global Administrator change the policy', async () => {
    const body = { blockSubscriptionsLeavingTenant: false, blockSubscriptionsIntoTenant: false, exemptedPrincipals: [] };
    const denied = await c().arm('PUT', POLICY, { token: await c().token(CONTOSO, 'arm'), body });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'AuthorizationFailed');
    const megan = await c().token(CONTOSO, 'arm', MEGAN);
    const done = await c().arm('PUT', POLICY, { token: megan, body: { ...body, exemptedPrincipals: [objectId('Contoso Ltd', RILEY)] } });
    assert.equal(done.status, 200);
    assert.equal(done.body.properties.blockSubscriptionsLeavingTenant, false);
    assert.deepEqual(done.body.properties.exemptedPrincipals, [objectId('Contoso Ltd', RILEY)]);
  });

  it('refuses offers that cannot move, subscriptions not Enabled, and blocked policies', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const to = (tenant: string): unknown => ({ properties: { destinationTenantId: tenant } });
    const csp = await c().arm('PUT', request(subscriptionId('Fabrikam Partner Plan')), { token, body: to(CONTOSO) });
    assert.equal(csp.status, 400);
    assert.equal(csp.body.error.code, 'SubscriptionOfferNotSupported');
    assert.match(csp.body.error.message as string, /CSP_2015-05-01/);
    const pastDue = await c().arm('PUT', request(subscriptionId('Fabrikam Legacy')), { token, body: to(CONTOSO) });
    assert.equal(pastDue.body.error.code, 'SubscriptionNotEnabled');
    const northwind = await c().arm('PUT', request(PROD), { token, body: to(NORTHWIND) });
    assert.equal(northwind.status, 403);
    assert.equal(northwind.body.error.code, 'TenantPolicyBlocksEntering');
    assert.match(northwind.body.error.message as string, /blockSubscriptionsIntoTenant.*Northwind Traders/);
    await c().arm('PUT', POLICY, { token, body: { blockSubscriptionsLeavingTenant: true } });
    const leaving = await c().arm('PUT', request(PROD), { token, body: to(CONTOSO) });
    assert.equal(leaving.body.error.code, 'TenantPolicyBlocksLeaving');
    const reader = await c().arm('PUT', request(PROD), { token: await c().token(FABRIKAM, 'arm', MEGAN), body: to(CONTOSO) });
    assert.equal(reader.status, 403);
    assert.equal(reader.body.error.code, 'AuthorizationFailed');
  });

  it('runs the two-party flow end to end and applies what the move destroys', async () => {
    const riley = await c().token(FABRIKAM, 'arm');
    const put = await c().arm('PUT', request(PROD), { token: riley, body: { properties: { destinationTenantId: CONTOSO, destinationOwnerId: MEGAN } } });
    assert.equal(put.status, 200);
    assert.equal(put.body.properties.status, 'Initiated');
    assert.equal(put.body.properties.destinationOwnerId, objectId('Contoso Ltd', MEGAN));
    assert.equal(put.body.properties.sourceOwnerId, objectId('Fabrikam Labs', RILEY));
    assert.equal(Date.parse(put.body.properties.expiresOn as string) - Date.parse(put.body.properties.createdDate as string), 24 * 3600 * 1000);
    assert.equal((await c().arm('GET', request(PROD), { token: riley })).body.properties.status, 'Initiated');

    // Riley is a member of Contoso but not an admin; Megan's Fabrikam token is the wrong directory.
    assert.equal((await c().arm('POST', accept(PROD), { token: await c().token(CONTOSO, 'arm') })).status, 403);
    assert.equal((await c().arm('POST', accept(PROD), { token: await c().token(FABRIKAM, 'arm', MEGAN) })).body.error.code, 'InvalidAuthenticationTokenTenant');

    const megan = await c().token(CONTOSO, 'arm', MEGAN);
    const accepted = await c().arm('POST', accept(PROD), { token: megan });
    assert.equal(accepted.status, 204);

    const sub = await c().arm('GET', `/subscriptions/${PROD}?${SUB_VERSION}`, { token: megan });
    assert.equal(sub.body.tenantId, CONTOSO);
    const old = await c().arm('GET', `/subscriptions/${PROD}?${SUB_VERSION}`, { token: riley });
    assert.equal(old.status, 401);
    assert.equal(old.body.error.code, 'InvalidAuthenticationTokenTenant');
    assert.match(old.body.error.message as string, new RegExp(`wrong issuer 'https://sts.windows.net/${FABRIKAM}/'.*tenant 'https://sts.windows.net/${CONTOSO}/'`));

    const left = await c().all(`/subscriptions/${PROD}${AUTH}/roleAssignments?${RA_VERSION}`, megan);
    assert.equal(left.items.length, 1);
    const only = left.items[0] as { properties: { principalId: string; roleDefinitionId: string; scope: string } };
    assert.equal(only.properties.principalId, objectId('Contoso Ltd', MEGAN));
    assert.ok(only.properties.roleDefinitionId.endsWith('8e3af657-a8ff-443c-a75c-2fe8c4bcb635'));
    assert.equal(only.properties.scope, `/subscriptions/${PROD}`);
    const custom = await c().arm('GET', `/subscriptions/${PROD}${AUTH}/roleDefinitions?${RA_VERSION}&$filter=${encodeURIComponent("type eq 'CustomRole'")}`, { token: megan });
    assert.equal(custom.body.value.length, 0);
    const classic = await c().arm('GET', `/subscriptions/${PROD}${AUTH}/classicAdministrators?api-version=2015-07-01`, { token: megan });
    assert.equal(classic.body.value.length, 0);

    const move = sb().state.moves[0];
    const counts = scenario.expectedCounts[PROD];
    assert.ok(move !== undefined && counts !== undefined);
    assert.equal(move.deletedRoleAssignments.length, counts.subscription + counts.resourceGroup + counts.resource);
    assert.equal(move.deletedCustomRoles.length, counts.customRoles);
    // The Dev/Test subscription lost its assignments of the deleted custom role too, and stays in Fabrikam.
    assert.equal(sb().state.subscription(subscriptionId('Fabrikam Dev/Test'))?.tenantId, FABRIKAM);

    const status = await c().arm('POST', `/providers/Microsoft.Subscription/subscriptions/${PROD}/changeTenantStatus?${CT_VERSION}`, { token: megan });
    assert.equal(status.body.status, 'Completed');
    const megansSubs = await c().all(`/subscriptions?${SUB_VERSION}`, megan);
    assert.deepEqual(megansSubs.items.map((s) => (s as { subscriptionId: string }).subscriptionId), [PROD]);
  });

  it('expires requests after 24 hours', async () => {
    const riley = await c().token(FABRIKAM, 'arm');
    assert.equal((await c().arm('PUT', request(PROD), { token: riley, body: { properties: { destinationTenantId: CONTOSO } } })).status, 200);
    clock = new Date(clock.getTime() + 24 * 3600 * 1000 + 1000);
    const megan = await c().token(CONTOSO, 'arm', MEGAN);
    const r = await c().arm('POST', accept(PROD), { token: megan });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'ChangeTenantRequestExpired');
    assert.equal(sb().state.subscription(PROD)?.tenantId, FABRIKAM);
  });

  it('cancels a request with DELETE', async () => {
    const riley = await c().token(FABRIKAM, 'arm');
    await c().arm('PUT', request(PROD), { token: riley, body: { properties: { destinationTenantId: CONTOSO } } });
    assert.equal((await c().arm('DELETE', request(PROD), { token: riley })).status, 200);
    assert.equal((await c().arm('GET', request(PROD), { token: riley })).status, 404);
  });

  it('moves directly through the control API (portal hand-off)', async () => {
    const r = await c().raw('POST', '/_sandbox/move', { body: { subscriptionId: PROD, tenantId: CONTOSO, acceptorUpn: RILEY } });
    assert.equal(r.status, 200);
    const riley = await c().token(CONTOSO, 'arm');
    const mine = await c().all(`/subscriptions/${PROD}${AUTH}/roleAssignments?${RA_VERSION}&$filter=atScope()`, riley);
    assert.equal(mine.items.length, 1);
    assert.equal((mine.items[0] as { properties: { principalId: string } }).properties.principalId, objectId('Contoso Ltd', RILEY));
    const bad = await c().raw('POST', '/_sandbox/move', { body: { subscriptionId: PROD, tenantId: TAILSPIN, acceptorUpn: MEGAN } });
    assert.equal(bad.status, 400);
  });
});
