import * as assert from 'node:assert/strict';
import defaultJson from '../../../src/sandbox/scenarios/default.json';
import delegated from '../../../src/sandbox/scenarios/delegated.json';
import { parseScenario } from '../../../src/sandbox/server';
import { ADATUM, ADATUM_OPERATIONS, NORTHWIND_ANALYTICS, deriveDelegated } from '../../../scripts/delegated-scenario.mjs';
import { FABRIKAM, NORTHWIND, PROD, RILEY, SUB_VERSION, TAILSPIN, useSandbox } from './helpers';

interface ListedSubscription { subscriptionId: string; displayName: string; tenantId: string; managedByTenants: { tenantId: string }[] }

describe('sandbox: Azure Lighthouse delegation (managedByTenants) on the delegated scenario', () => {
  const { c, sb } = useSandbox({ scenario: delegated });

  async function listed(tenant: string, interactive?: boolean): Promise<ListedSubscription[]> {
    const res = await c().arm('GET', `/subscriptions?${SUB_VERSION}`, { token: await c().token(tenant, 'arm', RILEY, interactive) });
    assert.equal(res.status, 200, res.text);
    return res.body.value as ListedSubscription[];
  }

  it('is derived from the default scenario, so the two stay one world (node scripts/delegated-scenario.mjs rewrites it)', () => {
    assert.deepEqual(delegated, deriveDelegated(defaultJson));
  });

  it('lists a delegated subscription to the managing directory with its own home tenantId and managedByTenants', async () => {
    const subs = await listed(FABRIKAM);
    const adatum = subs.find((s) => s.subscriptionId === ADATUM_OPERATIONS);
    assert.deepEqual(adatum && { tenantId: adatum.tenantId, managedByTenants: adatum.managedByTenants }, { tenantId: ADATUM, managedByTenants: [{ tenantId: FABRIKAM }] });
    assert.equal(subs.find((s) => s.subscriptionId === NORTHWIND_ANALYTICS)?.tenantId, NORTHWIND);
    // Fabrikam's own: each says what its registration assignments say (Production is delegated to Tailspin's NOC).
    assert.deepEqual(subs.filter((s) => s.tenantId === FABRIKAM).flatMap((s) => s.managedByTenants.map((m) => [s.subscriptionId, m.tenantId])), [[PROD, TAILSPIN]]);
  });

  it('keeps one model of a delegation: managedByTenants and the registration assignments say the same thing', () => {
    const onAdatum = sb().state.data.extras.registrationAssignments.filter((r) => r.scope === `/subscriptions/${ADATUM_OPERATIONS}`);
    assert.deepEqual(onAdatum.map((r) => [r.managedByTenantId, r.managedByTenantName, r.authorizations.map((a) => a.principalIdDisplayName)]), [[FABRIKAM, 'Fabrikam Labs', ['Riley Quinn']]]);
    const again = parseScenario(delegated).extras.registrationAssignments.find((r) => r.scope === `/subscriptions/${ADATUM_OPERATIONS}`);
    assert.equal(again?.name, onAdatum[0]?.name, 'the same name on every load');
    const production = sb().state.data.subscriptions.find((s) => s.subscriptionId === PROD);
    assert.deepEqual(production?.managedByTenants.map((m) => [m.tenantId, m.authorizations.length]), [[TAILSPIN, 1]]);
  });

  it('lists it only to the managing directory named in the delegation, and under its home once signed in there', async () => {
    assert.equal((await listed(TAILSPIN)).some((s) => s.subscriptionId === ADATUM_OPERATIONS), false);
    const northwind = await listed(NORTHWIND, true);
    assert.deepEqual(northwind.map((s) => s.subscriptionId), [NORTHWIND_ANALYTICS]);
    await assert.rejects(c().token(ADATUM, 'arm', RILEY), /AADSTS50020/);
  });

  it('refuses a delegation to an unknown directory or with an unknown role, naming the subscription', () => {
    const broken = (change: (d: { subscriptions: { displayName: string; managedByTenants?: { tenantId: string; authorizations: { role: string }[] }[] }[] }) => void): unknown => {
      const d = JSON.parse(JSON.stringify(delegated)) as Parameters<typeof change>[0];
      change(d);
      return d;
    };
    const adatum = (d: Parameters<Parameters<typeof broken>[0]>[0]): NonNullable<(typeof d.subscriptions)[number]['managedByTenants']>[number] => {
      const m = d.subscriptions.find((s) => s.displayName === 'Adatum Operations')?.managedByTenants?.[0];
      assert.ok(m);
      return m;
    };
    assert.throws(() => parseScenario(broken((d) => { adatum(d).tenantId = '99999999-9999-4999-8999-999999999999'; })), /Adatum Operations' is managed by '99999999/);
    assert.throws(() => parseScenario(broken((d) => { const a = adatum(d).authorizations[0]; if (a) a.role = 'Nope'; })), /Adatum Operations': a Lighthouse authorization names an unknown role 'Nope'/);
  });
});
