// The scenario: a JSON description of accounts, directories, subscriptions, RBAC and resources.
// `parseScenario` validates untrusted JSON and returns a normalised copy (role names resolved to GUIDs).
import { BUILT_IN_ROLES, DIRECTORY_ROLE_TEMPLATES, type RolePermission } from './builtins';
import { ExtrasError, readExtras, type ScenarioExtras } from './extras';
import { checkDelegations, readDelegations, type ScenarioDelegation } from './delegation';
import { asObject, bool, count, fail, guid, jsonObject, list, nullableStr, oneOf, str, stringMap, strings, ScenarioError, type Raw } from './jsonReaders';
import { parseScope, scopeKey } from './scope';

export type { JsonObject, JsonValue } from './jsonReaders';
import type { JsonObject } from './jsonReaders';

export interface Scenario {
  name: string;
  description: string;
  /** UPN of the account used when a token request names none. */
  defaultAccount: string;
  /** Delegated Graph permissions put in `scp` unless a directory overrides them. */
  graphScopes: string[];
  limits: { roleAssignmentsPerSubscription: number };
  accounts: ScenarioAccount[];
  tenants: ScenarioTenant[];
  subscriptions: ScenarioSubscription[];
  customRoles: ScenarioCustomRole[];
  roleAssignments: ScenarioRoleAssignment[];
  resources: ScenarioResource[];
  /** PIM schedules, policy assignments, locks, deny assignments, Lighthouse (extras.ts). */
  extras: ScenarioExtras;
  /** Optional bookkeeping, checked on load: per subscription id, how many assignments sit at each scope level. */
  expectedCounts: Record<string, SubscriptionCounts>;
}

export interface SubscriptionCounts {
  subscription: number;
  resourceGroup: number;
  resource: number;
  inherited: number;
  customRoles: number;
}

/** A person who can sign in. Their user object in each directory links back through `account`. */
export interface ScenarioAccount {
  upn: string;
  displayName: string;
  homeTenantId: string;
}

export interface ScenarioDomain {
  name: string;
  isDefault: boolean;
  isInitial: boolean;
  capabilities: string;
}

export interface TenantPolicy {
  blockSubscriptionsLeavingTenant: boolean;
  blockSubscriptionsIntoTenant: boolean;
  exemptedPrincipals: string[];
}

export interface ScenarioTenant {
  tenantId: string;
  displayName: string;
  defaultDomain: string;
  domains: ScenarioDomain[];
  countryCode: string;
  country: string;
  tenantType: string;
  /** MFA / Conditional Access: tokens only with `"interactive": true`. */
  requiresInteractiveSignIn: boolean;
  /** Overrides the scenario's `graphScopes` for tokens of this directory. */
  graphScopes: string[] | null;
  /** null = never configured (blocked both ways since 2026-05-01). */
  policy: TenantPolicy | null;
  managementGroups: { name: string; displayName: string }[];
  subscribedSkus: JsonObject[];
  assignedPlans: JsonObject[];
  provisionedPlans: JsonObject[];
  users: ScenarioUser[];
  groups: ScenarioGroup[];
  servicePrincipals: ScenarioServicePrincipal[];
}

export interface ReplicationDelayed {
  /** The first n role-assignment PUTs naming this principal fail with PrincipalNotFound. */
  replicationDelay: number;
}

export interface ScenarioUser extends ReplicationDelayed {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string | null;
  userType: 'Member' | 'Guest';
  accountEnabled: boolean;
  /** UPN of the signing-in account this user object belongs to. */
  account: string | null;
  directoryRoles: string[];
  /** Guests created by an invitation (graph invitations): PendingAcceptance until redeemed; scenario guests are Accepted. */
  externalUserState?: 'PendingAcceptance' | 'Accepted';
  externalUserStateChangeDateTime?: string;
}

export interface ScenarioGroup extends ReplicationDelayed {
  id: string;
  displayName: string;
  description: string | null;
  mail: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  /** Object ids of users, groups or service principals. */
  members: string[];
}

export interface ScenarioServicePrincipal extends ReplicationDelayed {
  id: string;
  displayName: string;
  appId: string;
  servicePrincipalType: 'Application' | 'ManagedIdentity';
  alternativeNames: string[];
}

export type SubscriptionState = 'Enabled' | 'Warned' | 'PastDue' | 'Disabled' | 'Deleted';

