// The tree's per-directory summary through Resource Graph (core/fleet.ts directoryCounts), over the sandbox.
import assert from 'node:assert/strict';
import { directoryCounts } from '../../../src/core/fleet';
import { scenario, sessionFor, tenantByName, useSandbox } from '../helpers';

describe('core: a directory\'s summary (subscriptions, role assignments) through Resource Graph', () => {
  const sandbox = useSandbox();
  const fabrikam = tenantByName('Fabrikam Labs');

  /** Assignments at or below the subscriptions, from the scenario data itself. */
  function expected(ids: readonly string[]): number {
    return scenario().roleAssignments.filter((a) => ids.some((id) => a.scope.toLowerCase().startsWith(`/subscriptions/${id.toLowerCase()}`))).length;
  }

  it('counts every role assignment under the directory\'s subscriptions in one Resource Graph query', async () => {
    const session = sessionFor(sandbox());
    const subs = await session.arm.listSubscriptions(fabrikam);
    sandbox().clearRequestLog();
    const counts = await directoryCounts(session, fabrikam, subs);
    assert.equal(counts.subscriptions, subs.length);
    assert.equal(counts.roleAssignments, expected(subs.map((s) => s.subscriptionId)));
    assert.ok(expected(subs.map((s) => s.subscriptionId)) > 50, 'the scenario has plenty to count');
    assert.equal(sandbox().requestCount(/ResourceGraph/i, 'POST'), 1);
    assert.equal(sandbox().requestCount(/roleAssignments/i, 'GET'), 0, 'no list per subscription');
  });

  it('falls back quietly when Resource Graph is refused: the subscriptions still count, the reason is kept', async () => {
    const session = sessionFor(sandbox());
    const subs = await session.arm.listSubscriptions(fabrikam);
    sandbox().setFaults({ rules: [{ match: 'Microsoft.ResourceGraph', fault: 'reply', status: 403, times: 'always',
      body: { error: { code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action Microsoft.ResourceGraph/resources/read.' } } }] });
    const counts = await directoryCounts(session, fabrikam, subs);
    assert.equal(counts.subscriptions, subs.length);
    assert.equal(counts.roleAssignments, null);
    assert.match(counts.unavailable ?? '', /Microsoft\.ResourceGraph\/resources\/read|authoriz/i);
  });

  it('an empty directory asks nothing', async () => {
    sandbox().clearRequestLog();
    assert.deepEqual(await directoryCounts(sessionFor(sandbox()), fabrikam, []), { subscriptions: 0, roleAssignments: 0 });
    assert.equal(sandbox().requestLog.length, 0);
  });
});
