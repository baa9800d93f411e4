// The one protocol shared by the extension host and the wizard webview UI.
//
// Pure types plus small pure helpers; no imports, so it compiles under both the host tsconfig (Node) and the
// UI tsconfig (DOM). The host owns all state (`WizardState`) and every decision; the webview renders the state
// and sends intents (`FromWebview`). Both directions are discriminated unions on `type`, and both are validated
// on arrival: the host runs `parseFromWebview` on every inbound message, the UI runs `parseToWebview` on every
// message from the host, and anything that does not match is dropped.

// ---------------------------------------------------------------------------------------------------------------
// State rendered by the webview
// ---------------------------------------------------------------------------------------------------------------

export const STEP_IDS = ['choose', 'visible', 'change', 'admins', 'done'] as const;
export type StepId = (typeof STEP_IDS)[number];
export type StepStatus = 'done' | 'current' | 'todo' | 'blocked';
export interface StepInfo {
  id: StepId;
  status: StepStatus;
}

/** pass / warn / fail are verdicts; unknown means we could not tell (missing permission, API error): never "no". */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';

export const CHECK_IDS = [
  'target-is-different',
  'subscription-active',
  'offer-allows-move',
  'caller-is-owner',
  'account-in-target',
  'source-policy-allows-leaving',
  'target-policy-allows-entering',
  'target-is-office365',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

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

export type ScopeKind = 'subscription' | 'resourceGroup' | 'resource' | 'inherited';
export type PrincipalType = 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device' | 'Unknown';

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

export type ChangeMode = 'portal' | 'api';
export type ChangeStatus = 'idle' | 'inProgress' | 'waiting' | 'done' | 'failed' | 'cancelled';
/** Why the primary button is disabled; null = enabled. Decided by the host. */
export type ChangeBlock = 'snapshotMissing' | 'checksFailing' | 'checksRunning' | 'impactLoading' | null;

export interface Tracking {
  attempts: number;
  /** Epoch milliseconds of the next check; null when not scheduled. */
  nextCheckAt: number | null;
  status: 'waiting' | 'seen' | 'timedOut' | 'cancelled';
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
export type ResultStatus = 'created' | 'exists' | 'failed';
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
  match: 'matched' | 'ambiguous' | 'unmatched';
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

export type LinkId = 'subscriptionInPortal' | 'targetDirectoryInPortal' | 'accessControlInPortal';
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
}

// ---------------------------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------------------------

/** UI strings by key (see src/webview/ui/strings.ts); the host sends them translated via vscode.l10n.t. */
export type L10nMap = Record<string, string>;

export type ToWebview =
  | { type: 'init'; state: WizardState; l10n: L10nMap }
  | { type: 'state'; state: WizardState }
  | { type: 'searchResults'; query: string; results: Person[]; error: string | null };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'unhandledError'; message: string }
  | { type: 'openStep'; step: StepId }
  | { type: 'revealInTree'; what: 'subscription' | 'source' | 'target' }
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
  | { type: 'createAssignments' }
  | { type: 'retryFailed' }
  | { type: 'openLink'; link: LinkId }
  | { type: 'exportReport' };

export type FromWebviewType = FromWebview['type'];

// ---------------------------------------------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------------------------------------------

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID_RE.test(value);
}

/** How many role assignments the directory change deletes; the impact table and the primary button both use it. */
export function removedCount(impact: Impact): number {
  return impact.rows.reduce((n, r) => (r.removed ? n + 1 : n), 0);
}

// --- A tiny guard toolkit (strict: own plain-object properties only, no extra keys, bounded strings/arrays) -----

type Guard<T> = (v: unknown) => v is T;
type Shape<T> = { [K in keyof T]-?: Guard<T[K]> };

