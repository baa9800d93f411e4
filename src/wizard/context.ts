/**
 * The link wizard's typed context: everything the wizard knows, as plain data, in the extension host (never posted
 * as is; `toProtocol.ts` projects it). The machine (`machine.ts`) turns (context, event, world) into a new context
 * and effects; nothing here imports `vscode`.
 *
 * Accounts are named by role, so the two-identities work (owner initiates, acceptor accepts and restores, an
 * administrator invites) adds roles here instead of threading sessions through every step.
 */
import type { AzureSession } from '../azure/session';
import type { TrackProgress } from '../core/changeDirectory';
import type { DirectorySummary } from '../core/directories';
import type { MappingResult } from '../core/mapping';
import type { Localize } from '../core/l10n';
import type { DetailedPlan } from '../core/plan';
import type { InvitationOutcome } from '../core/identities';
import type { Snapshot } from '../core/snapshot';
import type { Subscription } from '../azure/models';
import type { ChangeMode, StepId } from '../ids';
import type { AssignmentResult, Banner, DoneStep, ManualSteps, OwnerBackStatus, PartyRequest, Person, RepairItem, RestoreRow, SnapshotState, VisibleStep } from '../webview/protocol';
import type { PartyAccess, PartyInvitation } from './partyEvents';

/** A subscription as the wizard sees it: where it lives and which signed-in account reaches it. */
export interface WizardSubscription {
  readonly subscription: Subscription;
  /** Its current (home) directory. */
  readonly source: DirectorySummary;
  /** The signed-in account that reaches it (the tree's account id). */
  readonly accountKey: string;
  readonly session: AzureSession;
}

/** A signed-in account acting in one role. */
export interface WizardAccount {
  readonly accountKey: string;
  readonly session: AzureSession;
}

/**
 * Who acts in each role. Today one account does everything (`owner`); the two-identities issue adds `inviter`
 * (invites the owner into the target) and `acceptor` (accepts the request and restores, the only Owner after the move).
 */
export interface WizardAccounts {
  readonly owner: WizardAccount;
  readonly inviter?: WizardAccount;
  readonly acceptor?: WizardAccount;
}

/** The account acting in `role`, falling back to the owner while only one account takes part. */
export function accountFor(accounts: WizardAccounts, role: keyof WizardAccounts): WizardAccount {
  return accounts[role] ?? accounts.owner;
}

export interface AdminsModel {
  readonly searchAllowed: boolean;
  readonly selected: readonly (Person & { result?: AssignmentResult })[];
  readonly roleDefinitionId: string;
  /** null = no snapshot to restore from. */
  readonly restore: readonly RestoreRow[] | null;
  readonly mapping: MappingResult | null;
  /** Step 3's Repair group (a dry run until the restore ran) and the steps to take by hand. */
  readonly repair: readonly RepairItem[] | null;
  readonly manual: readonly ManualSteps[];
  /** The snapshot's custom roles as the last restore left them (null: no restore has run). */
  readonly customRoles: readonly CustomRoleState[] | null;
  readonly creating: boolean;
  readonly lookupError: string | null;
}

export interface CustomRoleState {
  readonly id: string;
  readonly name: string;
  /** created / exists / failed / skipped / planned, as core's restore reports it. */
  readonly status: string;
  readonly reason?: string;
}

/** Two identities: what each signed-in account may do in the target, the owner's invitation, the request's acceptor. */
export interface PartiesModel {
  /** The target the accounts were last read for (null: not yet). */
  readonly scannedFor: string | null;
  readonly scanning: boolean;
  readonly access: readonly PartyAccess[];
  readonly inviting: boolean;
  readonly invitation: PartyInvitation | null;
  /** The user chose the acceptor (else the wizard proposes one when the accounts are read). */
  readonly acceptorChosen: boolean;
  /** An acceptor who is not signed in here, by address (a signed-in one is `accounts.acceptor`). */
  readonly acceptorAddress: string | null;
  readonly request: PartyRequest | null;
  readonly ownerBack: { readonly status: OwnerBackStatus; readonly reason: string | null } | null;
  /** Step 3: the unmatched users' invitations as guests (null: not sent yet). */
  readonly guests: { readonly working: boolean; readonly outcomes: readonly InvitationOutcome[] | null };
}

