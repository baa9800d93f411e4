/**
 * The wizard's two-identities flow (issue 10) over the sandbox's two-identities scenario, without vscode: Riley owns
 * Fabrikam Production and is not yet in Contoso; Megan is Contoso's Global Administrator; both are signed in. Each
 * effect runs on the real core over real HTTP, with the session of the account in its role.
 */
import assert from 'node:assert/strict';
import twoIdentities from '../../../src/sandbox/scenarios/two-identities.json';
import { BUILT_IN_ROLES } from '../../../src/azure/models';
import { WizardController } from '../../../src/wizard/controller';
import type { Confirmation } from '../../../src/wizard/events';
import { MEGAN, RILEY, sessionFor, useSandbox } from '../helpers';
import { CONTOSO, PRODUCTION, accountKey, setUp, until } from './host';

const ALEX = 'alexw@contoso.com';
const ADELE = 'adele@contoso.com';

describe('wizard controller: two identities (owner and the Office 365 administrator)', () => {
  const sandbox = useSandbox({ scenario: twoIdentities });
  const ownerRoles = (principalId: string): string[] => sandbox().state.data.roleAssignments
    .filter((a) => a.principalId === principalId && a.scope.toLowerCase() === `/subscriptions/${PRODUCTION}`).map((a) => a.role.split('/').at(-1) ?? '');

  async function wizardFor(others: readonly string[], answer: (c: Confirmation) => boolean = () => true) {
    const riley = sessionFor(sandbox(), RILEY);
    const { host, recorded, subscription } = await setUp(riley, answer, { others: others.map((o) => sessionFor(sandbox(), o)) });
    const wizard = new WizardController({ subscription, changeApi: true }, host, () => undefined);
    await wizard.dispatch({ type: 'start' });
    await wizard.dispatch({ type: 'chooseTarget', tenantId: CONTOSO });
    await wizard.dispatch({ type: 'openStep', step: 'visible' });
    return { wizard, recorded };
  }

  /** Step 1 by Megan's invitation (Riley redeems it), then step 2 with the snapshot saved. */
  async function invitedToStep2(wizard: WizardController): Promise<void> {
    await wizard.dispatch({ type: 'inviteOwner', accountKey: accountKey(MEGAN) });
    await fetch(wizard.state().parties?.invitation?.redeemUrl ?? '');
    await wizard.dispatch({ type: 'recheck' });
    await wizard.dispatch({ type: 'openStep', step: 'change' });
    await wizard.dispatch({ type: 'saveSnapshot' });
  }

  it('Megan invites Riley, Riley redeems and initiates, Megan accepts and restores, Riley gets Owner back', async () => {
    const { wizard, recorded } = await wizardFor([MEGAN]);
    let state = wizard.state();
    assert.equal(state.header.target?.name, 'Contoso Ltd', 'Contoso is offered through Megan\'s account');
    assert.equal(state.visible?.accountInTarget?.status, 'fail');
    assert.deepEqual(state.parties?.inviters.map((a) => a.label), [MEGAN]);

    // Step 1: invite as Megan (after the modal), open the redemption URL, check again.
    await wizard.dispatch({ type: 'inviteOwner', accountKey: accountKey(MEGAN) });
    assert.deepEqual(recorded.confirmations.at(-1), { kind: 'invite', address: RILEY, target: 'Contoso Ltd', inviter: MEGAN });
    const invitation = wizard.state().parties?.invitation;
    assert.ok(invitation && invitation.by === MEGAN && !invitation.accepted);
    await wizard.dispatch({ type: 'openInvitation' });
    assert.equal(recorded.opened.at(-1), invitation.redeemUrl);
    assert.equal((await fetch(invitation.redeemUrl)).status, 200, 'Riley opens the link');
    await wizard.dispatch({ type: 'recheck' });
    state = wizard.state();
    assert.equal(state.visible?.accountInTarget?.status, 'pass');
    assert.equal(state.visible.tokenForTarget?.status, 'pass');
    assert.equal(state.parties?.invitation?.accepted, true);

    // Step 2: Megan is proposed as the acceptor; Riley initiates naming her, Megan accepts after the modal.
    assert.deepEqual(state.parties.acceptor, { key: accountKey(MEGAN), label: MEGAN });
    await wizard.dispatch({ type: 'openStep', step: 'change' });
    assert.ok(wizard.state().change?.checks?.every((c) => c.status !== 'fail'), JSON.stringify(wizard.state().change?.checks));
    await wizard.dispatch({ type: 'saveSnapshot' });
    await wizard.dispatch({ type: 'changeDirectory' });
    const asked = recorded.confirmations.slice(-2);
    assert.equal(asked[0]?.kind === 'changeDirectory' ? asked[0].acceptor : undefined, MEGAN, 'the change modal names who will hold Owner');
    // Accepting is what deletes: its modal carries the same counts as the change's.
    const change = asked[0]?.kind === 'changeDirectory' ? asked[0] : undefined;
    assert.ok(change && change.deleted > 0);
    assert.deepEqual(asked[1], { kind: 'acceptAs', acceptor: MEGAN, subscription: 'Fabrikam Production', to: 'Contoso Ltd', deleted: change.deleted, customRoles: change.customRoles });
    const request = sandbox().state.changeRequests.get(PRODUCTION);
    const megan = sandbox().state.tenant(CONTOSO)?.users.find((u) => u.userPrincipalName === MEGAN);
    assert.equal(request?.destinationOwnerId, megan?.id, 'the request names Megan');
    await until('the move to be seen by Megan', () => wizard.state().change?.status === 'done');

    // Step 3 as Megan (Riley has no access any more): Owner back for Riley's guest account, then restore the snapshot.
    await wizard.dispatch({ type: 'openStep', step: 'admins' });
    state = wizard.state();
    assert.equal(state.parties?.ownerBack?.status, 'offered');
    await wizard.dispatch({ type: 'giveOwnerBack' });
    assert.equal(recorded.confirmations.at(-1)?.kind, 'ownerBack');
    assert.equal(wizard.state().parties?.ownerBack?.status, 'created');
    const guest = sandbox().state.tenant(CONTOSO)?.users.find((u) => u.account === RILEY);
    assert.ok(guest);
    assert.ok(ownerRoles(guest.id).includes(BUILT_IN_ROLES.owner), 'Owner for Riley\'s guest account');
    assert.ok((state.admins?.restore ?? []).some((r) => r.chosen !== null), 'matched rows to restore');
    await wizard.dispatch({ type: 'createAssignments' });
    const results = (wizard.state().admins?.restore ?? []).filter((r) => r.chosen !== null).map((r) => r.result?.status);
    assert.ok(results.length > 0 && results.every((r) => r === 'created' || r === 'exists'), JSON.stringify(results));
    assert.ok(results.includes('created'));
    await wizard.dispatch({ type: 'giveOwnerBack' });
    assert.equal(wizard.state().parties?.ownerBack?.status, 'exists', 'again: already there');
    wizard.dispose();
  });

  it('an acceptor who is not signed in here: the pending request, who must accept, the text for them, and cancel', async () => {
    const { wizard, recorded } = await wizardFor([MEGAN]);
    await invitedToStep2(wizard);
    await wizard.dispatch({ type: 'typedAcceptor', address: 'not an address' });
    assert.match(wizard.state().error?.message ?? '', /is not an address/);
    await wizard.dispatch({ type: 'typedAcceptor', address: MEGAN });
    assert.deepEqual(wizard.state().parties?.acceptor, { key: null, label: MEGAN });
    await wizard.dispatch({ type: 'changeDirectory' });
    assert.equal(recorded.confirmations.at(-1)?.kind, 'changeDirectory', 'no accept modal: Megan accepts elsewhere');
    const request = wizard.state().parties?.request;
    assert.equal(request?.state, 'pending');
    assert.ok(request.expiresOn !== null && Date.parse(request.expiresOn) > Date.now());
    assert.equal(sandbox().state.moves.length, 0, 'not moved yet');
    await wizard.dispatch({ type: 'copyAcceptorRequest' });
    assert.match(recorded.copied.at(-1) ?? '', new RegExp(`as ${MEGAN.replace('.', '\\.')} in Contoso Ltd.*select Accept`));
    await wizard.dispatch({ type: 'cancelRequest' });
    assert.equal(recorded.confirmations.at(-1)?.kind, 'cancelRequest');
    assert.equal(wizard.state().parties?.request?.state, 'cancelled');
    assert.equal(sandbox().state.changeRequests.get(PRODUCTION), undefined, 'the request is gone (DELETE)');
    wizard.dispose();
  });

  it('step 3 as Megan: invites the unmatched users as guests after a modal, maps their rows to the new guests, restores them', async () => {
    const { wizard, recorded } = await wizardFor([MEGAN]);
    await invitedToStep2(wizard);
    await wizard.dispatch({ type: 'changeDirectory' });
    await until('the move to be seen by Megan', () => wizard.state().change?.status === 'done');
    await wizard.dispatch({ type: 'openStep', step: 'admins' });
    const offer = wizard.state().parties?.guests;
    assert.ok(offer, 'Megan may invite: the offer is there');
    assert.equal(offer.inviter, MEGAN);
    const planned = offer.rows.filter((r) => r.status === 'planned');
    assert.ok(planned.length > 0 && planned.every((r) => r.type === 'User' && r.address !== null), JSON.stringify(offer.rows));
    assert.ok(offer.rows.some((r) => r.status === 'kept' && r.type !== 'User' && r.reason !== null), 'groups and service principals stay, with why');
    const unmatchedBefore = (wizard.state().admins?.restore ?? []).filter((r) => r.chosen === null && r.followsIdentity !== true).length;
    const users = sandbox().state.tenant(CONTOSO)?.users.length ?? 0;

    await wizard.dispatch({ type: 'inviteUnmatched' });
    const asked = recorded.confirmations.at(-1);
    assert.ok(asked?.kind === 'inviteGuests' && asked.addresses.length === planned.length && asked.inviter === MEGAN, JSON.stringify(asked));
    const after = wizard.state().parties?.guests;
    assert.equal(after?.rows.filter((r) => r.status === 'invited').length, planned.length, JSON.stringify(after?.rows));
    assert.equal(sandbox().state.tenant(CONTOSO)?.users.length, users + planned.length, 'one guest per invited user');
    const rows = wizard.state().admins?.restore ?? [];
    assert.ok(rows.filter((r) => r.chosen === null && r.followsIdentity !== true).length < unmatchedBefore, 'rows now map to the new guests');

    await wizard.dispatch({ type: 'createAssignments' });
    const guests = new Set(sandbox().state.tenant(CONTOSO)?.users.filter((u) => u.userType === 'Guest').map((u) => u.id));
    assert.ok(sandbox().state.data.roleAssignments.some((a) => guests.has(a.principalId) && a.scope.toLowerCase().startsWith(`/subscriptions/${PRODUCTION}`)), 'the invited guests have their roles back');
    // Asking again: nothing more to invite, nothing sent twice.
    const sent = recorded.confirmations.length;
    await wizard.dispatch({ type: 'inviteUnmatched' });
    assert.equal(recorded.confirmations.length, sent);
    wizard.dispose();
  });

  it('a pending request survives the panel: a new wizard reads it when step 2 opens (who must accept, the expiry)', async () => {
    const first = await wizardFor([MEGAN]);
    await invitedToStep2(first.wizard);
    await first.wizard.dispatch({ type: 'typedAcceptor', address: MEGAN });
    await first.wizard.dispatch({ type: 'changeDirectory' });
    const sent = first.wizard.state().parties?.request;
    assert.equal(sent?.state, 'pending');
    first.wizard.dispose(); // the panel closes (or the window reloads)

    const again = await wizardFor([MEGAN]);
    assert.equal(again.wizard.state().parties?.request, null, 'not read before step 2');
    await again.wizard.dispatch({ type: 'openStep', step: 'change' });
    const read = again.wizard.state().parties?.request;
    assert.equal(read?.state, 'pending');
    assert.equal(read.expiresOn, sent.expiresOn);
    assert.ok(read.acceptor !== null, 'who must accept');
    again.wizard.dispose();
  });

  it('with no account that may invite: the message for the administrator, and nothing is sent', async () => {
    const { wizard, recorded } = await wizardFor([ALEX]);
    assert.deepEqual(wizard.state().parties?.inviters, [], 'Alex may not invite');
    await wizard.dispatch({ type: 'copyAdminMessage' });
    const message = recorded.copied.at(-1) ?? '';
    assert.match(message, new RegExp(`Please invite ${RILEY.replace(/\./g, '\\.')} to Contoso Ltd`));
    assert.match(message, /New user > Invite external user/);
    // Asking anyway (a stale UI): nothing is sent.
    await wizard.dispatch({ type: 'inviteOwner', accountKey: accountKey(ALEX) });
    assert.equal(sandbox().state.invitations.size, 0);
    assert.equal(recorded.confirmations.length, 0);
    wizard.dispose();
  });

  it('an invitation Entra refuses (the inviter lost the role meanwhile) is shown in Entra\'s words, naming who may invite', async () => {
    const { wizard } = await wizardFor([ADELE]);
    assert.deepEqual(wizard.state().parties?.inviters.map((a) => a.label), [ADELE], 'a User Administrator may invite');
    const adele = sandbox().state.tenant(CONTOSO)?.users.find((u) => u.userPrincipalName === ADELE);
    assert.ok(adele);
    adele.directoryRoles = [];
    await wizard.dispatch({ type: 'inviteOwner', accountKey: accountKey(ADELE) });
    const state = wizard.state();
    assert.match(state.error?.message ?? '', /adele@contoso\.com may not invite guests .*Insufficient privileges to complete the operation\..*Global Administrator, User Administrator or Guest Inviter/);
    assert.equal(state.parties?.inviting, false);
    assert.equal(state.parties.invitation, null);
    assert.equal(state.busy, null);
    wizard.dispose();
  });

  it('the user says no to the acceptor modal: the request stays pending, and Megan accepts later', async () => {
    let acceptNow = false;
    const { wizard } = await wizardFor([MEGAN], (c) => c.kind !== 'acceptAs' || acceptNow);
    await wizard.dispatch({ type: 'inviteOwner', accountKey: accountKey(MEGAN) });
    await fetch(wizard.state().parties?.invitation?.redeemUrl ?? '');
    await wizard.dispatch({ type: 'recheck' });
    await wizard.dispatch({ type: 'openStep', step: 'change' });
    await wizard.dispatch({ type: 'saveSnapshot' });
    await wizard.dispatch({ type: 'changeDirectory' });
    assert.equal(wizard.state().parties?.request?.state, 'pending');
    assert.equal(wizard.state().change?.status, 'idle');
    assert.equal(sandbox().state.moves.length, 0, 'declined: not accepted');
    acceptNow = true;
    await wizard.dispatch({ type: 'acceptRequest' });
    await until('the move to be seen by Megan', () => wizard.state().change?.status === 'done');
    assert.equal(wizard.state().parties?.request?.state, 'accepted');
    wizard.dispose();
  });
});
