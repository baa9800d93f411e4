// Step 0's subscription options over the sandbox: a subscription whose offer cannot change directory (CSP) carries
// the warning the pre-flight check gives, in the same words, before any check runs.
import assert from 'node:assert/strict';
import { describeDirectory } from '../../../src/core/directories';
import { english } from '../../../src/core/l10n';
import { subscriptionOption } from '../../../src/wizard/steps/choose';
import { sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';

describe('wizard step 0: the CSP subscription is flagged where it is chosen', () => {
  const sandbox = useSandbox();

  it('flags Fabrikam Partner Plan (CSP) with the check\'s failure-modes message, and not Fabrikam Production', async () => {
    const session = sessionFor(sandbox());
    const fabrikam = tenantByName('Fabrikam Labs');
    const source = await describeDirectory(session, { tenantId: fabrikam }, english);
    const subs = await session.arm.listSubscriptions(fabrikam);
    const option = (name: string): ReturnType<typeof subscriptionOption> => {
      const subscription = subs.find((s) => s.subscriptionId === subscriptionByName(name));
      assert.ok(subscription);
      return subscriptionOption({ subscription, source, accountKey: 'riley', session }, english);
    };
    const csp = option('Fabrikam Partner Plan');
    assert.equal(csp.cannotMove, "This offer (CSP, CSP_2015-05-01) can't change directory; use the partner or move the resources to another subscription (CSP partner or billing owner).");
    assert.equal(option('Fabrikam Production').cannotMove, undefined);
  });
});
