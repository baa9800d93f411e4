import assert from 'node:assert/strict';
import { english } from '../../../src/core/l10n';
import { changeDirectory, portalHandoff, trackMove } from '../../../src/core/changeDirectory';
import { findSubscription } from '../../../src/core/plan';
import { sandboxCloud } from '../../../src/azure/clouds';
import { MEGAN, scenario, sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { OWNER, oidOf, variant } from './fixtures';

const FABRIKAM = tenantByName('Fabrikam Labs');
const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');

describe('core change directory (preview API) and tracking', () => {
  const sandbox = useSandbox();

  it('initiates as the Owner; the target admin accepts; trackMove polls with back-off until the subscription answers there', async () => {
    const riley = sessionFor(sandbox());
    const megan = sessionFor(sandbox(), MEGAN);
    const sub = await findSubscription(riley, PRODUCTION, english);
    const change = await changeDirectory(riley, sub, CONTOSO, english, { destinationOwner: MEGAN });
    assert.equal(change.accepted, false, 'Riley is not a Global Administrator of Contoso');
    assert.match(change.acceptNote ?? '', /Global Administrators must accept/);
    assert.ok(['Initiated', 'Initialized'].includes(change.request.properties.status));

    const waits: number[] = [];
    const progress: string[] = [];
    let clock = 1_000_000;
    const result = await trackMove(megan, PRODUCTION, CONTOSO, {
      initialDelayMs: 100,
      maxDelayMs: 1_000,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
        if (waits.length === 2) await megan.arm.acceptChangeTenant(CONTOSO, PRODUCTION);
      },
      onProgress: (p) => progress.push(`${p.status}:${p.attempts}:${p.nextCheckAt === null ? '-' : p.nextCheckAt - clock}`),
    });
    assert.equal(result.status, 'seen');
    assert.equal(result.attempts, 3);
    assert.equal(result.subscription?.tenantId, CONTOSO);
    assert.deepEqual(waits, [100, 200]);
    assert.deepEqual(progress, ['waiting:1:100', 'waiting:2:200', 'seen:3:-']);
    assert.equal(sandbox().state.moves.length, 1);
  });

  it('initiates and accepts in one go when the account administers the target', async () => {
    sandbox().loadScenario(variant((s) => {
      s.roleAssignments.push({ name: 'ab0000ff-0000-4000-8000-000000000001', scope: `/subscriptions/${PRODUCTION}`, role: OWNER, principalId: oidOf(s, 'Fabrikam Labs', MEGAN), principalType: 'User', description: null, condition: null, conditionVersion: null, createdOn: '2025-01-15T09:00:00Z', createdBy: null });
    }));
    try {
      const megan = sessionFor(sandbox(), MEGAN);
      const sub = await findSubscription(megan, PRODUCTION, english);
      const change = await changeDirectory(megan, sub, CONTOSO, english);
      assert.equal(change.accepted, true);
      const seen = await trackMove(megan, PRODUCTION, CONTOSO, { sleep: () => Promise.resolve() });
      assert.equal(seen.status, 'seen');
      assert.equal(seen.attempts, 1);
    } finally {
      sandbox().loadScenario(scenario());
    }
  });

  it('can be cancelled while waiting, and times out with the last reason', async () => {
    const megan = sessionFor(sandbox(), MEGAN);
    const controller = new AbortController();
    const cancelled = await trackMove(megan, PRODUCTION, CONTOSO, { signal: controller.signal, sleep: () => { controller.abort(); return Promise.reject(new Error('aborted')); } });
    assert.equal(cancelled.status, 'cancelled');
    let clock = 0;
    const timedOut = await trackMove(megan, PRODUCTION, CONTOSO, { now: () => clock, timeoutMs: 250, initialDelayMs: 100, sleep: (ms) => { clock += ms; return Promise.resolve(); } });
    assert.equal(timedOut.status, 'timedOut');
    assert.equal(timedOut.attempts, 2);
    assert.match(timedOut.lastReason ?? '', /InvalidAuthenticationTokenTenant|wrong issuer/);
  });

  it('gives the portal hand-off: the subscription opened in its source directory and the steps', () => {
    const h = portalHandoff(sandboxCloud('http://127.0.0.1:1'), { id: PRODUCTION, name: 'Fabrikam Production', tenantId: FABRIKAM }, { tenantId: CONTOSO, displayName: 'Contoso Ltd' }, english);
    assert.match(h.url, new RegExp(`#@${FABRIKAM}/resource/subscriptions/${PRODUCTION}/overview$`));
    assert.ok(h.steps.some((s) => /Change directory/.test(s)));
    assert.ok(h.steps.some((s) => s.includes(CONTOSO)));
  });
});
