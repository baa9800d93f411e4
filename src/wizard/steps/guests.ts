/**
 * Step 3, two identities (issue 10): "Invite the unmatched users as guests". The old directory's users do not exist in
 * the Office 365 directory, so the restore leaves them unmatched; a signed-in account that may invite there sends each
 * one with a mail address a guest invitation (after a modal that lists them), and the restore rows are then mapped to
 * the new guests (the controller maps again with the guests as overrides). Groups and service principals stay for the
 * user to map, with the reason — never matched by name. Pure: the core's `planInvitations` decides who can be invited.
 */
import { planInvitations, type InvitationOutcome } from '../../core/identities';
import type { GuestRow, GuestsState } from '../../webview/protocol';
import { accountFor, type WizardAccount, type WizardContext, type WizardWorld } from '../context';
import { moved, targetName } from '../derive';
import type { Confirmation, WizardEvent } from '../events';
import { signedInAccounts } from '../roles';
import { stay, type StepUpdate } from './step';

/** The account that sends the invitations: the one acting in step 3 when it may invite, else another signed-in one that may. */
function inviter(ctx: WizardContext, world: WizardWorld): WizardAccount | undefined {
  const may = new Set(ctx.parties.access.filter((a) => a.canInvite).map((a) => a.accountKey));
  const actor = accountFor(ctx.accounts, 'acceptor');
  if (may.has(actor.accountKey)) return actor;
  return signedInAccounts(ctx, world).find((a) => may.has(a.accountKey));
}

function planned(ctx: WizardContext, world: WizardWorld): ReturnType<typeof planInvitations> {
  const mapping = ctx.admins?.mapping;
  return mapping ? planInvitations(mapping, world.l10n) : [];
}

/** The intent, the modal's answer and the result; undefined for every other event. */
export function guestsHandle(ctx: WizardContext, event: WizardEvent, world: WizardWorld): StepUpdate | undefined {
  switch (event.type) {
    case 'inviteUnmatched': {
      const who = inviter(ctx, world);
      const addresses = planned(ctx, world).flatMap((r) => (r.action === 'invite' && r.address !== null ? [r.address] : []));
      if (ctx.active !== 'admins' || !who || addresses.length === 0 || ctx.parties.guests.working) return stay(ctx);
      const confirmation: Confirmation = { kind: 'inviteGuests', addresses, target: targetName(ctx, world), inviter: who.session.account.label };
      return { ctx, effects: [{ kind: 'confirm', confirmation }] };
    }
    case 'guestsInvited':
      return stay({ ...ctx, busy: null, parties: { ...ctx.parties, guests: { working: false, outcomes: event.outcomes ?? ctx.parties.guests.outcomes } } });
    default:
      return undefined;
  }
}

/** After "Invite" in the modal: the effect, as the account that may invite. */
export function guestsConfirmed(ctx: WizardContext, c: Extract<Confirmation, { kind: 'inviteGuests' }>, world: WizardWorld): StepUpdate {
  const who = inviter(ctx, world);
  const tenantId = ctx.targetTenantId;
  if (!who || tenantId === null) return stay(ctx);
  return {
    ctx: { ...ctx, parties: { ...ctx.parties, guests: { ...ctx.parties.guests, working: true } }, busy: world.l10n.t('Inviting {0} users to {1} as guests…', String(c.addresses.length), c.target) },
    effects: [{ kind: 'inviteGuests', tenantId, accountKey: who.accountKey }],
  };
}

function rowOf(o: Pick<InvitationOutcome, 'name' | 'address' | 'oldPrincipalType' | 'assignments' | 'reason'> & { readonly status: GuestRow['status'] }): GuestRow {
  return { name: o.name, address: o.address, type: o.oldPrincipalType, assignments: o.assignments, status: o.status, reason: o.reason === '' ? null : o.reason };
}

/**
 * The UI's slice, after the move, when a signed-in account may invite: what was sent (each row's result), or what can
 * be (users with a mail address; the others kept with why). Null when there is nothing to invite.
 */
export function projectGuests(ctx: WizardContext, world: WizardWorld): GuestsState | null {
  if (ctx.active !== 'admins' || !moved(ctx, world)) return null;
  const who = inviter(ctx, world);
  if (!who) return null;
  const sent = ctx.parties.guests.outcomes;
  if (sent !== null) return { inviter: who.session.account.label, working: ctx.parties.guests.working, rows: sent.map(rowOf) };
  const plan = planned(ctx, world);
  if (!plan.some((r) => r.action === 'invite')) return null;
  return {
    inviter: who.session.account.label,
    working: ctx.parties.guests.working,
    rows: plan.map((r) => rowOf({ ...r, status: r.action === 'invite' ? 'planned' : 'kept' })),
  };
}
