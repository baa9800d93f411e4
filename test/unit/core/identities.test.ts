import assert from 'node:assert/strict';
import { isAzureError } from '../../../src/azure/errors';
import { changeDirectory } from '../../../src/core/changeDirectory';
import { accessIn, accountDirectories, inviteUnmatched, inviteUser, planInvitations } from '../../../src/core/identities';
import { english } from '../../../src/core/l10n';
import { mapPrincipals } from '../../../src/core/mapping';
import { CoreError, findSubscription } from '../../../src/core/plan';
import { acceptChangeRequest, acceptorIdentity, cancelChangeRequest, listChangeRequests, requireActingAccount } from '../../../src/core/requests';
import { restoreSnapshot } from '../../../src/core/restore';
import { takeSnapshot } from '../../../src/core/snapshot';
import twoIdentities from '../../../src/sandbox/scenarios/two-identities.json';
import { MEGAN, RILEY, sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { OWNER } from './fixtures';

const ADELE = 'adele@contoso.com';
const ALEX = 'alexw@contoso.com';
const CONTOSO = tenantByName('Contoso Ltd');
const FABRIKAM = tenantByName('Fabrikam Labs');
const PRODUCTION = subscriptionByName('Fabrikam Production');

describe('core: two identities (roles, invitations, two-party requests, restore as the acceptor)', () => {
  const sandbox = useSandbox({ scenario: twoIdentities });
  const as = (account: string) => sessionFor(sandbox(), account);

  /** Megan invites Riley into Contoso and Riley opens the redemption URL. */
  async function bringRiley(): Promise<string> {
    const inv = await inviteUser(as(MEGAN), CONTOSO, RILEY, english);
    const page = await fetch(inv.redeemUrl);
    assert.equal(page.status, 200);
    return inv.userId;
  }

  it('reads each account\'s roles per directory: Global Administrator, User Administrator, none; member or guest', async () => {
    const megan = await accessIn(as(MEGAN), CONTOSO);
    assert.deepEqual([megan.roles, megan.userType, megan.canInvite, megan.canAccept], [['Global Administrator'], 'Member', true, true]);
    const adele = await accessIn(as(ADELE), CONTOSO);
    assert.deepEqual([adele.roles, adele.canInvite, adele.canAccept], [['User Administrator'], true, false]);
    const alex = await accessIn(as(ALEX), CONTOSO);
    assert.deepEqual([alex.roles, alex.canInvite, alex.canAccept], [[], false, false]);
    const before = await accountDirectories(as(RILEY));
    assert.equal(before.some((d) => d.tenantId === CONTOSO), false);
    const guestId = await bringRiley();
    const after = await accountDirectories(as(RILEY));
    const contoso = after.find((d) => d.tenantId === CONTOSO);
    assert.deepEqual([contoso?.access?.objectId, contoso?.access?.userType, contoso?.access?.canInvite], [guestId, 'Guest', false]);
  });

  it('refuses an invitation by a member without an inviting role, in Entra\'s words and naming the roles', async () => {
    await assert.rejects(inviteUser(as(ALEX), CONTOSO, RILEY, english), (e: unknown) => {
      assert.ok(isAzureError(e, 'forbidden'));
      assert.match(e.message, /^alexw@contoso\.com may not invite guests to directory .*: Insufficient privileges to complete the operation\. Inviting needs Global Administrator, User Administrator or Guest Inviter there\.$/);
      return true;
    });
  });

  it('invites idempotently: a second invitation gives the same guest', async () => {
    const first = await inviteUser(as(ADELE), CONTOSO, RILEY, english);
    const second = await inviteUser(as(MEGAN), CONTOSO, RILEY, english);
    assert.equal(second.userId, first.userId);
    assert.equal(first.status, 'PendingAcceptance');
  });

  it('lists a pending request with its expiry, reports it expired after 24 h, and cancels it (a re-run cancels nothing)', async () => {
    const riley = as(RILEY);
    const sub = await findSubscription(riley, PRODUCTION, english);
    await changeDirectory(riley, sub, CONTOSO, english, { destinationOwner: MEGAN, accept: false });
    const now = Date.now();
    const { requests, failures } = await listChangeRequests(riley, { now });
    assert.equal(failures.size, 0);
    const [r] = requests;
    assert.ok(r);
    assert.deepEqual([requests.length, r.subscriptionId, r.destinationTenantId, r.state], [1, PRODUCTION, CONTOSO, 'pending']);
    assert.equal(Date.parse(r.expiresOn ?? '') - Date.parse(r.createdDate ?? ''), 24 * 3600_000);
    const later = await listChangeRequests(riley, { subscriptions: [sub], now: Date.parse(r.expiresOn ?? '') + 1 });
    assert.equal(later.requests[0]?.state, 'expired');
    assert.equal((await cancelChangeRequest(riley, sub, english)).cancelled, true);
    assert.equal((await cancelChangeRequest(riley, sub, english)).cancelled, false);
    assert.equal((await listChangeRequests(riley, { subscriptions: [sub] })).requests.length, 0);
  });

  it('after Megan accepts, refuses Riley\'s restore naming Megan; Megan invites the unmatched users and restores, Riley gets Owner back as a guest', async () => {
    const riley = as(RILEY);
    const megan = as(MEGAN);
    const guestId = await bringRiley();
    const sub = await findSubscription(riley, PRODUCTION, english);
    const snapshot = await takeSnapshot(riley, sub, english);
    const acceptor = await acceptorIdentity(megan, CONTOSO);
    await changeDirectory(riley, sub, CONTOSO, english, { destinationOwner: acceptor.objectId, accept: false });
    await acceptChangeRequest(megan, PRODUCTION, CONTOSO);
    assert.equal(sandbox().state.subscription(PRODUCTION)?.tenantId, CONTOSO);

    await assert.rejects(requireActingAccount(riley, PRODUCTION, CONTOSO, english), (e: unknown) => {
      assert.ok(e instanceof CoreError);
      assert.equal(e.kind, 'wrongAccount');
      assert.match(e.message, /the move was accepted by megan@contoso\.com, and only that account holds Owner there now/);
      return true;
    });
    await requireActingAccount(megan, PRODUCTION, CONTOSO, english);

    const first = await mapPrincipals(megan, snapshot, CONTOSO, english);
    const plan = planInvitations(first, english);
    const toInvite = plan.filter((p) => p.action === 'invite');
    assert.ok(toInvite.length > 0);
    assert.ok(toInvite.every((p) => p.oldPrincipalType === 'User' && p.address !== null));
    const kept = plan.filter((p) => p.action === 'keep');
    assert.ok(kept.some((p) => p.oldPrincipalType === 'ServicePrincipal'), 'service principals stay unmatched');
    assert.ok(kept.every((p) => p.reason !== ''));
    const dry = await inviteUnmatched(megan, CONTOSO, plan, english, { dryRun: true });
    assert.equal(dry.outcomes.filter((o) => o.status === 'planned').length, toInvite.length);
    assert.equal(dry.overrides.size, 0);

    const sent = await inviteUnmatched(megan, CONTOSO, plan, english);
    assert.equal(sent.outcomes.filter((o) => o.status === 'invited').length, toInvite.length);
    const second = await mapPrincipals(megan, snapshot, CONTOSO, english, { overrides: sent.overrides });
    assert.equal(second.principals.filter((p) => p.status === 'unmatched').length, first.principals.filter((p) => p.status === 'unmatched').length - toInvite.length);
    const rileyOld = second.principals.find((p) => p.oldName === 'Riley Quinn');
    assert.equal(rileyOld?.principal?.id, guestId);
    const result = await restoreSnapshot(megan, snapshot, second, english);
    assert.equal(result.counts.failed, 0);
    const owners = sandbox().state.data.roleAssignments.filter((a) => a.scope.toLowerCase() === `/subscriptions/${PRODUCTION}` && a.role === OWNER).map((a) => a.principalId);
    assert.ok(owners.includes(guestId), 'Riley\'s guest account holds Owner again');
    const invited = new Set([...sent.overrides.values()]);
    assert.ok(sandbox().state.data.roleAssignments.some((a) => invited.has(a.principalId) && a.principalId !== guestId), 'the invited users have their roles back');
    assert.equal(FABRIKAM, snapshot.sourceDirectory.tenantId);
  });
});