/** Longest error text accepted from the webview is 8× this; queries and typed values are shorter still. */
export const MAX_INBOUND_TEXT = 512;
const MAX_OUT_TEXT = 8192;
const MAX_OUT_ITEMS = 100_000;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
function has(o: Record<string, unknown>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}
function obj<T>(shape: Shape<T>): Guard<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  const allowed = new Set<string>(keys);
  return (v: unknown): v is T => {
    if (!isPlainObject(v)) return false;
    for (const k of Object.keys(v)) if (!allowed.has(k)) return false;
    for (const k of keys) {
      const value = has(v, k) ? v[k] : undefined;
      if (!shape[k](value)) return false;
    }
    return true;
  };
}
function text(max: number, min = 0): Guard<string> {
  // No control characters other than tab/newline.
  // eslint-disable-next-line no-control-regex
  const ctrl = /[\u0000-\u0008\u000b-\u001f\u007f]/;
  return (v: unknown): v is string => typeof v === 'string' && v.length >= min && v.length <= max && !ctrl.test(v);
}
const str = text(MAX_OUT_TEXT);
/** What a person types (a domain, a search, a UPN or object id): no C1 controls and no bidi controls either. */
function typed(max: number, min = 0): Guard<string> {
  const plain = text(max, min);
  const hidden = /[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  return (v: unknown): v is string => plain(v) && !hidden.test(v);
}
const guid: Guard<string> = isGuid;
function oneOf<const T extends readonly (string | number | boolean | null)[]>(values: T): Guard<T[number]> {
  return (v: unknown): v is T[number] => (values as readonly unknown[]).includes(v);
}
function list<T>(item: Guard<T>, max = MAX_OUT_ITEMS): Guard<T[]> {
  return (v: unknown): v is T[] => Array.isArray(v) && v.length <= max && v.every((x) => item(x));
}
function opt<T>(g: Guard<T>): Guard<T | undefined> {
  return (v: unknown): v is T | undefined => v === undefined || g(v);
}
function nullable<T>(g: Guard<T>): Guard<T | null> {
  return (v: unknown): v is T | null => v === null || g(v);
}
function union<A, B>(a: Guard<A>, b: Guard<B>): Guard<A | B> {
  return (v: unknown): v is A | B => a(v) || b(v);
}
const bool: Guard<boolean> = (v): v is boolean => typeof v === 'boolean';
const count: Guard<number> = (v): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const epochMs: Guard<number> = (v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const lit = <const T extends string>(value: T): Guard<T> => (v): v is T => v === value;

// --- Webview → host ------------------------------------------------------------------------------------------

const stepId = oneOf(STEP_IDS);
const checkId = oneOf(CHECK_IDS);

const fromWebviewGuards: { [K in FromWebviewType]: Guard<Extract<FromWebview, { type: K }>> } = {
  ready: obj({ type: lit('ready') }),
  unhandledError: obj({ type: lit('unhandledError'), message: text(MAX_INBOUND_TEXT * 8) }),
  openStep: obj({ type: lit('openStep'), step: stepId }),
  revealInTree: obj({ type: lit('revealInTree'), what: oneOf(['subscription', 'source', 'target'] as const) }),
  chooseSubscription: obj({ type: lit('chooseSubscription'), subscriptionId: guid }),
  chooseTarget: obj({ type: lit('chooseTarget'), tenantId: guid }),
  typedTarget: obj({ type: lit('typedTarget'), value: typed(253, 1) }),
  signInToDirectory: obj({ type: lit('signInToDirectory'), tenantId: guid }),
  recheck: obj({ type: lit('recheck') }),
  copyRequestText: obj({ type: lit('copyRequestText'), checkId }),
  saveSnapshot: obj({ type: lit('saveSnapshot') }),
  continueWithoutSnapshot: obj({ type: lit('continueWithoutSnapshot') }),
  revealSnapshot: obj({ type: lit('revealSnapshot') }),
  setChangeMode: obj({ type: lit('setChangeMode'), mode: oneOf(['portal', 'api'] as const) }),
  changeDirectory: obj({ type: lit('changeDirectory') }),
  openPortal: obj({ type: lit('openPortal') }),
  cancelTracking: obj({ type: lit('cancelTracking') }),
  searchUsers: obj({ type: lit('searchUsers'), query: typed(256) }),
  lookupUser: obj({ type: lit('lookupUser'), value: typed(256, 1) }),
  setSelectedUsers: obj({
    type: lit('setSelectedUsers'),
    ids: (v: unknown): v is string[] => list(guid, 200)(v) && new Set(v).size === v.length,
  }),
  setRole: obj({ type: lit('setRole'), roleDefinitionId: guid }),
  chooseRestorePrincipal: obj({ type: lit('chooseRestorePrincipal'), rowId: guid, principalId: nullable(guid) }),
  createAssignments: obj({ type: lit('createAssignments') }),
  retryFailed: obj({ type: lit('retryFailed') }),
  openLink: obj({
    type: lit('openLink'),
    link: oneOf(['subscriptionInPortal', 'targetDirectoryInPortal', 'accessControlInPortal'] as const),
  }),
  exportReport: obj({ type: lit('exportReport') }),
};

/**
 * Strict validator for every message the webview posts. Returns undefined for anything that is not exactly one
 * of the `FromWebview` shapes: unknown or inherited `type`, missing/extra/mistyped fields, over-long strings,
 * control characters, non-GUID ids where GUIDs are expected, non-plain objects.
 */
export function parseFromWebview(value: unknown): FromWebview | undefined {
  if (!isPlainObject(value) || !has(value, 'type')) return undefined;
  const type = value.type;
  if (typeof type !== 'string' || !has(fromWebviewGuards, type)) return undefined;
  const guard = fromWebviewGuards[type as FromWebviewType] as Guard<FromWebview>;
  return guard(value) ? value : undefined;
}

// --- Host → webview ------------------------------------------------------------------------------------------

const checkStatus = oneOf(['pass', 'warn', 'fail', 'unknown'] as const);
const principalType = oneOf(['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device', 'Unknown'] as const);
const directoryRefShape: Shape<DirectoryRef> = { tenantId: str, name: str, domain: nullable(str) };
const directoryRef = obj<DirectoryRef>(directoryRefShape);
const findingShape: Shape<Finding> = {
  status: checkStatus,
  title: str,
  message: str,
  fix: opt(str),
  owner: opt(str),
};
const finding = obj<Finding>(findingShape);
const result = obj<AssignmentResult>({ status: oneOf(['created', 'exists', 'failed'] as const), reason: opt(str) });
const personShape: Shape<Person> = { id: str, displayName: str, detail: nullable(str), type: principalType };
const person = obj<Person>(personShape);

const snapshot: Guard<SnapshotState> = (v): v is SnapshotState =>
  obj({ status: oneOf(['notSaved', 'saving', 'skipped'] as const) })(v) ||
  obj({ status: lit('saved'), path: str, count })(v) ||
  obj({ status: lit('failed'), reason: str })(v);

const wizardState = obj<WizardState>({
  header: obj<Header>({
    subscription: nullable(obj({ id: str, name: str, offer: str, source: directoryRef })),
    target: nullable(obj<DirectoryRef & { office365: boolean | null }>({ ...directoryRefShape, office365: nullable(bool) })),
  }),
  steps: list(obj<StepInfo>({ id: stepId, status: oneOf(['done', 'current', 'todo', 'blocked'] as const) }), 10),
  activeStep: stepId,
  choose: obj<ChooseStep>({
    subscriptions: nullable(list(obj<SubscriptionOption>({ id: str, name: str, offer: str, state: str, source: directoryRef }))),
    directories: nullable(
      list(obj<DirectoryOption>({ ...directoryRefShape, office365: nullable(bool), signedIn: bool, isSource: bool })),
    ),
    selectedSubscriptionId: nullable(str),
    selectedTenantId: nullable(str),
    typedTargetError: nullable(str),
  }),
  visible: nullable(
    obj<VisibleStep>({
      checking: bool,
      account: nullable(str),
      accountInTarget: nullable(finding),
      tokenForTarget: nullable(finding),
    }),
  ),
  change: nullable(
    obj<ChangeStep>({
      checks: nullable(list(obj<Check>({ ...findingShape, id: checkId }), 50)),
      impact: nullable(
        obj<Impact>({
          rows: list(
            obj<ImpactRow>({
              id: str,
              scope: str,
              scopeKind: oneOf(['subscription', 'resourceGroup', 'resource', 'inherited'] as const),
              roleName: str,
              roleDefinitionId: str,
              principalId: str,
              principalType,
              principalName: nullable(str),
              principalUnknown: opt(bool),
              removed: bool,
            }),
          ),
          customRoles: list(obj<CustomRole>({ id: str, name: str, assignmentCount: count })),
          classicAdmins: list(obj<ClassicAdmin>({ email: str, role: str })),
          dependents: list(obj<DependentResource>({ id: str, name: str, type: str, reason: str, recoverable: bool })),
        }),
      ),
      snapshot,
      mode: oneOf(['portal', 'api'] as const),
      portalSteps: list(str, 50),
      status: oneOf(['idle', 'inProgress', 'waiting', 'done', 'failed', 'cancelled'] as const),
      block: oneOf(['snapshotMissing', 'checksFailing', 'checksRunning', 'impactLoading', null] as const),
      tracking: nullable(
        obj<Tracking>({
          attempts: count,
          nextCheckAt: nullable(epochMs),
          status: oneOf(['waiting', 'seen', 'timedOut', 'cancelled'] as const),
        }),
      ),
    }),
  ),
  admins: nullable(
    obj<AdminsStep>({
      searchAllowed: bool,
      selected: list(obj<Person & { result?: AssignmentResult }>({ ...personShape, result: opt(result) }), 500),
      roles: list(obj<RoleOption>({ id: str, name: str }), 100),
      roleDefinitionId: str,
      restore: nullable(
        list(
          obj<RestoreRow>({
            id: str,
            oldPrincipalId: str,
            oldPrincipalName: nullable(str),
            oldPrincipalType: principalType,
            role: str,
            roleDefinitionId: str,
            scope: str,
            candidates: list(person, 50),
            chosen: nullable(str),
            match: oneOf(['matched', 'ambiguous', 'unmatched'] as const),
            result: opt(result),
          }),
        ),
      ),
      creating: bool,
      lookupError: nullable(str),
    }),
  ),
  done: nullable(
    obj<DoneStep>({
      deleted: count,
      created: count,
      failed: count,
      links: list(oneOf(['subscriptionInPortal', 'targetDirectoryInPortal', 'accessControlInPortal'] as const), 10),
      reportPath: nullable(str),
    }),
  ),
  busy: nullable(str),
  error: nullable(obj<Banner>({ message: str, fix: opt(str), owner: opt(str) })),
});

const l10nMap: Guard<L10nMap> = (v): v is L10nMap =>
  isPlainObject(v) &&
  Object.keys(v).length <= 1000 &&
  Object.entries(v).every(([k, s]) => k.length <= 100 && typeof s === 'string' && s.length <= 2000);

const toWebview: Guard<ToWebview> = union(
  union(obj({ type: lit('init'), state: wizardState, l10n: l10nMap }), obj({ type: lit('state'), state: wizardState })),
  obj({ type: lit('searchResults'), query: str, results: list(person, 500), error: nullable(str) }),
);

/** Validator the UI runs on every message from the host; anything malformed is ignored. */
export function parseToWebview(value: unknown): ToWebview | undefined {
  return toWebview(value) ? value : undefined;
}

// --- Saved panel state ---------------------------------------------------------------------------------------

/** What the UI saves with `vscode.setState` and VS Code hands the panel serializer after a reload: ids, never data. */
export interface SavedPanelState {
  subscriptionId: string;
  targetTenantId?: string;
}

const savedPanelState = obj<SavedPanelState>({ subscriptionId: guid, targetTenantId: opt(guid) });

/** Validator the host runs on a restored panel's saved state; anything else is ignored. */
export function parseSavedPanelState(value: unknown): SavedPanelState | undefined {
  return savedPanelState(value) ? value : undefined;
}

/** Validates a state the host is about to send (used by the host in development builds and tests). */
export function isWizardState(value: unknown): value is WizardState {
  return wizardState(value);
}
