import * as assert from 'node:assert/strict';
import { AUTH, FABRIKAM, MEGAN, PROD, scenario, SUB_VERSION, subscriptionId, TAILSPIN, useSandbox } from './helpers';

describe('sandbox ARM: tenants, subscriptions, resources', () => {
  const { c, sb } = useSandbox({ pageSize: 2 });

  it('lists only the directories the account belongs to, with the §2.1 fields', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const { items, pages } = await c().all(`/tenants?${SUB_VERSION}`, token);
    const riley = scenario.tenants.filter((t) => t.users.some((u) => u.account === 'riley@fabrikamlabs.onmicrosoft.com'));
    assert.deepEqual(items.map((t) => (t as { displayName: string }).displayName).sort(), riley.map((t) => t.displayName).sort());
    assert.equal(pages, Math.ceil(riley.length / 2));
    const contoso = items.find((t) => (t as { displayName: string }).displayName === 'Contoso Ltd') as Record<string, unknown>;
    assert.equal(contoso.tenantCategory, 'Home');
    assert.equal(contoso.defaultDomain, 'contoso.com');
    assert.deepEqual(contoso.domains, ['contoso.onmicrosoft.com', 'contoso.com']);
    const megan = await c().all(`/tenants?${SUB_VERSION}`, await c().token('organizations', 'arm', MEGAN));
    assert.deepEqual(megan.items.map((t) => (t as { displayName: string }).displayName).sort(), ['Contoso Ltd', 'Fabrikam Labs']);
  });

  it('lists only subscriptions homed in the token directory, paged through absolute nextLinks', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const first = await c().arm('GET', `/subscriptions?${SUB_VERSION}`, { token });
    assert.equal(first.status, 200);
    assert.ok((first.body.nextLink as string).startsWith(`${sb().baseUrl}/arm/subscriptions?`));
    const expected = scenario.subscriptions.filter((s) => s.tenantId === FABRIKAM);
    assert.equal(first.body.count.value, expected.length);
    const { items } = await c().all(`/subscriptions?${SUB_VERSION}`, token);
    assert.deepEqual(items.map((s) => (s as { subscriptionId: string }).subscriptionId).sort(), expected.map((s) => s.subscriptionId).sort());
    const prod = items.find((s) => (s as { subscriptionId: string }).subscriptionId === PROD) as Record<string, { quotaId?: string }>;
    assert.equal(prod.subscriptionPolicies?.quotaId, 'PayAsYouGo_2014-09-01');
    assert.equal(prod.state, 'Enabled');
    assert.equal(prod.authorizationSource, 'Legacy, RoleBased');
    const tailspin = await c().all(`/subscriptions?${SUB_VERSION}`, await c().token(TAILSPIN, 'arm'));
    assert.deepEqual(tailspin.items.map((s) => (s as { displayName: string }).displayName), ['Tailspin Web']);
    assert.ok(sb().requestCount(/\/arm\/subscriptions\?/, 'GET') >= 3);
  });

  it('checks the api-version like ARM', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const missing = await c().arm('GET', '/subscriptions', { token });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'MissingApiVersionParameter');
    const wrong = await c().arm('GET', '/subscriptions?api-version=2099-01-01', { token });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.code, 'InvalidApiVersionParameter');
    assert.match(wrong.body.error.message as string, /2022-12-01/);
    const classic = await c().arm('GET', `/subscriptions/${PROD}${AUTH}/classicAdministrators?api-version=2022-04-01`, { token });
    assert.equal(classic.body.error.code, 'InvalidApiVersionParameter');
    assert.ok(missing.headers.get('x-ms-ratelimit-remaining-subscription-reads'));
  });

  it('answers 404 SubscriptionNotFound for an unknown id', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const r = await c().arm('GET', `/subscriptions/00000000-0000-4000-8000-0000000000ff?${SUB_VERSION}`, { token });
    assert.equal(r.status, 404);
    assert.equal(r.body.error.code, 'SubscriptionNotFound');
  });

  it('lists resources with identity and filters by resourceType; Key Vault shows tenantId and access policies', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const all = await c().all(`/subscriptions/${PROD}/resources?api-version=2021-04-01`, token);
    const expected = scenario.resources.filter((r) => r.id.startsWith(`/subscriptions/${PROD}/`));
    assert.equal(all.items.length, expected.length);
    const withIdentity = all.items.filter((r) => (r as { identity?: unknown }).identity !== undefined);
    assert.equal(withIdentity.length, expected.filter((r) => r.identity !== null).length);
    const vaults = await c().arm('GET', `/subscriptions/${PROD}/resources?api-version=2021-04-01&$filter=${encodeURIComponent("resourceType eq 'Microsoft.KeyVault/vaults'")}`, { token });
    assert.equal(vaults.body.value.length, 1);
    const kv = await c().arm('GET', `${vaults.body.value[0].id as string}?api-version=2023-07-01`, { token });
    assert.equal(kv.status, 200);
    assert.equal(kv.body.properties.tenantId, FABRIKAM);
    assert.ok((kv.body.properties.accessPolicies as unknown[]).length > 0);
    const missing = await c().arm('GET', `/subscriptions/${PROD}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/nope?api-version=2023-07-01`, { token });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'ResourceNotFound');
  });

  it('lists classic administrators and the caller permissions', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const classic = await c().arm('GET', `/subscriptions/${PROD}${AUTH}/classicAdministrators?api-version=2015-07-01`, { token });
    assert.deepEqual((classic.body.value as { properties: { role: string } }[]).map((x) => x.properties.role).sort(), ['CoAdministrator', 'ServiceAdministrator;AccountAdministrator']);
    const perms = await c().arm('GET', `/subscriptions/${PROD}${AUTH}/permissions?api-version=2022-04-01`, { token });
    assert.ok((perms.body.value as { actions: string[] }[]).some((p) => p.actions.includes('*')));
    const megan = await c().token(FABRIKAM, 'arm', MEGAN);
    const readerPerms = await c().arm('GET', `/subscriptions/${PROD}${AUTH}/permissions?api-version=2022-04-01`, { token: megan });
    assert.deepEqual((readerPerms.body.value as { actions: string[] }[]).flatMap((p) => p.actions).sort(), ['*/read']);
  });

  it('hides subscriptions the caller has no role on', async () => {
    const megan = await c().token(FABRIKAM, 'arm', MEGAN);
    const { items } = await c().all(`/subscriptions?${SUB_VERSION}`, megan);
    assert.deepEqual(items.map((s) => (s as { displayName: string }).displayName).sort(), ['Fabrikam Dev/Test', 'Fabrikam Production']);
    const csp = await c().arm('GET', `/subscriptions/${subscriptionId('Fabrikam Partner Plan')}?${SUB_VERSION}`, { token: megan });
    assert.equal(csp.status, 404);
  });
});
