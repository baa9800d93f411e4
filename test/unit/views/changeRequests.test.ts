// The tree's change-request rows (src/views/changeRequests.ts has no vscode import at run time), read from the sandbox.
import assert from 'node:assert/strict';
import { english } from '../../../src/core/l10n';
import { cancelChangeRequest } from '../../../src/core/requests';
import { ChangeRequests } from '../../../src/views/changeRequests';
import { sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';

describe('Directories view: change requests below their subscription (read from Azure)', () => {
  const sandbox = useSandbox();
  const fabrikam = tenantByName('Fabrikam Labs');
  const contoso = tenantByName('Contoso Ltd');
  const production = subscriptionByName('Fabrikam Production');

  async function initiate(session: ReturnType<typeof sessionFor>): Promise<Awaited<ReturnType<typeof session.arm.initiateChangeTenant>>> {
    return session.arm.initiateChangeTenant(fabrikam, production, contoso, (await session.graph(contoso).me()).id);
  }

  async function subscriptions(): Promise<Awaited<ReturnType<ReturnType<typeof sessionFor>['arm']['listSubscriptions']>>> {
    return sessionFor(sandbox()).arm.listSubscriptions(fabrikam);
  }

  it('shows a pending request with its target and expiry, then "expired" once expiresOn has passed, read again after a reload', async () => {
    const session = sessionFor(sandbox());
    const created = await initiate(session);
    const expiresOn = Date.parse(created.properties.expiresOn ?? '');
    assert.ok(Number.isFinite(expiresOn));
    let now = expiresOn - 23.5 * 3600_000;
    let changes = 0;
    const rows = new ChangeRequests(() => { changes++; }, (e) => { throw e; }, () => now);
    await rows.load(session, await subscriptions(), () => true);
    assert.equal(changes, 1);
    const pending = rows.row(production);
    assert.equal(pending?.state, 'pending');
    assert.equal(pending.request.destinationTenantId, contoso);
    assert.equal(pending.request.expiresOn, created.properties.expiresOn);
    assert.equal(rows.row(subscriptionByName('Fabrikam Dev/Test')), undefined, 'no request, no row');
    now = expiresOn + 1000;
    assert.equal(rows.row(production)?.state, 'expired');
    // A new window (a new store) reads the same request from Azure: nothing is kept only in memory.
    const reloaded = new ChangeRequests(() => undefined, (e) => { throw e; }, () => now);
    await reloaded.load(session, await subscriptions(), () => true);
    assert.equal(reloaded.row(production)?.state, 'expired');
    rows.dispose();
  });

  it('a cancelled request reads "cancelled" across refreshes, until the subscription has a request again', async () => {
    const session = sessionFor(sandbox());
    await initiate(session);
    const rows = new ChangeRequests(() => undefined, (e) => { throw e; });
    await rows.load(session, await subscriptions(), () => true);
    const sub = (await subscriptions()).find((s) => s.subscriptionId === production);
    assert.ok(sub);
    const result = await cancelChangeRequest(session, sub, english);
    assert.equal(result.cancelled, true);
    assert.ok(result.request);
    rows.markCancelled(result.request);
    rows.clear();
    await rows.load(session, await subscriptions(), () => true);
    assert.equal(rows.row(production)?.state, 'cancelled');
    await initiate(session);
    await rows.load(session, await subscriptions(), () => true);
    assert.equal(rows.row(production)?.state, 'pending');
    rows.dispose();
  });

  it('a stale load (a refresh came meanwhile) changes nothing; a request that cannot be read is reported, not shown', async () => {
    const session = sessionFor(sandbox());
    await initiate(session);
    const errors: unknown[] = [];
    const rows = new ChangeRequests(() => undefined, (e) => { errors.push(e); });
    await rows.load(session, await subscriptions(), () => false);
    assert.equal(rows.row(production), undefined);
    sandbox().setFaults({ rules: [{ match: 'changeTenantRequest/default', fault: 'reply', status: 403, body: { error: { code: 'AuthorizationFailed', message: 'The client does not have authorization.' } }, times: 'always' }] });
    await rows.load(session, await subscriptions(), () => true);
    assert.equal(rows.row(production), undefined);
    assert.ok(errors.length > 0);
    rows.dispose();
  });
});