export const NO_PARTIES: PartiesModel = { scannedFor: null, scanning: false, access: [], inviting: false, invitation: null, acceptorChosen: false, acceptorAddress: null, request: null, ownerBack: null, guests: { working: false, outcomes: null } };

/** The wizard's own part of the change; waiting, seen, cancelled and timed out are `PendingMoves`' (the world). */
export type LocalChangeStatus = 'idle' | 'inProgress' | 'failed';

export interface WizardContext {
  readonly subscription: WizardSubscription;
  readonly accounts: WizardAccounts;
  readonly targetTenantId: string | null;
  readonly typedTargetError: string | null;
  readonly active: StepId;
  readonly visible: VisibleStep | null;
  readonly plan: DetailedPlan | null;
  readonly planning: boolean;
  readonly snapshot: SnapshotState;
  readonly snapshotData: Snapshot | null;
  /** The remembered snapshot was looked up for this subscription and target (once per pair). */
  readonly rememberedLooked: boolean;
  readonly mode: ChangeMode;
  readonly change: LocalChangeStatus;
  /** Opened after the move was seen elsewhere (the notification, a reload that missed it): step 3 is next. */
  readonly movedThere: boolean;
  readonly admins: AdminsModel | null;
  readonly lastSearch: readonly Person[];
  readonly done: DoneStep | null;
  readonly busy: string | null;
  readonly error: Banner | null;
  readonly parties: PartiesModel;
}

/** What the wizard reads from the rest of the extension at each step; the machine never writes to it. */
export interface WizardWorld {
  /** The words of the user's language (`vscode.l10n` in the editor, `english` in tests). */
  readonly l10n: Localize;
  /** Every subscription the signed-in accounts reach (step 0's list). */
  readonly subscriptions: readonly WizardSubscription[];
  /** The directories an account reaches. */
  directories(accountKey: string): readonly DirectorySummary[];
  /** The move `PendingMoves` tracks (or last tracked) for the subscription: the only store of move state. */
  move(subscriptionId: string): { readonly targetTenantId: string; readonly progress: TrackProgress } | undefined;
  /** Another wizard panel already holds this subscription (one panel per subscription). */
  heldElsewhere(subscriptionId: string): boolean;
  /** Every signed-in account (owner, inviter and acceptor are chosen among them); without it, only the owner. */
  accounts?(): readonly WizardAccount[];
}

export interface WizardStart {
  readonly subscription: WizardSubscription;
  readonly targetTenantId?: string;
  /** The subscription already lives in `targetTenantId`. */
  readonly moved?: boolean;
  readonly changeApi: boolean;
}

export function initialContext(start: WizardStart): WizardContext {
  const home = start.subscription.subscription.tenantId;
  const target = start.targetTenantId && (start.targetTenantId !== home || start.moved) ? start.targetTenantId : null;
  return {
    subscription: start.subscription,
    accounts: { owner: { accountKey: start.subscription.accountKey, session: start.subscription.session } },
    targetTenantId: target,
    typedTargetError: null,
    active: 'choose',
    visible: null,
    plan: null,
    planning: false,
    snapshot: { status: 'notSaved' },
    snapshotData: null,
    rememberedLooked: false,
    mode: start.changeApi ? 'api' : 'portal',
    change: 'idle',
    movedThere: target !== null && target === home,
    admins: null,
    lastSearch: [],
    done: null,
    busy: null,
    error: null,
    parties: NO_PARTIES,
  };
}

export function subscriptionIdOf(ctx: WizardContext): string {
  return ctx.subscription.subscription.subscriptionId;
}