export interface ScenarioSubscription {
  subscriptionId: string;
  displayName: string;
  /** The home directory. */
  tenantId: string;
  state: SubscriptionState;
  quotaId: string;
  spendingLimit: 'On' | 'Off' | 'CurrentPeriodOff';
  locationPlacementId: string;
  /** Management-group ancestors (names) in the home directory. */
  managementGroups: string[];
  resourceGroups: { name: string; location: string }[];
  classicAdministrators: { emailAddress: string; role: string }[];
  tags: Record<string, string>;
  /** Azure Lighthouse: directories that manage it (delegation.ts); empty for most. */
  managedByTenants: ScenarioDelegation[];
}

export interface ScenarioCustomRole {
  id: string;
  tenantId: string;
  roleName: string;
  description: string;
  permissions: RolePermission[];
  assignableScopes: string[];
}

export type PrincipalType = 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';

export interface ScenarioRoleAssignment {
  name: string;
  scope: string;
  /** Role GUID (a role name is accepted in the JSON and resolved on load). */
  role: string;
  principalId: string;
  principalType: PrincipalType;
  description: string | null;
  condition: string | null;
  conditionVersion: string | null;
  createdOn: string;
  createdBy: string | null;
}

export interface ScenarioResource {
  id: string;
  location: string;
  kind: string | null;
  identity: JsonObject | null;
  properties: JsonObject;
  tags: Record<string, string>;
  sku: JsonObject | null;
}

export { ScenarioError } from './jsonReaders';

// ---------------------------------------------------------------------------------------------

const delay = (o: Raw, p: string): ReplicationDelayed => ({ replicationDelay: count(o, 'replicationDelay', p, 0) });

function readUser(v: unknown, p: string): ScenarioUser {
  const o = asObject(v, p);
  const directoryRoles = strings(o, 'directoryRoles', p);
  directoryRoles.forEach((r, i) => { if (!(r in DIRECTORY_ROLE_TEMPLATES)) fail(`${p}.directoryRoles[${i}]`, `one of ${Object.keys(DIRECTORY_ROLE_TEMPLATES).join(', ')}`, r); });
  return {
    id: guid(o, 'id', p), displayName: str(o, 'displayName', p), givenName: nullableStr(o, 'givenName', p), surname: nullableStr(o, 'surname', p),
    userPrincipalName: str(o, 'userPrincipalName', p), mail: nullableStr(o, 'mail', p), jobTitle: nullableStr(o, 'jobTitle', p),
    userType: oneOf(o, 'userType', p, ['Member', 'Guest'], 'Member'), accountEnabled: bool(o, 'accountEnabled', p, true),
    account: nullableStr(o, 'account', p), directoryRoles, ...delay(o, p),
  };
}

function readGroup(v: unknown, p: string): ScenarioGroup {
  const o = asObject(v, p);
  return {
    id: guid(o, 'id', p), displayName: str(o, 'displayName', p), description: nullableStr(o, 'description', p), mail: nullableStr(o, 'mail', p),
    mailEnabled: bool(o, 'mailEnabled', p, false), securityEnabled: bool(o, 'securityEnabled', p, true),
    members: list(o, 'members', p, (x, q) => guid({ x }, 'x', q)), ...delay(o, p),
  };
}

function readServicePrincipal(v: unknown, p: string): ScenarioServicePrincipal {
  const o = asObject(v, p);
  return {
    id: guid(o, 'id', p), displayName: str(o, 'displayName', p), appId: guid(o, 'appId', p),
    servicePrincipalType: oneOf(o, 'servicePrincipalType', p, ['Application', 'ManagedIdentity'], 'Application'),
    alternativeNames: strings(o, 'alternativeNames', p), ...delay(o, p),
  };
}

function readPolicy(v: unknown, p: string): TenantPolicy | null {
  if (v === null || v === undefined) return null;
  const o = asObject(v, p);
  return {
    blockSubscriptionsLeavingTenant: bool(o, 'blockSubscriptionsLeavingTenant', p, true),
    blockSubscriptionsIntoTenant: bool(o, 'blockSubscriptionsIntoTenant', p, true),
    exemptedPrincipals: list(o, 'exemptedPrincipals', p, (x, q) => guid({ x }, 'x', q)),
  };
}

