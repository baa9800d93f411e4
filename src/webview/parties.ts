// The wizard protocol's part for two identities (issue 10): the subscription's owner and the target directory's
// administrator, side by side. Types only, plus the id lists only they use. See protocol.ts.
import type { ShownRequestState } from '../ids';

/** Step 3's "give the owner Owner back": offered, running, or its result. */
export const OWNER_BACK_STATUSES = ['offered', 'working', 'created', 'exists', 'failed'] as const;
export type OwnerBackStatus = (typeof OWNER_BACK_STATUSES)[number];

/** Step 3's "invite the unmatched users as guests": what each unmatched principal is or became. */
export const GUEST_STATUSES = ['planned', 'invited', 'failed', 'kept'] as const;
export type GuestStatus = (typeof GUEST_STATUSES)[number];

export interface GuestRow {
  /** The old principal's name (null when the snapshot has none). */
  name: string | null;
  /** The address the guest is invited with; null for those kept (groups, service principals, no mail). */
  address: string | null;
  /** User, Group, ServicePrincipal… as the snapshot saved it. */
  type: string;
  /** How many restore rows (role assignments) it has. */
  assignments: number;
  status: GuestStatus;
  /** Why it is kept, or why the invitation failed (Entra's words). */
  reason: string | null;
}

/** Step 3: unmatched users can be invited as guests by a signed-in account that may invite, then mapped and restored. */
export interface GuestsState {
  /** The account that sends the invitations. */
  inviter: string;
  working: boolean;
  rows: GuestRow[];
}

/** A signed-in account (the tree's account id and the name people read); never a token. */
export interface PartyAccount {
  key: string;
  label: string;
}

export interface PartyRequest {
  /** Who must accept (address or object id); null = any Global Administrator of the target. */
  acceptor: string | null;
  /** ISO date the request expires; null when the service did not say. */
  expiresOn: string | null;
  /** `cancelled` once the user cancelled it here. */
  state: ShownRequestState;
}

export interface PartiesState {
  /** The subscription's owner (the account that initiates). */
  owner: string;
  /** Reading what each signed-in account may do in the target. */
  scanning: boolean;
  /** Signed-in accounts that may invite guests to the target. */
  inviters: PartyAccount[];
  /** Signed-in accounts that may accept a change directory request in the target. */
  acceptors: PartyAccount[];
  inviting: boolean;
  /** The owner's invitation to the target, once sent here. */
  invitation: { by: string; redeemUrl: string; accepted: boolean } | null;
  /** Who is to accept: a signed-in account (`key`) or a typed address (`key` null); null = not chosen. */
  acceptor: { key: string | null; label: string } | null;
  request: PartyRequest | null;
  /** Step 3: the owner's own account in the new directory, and whether they have Owner back. */
  ownerBack: { label: string; status: OwnerBackStatus; reason: string | null } | null;
  /** Step 3: inviting the unmatched users as guests (null: nothing to invite, or no account here may invite). */
  guests: GuestsState | null;
}

export type PartyIntent =
  | { type: 'inviteOwner'; accountKey: string }
  | { type: 'openInvitation' }
  | { type: 'copyInvitation' }
  | { type: 'copyAdminMessage' }
  | { type: 'signInAnotherAccount' }
  | { type: 'chooseAcceptor'; accountKey: string }
  | { type: 'typedAcceptor'; address: string }
  | { type: 'copyAcceptorRequest' }
  | { type: 'cancelRequest' }
  /** Accept the pending request as the signed-in acceptor (after a modal that names them). */
  | { type: 'acceptRequest' }
  | { type: 'giveOwnerBack' }
  /** Invite the unmatched users (those with a mail address) as guests, after a modal that lists them. */
  | { type: 'inviteUnmatched' };
