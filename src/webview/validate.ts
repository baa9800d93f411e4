// Strict validators for the wizard protocol (both directions and the saved panel state). Every list a guard accepts
// is the `as const` array in src/ids.ts that its type derives from. See protocol.ts.
import {
  CHANGE_BLOCKS,
  CHANGE_MODES,
  CHANGE_STATUSES,
  CHECK_IDS,
  CHECK_STATUSES,
  EXTRA_GROUP_IDS,
  IDENTITY_KINDS,
  LINK_IDS,
  MATCH_STATUSES,
  PRINCIPAL_TYPES,
  REPAIRS,
  REPAIR_KINDS,
  REPAIR_STATUSES,
  RESULT_STATUSES,
  REQUEST_STATES,
  REVEAL_TARGETS,
  SCOPE_KINDS,
  STEP_IDS,
  STEP_STATUSES,
  TODO_KINDS,
  TRACK_STATUSES,
} from '../ids';
import type {
  AdminsStep,
  AssignmentResult,
  Banner,
  ChangeStep,
  Check,
  ChooseStep,
  ClassicAdmin,
  CustomRole,
  DependentResource,
  DirectoryOption,
  DirectoryRef,
  DoneStep,
  ExtraGroup,
  ExtraItem,
  Finding,
  FromWebview,
  FromWebviewType,
  Header,
  Impact,
  ImpactRow,
  L10nMap,
  ManualSteps,
  Person,
  RepairItem,
  RestoreRow,
  RoleOption,
  SnapshotState,
  StepInfo,
  SubscriptionOption,
  TodoItem,
  ToWebview,
  Tracking,
  VisibleStep,
  WizardState,
} from './messages';
import {
  has, obj, text, str, typed, guid, oneOf, list, opt, nullable, union, bool, count, epochMs, lit, isPlainObject, MAX_INBOUND_TEXT, type Guard, type Shape,
} from './guardKit';
import { GUEST_STATUSES, OWNER_BACK_STATUSES, type GuestRow, type GuestsState, type PartiesState, type PartyAccount } from './parties';

export { MAX_INBOUND_TEXT } from './guardKit';

// --- Webview → host ------------------------------------------------------------------------------------------

const stepId = oneOf(STEP_IDS);
const checkId = oneOf(CHECK_IDS);
const principalType = oneOf(PRINCIPAL_TYPES);
const linkId = oneOf(LINK_IDS);

const fromWebviewGuards: { [K in FromWebviewType]: Guard<Extract<FromWebview, { type: K }>> } = {
  ready: obj({ type: lit('ready') }),
  unhandledError: obj({ type: lit('unhandledError'), message: text(MAX_INBOUND_TEXT * 8) }),
  openStep: obj({ type: lit('openStep'), step: stepId }),
  revealInTree: obj({ type: lit('revealInTree'), what: oneOf(REVEAL_TARGETS) }),
  chooseSubscription: obj({ type: lit('chooseSubscription'), subscriptionId: guid }),
  chooseTarget: obj({ type: lit('chooseTarget'), tenantId: guid }),
  typedTarget: obj({ type: lit('typedTarget'), value: typed(253, 1) }),
  signInToDirectory: obj({ type: lit('signInToDirectory'), tenantId: guid }),
  recheck: obj({ type: lit('recheck') }),
  copyRequestText: obj({ type: lit('copyRequestText'), checkId }),
  saveSnapshot: obj({ type: lit('saveSnapshot') }),
  continueWithoutSnapshot: obj({ type: lit('continueWithoutSnapshot') }),
  revealSnapshot: obj({ type: lit('revealSnapshot') }),
  setChangeMode: obj({ type: lit('setChangeMode'), mode: oneOf(CHANGE_MODES) }),
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
  searchRestorePrincipal: obj({ type: lit('searchRestorePrincipal'), rowId: guid, query: typed(256, 1) }),
  createAssignments: obj({ type: lit('createAssignments') }),
  retryFailed: obj({ type: lit('retryFailed') }),
  acceptLongestEnd: obj({ type: lit('acceptLongestEnd') }),
  recreateCustomRoles: obj({ type: lit('recreateCustomRoles') }),
  openLink: obj({ type: lit('openLink'), link: linkId }),
  exportReport: obj({ type: lit('exportReport') }),
  inviteOwner: obj({ type: lit('inviteOwner'), accountKey: typed(MAX_INBOUND_TEXT, 1) }),
  openInvitation: obj({ type: lit('openInvitation') }),
  copyInvitation: obj({ type: lit('copyInvitation') }),
  copyAdminMessage: obj({ type: lit('copyAdminMessage') }),
  signInAnotherAccount: obj({ type: lit('signInAnotherAccount') }),
  chooseAcceptor: obj({ type: lit('chooseAcceptor'), accountKey: typed(MAX_INBOUND_TEXT, 1) }),
  typedAcceptor: obj({ type: lit('typedAcceptor'), address: typed(256, 1) }),
  copyAcceptorRequest: obj({ type: lit('copyAcceptorRequest') }),
  cancelRequest: obj({ type: lit('cancelRequest') }),
  acceptRequest: obj({ type: lit('acceptRequest') }),
  giveOwnerBack: obj({ type: lit('giveOwnerBack') }),
  inviteUnmatched: obj({ type: lit('inviteUnmatched') }),
};

/** Is `type` one of the messages the webview may post (every `FromWebview` type, from the guard table)? */
export function isFromWebviewType(type: string): type is FromWebviewType {
  return has(fromWebviewGuards, type);
}

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