function readTenant(v: unknown, p: string): ScenarioTenant {
  const o = asObject(v, p);
  const domains = list(o, 'domains', p, (x, q) => {
    const d = asObject(x, q);
    return { name: str(d, 'name', q), isDefault: bool(d, 'isDefault', q, false), isInitial: bool(d, 'isInitial', q, false), capabilities: str(d, 'capabilities', q, 'None') };
  });
  if (domains.length === 0) fail(`${p}.domains`, 'a non-empty array', []);
  return {
    tenantId: guid(o, 'tenantId', p), displayName: str(o, 'displayName', p), defaultDomain: str(o, 'defaultDomain', p), domains,
    countryCode: str(o, 'countryCode', p, 'US'), country: str(o, 'country', p, 'United States'), tenantType: str(o, 'tenantType', p, 'AAD'),
    requiresInteractiveSignIn: bool(o, 'requiresInteractiveSignIn', p, false),
    graphScopes: o.graphScopes === undefined || o.graphScopes === null ? null : strings(o, 'graphScopes', p),
    policy: readPolicy(o.policy, `${p}.policy`),
    managementGroups: list(o, 'managementGroups', p, (x, q) => { const m = asObject(x, q); return { name: str(m, 'name', q), displayName: str(m, 'displayName', q) }; }),
    subscribedSkus: list(o, 'subscribedSkus', p, jsonObject), assignedPlans: list(o, 'assignedPlans', p, jsonObject), provisionedPlans: list(o, 'provisionedPlans', p, jsonObject),
    users: list(o, 'users', p, readUser), groups: list(o, 'groups', p, readGroup), servicePrincipals: list(o, 'servicePrincipals', p, readServicePrincipal),
  };
}

function readSubscription(v: unknown, p: string): ScenarioSubscription {
  const o = asObject(v, p);
  return {
    subscriptionId: guid(o, 'subscriptionId', p), displayName: str(o, 'displayName', p), tenantId: guid(o, 'tenantId', p),
    state: oneOf(o, 'state', p, ['Enabled', 'Warned', 'PastDue', 'Disabled', 'Deleted'], 'Enabled'), quotaId: str(o, 'quotaId', p),
    spendingLimit: oneOf(o, 'spendingLimit', p, ['On', 'Off', 'CurrentPeriodOff'], 'Off'), locationPlacementId: str(o, 'locationPlacementId', p, 'Public_2014-09-01'),
    managementGroups: strings(o, 'managementGroups', p),
    resourceGroups: list(o, 'resourceGroups', p, (x, q) => { const r = asObject(x, q); return { name: str(r, 'name', q), location: str(r, 'location', q) }; }),
    classicAdministrators: list(o, 'classicAdministrators', p, (x, q) => { const c = asObject(x, q); return { emailAddress: str(c, 'emailAddress', q), role: str(c, 'role', q) }; }),
    tags: stringMap(o, 'tags', p), managedByTenants: readDelegations(o, p),
  };
}

function readPermission(v: unknown, p: string): RolePermission {
  const o = asObject(v, p);
  return { actions: strings(o, 'actions', p), notActions: strings(o, 'notActions', p), dataActions: strings(o, 'dataActions', p), notDataActions: strings(o, 'notDataActions', p) };
}

function readCustomRole(v: unknown, p: string): ScenarioCustomRole {
  const o = asObject(v, p);
  return {
    id: guid(o, 'id', p), tenantId: guid(o, 'tenantId', p), roleName: str(o, 'roleName', p), description: nullableStr(o, 'description', p) ?? '',
    permissions: list(o, 'permissions', p, readPermission), assignableScopes: strings(o, 'assignableScopes', p),
  };
}

function readAssignment(v: unknown, p: string): ScenarioRoleAssignment {
  const o = asObject(v, p);
  return {
    name: guid(o, 'name', p), scope: str(o, 'scope', p), role: str(o, 'role', p), principalId: guid(o, 'principalId', p),
    principalType: oneOf(o, 'principalType', p, ['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'], 'User'),
    description: nullableStr(o, 'description', p), condition: nullableStr(o, 'condition', p), conditionVersion: nullableStr(o, 'conditionVersion', p),
    createdOn: str(o, 'createdOn', p, '2025-01-15T09:00:00.0000000Z'), createdBy: nullableStr(o, 'createdBy', p),
  };
}

function readResource(v: unknown, p: string): ScenarioResource {
  const o = asObject(v, p);
  const id = str(o, 'id', p);
  if (parseScope(id)?.kind !== 'resource') fail(`${p}.id`, 'a resource id (/subscriptions/…/resourceGroups/…/providers/…)', id);
  return {
    id, location: str(o, 'location', p), kind: nullableStr(o, 'kind', p),
    identity: o.identity === undefined || o.identity === null ? null : jsonObject(o.identity, `${p}.identity`),
    properties: jsonObject(o.properties ?? {}, `${p}.properties`), tags: stringMap(o, 'tags', p),
    sku: o.sku === undefined || o.sku === null ? null : jsonObject(o.sku, `${p}.sku`),
  };
}

