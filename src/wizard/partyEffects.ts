/**
 * Runs the two-identities effects (`partyEvents.ts`) on the core, each with the session of the account in its role:
 * the inviter invites (Graph POST /invitations), the owner reads and cancels the request (DELETE), the acceptor
 * accepts and gives the owner their role back. Results and failures come back as events, failures in Entra's words.
 */
import { isAzureError } from '../azure/errors';
import { accessIn, inviteUnmatched, inviteUser, planInvitations } from '../core/identities';
import { acceptChangeRequest, cancelChangeRequest, changeRequestOf } from '../core/requests';
import { addAdministrators } from '../core/restore';
import { BUILT_IN_ROLES } from '../azure/models';
import type { Banner, PartyRequest } from '../webview/protocol';
import { accountFor, type WizardAccount, type WizardContext } from './context';
import type { WizardEvent } from './events';
import type { PartyAccess, PartyEffect } from './partyEvents';
import type { WizardHost } from './ports';
import { matchedOverrides, previewRestore } from './restorePreview';
import { signedInAccounts } from './roles';
import { resultOf } from './toProtocol';

export interface PartyRunner {
  readonly ctx: WizardContext;
  readonly host: WizardHost;
  readonly signal: AbortSignal;
  dispatch(event: WizardEvent): Promise<void>;
  banner(e: unknown): Banner;
}

function account(r: PartyRunner, key: string): WizardAccount | undefined {
  return signedInAccounts(r.ctx, r.host.world()).find((a) => a.accountKey === key);
}

/** What each signed-in account may do in `tenantId`; an account that is not in it (or cannot tell) is left out. */
async function scanAccounts(r: PartyRunner, tenantId: string): Promise<PartyAccess[]> {
  const found = await Promise.all(signedInAccounts(r.ctx, r.host.world()).map(async (a): Promise<PartyAccess | undefined> => {
    try {
      const access = await accessIn(a.session, tenantId, r.signal);
      return { accountKey: a.accountKey, label: a.session.account.label, objectId: access.objectId, userPrincipalName: access.userPrincipalName, canInvite: access.canInvite, canAccept: access.canAccept };
    } catch (e) {
      if (r.signal.aborted || !isAzureError(e)) throw e;
      if (e.kind !== 'notSignedIn' && e.kind !== 'wrongTenant' && e.kind !== 'unauthorized') r.host.log.warn(`Could not read what ${a.session.account.label} may do in ${tenantId}: ${e.message}`);
      return undefined;
    }
  }));
  return found.filter((a): a is PartyAccess => a !== undefined);
}

function requestOf(info: Awaited<ReturnType<typeof changeRequestOf>>): PartyRequest | null {
  return info === undefined ? null : { acceptor: info.destinationOwnerId, expiresOn: info.expiresOn, state: info.state };
}

/**
 * Invites the unmatched users as guests (as the account that may, as `restore --invite-unmatched` does), then maps again
 * with the new guests as overrides, keeping every principal matched before (the user's picks included).
 */
async function inviteGuests(r: PartyRunner, effect: Extract<PartyEffect, { kind: 'inviteGuests' }>): Promise<void> {
  const l10n = r.host.world().l10n;
  const { snapshotData: snapshot, admins } = r.ctx;
  const inviter = account(r, effect.accountKey);
  if (!snapshot || !admins?.mapping || !inviter) return r.dispatch({ type: 'guestsInvited', outcomes: null });
  let sent: Awaited<ReturnType<typeof inviteUnmatched>>;
  try {
    sent = await inviteUnmatched(inviter.session, effect.tenantId, planInvitations(admins.mapping, l10n), l10n, { signal: r.signal });
  } catch (e) {
    await r.dispatch({ type: 'guestsInvited', outcomes: null });
    throw e;
  }
  await r.dispatch({ type: 'guestsInvited', outcomes: sent.outcomes });
  if (sent.overrides.size === 0) return;
  const overrides = new Map([...matchedOverrides(admins.mapping), ...sent.overrides]);
  await r.dispatch(await previewRestore(accountFor(r.ctx.accounts, 'acceptor').session, snapshot, effect.tenantId, l10n, r.signal, overrides));
}

/** Runs one effect; a failure is a `partyFailed` event with the error as the user reads it. */
export async function runPartyEffect(r: PartyRunner, effect: PartyEffect): Promise<void> {
  const { ctx, host } = r;
  const l10n = host.world().l10n;
  const sub = ctx.subscription.subscription;
  try {
    switch (effect.kind) {
      case 'scanAccounts':
        await r.dispatch({ type: 'accountsScanned', tenantId: effect.tenantId, access: await scanAccounts(r, effect.tenantId) });
        return;
      case 'invite': {
        const inviter = account(r, effect.accountKey);
        if (!inviter) return;
        const inv = await inviteUser(inviter.session, effect.tenantId, effect.address, l10n, r.signal);
        await r.dispatch({ type: 'ownerInvited', invitation: { accountKey: inviter.accountKey, by: inviter.session.account.label, userId: inv.userId, redeemUrl: inv.redeemUrl, accepted: inv.status === 'Completed' } });
        return;
      }
      case 'signInAnotherAccount': {
        // The adapter of the owner's cloud (the sandbox's or Microsoft's): no account named, so the user picks one.
        const added = await ctx.accounts.owner.session.auth.signIn();
        if (added === undefined) return;
        await host.refreshAccounts?.();
        await r.dispatch({ type: 'accountsChanged' });
        return;
      }
      case 'openUrl':
        await host.openExternal(effect.url);
        return;
      case 'inviteGuests':
        await inviteGuests(r, effect);
        return;
      case 'readRequest': {
        let request: PartyRequest | null;
        try {
          request = requestOf(await changeRequestOf(ctx.accounts.owner.session, sub, { signal: r.signal }));
        } catch (e) {
          if (effect.quiet !== true || r.signal.aborted) throw e;
          host.log.warn(`Step 2: the change directory request of ${sub.subscriptionId} could not be read: ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
        await r.dispatch({ type: 'requestRead', request });
        return;
      }
      case 'cancelRequest': {
        await cancelChangeRequest(ctx.accounts.owner.session, sub, l10n, r.signal);
        await r.dispatch({ type: 'requestCancelled' });
        return;
      }
      case 'acceptRequest': {
        const acceptor = account(r, effect.accountKey);
        if (!acceptor) return;
        await acceptChangeRequest(acceptor.session, sub.subscriptionId, effect.tenantId, r.signal);
        await r.dispatch({ type: 'requestAccepted' });
        return;
      }
      case 'giveOwnerBack': {
        const acceptor = ctx.accounts.acceptor ?? ctx.accounts.owner;
        const [row] = await addAdministrators(acceptor.session, sub.subscriptionId, effect.tenantId, [effect.principalId], BUILT_IN_ROLES.owner, l10n, { signal: r.signal });
        await r.dispatch({ type: 'ownerBackResult', result: row ? resultOf(row) : { status: 'failed', reason: effect.principalId } });
        return;
      }
    }
  } catch (e) {
    if (r.signal.aborted) return;
    host.log.error(`Wizard ${effect.kind} failed`, e);
    await r.dispatch({ type: 'partyFailed', error: r.banner(e) });
  }
}
