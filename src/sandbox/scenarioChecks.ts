// Cross-references of a parsed scenario (ids unique, every reference resolvable, expected counts true) and the
// per-subscription assignment counts the scenario's `expectedCounts` and the control API report.
import { BUILT_IN_ROLES } from './builtins';
import { checkDelegations, unifyDelegations } from './delegation';
import { ScenarioError } from './jsonReaders';
import type { Scenario, SubscriptionCounts } from './scenarioTypes';
import { parseScope, scopeKey } from './scope';

function unique(values: string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    const k = v.toLowerCase();
    if (seen.has(k)) throw new ScenarioError(`Invalid scenario: duplicate ${what} '${v}'`);
    seen.add(k);
  }
}

/**
 * Throws ScenarioError naming the first reference that does not resolve. Canonicalises roles and scopes in place, and
 * gives each Lighthouse delegation one model (`unifyDelegations`).
 */
export function checkReferences(s: Scenario): void {
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
  unifyDelegations(s);
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
