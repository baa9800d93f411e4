// The wizard protocol's types: the state the host sends and the messages both ways. Types only (and two pure
// helpers); the id lists they use live in src/ids.ts. See protocol.ts.
import type {
  ChangeBlock,
  ChangeMode,
  ChangeStatus,
  CheckId,
  CheckStatus,
  ExtraGroupId,
  IdentityKind,
  LinkId,
  MatchStatus,
  PrincipalType,
  Repair,
  RepairKind,
  RepairStatus,
  ResultStatus,
  RevealTarget,
  ScopeKind,
  StepId,
  StepStatus,
  TodoKind,
  TrackStatus,
} from '../ids';
import type { PartiesState, PartyIntent } from './parties';

// ---------------------------------------------------------------------------------------------------------------
// State rendered by the webview
// ---------------------------------------------------------------------------------------------------------------

export interface StepInfo {
  id: StepId;
  status: StepStatus;
}


/** A finding the user can act on: one-line message, how to fix it, and who can. */
export interface Finding {
  status: CheckStatus;
  title: string;
  message: string;
  fix?: string;
  owner?: string;
}
export interface Check extends Finding {
  id: CheckId;
}

/** An error or notice shown above the current step. */
export interface Banner {
  message: string;
  fix?: string;
  owner?: string;
}

export interface DirectoryRef {
  tenantId: string;
  name: string;
  /** Default domain, e.g. contoso.com; null when unknown. */
  domain: string | null;
}

export interface Header {
  /** `source`: the directory it leaves; `current`: where it is now (the target once the move is done). */
  subscription: { id: string; name: string; offer: string; source: DirectoryRef; current: DirectoryRef; moved: boolean } | null;
  /** office365: true / false, or null when it could not be determined. */
  target: (DirectoryRef & { office365: boolean | null }) | null;
}

export interface SubscriptionOption {
  id: string;
  name: string;
  offer: string;
  state: string;
  source: DirectoryRef;
  /** Why this subscription's offer cannot change directory (CSP, …); absent when it can. */
  cannotMove?: string;
}

export interface DirectoryOption extends DirectoryRef {
  office365: boolean | null;
  signedIn: boolean;
  /** The subscription's current directory (not a valid target). */
  isSource: boolean;
}

export interface ChooseStep {
  subscriptions: SubscriptionOption[] | null; // null while loading
  /** Reachable directories; the host sends Office 365 ones first. */
  directories: DirectoryOption[] | null;
  selectedSubscriptionId: string | null;
  selectedTenantId: string | null;
  /** Set when the typed tenant id/domain was rejected or not found. */
  typedTargetError: string | null;
}

export interface VisibleStep {
  checking: boolean;
  account: string | null;
  accountInTarget: Finding | null;
  tokenForTarget: Finding | null;
}


export interface ImpactRow {
  id: string;
  scope: string;
  scopeKind: ScopeKind;
  roleName: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: PrincipalType;
  /** null = the principal no longer exists ("(deleted principal)"), or could not be looked up (`principalUnknown`). */
  principalName: string | null;
  /** The principal's lookup failed: it is unknown, never shown as deleted. */
  principalUnknown?: boolean;
  /** Deleted by the directory change (inherited management-group assignments are not). */
  removed: boolean;
}
export interface CustomRole {
  id: string;
  name: string;
  assignmentCount: number;
}
export interface ClassicAdmin {
  email: string;
  role: string;
}
export interface DependentResource {
  id: string;
  name: string;
  type: string;
  reason: string;
  /** Can the user repair it after the move (true), or must it be recreated/moved out (false)? */
  recoverable: boolean;
}
/** One item of an impact group beyond role assignments (issue 11); the UI words it by its group. */
export interface ExtraItem {
  id: string;
  /** The principal (PIM rows), policy assignment, vault, resource, lock, deny assignment or delegation offer. */
  name: string;
  /** The role (PIM rows), policy definition, resource type, lock level, description, or managing directory. */
  detail: string | null;
  scope: string | null;
  /** PIM rows: when it ends; null = permanent. */
  endDateTime?: string | null;
  /** Deleted by the move; null when it is not deleted but stops working, or the product cannot tell. */
  removed: boolean | null;
  /** Who puts it back after the move. */
  repair: Repair;
  /** Key Vault: the directory its data plane trusts, its access policies, RBAC authorization. */
  tenantId?: string | null;
  accessPolicies?: number;
  rbac?: boolean;
  /** Managed identities (resources), or the policy assignment's identity. */
  identity?: IdentityKind;
  /** A ReadOnly lock: repair writes under it fail until it is removed. */
  blocksRepair?: boolean;
}
export interface ExtraGroup {
  id: ExtraGroupId;
  /** null = unknown: the read was refused or failed (never a silent zero). */
  items: ExtraItem[] | null;
  /** Unknown: the permission the read needs (null when it failed for another reason: `reason`). */
  missing: string | null;
  reason: string | null;
}
export interface Impact {
  rows: ImpactRow[];
  customRoles: CustomRole[];
  classicAdmins: ClassicAdmin[];
  dependents: DependentResource[];
  /** PIM, policy assignments, Key Vaults, identities, deny assignments, locks, Lighthouse (EXTRA_GROUP_IDS order). */
  extras: ExtraGroup[];
}

