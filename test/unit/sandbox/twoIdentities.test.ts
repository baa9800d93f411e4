import * as assert from 'node:assert/strict';
import defaultJson from '../../../src/sandbox/scenarios/default.json';
import twoIdentities from '../../../src/sandbox/scenarios/two-identities.json';
import { OWNER_ROLE_ID } from '../../../src/sandbox/builtins';
import { parseScenario } from '../../../src/sandbox/server';
import { CONTOSO, CT_VERSION, FABRIKAM, MEGAN, PROD, RILEY, useSandbox, type Client } from './helpers';

const ADELE = 'adele@contoso.com';
const ALEX = 'alexw@contoso.com';
const request = (sub: string): string => `/subscriptions/${sub}/providers/Microsoft.Subscription/changeTenantRequest/default?${CT_VERSION}`;
const accept = (sub: string): string => `/providers/Microsoft.Subscription/subscriptions/${sub}/acceptChangeTenant?${CT_VERSION}`;

async function invite(c: Client, inviter: string, address: string): Promise<Awaited<ReturnType<Client['graph']>>> {
  return c.graph('POST', '/invitations', { token: await c.token(CONTOSO, 'graph', inviter), body: { invitedUserEmailAddress: address, inviteRedirectUrl: 'https://portal.azure.com' } });
}

async function initiate(c: Client, destinationOwnerId?: string): Promise<void> {
  const res = await c.arm('PUT', request(PROD), { token: await c.token(FABRIKAM, 'arm', RILEY), body: { properties: { destinationTenantId: CONTOSO, ...(destinationOwnerId === undefined ? {} : { destinationOwnerId }) } } });
  assert.equal(res.status, 200, res.text);
}

