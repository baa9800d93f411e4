/**
 * Who acts in which role (issue 10), derived from the context and the world: the signed-in accounts, the owner's
 * account in the target, the acceptor the request names. Pure; shared by the steps and the effects.
 */
import type { WizardAccount, WizardContext, WizardWorld } from './context';
import type { PartyAccess } from './partyEvents';

/** Every signed-in account, the owner first (a world that does not list them has only the owner). */
export function signedInAccounts(ctx: WizardContext, world: WizardWorld): readonly WizardAccount[] {
  const owner = ctx.accounts.owner;
  const others = (world.accounts?.() ?? []).filter((a) => a.accountKey !== owner.accountKey);
  return [owner, ...others];
}

export function ownerLabel(ctx: WizardContext): string {
  return ctx.accounts.owner.session.account.label;
}

/** What the owner may do in the target; undefined until read (or when the owner is not in the target). */
export function ownerAccess(ctx: WizardContext): PartyAccess | undefined {
  return ctx.parties.access.find((a) => a.accountKey === ctx.accounts.owner.accountKey);
}

/** The owner's object id in the target: their own account there once it answers, else the guest just invited. */
export function ownerInTarget(ctx: WizardContext): string | undefined {
  return ownerAccess(ctx)?.objectId ?? ctx.parties.invitation?.userId;
}

/** The acceptor is a signed-in account other than the owner. */
export function otherAcceptor(ctx: WizardContext): WizardAccount | undefined {
  const a = ctx.accounts.acceptor;
  return a !== undefined && a.accountKey !== ctx.accounts.owner.accountKey ? a : undefined;
}

/**
 * The request's `destinationOwnerId` for the change effect: the chosen acceptor's object id in the target (or the
 * typed address); nothing when the owner accepts themself (the core names the owner then).
 */
export function destinationOwner(ctx: WizardContext): { readonly destinationOwner?: string } {
  const other = otherAcceptor(ctx);
  const id = other ? ctx.parties.access.find((a) => a.accountKey === other.accountKey)?.objectId : undefined;
  if (id !== undefined) return { destinationOwner: id };
  return ctx.parties.acceptorAddress !== null ? { destinationOwner: ctx.parties.acceptorAddress } : {};
}

/** The name of who accepts, when it is not the owner (the change modal and the hand-off say it). */
export function acceptorName(ctx: WizardContext): string | undefined {
  return otherAcceptor(ctx)?.session.account.label ?? ctx.parties.acceptorAddress ?? undefined;
}
