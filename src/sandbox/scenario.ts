// The scenario: a JSON description of accounts, directories, subscriptions, RBAC and resources.
// `parseScenario` validates untrusted JSON and returns a normalised copy (role names resolved to GUIDs).
import { BUILT_IN_ROLES, DIRECTORY_ROLE_TEMPLATES, type RolePermission } from './builtins';
import { ExtrasError, readExtras, type ScenarioExtras } from './extras';
import { readDelegations } from './delegation';
import { asObject, bool, count, fail, guid, jsonObject, list, nullableStr, oneOf, str, stringMap, strings, ScenarioError, type Raw } from './jsonReaders';
import { checkReferences } from './scenarioChecks';
import { parseScope } from './scope';

export type { JsonObject, JsonValue } from './jsonReaders';

export type * from './scenarioTypes';
import type {
  Scenario, ScenarioCustomRole, ScenarioGroup, ScenarioResource, ScenarioRoleAssignment, ScenarioServicePrincipal, ScenarioSubscription,
  ScenarioTenant, ScenarioUser, SubscriptionCounts, TenantPolicy, ReplicationDelayed,
} from './scenarioTypes';

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
