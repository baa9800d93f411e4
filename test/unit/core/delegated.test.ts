import assert from 'node:assert/strict';
import delegated from '../../../src/sandbox/scenarios/delegated.json';
import { listSubscriptions } from '../../../src/core/directories';
import { ADATUM, ADATUM_OPERATIONS, NORTHWIND_ANALYTICS } from '../../../scripts/delegated-scenario.mjs';
import { sessionFor, tenantByName, useSandbox } from '../helpers';

/** The delegated scenario with Northwind Analytics homed in Tailspin Toys, where Riley signs in silently but holds no role on it. */
function homedWhereRileyHasNoRole(): unknown {
  const d = JSON.parse(JSON.stringify(delegated)) as { tenants: { tenantId: string; displayName: string }[]; subscriptions: { subscriptionId: string; tenantId: string }[]; roleAssignments: { scope: string }[] };
  const sub = d.subscriptions.find((s) => s.subscriptionId === NORTHWIND_ANALYTICS);
  if (sub) sub.tenantId = tenantByName('Tailspin Toys');
  d.roleAssignments = d.roleAssignments.filter((a) => !a.scope.includes(NORTHWIND_ANALYTICS));
  return d;
}

describe('core: subscriptions delegated through Azure Lighthouse (delegated scenario, served by the sandbox)', () => {
  const sandbox = useSandbox({ scenario: delegated });
  const fabrikam = tenantByName('Fabrikam Labs');

  it('keeps both delegated subscriptions as unreachable, seen in Fabrikam, each with why', async () => {
    const result = await listSubscriptions(sessionFor(sandbox()));
    const rows = result.unreachable.map((u) => [u.subscription.subscriptionId, u.subscription.tenantId, u.seenIn, u.reason]);
    assert.deepEqual(rows.sort(), [
      [ADATUM_OPERATIONS, ADATUM, [fabrikam], 'homeNotReachable'],
      [NORTHWIND_ANALYTICS, tenantByName('Northwind Traders'), [fabrikam], 'homeNotSignedIn'],
    ].sort());
    assert.ok(!result.subscriptions.some((s) => s.subscriptionId === ADATUM_OPERATIONS || s.subscriptionId === NORTHWIND_ANALYTICS));
    assert.deepEqual(result.unreachable.find((u) => u.subscription.subscriptionId === ADATUM_OPERATIONS)?.subscription.managedByTenants, [{ tenantId: fabrikam }]);
  });

  it('a home the account reads that does not list it (access only through the delegation) keeps it too, with that reason', async () => {
    sandbox().loadScenario(homedWhereRileyHasNoRole());
    const result = await listSubscriptions(sessionFor(sandbox()));
    const u = result.unreachable.find((x) => x.subscription.subscriptionId === NORTHWIND_ANALYTICS);
    assert.deepEqual(u && [u.subscription.tenantId, u.seenIn, u.reason], [tenantByName('Tailspin Toys'), [fabrikam], 'notListedAtHome']);
    assert.ok(!result.failures.has(tenantByName('Tailspin Toys')));
    sandbox().loadScenario(delegated);
  });
});
