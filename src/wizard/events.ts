/**
 * What drives the machine (events: the user's intents from the webview, and the results of effects) and what it asks
 * the controller to do (effects: described as data, run by `controller.ts`, their results fed back as events).
 */
import type { MappingResult } from '../core/mapping';
import type { DetailedPlan } from '../core/plan';
import type { Snapshot } from '../core/snapshot';
import type { LinkId, RevealTarget } from '../ids';
import type { AssignmentResult, Banner, ManualSteps, Person, RepairItem, RestoreRow, WizardIntent } from '../webview/protocol';
import type { CustomRoleState } from './context';
import type { PartyConfirmation, PartyEffect, PartyResultEvent } from './partyEvents';

export type { WizardIntent };

/** The modal confirmations the wizard asks for (worded in `dialogs.ts`). */
export type Confirmation =
  | { readonly kind: 'skipSnapshot'; readonly deleted: number }
  | { readonly kind: 'changeDirectory'; readonly subscription: string; readonly from: string; readonly to: string; readonly deleted: number; readonly customRoles: number; readonly acceptor?: string; readonly unrecoverable?: readonly string[] }
  | {
    readonly kind: 'createAssignments'; readonly count: number; readonly target: string; readonly subscription: string; readonly onlyFailed: boolean;
    /** Every write, one line each (role and eligible assignments, repairs), for the modal's detail. */
    readonly writes: readonly string[];
    /** Eligible rows a role-management policy refused are written with the longest end it allows. */
    readonly acceptLongestEnd?: boolean;
  }
  | { readonly kind: 'recreateCustomRoles'; readonly target: string; readonly names: readonly string[] }
  | PartyConfirmation;

export type ResultEvent =
  /** Resume after a reload or reopen while a move is pending (and the first event of every wizard). */
  | { readonly type: 'start' }
  /** Is the target among the owner's directories, and could a token for it be had (null: not tried)? */
  | { readonly type: 'visibleChecked'; readonly listed: boolean; readonly token: 'ok' | 'mfa' | 'noSignIn' | null }
  | { readonly type: 'planned'; readonly plan: DetailedPlan }
  | { readonly type: 'planFailed'; readonly error: Banner }
  /**
   * The snapshot remembered for this subscription and target (none: nothing usable was remembered; `refused`: the file
   * is there but cannot be used — unreadable, malformed, too large, or of another subscription — worded for the user).
   */
  | { readonly type: 'remembered'; readonly found?: { readonly path: string; readonly snapshot: Snapshot }; readonly refused?: string }
  | { readonly type: 'snapshotSaved'; readonly path: string; readonly snapshot: Snapshot }
  | { readonly type: 'snapshotFailed'; readonly reason: string }
  | { readonly type: 'confirmed'; readonly confirmation: Confirmation }
  | { readonly type: 'changeInitiated'; readonly acceptNote?: string; readonly acceptOwner?: string }
  | { readonly type: 'changeFailed'; readonly error: Banner }
  | { readonly type: 'mapped'; readonly mapping: MappingResult; readonly rows: readonly RestoreRow[]; readonly repair: readonly RepairItem[]; readonly manual: readonly ManualSteps[] }
  /** What the whole restore did beyond the rows reported one by one: eligible rows, the Repair group, custom roles. */
  | { readonly type: 'extrasRestored'; readonly rows: readonly RowOutcome[]; readonly repair: readonly RepairItem[]; readonly manual: readonly ManualSteps[]; readonly customRoles: readonly CustomRoleState[] }
  | { readonly type: 'customRolesRestored'; readonly customRoles: readonly CustomRoleState[] }
  | { readonly type: 'searched'; readonly results: readonly Person[] }
  | { readonly type: 'searchForbidden' }
  | { readonly type: 'userFound'; readonly person: Person }
  | { readonly type: 'userNotFound'; readonly value: string }
  | { readonly type: 'adminResult'; readonly personId: string; readonly result: AssignmentResult }
  | { readonly type: 'restoreResult'; readonly rowId: string; readonly result: AssignmentResult }
  /** The user's pick from a row's search, checked and previewed: the new mapping and the row as the dry run shows it. */
  | { readonly type: 'restorePrincipalChosen'; readonly mapping: MappingResult; readonly row: RestoreRow }
  | { readonly type: 'restorePrincipalRefused'; readonly rowId: string; readonly reason: string }
  | { readonly type: 'created' }
  | { readonly type: 'reportSaved'; readonly path: string }
  | { readonly type: 'failed'; readonly error: Banner }
  | PartyResultEvent;

export type WizardEvent = WizardIntent | ResultEvent;

export type Effect =
  | { readonly kind: 'checkVisible'; readonly tenantId: string }
  | { readonly kind: 'plan'; readonly tenantId: string }
  | { readonly kind: 'lookUpRememberedSnapshot' }
  | { readonly kind: 'saveSnapshot' }
  | { readonly kind: 'confirm'; readonly confirmation: Confirmation }
  | { readonly kind: 'openPortal' }
  /** `destinationOwner`: the acceptor named in the request (object id or address); then the owner does not accept. */
  | { readonly kind: 'changeDirectoryApi'; readonly tenantId: string; readonly destinationOwner?: string }
  | { readonly kind: 'watchMove'; readonly tenantId: string; readonly targetName: string }
  | { readonly kind: 'cancelMove' }
  | { readonly kind: 'mapPrincipals'; readonly tenantId: string }
  | { readonly kind: 'search'; readonly tenantId: string; readonly query: string }
  | { readonly kind: 'lookUpUser'; readonly tenantId: string; readonly value: string }
  /** A pick that is not one of the row's candidates: only one the row's search offered, read again from the directory. */
  | { readonly kind: 'choosePrincipalForRow'; readonly tenantId: string; readonly rowId: string; readonly principalId: string }
  | { readonly kind: 'createAssignments'; readonly tenantId: string; readonly userIds: readonly string[]; readonly rows: readonly RestoreRow[]; readonly roleDefinitionId: string; readonly acceptLongestEnd: boolean }
  | { readonly kind: 'recreateCustomRoles'; readonly tenantId: string }
  | { readonly kind: 'signInToDirectory'; readonly tenantId: string }
  | { readonly kind: 'revealInTree'; readonly what: RevealTarget }
  | { readonly kind: 'revealWizard'; readonly subscriptionId: string }
  | { readonly kind: 'copyText'; readonly text: string }
  | { readonly kind: 'showFile'; readonly path: string }
  | { readonly kind: 'openLink'; readonly link: LinkId }
  | { readonly kind: 'exportReport' }
  | PartyEffect;

/** One eligible row's result: its status, the end written, and the policy's longest end when it refused. */
export interface RowOutcome {
  readonly rowId: string;
  readonly result: AssignmentResult;
  readonly endDateTime: string | null;
  readonly longestAllowedEnd?: string;
}

export interface Update<C> {
  readonly ctx: C;
  readonly effects: readonly Effect[];
}
