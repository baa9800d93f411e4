/**
 * Every id list of the product, once. Each is an `as const` array; its type and its guard derive from it, so a guard
 * can never miss a member its type has. No imports and no `vscode`: the extension host, the CLI, the core, the Azure
 * clients and (through the protocol's re-export) the browser bundle all read this one small module.
 */

/** The wizard's steps, in order. */
export const STEP_IDS = ['choose', 'visible', 'change', 'admins', 'done'] as const;
export type StepId = (typeof STEP_IDS)[number];
export const STEP_STATUSES = ['done', 'current', 'todo', 'blocked'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** The eight pre-flight checks (the `plan --json` contract lists them in this order). */
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
/** pass / warn / fail are verdicts; unknown means we could not tell (missing permission, API error): never "no". */
export const CHECK_STATUSES = ['pass', 'warn', 'fail', 'unknown'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** Where a role assignment sits relative to the subscription. */
export const SCOPE_KINDS = ['subscription', 'resourceGroup', 'resource', 'inherited'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/** Microsoft Graph / ARM principal types we name; anything else is `Unknown`. */
export const PRINCIPAL_TYPES = ['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device', 'Unknown'] as const;
export type PrincipalType = (typeof PRINCIPAL_TYPES)[number];

/** The principal type named by `value` (case-insensitive), or `Unknown`. */
export function principalType(value: string): PrincipalType {
  const lower = value.toLowerCase();
  return PRINCIPAL_TYPES.find((t) => t.toLowerCase() === lower) ?? 'Unknown';
}

/** Watching for a moved subscription to answer in its new directory. */
/**
 * A directory change request as it is shown: Azure's states (pending until `expiresOn`, then expired; `Completed` is
 * accepted) and `cancelled`, once the user cancelled it here (Azure then has no request to show).
 */
export const REQUEST_STATES = ['pending', 'expired', 'accepted', 'cancelled'] as const;
export type ShownRequestState = (typeof REQUEST_STATES)[number];
/** What Azure's request itself says. */
export type RequestState = Exclude<ShownRequestState, 'cancelled'>;

export const TRACK_STATUSES = ['waiting', 'seen', 'timedOut', 'cancelled'] as const;
export type TrackStatus = (typeof TRACK_STATUSES)[number];

export const CHANGE_MODES = ['portal', 'api'] as const;
export type ChangeMode = (typeof CHANGE_MODES)[number];
export const CHANGE_STATUSES = ['idle', 'inProgress', 'waiting', 'done', 'failed', 'cancelled'] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];
/** Why the wizard's primary button is disabled (null = enabled). */
export const CHANGE_BLOCKS = ['snapshotMissing', 'checksFailing', 'checksRunning', 'impactLoading', null] as const;
export type ChangeBlock = (typeof CHANGE_BLOCKS)[number];

export const RESULT_STATUSES = ['created', 'exists', 'failed'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];
export const MATCH_STATUSES = ['matched', 'ambiguous', 'unmatched'] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

/** The impact's groups beyond role assignments (issue 11), in the order the wizard shows them. */
export const EXTRA_GROUP_IDS = ['eligible', 'timeBound', 'policyAssignments', 'keyVaults', 'identities', 'denyAssignments', 'locks', 'delegations'] as const;
export type ExtraGroupId = (typeof EXTRA_GROUP_IDS)[number];
/** Who puts an item back after the move: the product's restore, the user (with the steps given), nobody. */
export const REPAIRS = ['automatic', 'manual', 'none'] as const;
export type Repair = (typeof REPAIRS)[number];
/** A resource's managed identities. */
export const IDENTITY_KINDS = ['system', 'user', 'systemAndUser', 'none'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];
/** What a restore did (or, in its dry run, would do) with one item of the Repair group. */
export const REPAIR_STATUSES = ['created', 'exists', 'failed', 'skipped', 'planned'] as const;
export type RepairStatus = (typeof REPAIR_STATUSES)[number];
/** The kinds of item in step 3's Repair group. */
export const REPAIR_KINDS = ['identity', 'policyAssignment', 'keyVault', 'accessPolicy'] as const;
export type RepairKind = (typeof REPAIR_KINDS)[number];
/** The Done page's "still to do" kinds. */
export const TODO_KINDS = ['unrestored', 'repair', 'manual', 'customRole', 'classicAdmin', 'unknown'] as const;
export type TodoKind = (typeof TODO_KINDS)[number];

/** The Done step's links into the Azure portal. */
export const LINK_IDS = ['subscriptionInPortal', 'targetDirectoryInPortal', 'accessControlInPortal'] as const;
export type LinkId = (typeof LINK_IDS)[number];

/** What "Reveal in the Directories view" may point at. */
export const REVEAL_TARGETS = ['subscription', 'source', 'target'] as const;
export type RevealTarget = (typeof REVEAL_TARGETS)[number];

/** The `azureTenantLink.directoryFilter` setting. */
export const DIRECTORY_FILTERS = ['all', 'office365', 'withSubscriptions'] as const;
export type DirectoryFilter = (typeof DIRECTORY_FILTERS)[number];

/** The wizard's webview view type (panel creation and the serializer). */
export const WIZARD_VIEW_TYPE = 'azureTenantLink.wizard';

/** A guard for one of `values` (the list is the single source of truth). */
export function isOneOf<const T extends readonly unknown[]>(values: T, v: unknown): v is T[number] {
  return values.includes(v);
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID (tenant, subscription, object, role assignment id), any case. */
export function isGuid(value: unknown): boolean {
  return typeof value === 'string' && GUID_RE.test(value);
}
