import assert from 'node:assert/strict';
import { listSubscriptions } from '../../../src/core/directories';
import { GET_SUBSCRIPTIONS } from '../fixtures/microsoftExamples';
import { runCli } from '../cli/run';
import { sessionFor, tenantByName, useSandbox } from '../helpers';

/** GetSubscriptions.json lists two subscriptions homed in directories the sandbox account cannot reach. */
const [EXAMPLE] = GET_SUBSCRIPTIONS.value;
const EXAMPLE_ID = '291bba3f-e0a5-47bc-a099-3bdcb2a50a05';
const EXAMPLE_HOME = '31c75423-32d6-4322-88b7-c478bdde4858';

describe('subscriptions whose home directory is not reachable are shown, never dropped', () => {
  const sandbox = useSandbox();
  const fabrikam = tenantByName('Fabrikam Labs');
  const contoso = tenantByName('Contoso Ltd');
  const northwind = tenantByName('Northwind Traders');

  function replaySubscriptions(body: unknown, times: number | 'always' = 1): void {
    sandbox().setFaults({ rules: [{ match: '^/arm/subscriptions\\?', fault: 'reply', body, times }] });
  }

  it('GetSubscriptions.json in Fabrikam: both kept as unreachable, seen in Fabrikam, home not one of the account\'s directories', async () => {
    replaySubscriptions(GET_SUBSCRIPTIONS);
    const result = await listSubscriptions(sessionFor(sandbox()), [fabrikam]);
    assert.deepEqual(result.subscriptions, []);
    assert.deepEqual(result.unreachable.map((u) => [u.subscription.displayName, u.seenIn, u.reason]), [
      ['Example Subscription', [fabrikam], 'homeNotReachable'],
      ['Example Subscription2', [fabrikam], 'homeNotReachable'],
    ]);
  });

  it('a home the account has but cannot read (Northwind, MFA) says so', async () => {
    replaySubscriptions({ value: [{ ...EXAMPLE, tenantId: northwind }] });
    const result = await listSubscriptions(sessionFor(sandbox()), [fabrikam, northwind]);
    assert.equal(result.unreachable[0]?.reason, 'homeNotSignedIn');
    assert.ok(result.failures.has(northwind));
  });

  it('a delegated subscription whose home is listed shows once, under its home', async () => {
    const result = await listSubscriptions(sessionFor(sandbox()));
    assert.deepEqual(result.unreachable, []);
    const ids = result.subscriptions.map((s) => s.subscriptionId);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('CLI subscriptions --json: the rows are there with cannotPlan saying why; the table says it too; exit 0', async () => {
    replaySubscriptions(GET_SUBSCRIPTIONS);
    const run = await runCli(sandbox(), ['subscriptions', '--tenant', fabrikam, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const rows = JSON.parse(run.stdout) as { subscriptionId: string; tenantId: string; cannotPlan: { reason: string; seenIn: string[]; message: string } | null }[];
    assert.deepEqual(rows.map((r) => r.subscriptionId), GET_SUBSCRIPTIONS.value.map((s) => s.subscriptionId));
    const first = rows[0];
    assert.ok(first?.cannotPlan);
    assert.equal(first.tenantId, EXAMPLE_HOME);
    assert.equal(first.cannotPlan.reason, 'homeNotReachable');
    assert.deepEqual(first.cannotPlan.seenIn, [fabrikam]);
    assert.match(first.cannotPlan.message, /Seen in Fabrikam Labs, but its home directory 31c75423-32d6-4322-88b7-c478bdde4858 is not one of the directories/);
    replaySubscriptions(GET_SUBSCRIPTIONS);
    const table = await runCli(sandbox(), ['subscriptions', '--tenant', fabrikam]);
    assert.match(table.stdout, /Example Subscription: cannot be planned from here\. Seen in Fabrikam Labs/);
  });

  it('CLI plan on such a subscription says why it cannot be planned, not "not found"', async () => {
    replaySubscriptions(GET_SUBSCRIPTIONS, 'always');
    const run = await runCli(sandbox(), ['plan', '--subscription', EXAMPLE_ID, '--to', contoso]);
    assert.equal(run.code, 1);
    assert.doesNotMatch(run.stderr, /not found/);
    assert.match(run.stderr, /Example Subscription\) cannot be planned from here\. Seen in .*its home directory 31c75423-32d6-4322-88b7-c478bdde4858 is not one of the directories riley@fabrikamlabs\.onmicrosoft\.com can reach/);
  });
});
