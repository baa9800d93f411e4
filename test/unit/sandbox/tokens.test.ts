import * as assert from 'node:assert/strict';
import { CONTOSO, FABRIKAM, MEGAN, NORTHWIND, objectId, PROD, RILEY, SUB_VERSION, TAILSPIN, useSandbox } from './helpers';

function claims(token: string): Record<string, unknown> {
  const [header, payload] = token.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')), { alg: 'none', typ: 'JWT' });
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('sandbox tokens', () => {
  let clock = new Date('2026-11-26T10:00:00Z');
  const { c } = useSandbox({ now: () => clock });
  beforeEach(() => { clock = new Date('2026-11-26T10:00:00Z'); });

  it('issues unsigned JWTs with per-directory object ids and real-looking claims', async () => {
    const r = await c().raw('POST', '/token', { body: { tenantId: 'organizations', resource: 'arm' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(r.body.expires_in, 3600);
    const home = claims(r.body.access_token as string);
    assert.equal(home.tid, FABRIKAM);
    assert.equal(home.oid, objectId('Fabrikam Labs', RILEY));
    assert.equal(home.upn, RILEY);
    assert.equal(home.name, 'Riley Quinn');
    assert.equal(home.aud, 'https://management.core.windows.net/');
    assert.equal(home.iss, `https://sts.windows.net/${FABRIKAM}/`);
    assert.equal(home.exp, Math.floor(clock.getTime() / 1000) + 3600);

    const contoso = claims(await c().token(CONTOSO, 'graph'));
    assert.equal(contoso.tid, CONTOSO);
    assert.equal(contoso.oid, objectId('Contoso Ltd', RILEY));
    assert.notEqual(contoso.oid, home.oid);
    assert.equal(contoso.aud, 'https://graph.microsoft.com');
    assert.equal(contoso.scp, 'User.Read User.ReadBasic.All Organization.Read.All GroupMember.Read.All');
    assert.equal(claims(await c().token(TAILSPIN, 'graph')).scp, 'User.Read User.ReadBasic.All');
  });

  it('answers AADSTS50020 when the account is not in the directory', async () => {
    const r = await c().raw('POST', '/token', { body: { tenantId: TAILSPIN, resource: 'arm', account: MEGAN } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'invalid_grant');
    assert.deepEqual(r.body.error_codes, [50020]);
    assert.match(r.body.error_description as string, new RegExp(`^AADSTS50020: User account '${MEGAN}' from identity provider 'https://sts.windows.net/${CONTOSO}/' does not exist in tenant 'Tailspin Toys'`));
  });

  it('requires an interactive sign-in for an MFA directory (AADSTS50076)', async () => {
    const r = await c().raw('POST', '/token', { body: { tenantId: NORTHWIND, resource: 'arm' } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body.error_codes, [50076]);
    assert.match(r.body.error_description as string, /^AADSTS50076: .*you must use multi-factor authentication/);
    const ok = await c().raw('POST', '/token', { body: { tenantId: NORTHWIND, resource: 'arm', interactive: true } });
    assert.equal(ok.status, 200);
    assert.equal(claims(ok.body.access_token as string).oid, objectId('Northwind Traders', RILEY));
  });

  it('rejects unknown tenants, resources and accounts with OAuth errors', async () => {
    const tenant = await c().raw('POST', '/token', { body: { tenantId: '99999999-9999-4999-8999-999999999999', resource: 'arm' } });
    assert.equal(tenant.status, 400);
    assert.equal(tenant.body.error, 'invalid_request');
    const resource = await c().raw('POST', '/token', { body: { tenantId: FABRIKAM, resource: 'vault' } });
    assert.equal(resource.body.error, 'invalid_request');
    const account = await c().raw('POST', '/token', { body: { tenantId: FABRIKAM, resource: 'arm', account: 'nobody@example.com' } });
    assert.deepEqual(account.body.error_codes, [50034]);
  });

  it('validates the bearer on ARM: missing, garbled, wrong audience, expired', async () => {
    const path = `/subscriptions?${SUB_VERSION}`;
    const missing = await c().arm('GET', path);
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error.code, 'AuthenticationFailed');
    const garbled = await c().arm('GET', path, { token: 'not-a-token' });
    assert.equal(garbled.status, 401);
    assert.equal(garbled.body.error.code, 'InvalidAuthenticationToken');
    const graphToken = await c().token(FABRIKAM, 'graph');
    const audience = await c().arm('GET', path, { token: graphToken });
    assert.equal(audience.body.error.code, 'InvalidAuthenticationToken');
    assert.match(audience.body.error.message as string, /wrong audience/);
    const armToken = await c().token(FABRIKAM, 'arm');
    const onGraph = await c().graph('GET', '/me', { token: armToken });
    assert.equal(onGraph.status, 401);
    assert.equal(onGraph.body.error.code, 'InvalidAuthenticationToken');
    assert.ok(onGraph.body.error.innerError['request-id']);
    clock = new Date(clock.getTime() + 3601_000);
    const expired = await c().arm('GET', path, { token: armToken });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.error.code, 'ExpiredAuthenticationToken');
  });

  it('answers InvalidAuthenticationTokenTenant with the documented message for a token of another directory', async () => {
    const token = await c().token(CONTOSO, 'arm');
    const r = await c().arm('GET', `/subscriptions/${PROD}?${SUB_VERSION}`, { token });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'InvalidAuthenticationTokenTenant');
    assert.equal(r.body.error.message, `The access token is from the wrong issuer 'https://sts.windows.net/${CONTOSO}/'. It must match the tenant 'https://sts.windows.net/${FABRIKAM}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${FABRIKAM}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`);
    assert.ok(r.headers.get('x-ms-request-id'));
    assert.ok(r.headers.get('x-ms-correlation-request-id'));
  });
});
