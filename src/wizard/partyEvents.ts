/**
 * Two identities in the wizard (issue 10): the events, confirmations and effects of the owner / inviter / acceptor
 * flow, as data. `events.ts` joins them to the wizard's own; `steps/parties.ts` handles them; `partyEffects.ts` runs
 * the effects on the core (`core/identities.ts`, `core/requests.ts`).
 */
import type { InvitationOutcome } from '../core/identities';
import type { AssignmentResult, Banner, PartyRequest } from '../webview/protocol';

/** What one signed-in account may do in the target directory (read with its own session). */
export interface PartyAccess {
  readonly accountKey: string;
  readonly label: string;
  /** Its object id in the target (a guest's differs from its home one). */
  readonly objectId: string;
  readonly userPrincipalName: string | null;
  readonly canInvite: boolean;
  readonly canAccept: boolean;
}

/** The owner's invitation to the target, as Graph answered it. */
export interface PartyInvitation {
  readonly accountKey: string;
  readonly by: string;
  readonly userId: string;
  readonly redeemUrl: string;
  readonly accepted: boolean;
}

export type PartyConfirmation =
  | { readonly kind: 'invite'; readonly address: string; readonly target: string; readonly inviter: string }
  | { readonly kind: 'acceptAs'; readonly acceptor: string; readonly subscription: string; readonly to: string; readonly deleted?: number; readonly customRoles?: number }
  | { readonly kind: 'cancelRequest'; readonly subscription: string; readonly to: string }
  | { readonly kind: 'ownerBack'; readonly owner: string; readonly subscription: string; readonly target: string }
  | { readonly kind: 'inviteGuests'; readonly addresses: readonly string[]; readonly target: string; readonly inviter: string };

export type PartyResultEvent =
  | { readonly type: 'accountsScanned'; readonly tenantId: string; readonly access: readonly PartyAccess[] }
  | { readonly type: 'accountsChanged' }
  | { readonly type: 'ownerInvited'; readonly invitation: PartyInvitation }
  | { readonly type: 'partyFailed'; readonly error: Banner }
  | { readonly type: 'requestRead'; readonly request: PartyRequest | null }
  | { readonly type: 'requestCancelled' }
  | { readonly type: 'requestAccepted' }
  | { readonly type: 'ownerBackResult'; readonly result: AssignmentResult }
  /** `outcomes` null: nothing was sent (the invitations could not start). */
  | { readonly type: 'guestsInvited'; readonly outcomes: readonly InvitationOutcome[] | null };

export type PartyEffect =
  | { readonly kind: 'scanAccounts'; readonly tenantId: string }
  | { readonly kind: 'invite'; readonly tenantId: string; readonly accountKey: string; readonly address: string }
  | { readonly kind: 'signInAnotherAccount' }
  | { readonly kind: 'openUrl'; readonly url: string }
  /** `quiet`: a read on opening step 2 (a request made earlier, in another window or by the CLI); a failure is only logged. */
  | { readonly kind: 'readRequest'; readonly quiet?: boolean }
  | { readonly kind: 'cancelRequest' }
  | { readonly kind: 'acceptRequest'; readonly tenantId: string; readonly accountKey: string }
  | { readonly kind: 'giveOwnerBack'; readonly tenantId: string; readonly principalId: string }
  /** Invite the mapping's unmatched users as `accountKey`, then map the rows to the new guests (controller.ts). */
  | { readonly kind: 'inviteGuests'; readonly tenantId: string; readonly accountKey: string };