const checkStatus = oneOf(CHECK_STATUSES);
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
const result = obj<AssignmentResult>({ status: oneOf(RESULT_STATUSES), reason: opt(str) });
const personShape: Shape<Person> = { id: str, displayName: str, detail: nullable(str), type: principalType };
const person = obj<Person>(personShape);

const extraGroupId = oneOf(EXTRA_GROUP_IDS);
const snapshot: Guard<SnapshotState> = (v): v is SnapshotState =>
  obj({ status: oneOf(['notSaved', 'saving', 'skipped'] as const) })(v) ||
  obj({ status: lit('saved'), path: str, count, also: list(obj({ id: extraGroupId, count: nullable(count) }), 20) })(v) ||
  obj({ status: lit('failed'), reason: str })(v);

const extraItem = obj<ExtraItem>({
  id: str,
  name: str,
  detail: nullable(str),
  scope: nullable(str),
  endDateTime: opt(nullable(str)),
  removed: nullable(bool),
  repair: oneOf(REPAIRS),
  tenantId: opt(nullable(str)),
  accessPolicies: opt(count),
  rbac: opt(bool),
  identity: opt(oneOf(IDENTITY_KINDS)),
  blocksRepair: opt(bool),
});
const extraGroup = obj<ExtraGroup>({ id: extraGroupId, items: nullable(list(extraItem)), missing: nullable(str), reason: nullable(str) });
const repairItem = obj<RepairItem>({ id: str, kind: oneOf(REPAIR_KINDS), name: str, detail: nullable(str), status: oneOf(REPAIR_STATUSES), reason: opt(str) });
const partyAccount = obj<PartyAccount>({ key: str, label: str });
const parties = obj<PartiesState>({
  owner: str,
  scanning: bool,
  inviters: list(partyAccount, 100),
  acceptors: list(partyAccount, 100),
  inviting: bool,
  invitation: nullable(obj({ by: str, redeemUrl: str, accepted: bool })),
  acceptor: nullable(obj({ key: nullable(str), label: str })),
  request: nullable(obj({ acceptor: nullable(str), expiresOn: nullable(str), state: oneOf(REQUEST_STATES) })),
  ownerBack: nullable(obj({ label: str, status: oneOf(OWNER_BACK_STATUSES), reason: nullable(str) })),
  guests: nullable(obj<GuestsState>({
    inviter: str,
    working: bool,
    rows: list(obj<GuestRow>({ name: nullable(str), address: nullable(str), type: str, assignments: count, status: oneOf(GUEST_STATUSES), reason: nullable(str) }), 5000),
  })),
});

const wizardState = obj<WizardState>({
  header: obj<Header>({
    subscription: nullable(obj({ id: str, name: str, offer: str, source: directoryRef, current: directoryRef, moved: bool })),
    target: nullable(obj<DirectoryRef & { office365: boolean | null }>({ ...directoryRefShape, office365: nullable(bool) })),
  }),
  steps: list(obj<StepInfo>({ id: stepId, status: oneOf(STEP_STATUSES) }), 10),
  activeStep: stepId,
  choose: obj<ChooseStep>({
    subscriptions: nullable(list(obj<SubscriptionOption>({ id: str, name: str, offer: str, state: str, source: directoryRef, cannotMove: opt(str) }))),
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
              scopeKind: oneOf(SCOPE_KINDS),
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
          extras: list(extraGroup, 20),
        }),
      ),
      snapshot,
      mode: oneOf(CHANGE_MODES),
      portalSteps: list(str, 50),
      status: oneOf(CHANGE_STATUSES),
      block: oneOf(CHANGE_BLOCKS),
      tracking: nullable(
        obj<Tracking>({
          attempts: count,
          nextCheckAt: nullable(epochMs),
          status: oneOf(TRACK_STATUSES),
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
            match: oneOf(MATCH_STATUSES),
            reason: opt(str),
            result: opt(result),
            eligible: opt(bool),
            endDateTime: opt(nullable(str)),
            longestAllowedEnd: opt(str),
            followsIdentity: opt(bool),
          }),
        ),
      ),
      repair: nullable(list(repairItem)),
      manual: list(obj<ManualSteps>({ name: str, steps: list(str, 20) }), 1000),
      creating: bool,
      lookupError: nullable(str),
    }),
  ),
  done: nullable(
    obj<DoneStep>({
      deleted: count,
      created: count,
      failed: count,
      todo: list(obj<TodoItem>({ kind: oneOf(TODO_KINDS), text: str, detail: nullable(str) })),
      customRolesMissing: count,
      links: list(linkId, 10),
      reportPath: nullable(str),
    }),
  ),
  busy: nullable(str),
  error: nullable(obj<Banner>({ message: str, fix: opt(str), owner: opt(str) })),
  parties: opt(parties),
});

const l10nMap: Guard<L10nMap> = (v): v is L10nMap =>
  isPlainObject(v) &&
  Object.keys(v).length <= 1000 &&
  Object.entries(v).every(([k, s]) => k.length <= 100 && typeof s === 'string' && s.length <= 2000);

const toWebview: Guard<ToWebview> = union(
  union(obj({ type: lit('init'), state: wizardState, l10n: l10nMap }), obj({ type: lit('state'), state: wizardState })),
  union(
    obj({ type: lit('searchResults'), query: str, results: list(person, 500), error: nullable(str) }),
    obj({ type: lit('restoreSearchResults'), rowId: str, query: str, results: list(person, 500), error: nullable(str) }),
  ),
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
