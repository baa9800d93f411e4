/**
 * Two identities across steps 1–3 (issue 10): the subscription's owner initiates, an administrator of the target
 * invites the owner (step 1) and accepts the request (step 2), and after the move only the acceptor holds Owner, so
 * step 3 acts as the acceptor and offers to give the owner their role back. Pure: `partiesHandle` owns the events of
 * this flow (the machine asks it before the steps), `afterStep` adds the reads the steps' own events call for.
 */
import type { PartiesState, PartyAccount } from '../../webview/protocol';
import { subscriptionIdOf, type PartiesModel, type WizardContext, type WizardWorld } from '../context';
import { moved, targetName } from '../derive';
import type { Confirmation, WizardEvent } from '../events';
import type { PartyAccess } from '../partyEvents';
import { acceptorName, otherAcceptor, ownerAccess, ownerInTarget, ownerLabel, signedInAccounts } from '../roles';
import { guestsConfirmed, guestsHandle, projectGuests } from './guests';
import { checkVisible } from './visible';
import { deleted, watch } from './change';
import { stay, type StepUpdate } from './step';

const ADDRESS = /^[^\s@#]+@[^\s@#]+\.[^\s@#]+$/;

function withParties(ctx: WizardContext, change: (p: PartiesModel) => PartiesModel): WizardContext {
  return { ...ctx, parties: change(ctx.parties) };
}

/** Reads what each signed-in account may do in the target. */
export function scan(ctx: WizardContext): StepUpdate {
  const tenantId = ctx.targetTenantId;
  if (tenantId === null) return stay(ctx);
  return { ctx: withParties(ctx, (p) => ({ ...p, scanning: true })), effects: [{ kind: 'scanAccounts', tenantId }] };
}

/** The proposed acceptor once the accounts are read: the owner when they may accept, else the first who may. */
function proposeAcceptor(ctx: WizardContext, world: WizardWorld): WizardContext {
  const p = ctx.parties;
  if (p.acceptorChosen || p.acceptorAddress !== null) return ctx;
  if (p.access.some((a) => a.accountKey === ctx.accounts.owner.accountKey && a.canAccept)) return ctx;
  const first = p.access.find((a) => a.canAccept);
  const account = first ? signedInAccounts(ctx, world).find((a) => a.accountKey === first.accountKey) : undefined;
  return account ? { ...ctx, accounts: { ...ctx.accounts, acceptor: account } } : ctx;
}

/** The message an administrator of the target needs to invite the owner (copied for them). */
function adminMessage(ctx: WizardContext, world: WizardWorld): string {
  const l10n = world.l10n;
  const name = targetName(ctx, world);
  const owner = ownerLabel(ctx);
  // The steps of https://learn.microsoft.com/entra/external-id/add-users-administrator (Invite an external user).
  return [
    l10n.t('Please invite {0} to {1} as a guest, so that the Azure subscription "{2}" can move into {1}.', owner, name, ctx.subscription.subscription.displayName),
    l10n.t('In the Microsoft Entra admin center (https://entra.microsoft.com), as at least a Guest Inviter or User Administrator of {0}:', name),
    l10n.t('1. Go to Entra ID > Users > All users, and select New user > Invite external user.'),
    l10n.t('2. Email: {0}. Select Review + invite, then Invite.', owner),
    l10n.t('3. Send me the redemption link from the invited user\'s page (or I accept the invitation email).'),
  ].join('\n');
}

/** The text the acceptor needs to accept the request (copied for them). */
function acceptorRequest(ctx: WizardContext, world: WizardWorld): string {
  const l10n = world.l10n;
  const s = ctx.subscription;
  const expires = ctx.parties.request?.expiresOn;
  return [
    l10n.t('{0} asks you to accept moving the Azure subscription "{1}" ({2}) from {3} into {4}.', ownerLabel(ctx), s.subscription.displayName, subscriptionIdOf(ctx), s.source.displayName ?? s.subscription.tenantId, targetName(ctx, world)),
    l10n.t('Sign in to the Azure portal (https://portal.azure.com) as {0} in {1}, open Subscriptions, select the pending change directory request for "{2}", and select Accept.', acceptorName(ctx) ?? l10n.t('a Global Administrator'), targetName(ctx, world), s.subscription.displayName),
    ...(expires ? [l10n.t('The request expires at {0}.', expires)] : []),
    l10n.t('After you accept, only you hold Owner on the subscription: please restore the access and give {0} their role back.', ownerLabel(ctx)),
  ].join('\n');
}

function confirmation(ctx: WizardContext, world: WizardWorld, kind: 'acceptAs' | 'cancelRequest' | 'ownerBack'): Confirmation {
  const subscription = ctx.subscription.subscription.displayName;
  const to = targetName(ctx, world);
  if (kind === 'acceptAs') {
    // Accepting is what deletes: the modal carries the counts, when the plan has been read.
    const counts = ctx.plan ? { deleted: deleted(ctx), customRoles: ctx.plan.impact.customRoles.length } : {};
    return { kind, acceptor: otherAcceptor(ctx)?.session.account.label ?? '', subscription, to, ...counts };
  }
  if (kind === 'cancelRequest') return { kind, subscription, to };
  return { kind, owner: ownerAccess(ctx)?.userPrincipalName ?? ownerLabel(ctx), subscription, target: to };
}

function confirmed(ctx: WizardContext, c: Confirmation, world: WizardWorld): StepUpdate | undefined {
  const tenantId = ctx.targetTenantId;
  if (tenantId === null) return undefined;
  const l10n = world.l10n;
  switch (c.kind) {
    case 'invite': {
      const inviter = ctx.accounts.inviter;
      if (!inviter) return stay(ctx);
      return {
        ctx: { ...withParties(ctx, (p) => ({ ...p, inviting: true })), busy: l10n.t('Inviting {0} to {1}…', c.address, c.target) },
        effects: [{ kind: 'invite', tenantId, accountKey: inviter.accountKey, address: c.address }],
      };
    }
    case 'acceptAs': {
      const acceptor = otherAcceptor(ctx);
      if (!acceptor) return stay(ctx);
      return { ctx: { ...ctx, change: 'inProgress', busy: l10n.t('Accepting the request as {0}…', c.acceptor) }, effects: [{ kind: 'acceptRequest', tenantId, accountKey: acceptor.accountKey }] };
    }
    case 'cancelRequest':
      return { ctx: { ...ctx, busy: l10n.t('Cancelling the change directory request…') }, effects: [{ kind: 'cancelRequest' }] };
    case 'inviteGuests':
      return guestsConfirmed(ctx, c, world);
    case 'ownerBack': {
      const principalId = ownerInTarget(ctx);
      if (principalId === undefined) return stay(ctx);
      return { ctx: withParties(ctx, (p) => ({ ...p, ownerBack: { status: 'working', reason: null } })), effects: [{ kind: 'giveOwnerBack', tenantId, principalId }] };
    }
    default:
      return undefined;
  }
}

/** The events of the two-identities flow; undefined for every other event (the steps handle those). */
export function partiesHandle(ctx: WizardContext, event: WizardEvent, world: WizardWorld): StepUpdate | undefined {
  const l10n = world.l10n;
  const p = ctx.parties;
  switch (event.type) {
    case 'accountsScanned':
      if (event.tenantId !== ctx.targetTenantId) return stay(ctx);
      return stay(proposeAcceptor(withParties(ctx, (x) => ({ ...x, scanning: false, scannedFor: event.tenantId, access: event.access })), world));
    case 'accountsChanged': {
      const s = scan(ctx);
      const v = ctx.active === 'visible' ? checkVisible(s.ctx) : stay(s.ctx);
      return { ctx: v.ctx, effects: [...s.effects, ...v.effects] };
    }
    case 'inviteOwner': {
      const who = p.access.find((a) => a.accountKey === event.accountKey && a.canInvite);
      const account = who ? signedInAccounts(ctx, world).find((a) => a.accountKey === who.accountKey) : undefined;
      if (!account || ctx.targetTenantId === null || p.inviting) return stay(ctx);
      return { ctx: { ...ctx, accounts: { ...ctx.accounts, inviter: account } }, effects: [{ kind: 'confirm', confirmation: { kind: 'invite', address: ownerLabel(ctx), target: targetName(ctx, world), inviter: account.session.account.label } }] };
    }
    case 'ownerInvited':
      return stay({ ...withParties(ctx, (x) => ({ ...x, inviting: false, invitation: event.invitation })), busy: null });
    case 'partyFailed':
      return stay({ ...withParties(ctx, (x) => ({ ...x, inviting: false, scanning: false, ownerBack: x.ownerBack?.status === 'working' ? { status: 'failed', reason: event.error.message } : x.ownerBack })), change: ctx.change === 'inProgress' ? 'idle' : ctx.change, busy: null, error: event.error });
    case 'openInvitation':
      return { ctx, effects: p.invitation ? [{ kind: 'openUrl', url: p.invitation.redeemUrl }] : [] };
    case 'copyInvitation':
      return { ctx, effects: p.invitation ? [{ kind: 'copyText', text: p.invitation.redeemUrl }] : [] };
    case 'copyAdminMessage':
      return ctx.targetTenantId === null ? stay(ctx) : { ctx, effects: [{ kind: 'copyText', text: adminMessage(ctx, world) }] };
    case 'signInAnotherAccount':
      return { ctx, effects: [{ kind: 'signInAnotherAccount' }] };
    case 'chooseAcceptor': {
      const account = signedInAccounts(ctx, world).find((a) => a.accountKey === event.accountKey);
      if (!account || p.request?.state === 'pending') return stay(ctx);
      const acceptor = account.accountKey === ctx.accounts.owner.accountKey ? undefined : account;
      return stay({ ...withParties(ctx, (x) => ({ ...x, acceptorChosen: true, acceptorAddress: null })), accounts: { ...ctx.accounts, acceptor } });
    }
    case 'typedAcceptor': {
      const address = event.address.trim();
      if (!ADDRESS.test(address)) return stay({ ...ctx, error: { message: l10n.t('"{0}" is not an address: type the acceptor\'s user principal name or mail.', address) } });
      if (p.request?.state === 'pending') return stay(ctx);
      return stay({ ...withParties(ctx, (x) => ({ ...x, acceptorChosen: true, acceptorAddress: address.toLowerCase() })), accounts: { ...ctx.accounts, acceptor: undefined } });
    }
    case 'changeInitiated': {
      // Two parties: the owner initiated naming someone else; they accept here (signed in) or elsewhere.
      if (acceptorName(ctx) === undefined) return undefined;
      const pending = { ...ctx, busy: null, change: 'idle' as const };
      const read = { kind: 'readRequest' as const };
      if (otherAcceptor(ctx)) return { ctx: pending, effects: [read, { kind: 'confirm', confirmation: confirmation(ctx, world, 'acceptAs') }] };
      return { ctx: pending, effects: [read] };
    }
    case 'acceptRequest':
      return otherAcceptor(ctx) && p.request?.state === 'pending' ? { ctx, effects: [{ kind: 'confirm', confirmation: confirmation(ctx, world, 'acceptAs') }] } : stay(ctx);
    case 'requestAccepted': {
      const w = watch({ ...withParties(ctx, (x) => ({ ...x, request: x.request ? { ...x.request, state: 'accepted' } : null })), busy: null }, world);
      return w;
    }
    case 'requestRead':
      return stay(withParties(ctx, (x) => ({ ...x, request: event.request })));
    case 'copyAcceptorRequest':
      return { ctx, effects: [{ kind: 'copyText', text: acceptorRequest(ctx, world) }] };
    case 'cancelRequest':
      return p.request?.state === 'pending' ? { ctx, effects: [{ kind: 'confirm', confirmation: confirmation(ctx, world, 'cancelRequest') }] } : stay(ctx);
    case 'requestCancelled':
      return { ctx: { ...withParties(ctx, (x) => ({ ...x, request: x.request ? { ...x.request, state: 'cancelled' } : null })), busy: null }, effects: [{ kind: 'cancelMove' }] };
    case 'recheck':
      // A request someone else accepts elsewhere: checking again reads it.
      return ctx.active === 'change' && p.request?.state === 'pending' && !otherAcceptor(ctx) ? { ctx, effects: [{ kind: 'readRequest' }] } : undefined;
    case 'giveOwnerBack':
      return ownerInTarget(ctx) !== undefined && otherAcceptor(ctx) ? { ctx, effects: [{ kind: 'confirm', confirmation: confirmation(ctx, world, 'ownerBack') }] } : stay(ctx);
    case 'ownerBackResult':
      return stay(withParties(ctx, (x) => ({ ...x, ownerBack: event.result.status === 'failed' ? { status: 'failed', reason: event.result.reason ?? null } : { status: event.result.status, reason: null } })));
    case 'confirmed':
      return confirmed(ctx, event.confirmation, world);
    default:
      return guestsHandle(ctx, event, world);
  }
}

/** After a step handled `event`: read the accounts again where the answer may have changed. */
export function afterStep(update: StepUpdate, event: WizardEvent, world: WizardWorld): StepUpdate {
  const ctx = update.ctx;
  // Step 3 after a reload: who accepted is not known here, so read who may act (the acceptor is proposed from it).
  const entering = event.type === 'openStep' && ctx.active === 'admins' && ownerAccess(ctx) === undefined && signedInAccounts(ctx, world).length > 1;
  const rescan = event.type === 'visibleChecked' || entering;
  // Step 2 opened with no request known here (after a reload, or one sent from another window or the CLI): read it,
  // so that a pending request shows with who must accept and its expiry.
  const readRequest = event.type === 'openStep' && ctx.active === 'change' && ctx.parties.request === null && ctx.change !== 'inProgress' && !moved(ctx, world);
  const read = readRequest ? [{ kind: 'readRequest' as const, quiet: true }] : [];
  if (!rescan || ctx.parties.scanning) return read.length ? { ctx, effects: [...update.effects, ...read] } : update;
  const s = scan(ctx);
  return { ctx: s.ctx, effects: [...update.effects, ...s.effects, ...read] };
}

function accountsWhere(ctx: WizardContext, can: (a: PartyAccess) => boolean): PartyAccount[] {
  return ctx.parties.access.filter(can).map((a) => ({ key: a.accountKey, label: a.label }));
}

/** The UI's slice: accounts by what they may do, the invitation, the acceptor, the request, the owner's role back. */
export function projectParties(ctx: WizardContext, world: WizardWorld): PartiesState {
  const p = ctx.parties;
  const other = otherAcceptor(ctx);
  const ownerCanAccept = ownerAccess(ctx)?.canAccept === true;
  const acceptor = other
    ? { key: other.accountKey, label: other.session.account.label }
    : p.acceptorAddress !== null ? { key: null, label: p.acceptorAddress } : ownerCanAccept ? { key: ctx.accounts.owner.accountKey, label: ownerLabel(ctx) } : null;
  const ownerId = ownerInTarget(ctx);
  const offerOwnerBack = other !== undefined && ownerId !== undefined && moved(ctx, world);
  return {
    owner: ownerLabel(ctx),
    scanning: p.scanning,
    inviters: accountsWhere(ctx, (a) => a.canInvite),
    acceptors: accountsWhere(ctx, (a) => a.canAccept),
    inviting: p.inviting,
    invitation: p.invitation ? { by: p.invitation.by, redeemUrl: p.invitation.redeemUrl, accepted: p.invitation.accepted || ownerAccess(ctx) !== undefined } : null,
    acceptor,
    request: p.request,
    ownerBack: offerOwnerBack ? { label: ownerAccess(ctx)?.userPrincipalName ?? ownerLabel(ctx), status: p.ownerBack?.status ?? 'offered', reason: p.ownerBack?.reason ?? null } : null,
    guests: projectGuests(ctx, world),
  };
}