describe('sandbox: the two-identities scenario (invitations, two-party change requests)', () => {
  let clock = new Date('2026-11-26T10:00:00Z');
  const { c, sb } = useSandbox({ scenario: twoIdentities, now: () => clock });
  beforeEach(() => { clock = new Date('2026-11-26T10:00:00Z'); });

  it('is the default scenario with Riley not yet in Contoso', async () => {
    const s = parseScenario(twoIdentities);
    const contoso = s.tenants.find((t) => t.tenantId === CONTOSO);
    assert.ok(contoso);
    assert.equal(contoso.users.some((u) => u.account === RILEY), false);
    assert.deepEqual(contoso.users.find((u) => u.account === MEGAN)?.directoryRoles, ['Global Administrator']);
    assert.equal(s.subscriptions.find((x) => x.subscriptionId === PROD)?.displayName, 'Fabrikam Production');
    await assert.rejects(c().token(CONTOSO, 'arm', RILEY), /AADSTS50020/);
  });

  it('is derived from the default scenario, so the two stay one world (node scripts/two-identities-scenario.mjs rewrites it)', async () => {
    const { deriveTwoIdentities } = await import('../../../scripts/two-identities-scenario.mjs');
    assert.deepEqual(twoIdentities, deriveTwoIdentities(defaultJson));
  });

  it('refuses an invitation from a member without Global Administrator, User Administrator or Guest Inviter', async () => {
    const res = await invite(c(), ALEX, RILEY);
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'Authorization_RequestDenied');
    assert.equal(res.body.error.message, 'Insufficient privileges to complete the operation.');
  });

  it('invites as Entra does: a PendingAcceptance guest until the redemption URL is opened, then tokens work', async () => {
    const res = await invite(c(), MEGAN, RILEY);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.status, 'PendingAcceptance');
    assert.equal(res.body.invitedUserType, 'Guest');
    const id = res.body.invitedUser.id as string;
    const megan = await c().token(CONTOSO, 'graph', MEGAN);
    const select = '$select=id,userPrincipalName,mail,userType,creationType,externalUserState';
    const before = await c().graph('GET', `/users/${id}?${select}`, { token: megan });
    // userType and externalUserState are outside the basic set User.ReadBasic.All may read: null here, as in Graph.
    assert.deepEqual(before.body, { id, userPrincipalName: 'riley_fabrikamlabs.onmicrosoft.com#EXT#@contoso.onmicrosoft.com', mail: RILEY, userType: null, creationType: null, externalUserState: null });
    const guest = (): unknown => sb().state.tenant(CONTOSO)?.users.find((u) => u.id === id);
    assert.deepEqual(guest(), { ...(guest() as object), userType: 'Guest', externalUserState: 'PendingAcceptance', account: null });
    await assert.rejects(c().token(CONTOSO, 'arm', RILEY), /AADSTS50020/);
    const page = await fetch(res.body.inviteRedeemUrl as string);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /accepted the invitation to Contoso Ltd/);
    assert.deepEqual(guest(), { ...(guest() as object), externalUserState: 'Accepted', account: RILEY });
    const me = await c().graph('GET', '/me', { token: await c().token(CONTOSO, 'graph', RILEY) });
    assert.equal(me.body.id, id);
    const tenants = await c().arm('GET', '/tenants?api-version=2022-12-01', { token: await c().token(FABRIKAM, 'arm', RILEY) });
    assert.ok((tenants.body.value as { tenantId: string }[]).some((t) => t.tenantId === CONTOSO));
  });

  it('answers a duplicate invitation with the same guest, and refuses to invite a member of the directory', async () => {
    const first = await invite(c(), ADELE, RILEY);
    assert.equal(first.status, 201, first.text);
    const again = await invite(c(), MEGAN, RILEY.toUpperCase());
    assert.equal(again.status, 201);
    assert.equal(again.body.invitedUser.id, first.body.invitedUser.id);
    assert.equal(again.body.inviteRedeemUrl, first.body.inviteRedeemUrl);
    await fetch(first.body.inviteRedeemUrl as string);
    const third = await invite(c(), MEGAN, RILEY);
    assert.equal(third.body.status, 'Completed');
    assert.equal(sb().state.tenant(CONTOSO)?.users.filter((u) => u.mail === RILEY).length, 1);
    const member = await invite(c(), MEGAN, ADELE);
    assert.equal(member.status, 400);
    assert.equal(member.body.error.code, 'BadRequest');
    assert.match(member.body.error.message as string, /already exists in the directory/);
  });

  it('lets only a Global Administrator accept, and only the named acceptor when the request names one', async () => {
    await initiate(c());
    const byAdele = await c().arm('POST', accept(PROD), { token: await c().token(CONTOSO, 'arm', ADELE) });
    assert.equal(byAdele.status, 403);
    assert.match(byAdele.body.error.message as string, /only a Global Administrator of directory 'Contoso Ltd'/);
    await initiate(c(), ADELE);
    const byMegan = await c().arm('POST', accept(PROD), { token: await c().token(CONTOSO, 'arm', MEGAN) });
    assert.equal(byMegan.status, 403);
    assert.match(byMegan.body.error.message as string, /names adele@contoso\.com .* only that user can accept it/);
    assert.equal(sb().state.subscription(PROD)?.tenantId, FABRIKAM);
  });

  it('refuses an expired request, and a cancelled one is gone', async () => {
    await initiate(c(), MEGAN);
    clock = new Date(clock.getTime() + 24 * 3600_000 + 1000);
    const expired = await c().arm('POST', accept(PROD), { token: await c().token(CONTOSO, 'arm', MEGAN) });
    assert.equal(expired.status, 400);
    assert.equal(expired.body.error.code, 'ChangeTenantRequestExpired');
    await initiate(c(), MEGAN);
    const cancel = await c().arm('DELETE', request(PROD), { token: await c().token(FABRIKAM, 'arm', RILEY) });
    assert.equal(cancel.status, 200);
    const gone = await c().arm('POST', accept(PROD), { token: await c().token(CONTOSO, 'arm', MEGAN) });
    assert.equal(gone.status, 404);
    assert.equal(sb().state.subscription(PROD)?.tenantId, FABRIKAM);
  });

  it('makes the acceptor, and only the acceptor, Owner', async () => {
    await initiate(c(), MEGAN);
    const res = await c().arm('POST', accept(PROD), { token: await c().token(CONTOSO, 'arm', MEGAN) });
    assert.equal(res.status, 204, res.text);
    const megan = sb().state.tenant(CONTOSO)?.users.find((u) => u.account === MEGAN)?.id;
    const left = sb().state.data.roleAssignments.filter((a) => a.scope.toLowerCase().startsWith(`/subscriptions/${PROD}`));
    assert.deepEqual(left.map((a) => [a.principalId, a.role]), [[megan, OWNER_ROLE_ID]]);
  });

  it('has a two-party portal page: the initiator sends, another account accepts', async () => {
    const form = (path: string, fields: Record<string, string>): Promise<Response> =>
      fetch(`${sb().baseUrl}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const subPage = await (await fetch(`${sb().baseUrl}/portal/subscriptions/${PROD}/`)).text();
    assert.match(subPage, /Send request/);
    const notOwner = await form(`/portal/subscriptions/${PROD}/request`, { initiator: MEGAN, tenantId: CONTOSO, recipient: MEGAN });
    assert.equal(notOwner.status, 400);
    assert.match(await notOwner.text(), /megan@contoso\.com is not an Owner of the subscription/);
    const sent = await form(`/portal/subscriptions/${PROD}/request`, { initiator: RILEY, tenantId: CONTOSO, recipient: MEGAN });
    assert.equal(sent.status, 200);
    assert.match(await sent.text(), /Request sent by riley@fabrikamlabs\.onmicrosoft\.com/);
    const list = await (await fetch(`${sb().baseUrl}/portal/requests/`)).text();
    assert.match(list, /Must accept<\/dt><dd>megan@contoso\.com/);
    const wrong = await form(`/portal/requests/${PROD}/accept`, { account: ADELE });
    assert.equal(wrong.status, 400);
    const done = await form(`/portal/requests/${PROD}/accept`, { account: MEGAN });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /Accepted by megan@contoso\.com/);
    assert.equal(sb().state.subscription(PROD)?.tenantId, CONTOSO);
  });
});
