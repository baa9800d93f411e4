import assert from 'node:assert/strict';
import delegated from '../../../src/sandbox/scenarios/delegated.json';
import { listSubscriptions } from '../../../src/core/directories';
import { ADATUM, ADATUM_OPERATIONS, NORTHWIND_ANALYTICS } from '../../../scripts/delegated-scenario.mjs';
import { sessionFor, tenantByName, useSandbox } from '../helpers';

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
});
