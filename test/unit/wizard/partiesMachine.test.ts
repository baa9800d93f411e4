/**
 * The two-identities flow in the wizard's pure machine (issue 10): events stand in for the effects' results, and the
 * effects the machine asks for (and the UI state it projects) are the assertions. Who acts is named by account.
 */
import assert from 'node:assert/strict';
import { HttpLayer } from '../../../src/azure/http';
import { SandboxTokenAuth } from '../../../src/azure/sandboxAuth';
import { AzureSession } from '../../../src/azure/session';
import type { DirectorySummary } from '../../../src/core/directories';
import { english } from '../../../src/core/l10n';
import { isWizardState } from '../../../src/webview/protocol';
import { initialContext, type WizardAccount, type WizardContext, type WizardWorld } from '../../../src/wizard/context';
import type { Effect, WizardEvent } from '../../../src/wizard/events';
import { project, reduce } from '../../../src/wizard/machine';
import type { PartyAccess } from '../../../src/wizard/partyEvents';

const FABRIKAM = '11111111-1111-4111-8111-111111111111';
const CONTOSO = '22222222-2222-4222-8222-222222222222';
const SUB = 'a1a1a1a1-0000-4000-8000-000000000001';
const RILEY = 'riley@fabrikamlabs.onmicrosoft.com';
const MEGAN = 'megan@contoso.com';
const MEGAN_ID = '6a1e0000-0000-4000-8000-00000000000a';

// Sessions are carried in the context but never called by the machine (effects are the controller's).
function account(upn: string): WizardAccount {
  const http = new HttpLayer({});
  return { accountKey: `/sandbox/accounts/${upn}`, session: new AzureSession(http, new SandboxTokenAuth(http, 'http://127.0.0.1:9', upn), { id: upn, label: upn }) };
}
const OWNER = account(RILEY);
const ADMIN = account(MEGAN);

function directory(tenantId: string, name: string, office365: boolean): DirectorySummary {
  return { tenantId, displayName: name, defaultDomain: `${name.toLowerCase().replace(/ /g, '')}.example`, domains: [], category: null, signedIn: true, needsSignIn: false, office365, office365Reason: '' };
}

/** Riley reaches only Fabrikam Labs; Megan, signed in too, reaches Contoso. */
const world: WizardWorld = {
  l10n: english,
  subscriptions: [],
  directories: (key) => (key === OWNER.accountKey ? [directory(FABRIKAM, 'Fabrikam Labs', false)] : [directory(CONTOSO, 'Contoso Ltd', true)]),
  move: () => undefined,
  heldElsewhere: () => false,
  accounts: () => [OWNER, ADMIN],
};

const megan: PartyAccess = { accountKey: ADMIN.accountKey, label: MEGAN, objectId: MEGAN_ID, userPrincipalName: MEGAN, canInvite: true, canAccept: true };

function drive(ctx: WizardContext, ...events: WizardEvent[]): { ctx: WizardContext; effects: Effect[] } {
  let effects: Effect[] = [];
  for (const e of events) {
    const u = reduce(ctx, e, world);
    ctx = u.ctx;
    effects = [...u.effects];
  }
  return { ctx, effects };
}

const kinds = (effects: readonly Effect[]): string[] => effects.map((e) => e.kind);

function atVisible(): WizardContext {
  const start = initialContext({ subscription: { subscription: { id: `/subscriptions/${SUB}`, subscriptionId: SUB, displayName: 'Fabrikam Production', tenantId: FABRIKAM, state: 'Enabled' }, source: directory(FABRIKAM, 'Fabrikam Labs', false), accountKey: OWNER.accountKey, session: OWNER.session }, changeApi: true });
  return drive(start, { type: 'chooseTarget', tenantId: CONTOSO }, { type: 'openStep', step: 'visible' }).ctx;
}