export type SnapshotState =
  | { status: 'notSaved' }
  | { status: 'saving' }
  | { status: 'saved'; path: string; count: number; also: { id: ExtraGroupId; count: number | null }[] }
  | { status: 'failed'; reason: string }
  | { status: 'skipped' };


export interface Tracking {
  attempts: number;
  /** Epoch milliseconds of the next check; null when not scheduled. */
  nextCheckAt: number | null;
  status: TrackStatus;
}

export interface ChangeStep {
  checks: Check[] | null; // null while running
  impact: Impact | null; // null while loading
  snapshot: SnapshotState;
  mode: ChangeMode;
  /** Steps to follow in the Azure portal (mode 'portal'). */
  portalSteps: string[];
  status: ChangeStatus;
  block: ChangeBlock;
  tracking: Tracking | null;
}

export interface Person {
  id: string;
  displayName: string;
  /** UPN / mail, or app id for service principals; null when unknown. */
  detail: string | null;
  type: PrincipalType;
}
export interface RoleOption {
  /** Role definition name (a GUID). */
  id: string;
  name: string;
}
export interface AssignmentResult {
  status: ResultStatus;
  reason?: string;
}
export interface RestoreRow {
  /** The old role assignment's name (GUID). */
  id: string;
  oldPrincipalId: string;
  oldPrincipalName: string | null;
  oldPrincipalType: PrincipalType;
  role: string;
  roleDefinitionId: string;
  scope: string;
  candidates: Person[];
  /** Chosen new principal id, or null to skip. */
  chosen: string | null;
  match: MatchStatus;
  /** Why the row is not matched (or is ambiguous), in the user's language, e.g. that a group is never matched by name. */
  reason?: string;
  result?: AssignmentResult;
  /** A PIM eligible assignment (restored as eligible); absent for a role assignment. */
  eligible?: boolean;
  /** Time-bound (active) or eligible until this end; null or absent = permanent. */
  endDateTime?: string | null;
  /** A role-management policy refused the end: the longest end it allows (offered to the user). */
  longestAllowedEnd?: string;
  /** The old principal is a managed identity the Repair re-creates: the grant follows its new principal id. */
  followsIdentity?: boolean;
}
/** One item of step 3's Repair group: a system-assigned identity, a policy assignment, a Key Vault, an access policy. */
export interface RepairItem {
  id: string;
  kind: RepairKind;
  name: string;
  /** The new principal id (identities, policy assignments), or the principal an access policy is for. */
  detail: string | null;
  status: RepairStatus;
  reason?: string;
}
/** What to do by hand (user-assigned identities). */
export interface ManualSteps {
  name: string;
  steps: string[];
}
export interface AdminsStep {
  /** false when the account may not search the directory: fall back to exact UPN / object id lookup. */
  searchAllowed: boolean;
  selected: (Person & { result?: AssignmentResult })[];
  roles: RoleOption[];
  roleDefinitionId: string;
  restore: RestoreRow[] | null; // null = no snapshot to restore from
  /** Vaults, identities and policy assignments: what the restore repairs (a dry run until it ran); null = no snapshot. */
  repair: RepairItem[] | null;
  manual: ManualSteps[];
  creating: boolean;
  lookupError: string | null;
}