function readCounts(v: unknown, p: string): SubscriptionCounts {
  const o = asObject(v, p);
  return { subscription: count(o, 'subscription', p, 0), resourceGroup: count(o, 'resourceGroup', p, 0), resource: count(o, 'resource', p, 0), inherited: count(o, 'inherited', p, 0), customRoles: count(o, 'customRoles', p, 0) };
}

/** Validates a scenario (parsed JSON) and returns a normalised, independent copy. Throws ScenarioError. */
export function parseScenario(raw: unknown): Scenario {
  const o = asObject(raw, 'scenario');
  const p = 'scenario';
  const countsRaw = asObject(o.expectedCounts ?? {}, `${p}.expectedCounts`);
  const scenario: Scenario = {
    name: str(o, 'name', p), description: nullableStr(o, 'description', p) ?? '', defaultAccount: str(o, 'defaultAccount', p),
    graphScopes: o.graphScopes === undefined ? ['User.Read', 'User.ReadBasic.All', 'Organization.Read.All'] : strings(o, 'graphScopes', p),
    limits: { roleAssignmentsPerSubscription: count(asObject(o.limits ?? {}, `${p}.limits`), 'roleAssignmentsPerSubscription', `${p}.limits`, 4000) },
    accounts: list(o, 'accounts', p, (x, q) => { const a = asObject(x, q); return { upn: str(a, 'upn', q), displayName: str(a, 'displayName', q), homeTenantId: guid(a, 'homeTenantId', q) }; }),
    tenants: list(o, 'tenants', p, readTenant),
    subscriptions: list(o, 'subscriptions', p, readSubscription),
    customRoles: list(o, 'customRoles', p, readCustomRole),
    roleAssignments: list(o, 'roleAssignments', p, readAssignment),
    resources: list(o, 'resources', p, readResource),
    extras: readScenarioExtras(o),
    expectedCounts: Object.fromEntries(Object.entries(countsRaw).map(([k, x]) => [k.toLowerCase(), readCounts(x, `${p}.expectedCounts.${k}`)])),
  };
  checkReferences(scenario);
  return scenario;
}

function readScenarioExtras(o: Raw): ScenarioExtras {
  const customRoles = list(o, 'customRoles', 'scenario', readCustomRole);
  const roleOf = (v: string, at: string): string => {
    const role = [...BUILT_IN_ROLES, ...customRoles].find((r) => r.id === v.toLowerCase() || r.roleName.toLowerCase() === v.toLowerCase());
    return role?.id ?? fail(at, 'a known role name or GUID', v);
  };
  try {
    return readExtras(o.extras, 'scenario.extras', roleOf);
  } catch (e) {
    throw e instanceof ExtrasError ? new ScenarioError(e.message) : e;
  }
}

function unique(values: string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    const k = v.toLowerCase();
    if (seen.has(k)) throw new ScenarioError(`Invalid scenario: duplicate ${what} '${v}'`);
    seen.add(k);
  }
}