describe('wizard machine: two identities (pure)', () => {
  it('offers a target only another signed-in account reaches, reads who may invite, and invites the owner as that account', () => {
    let r = drive(atVisible(), { type: 'visibleChecked', listed: false, token: null });
    assert.equal(r.ctx.targetTenantId, CONTOSO, 'Contoso is a target through Megan');
    assert.deepEqual(r.effects, [{ kind: 'scanAccounts', tenantId: CONTOSO }]);
    assert.equal(project(r.ctx, world).parties?.scanning, true);
    r = drive(r.ctx, { type: 'accountsScanned', tenantId: CONTOSO, access: [megan] });
    const parties = project(r.ctx, world).parties;
    assert.deepEqual(parties?.inviters, [{ key: ADMIN.accountKey, label: MEGAN }]);
    assert.ok(isWizardState(project(r.ctx, world)), 'the state passes the protocol validator');

    r = drive(r.ctx, { type: 'inviteOwner', accountKey: ADMIN.accountKey });
    assert.deepEqual(r.effects, [{ kind: 'confirm', confirmation: { kind: 'invite', address: RILEY, target: 'Contoso Ltd', inviter: MEGAN } }]);
    r = drive(r.ctx, { type: 'confirmed', confirmation: { kind: 'invite', address: RILEY, target: 'Contoso Ltd', inviter: MEGAN } });
    assert.deepEqual(r.effects, [{ kind: 'invite', tenantId: CONTOSO, accountKey: ADMIN.accountKey, address: RILEY }]);
    const url = 'http://127.0.0.1:9/portal/redeem/abc';
    r = drive(r.ctx, { type: 'ownerInvited', invitation: { accountKey: ADMIN.accountKey, by: MEGAN, userId: 'guest-id', redeemUrl: url, accepted: false } });
    assert.deepEqual(project(r.ctx, world).parties?.invitation, { by: MEGAN, redeemUrl: url, accepted: false });
    assert.deepEqual(drive(r.ctx, { type: 'openInvitation' }).effects, [{ kind: 'openUrl', url }]);
    // Checking again after the redemption reads the accounts again.
    r = drive(r.ctx, { type: 'recheck' }, { type: 'visibleChecked', listed: true, token: 'ok' });
    assert.deepEqual(kinds(r.effects), ['scanAccounts']);
  });

  it('without an account that may invite: nothing is sent, the administrator\'s message is copied, another account can sign in', () => {
    let r = drive(atVisible(), { type: 'visibleChecked', listed: false, token: null }, { type: 'accountsScanned', tenantId: CONTOSO, access: [{ ...megan, canInvite: false, canAccept: false }] });
    assert.deepEqual(project(r.ctx, world).parties?.inviters, []);
    assert.deepEqual(drive(r.ctx, { type: 'inviteOwner', accountKey: ADMIN.accountKey }).effects, [], 'a stale button invites no one');
    r = drive(r.ctx, { type: 'copyAdminMessage' });
    const copy = r.effects[0];
    assert.ok(copy?.kind === 'copyText');
    assert.match(copy.text, /Please invite riley@fabrikamlabs\.onmicrosoft\.com to Contoso Ltd as a guest/);
    assert.deepEqual(drive(r.ctx, { type: 'signInAnotherAccount' }).effects, [{ kind: 'signInAnotherAccount' }]);
    assert.deepEqual(kinds(drive(r.ctx, { type: 'accountsChanged' }).effects), ['scanAccounts', 'checkVisible']);
  });

  it('proposes the signed-in administrator as acceptor, names her in the request, and accepts with her account after the modal', () => {
    let r = drive(atVisible(), { type: 'visibleChecked', listed: true, token: 'ok' }, { type: 'accountsScanned', tenantId: CONTOSO, access: [megan, { ...megan, accountKey: OWNER.accountKey, label: RILEY, objectId: 'riley-guest', canInvite: false, canAccept: false }] });
    assert.deepEqual(project(r.ctx, world).parties?.acceptor, { key: ADMIN.accountKey, label: MEGAN });
    const change = { kind: 'changeDirectory' as const, subscription: 'Fabrikam Production', from: 'Fabrikam Labs', to: 'Contoso Ltd', deleted: 3, customRoles: 0 };
    r = drive(r.ctx, { type: 'confirmed', confirmation: change });
    assert.deepEqual(r.effects, [{ kind: 'changeDirectoryApi', tenantId: CONTOSO, destinationOwner: MEGAN_ID }]);
    r = drive(r.ctx, { type: 'changeInitiated' });
    assert.deepEqual(r.effects, [{ kind: 'readRequest' }, { kind: 'confirm', confirmation: { kind: 'acceptAs', acceptor: MEGAN, subscription: 'Fabrikam Production', to: 'Contoso Ltd' } }]);
    assert.equal(r.ctx.error, null, 'no "a Global Administrator must accept" banner: she accepts here');
    r = drive(r.ctx, { type: 'confirmed', confirmation: { kind: 'acceptAs', acceptor: MEGAN, subscription: 'Fabrikam Production', to: 'Contoso Ltd' } });
    assert.deepEqual(r.effects, [{ kind: 'acceptRequest', tenantId: CONTOSO, accountKey: ADMIN.accountKey }]);
    r = drive(r.ctx, { type: 'requestAccepted' });
    assert.deepEqual(kinds(r.effects), ['cancelMove', 'watchMove']);
    assert.equal(r.ctx.accounts.acceptor?.accountKey, ADMIN.accountKey, 'step 3 acts as Megan');
  });

  it('a typed acceptor: the request waits for them; copy, check again and cancel; the choice is locked while it waits', () => {
    let r = drive(atVisible(), { type: 'visibleChecked', listed: true, token: 'ok' }, { type: 'accountsScanned', tenantId: CONTOSO, access: [] });
    r = drive(r.ctx, { type: 'typedAcceptor', address: 'megan at contoso' });
    assert.match(r.ctx.error?.message ?? '', /is not an address/);
    r = drive(r.ctx, { type: 'typedAcceptor', address: ' Megan@Contoso.com ' });
    assert.deepEqual(project(r.ctx, world).parties?.acceptor, { key: null, label: MEGAN });
    r = drive(r.ctx, { type: 'confirmed', confirmation: { kind: 'changeDirectory', subscription: 'Fabrikam Production', from: 'Fabrikam Labs', to: 'Contoso Ltd', deleted: 3, customRoles: 0 } });
    assert.deepEqual(r.effects, [{ kind: 'changeDirectoryApi', tenantId: CONTOSO, destinationOwner: MEGAN }]);
    r = drive(r.ctx, { type: 'changeInitiated' }, { type: 'requestRead', request: { acceptor: MEGAN_ID, expiresOn: '2026-11-27T16:00:00Z', state: 'pending' } });
    assert.equal(project(r.ctx, world).change?.status, 'idle');
    r = drive(r.ctx, { type: 'openStep', step: 'change' });
    assert.deepEqual(drive(r.ctx, { type: 'recheck' }).effects, [{ kind: 'readRequest' }], 'checking again reads the request');
    assert.equal(drive(r.ctx, { type: 'chooseAcceptor', accountKey: ADMIN.accountKey }).ctx.accounts.acceptor, undefined, 'locked while pending');
    const copied = drive(r.ctx, { type: 'copyAcceptorRequest' }).effects[0];
    assert.ok(copied?.kind === 'copyText' && copied.text.includes('as megan@contoso.com in Contoso Ltd') && copied.text.includes('expires at 2026-11-27T16:00:00Z'));
    r = drive(r.ctx, { type: 'cancelRequest' });
    assert.deepEqual(r.effects, [{ kind: 'confirm', confirmation: { kind: 'cancelRequest', subscription: 'Fabrikam Production', to: 'Contoso Ltd' } }]);
    r = drive(r.ctx, { type: 'confirmed', confirmation: { kind: 'cancelRequest', subscription: 'Fabrikam Production', to: 'Contoso Ltd' } });
    assert.deepEqual(r.effects, [{ kind: 'cancelRequest' }]);
    r = drive(r.ctx, { type: 'requestCancelled' });
    assert.deepEqual(r.effects, [{ kind: 'cancelMove' }]);
    assert.equal(project(r.ctx, world).parties?.request?.state, 'cancelled');
  });
});