/** One line of the Done page's "still to do", worded by the host. */
export interface TodoItem {
  kind: TodoKind;
  text: string;
  detail: string | null;
}
export interface DoneStep {
  deleted: number;
  created: number;
  failed: number;
  /** What is still to do after the restore: unrestored rows, repairs, manual steps, custom roles, classic administrators. */
  todo: TodoItem[];
  /** Custom roles of the snapshot not re-created yet (the page offers to re-create them). */
  customRolesMissing: number;
  links: LinkId[];
  reportPath: string | null;
}

export interface WizardState {
  header: Header;
  steps: StepInfo[];
  /** The step the main area shows. */
  activeStep: StepId;
  choose: ChooseStep;
  visible: VisibleStep | null;
  change: ChangeStep | null;
  admins: AdminsStep | null;
  done: DoneStep | null;
  /** A short "working…" line, e.g. "Reading role assignments…"; null when idle. */
  busy: string | null;
  error: Banner | null;
  /** Two identities (owner, inviter, acceptor); absent from hosts that do not send it. */
  parties?: PartiesState;
}

// ---------------------------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------------------------

/** UI strings by key (see src/webview/ui/strings.ts); the host sends them translated via vscode.l10n.t. */
export type L10nMap = Record<string, string>;

export type ToWebview =
  | { type: 'init'; state: WizardState; l10n: L10nMap }
  | { type: 'state'; state: WizardState }
  | { type: 'searchResults'; query: string; results: Person[]; error: string | null }
  /** The answer to `searchRestorePrincipal` for one restore row, tagged with its row and query. */
  | { type: 'restoreSearchResults'; rowId: string; query: string; results: Person[]; error: string | null };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'unhandledError'; message: string }
  | { type: 'openStep'; step: StepId }
  | { type: 'revealInTree'; what: RevealTarget }
  | { type: 'chooseSubscription'; subscriptionId: string }
  | { type: 'chooseTarget'; tenantId: string }
  | { type: 'typedTarget'; value: string }
  | { type: 'signInToDirectory'; tenantId: string }
  | { type: 'recheck' }
  | { type: 'copyRequestText'; checkId: CheckId }
  | { type: 'saveSnapshot' }
  | { type: 'continueWithoutSnapshot' }
  | { type: 'revealSnapshot' }
  | { type: 'setChangeMode'; mode: ChangeMode }
  | { type: 'changeDirectory' }
  | { type: 'openPortal' }
  | { type: 'cancelTracking' }
  | { type: 'searchUsers'; query: string }
  | { type: 'lookupUser'; value: string }
  | { type: 'setSelectedUsers'; ids: string[] }
  | { type: 'setRole'; roleDefinitionId: string }
  | { type: 'chooseRestorePrincipal'; rowId: string; principalId: string | null }
  /**
   * Find a new principal for one restore row: a name to search (when the directory may be searched), a UPN, or an
   * object id. The host answers with `restoreSearchResults`; the user's pick comes as `chooseRestorePrincipal`.
   */
  | { type: 'searchRestorePrincipal'; rowId: string; query: string }
  | { type: 'createAssignments' }
  | { type: 'retryFailed' }
  /** Restore the eligible rows a role-management policy refused, with the longest end it allows. */
  | { type: 'acceptLongestEnd' }
  /** Re-create the snapshot's custom roles that are not in the new directory (the Done page's offer). */
  | { type: 'recreateCustomRoles' }
  | { type: 'openLink'; link: LinkId }
  | { type: 'exportReport' }
  | PartyIntent;

export type FromWebviewType = FromWebview['type'];

/** Every user intent, except `ready` and `unhandledError` (the panel host answers those). */
export type WizardIntent = Exclude<FromWebview, { type: 'ready' } | { type: 'unhandledError' } | RestorePrincipalSearch>;
/** A restore row's search for a new principal; the panel host routes it to `onRestorePrincipalSearch`. */
export type RestorePrincipalSearch = Extract<FromWebview, { type: 'searchRestorePrincipal' }>;

// ---------------------------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------------------------

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}


/** How many role assignments the directory change deletes; the impact table and the primary button both use it. */
export function removedCount(impact: Impact): number {
  return impact.rows.reduce((n, r) => (r.removed ? n + 1 : n), 0);
}