function checkReferences(s: Scenario): void {
  const bad = (msg: string): never => { throw new ScenarioError(`Invalid scenario: ${msg}`); };
  unique(s.tenants.map((t) => t.tenantId), 'tenantId');
  unique(s.subscriptions.map((x) => x.subscriptionId), 'subscriptionId');
  unique(s.accounts.map((a) => a.upn), 'account upn');
  unique(s.roleAssignments.map((a) => a.name), 'role assignment name');
  unique([...BUILT_IN_ROLES.map((r) => r.id), ...s.customRoles.map((r) => r.id)], 'role definition id');
  unique(s.tenants.flatMap((t) => t.managementGroups.map((m) => m.name)), 'management group name');
  const tenantIds = new Set(s.tenants.map((t) => t.tenantId));
  for (const t of s.tenants) {
    unique([...t.users, ...t.groups, ...t.servicePrincipals].map((x) => x.id), `object id in directory ${t.displayName}`);
    unique(t.users.map((u) => u.userPrincipalName), `userPrincipalName in directory ${t.displayName}`);
  }
  if (!s.accounts.some((a) => a.upn.toLowerCase() === s.defaultAccount.toLowerCase())) bad(`defaultAccount '${s.defaultAccount}' is not in accounts`);
  for (const a of s.accounts) {
    const home = s.tenants.find((t) => t.tenantId === a.homeTenantId) ?? bad(`account '${a.upn}' has an unknown homeTenantId`);
    if (!home.users.some((u) => u.account?.toLowerCase() === a.upn.toLowerCase())) bad(`account '${a.upn}' has no user (with "account") in its home directory`);
  }
  const mgs = new Map(s.tenants.flatMap((t) => t.managementGroups.map((m) => [m.name.toLowerCase(), t.tenantId] as const)));
  for (const sub of s.subscriptions) {
    if (!tenantIds.has(sub.tenantId)) bad(`subscription '${sub.displayName}' has an unknown tenantId`);
    for (const m of sub.managementGroups) if (mgs.get(m.toLowerCase()) !== sub.tenantId) bad(`subscription '${sub.displayName}' names management group '${m}' that is not in its home directory`);
  }
  for (const r of s.customRoles) if (!tenantIds.has(r.tenantId)) bad(`custom role '${r.roleName}' has an unknown tenantId`);
  const subscriptionsById = new Map(s.subscriptions.map((x) => [x.subscriptionId, x] as const));
  for (const r of s.resources) {
    const scope = parseScope(r.id);
    const sub = subscriptionsById.get(scope?.subscriptionId ?? '') ?? bad(`resource '${r.id}' is in an unknown subscription`);
    if (!sub.resourceGroups.some((g) => g.name.toLowerCase() === scope?.resourceGroup?.toLowerCase())) bad(`resource '${r.id}' is in an undeclared resource group`);
  }
  const roles = new Map<string, { id: string }>();
  for (const r of [...BUILT_IN_ROLES, ...s.customRoles].reverse()) roles.set(r.roleName.toLowerCase(), r);
  for (const r of [...BUILT_IN_ROLES, ...s.customRoles]) roles.set(r.id, r);
  checkDelegations(s, (r) => roles.get(r)?.id, bad);
  const subscriptionIds = new Set(s.subscriptions.map((x) => x.subscriptionId));
  for (const a of s.roleAssignments) {
    const role = roles.get(a.role.toLowerCase()) ?? bad(`role assignment '${a.name}' names an unknown role '${a.role}'`);
    a.role = role.id;
    const scope = parseScope(a.scope) ?? bad(`role assignment '${a.name}' has an invalid scope '${a.scope}'`);
    if (scope.kind === 'root') bad(`role assignment '${a.name}': root scope '/' is not modelled`);
    if (scope.kind === 'managementGroup' && !mgs.has(scope.managementGroup.toLowerCase())) bad(`role assignment '${a.name}' names an unknown management group`);
    if (scope.subscriptionId !== undefined && !subscriptionIds.has(scope.subscriptionId)) bad(`role assignment '${a.name}' is in an unknown subscription`);
    a.scope = scope.canonical;
  }
  for (const [subId, expected] of Object.entries(s.expectedCounts)) {
    const actual = countAssignments(s, subId);
    if (JSON.stringify(actual) !== JSON.stringify(expected)) bad(`expectedCounts for ${subId} say ${JSON.stringify(expected)} but the data has ${JSON.stringify(actual)}`);
  }
}

/** Assignments that apply to a subscription, by where they sit; and custom roles assignable there. */
export function countAssignments(s: Pick<Scenario, 'subscriptions' | 'roleAssignments' | 'customRoles'>, subscriptionId: string): SubscriptionCounts {
  const counts: SubscriptionCounts = { subscription: 0, resourceGroup: 0, resource: 0, inherited: 0, customRoles: 0 };
  const sub = s.subscriptions.find((x) => x.subscriptionId === subscriptionId.toLowerCase());
  if (sub === undefined) return counts;
  const ancestors = new Set(sub.managementGroups.map((m) => m.toLowerCase()));
  for (const a of s.roleAssignments) {
    const scope = parseScope(a.scope);
    if (scope === undefined) continue;
    if (scope.kind === 'managementGroup' && ancestors.has(scope.managementGroup.toLowerCase())) counts.inherited++;
    else if (scope.subscriptionId === sub.subscriptionId) {
      if (scope.kind === 'subscription') counts.subscription++;
      else if (scope.kind === 'resourceGroup') counts.resourceGroup++;
      else counts.resource++;
    }
  }
  const prefix = scopeKey(`/subscriptions/${sub.subscriptionId}`);
  counts.customRoles = s.customRoles.filter((r) => r.assignableScopes.some((x) => scopeKey(x) === prefix || scopeKey(x).startsWith(`${prefix}/`))).length;
  return counts;
}
