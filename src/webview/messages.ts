// The wizard protocol's types: the state the host sends and the messages both ways. Types only (and two pure
// helpers); the id lists they use live in src/ids.ts. See protocol.ts.
import type {
  ChangeBlock,
  ChangeMode,
  ChangeStatus,
  CheckId,
  CheckStatus,
  LinkId,
  MatchStatus,
  PrincipalType,
  ResultStatus,
  RevealTarget,
  ScopeKind,
  StepId,
  StepStatus,
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
  subscription: { id: string; name: string; offer: string; source: DirectoryRef } | null;
  /** office365: true / false, or null when it could not be determined. */
  target: (DirectoryRef & { office365: boolean | null }) | null;
}

export interface SubscriptionOption {
  id: string;
  name: string;
  offer: string;
  state: string;
  source: DirectoryRef;
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
export interface Impact {
  rows: ImpactRow[];
  customRoles: CustomRole[];
  classicAdmins: ClassicAdmin[];
  dependents: DependentResource[];
}

export type SnapshotState =
  | { status: 'notSaved' }
  | { status: 'saving' }
  | { status: 'saved'; path: string; count: number }
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
}
export interface AdminsStep {
  /** false when the account may not search the directory: fall back to exact UPN / object id lookup. */
  searchAllowed: boolean;
  selected: (Person & { result?: AssignmentResult })[];
  roles: RoleOption[];
  roleDefinitionId: string;
  restore: RestoreRow[] | null; // null = no snapshot to restore from
  creating: boolean;
  lookupError: string | null;
}

export interface DoneStep {
  deleted: number;
  created: number;
  failed: number;
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
