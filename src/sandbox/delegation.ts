// Azure Lighthouse delegation, as far as listing goes (azure-api.md §2.2, azure-api-2.md §8.2): a subscription may be
// managed by other directories (`managedByTenants`). `GET /subscriptions` with a token of a managing directory lists
// the subscription — still with its own home `tenantId` — when a Lighthouse authorization names the caller (or a group
// of theirs) in that managing directory. Everything else (reads under the subscription, moves) still needs a token
// of the home directory: the sandbox does not model cross-tenant management beyond the listing.
// One delegation, one model: a scenario may write it as `managedByTenants` on the subscription or as a registration
// assignment (`extras.registrationAssignments`, what `GET …/registrationAssignments` lists); `unifyDelegations` makes
// each side say the other, so the subscription's `managedByTenants` and its registration assignments always agree.
import { createHash } from 'node:crypto';
import type { RegistrationAssignment } from './extras';
import { asObject, fail, guid, list, str, type Raw } from './jsonReaders';
import { isAtOrBelow } from './scope';

export interface ScenarioDelegation {
  /** The managing directory. */
  tenantId: string;
  /** Who in the managing directory may act on the subscription (a user or group object id there), with which role. */
  authorizations: { principalId: string; role: string }[];
}

/** `managedByTenants` of a scenario subscription (optional; empty when absent). */
export function readDelegations(o: Raw, p: string): ScenarioDelegation[] {
  return list(o, 'managedByTenants', p, (x, q) => {
    const d = asObject(x, q);
    const authorizations = list(d, 'authorizations', q, (y, r) => { const a = asObject(y, r); return { principalId: guid(a, 'principalId', r), role: str(a, 'role', r) }; });
    if (authorizations.length === 0) fail(`${q}.authorizations`, 'a non-empty array', []);
    return { tenantId: guid(d, 'tenantId', q), authorizations };
  });
}

interface DelegationScenario {
  tenants: readonly { tenantId: string }[];
  subscriptions: readonly { displayName: string; tenantId: string; managedByTenants: readonly ScenarioDelegation[] }[];
}

/** A managing directory must exist and differ from the home; each authorization's role must be known (resolved to its id). */
export function checkDelegations(s: DelegationScenario, roleId: (nameOrId: string) => string | undefined, bad: (msg: string) => never): void {
  const tenants = new Set(s.tenants.map((t) => t.tenantId));
  for (const sub of s.subscriptions) {
    for (const d of sub.managedByTenants) {
      if (!tenants.has(d.tenantId) || d.tenantId === sub.tenantId) bad(`subscription '${sub.displayName}' is managed by '${d.tenantId}', which is not another directory of the scenario`);
      for (const a of d.authorizations) a.role = roleId(a.role.toLowerCase()) ?? bad(`subscription '${sub.displayName}': a Lighthouse authorization names an unknown role '${a.role}'`);
    }
  }
}

/** Whether a caller of directory `tenantId` (its object id and groups: `principals`) is authorized on the subscription through a delegation to that directory. */
export function isDelegatedTo(sub: { managedByTenants: readonly ScenarioDelegation[] }, tenantId: string, principals: ReadonlySet<string>): boolean {
  return sub.managedByTenants.some((d) => d.tenantId === tenantId && d.authorizations.some((a) => principals.has(a.principalId.toLowerCase())));
}

interface UnifiedScenario {
  tenants: readonly { tenantId: string; displayName: string; users: readonly Named[]; groups: readonly Named[]; servicePrincipals: readonly Named[] }[];
  subscriptions: { subscriptionId: string; managedByTenants: ScenarioDelegation[] }[];
  extras: { registrationAssignments: RegistrationAssignment[] };
}
interface Named { id: string; displayName: string }

/** A stable GUID for a delegation the scenario wrote only as `managedByTenants` (the same on every load). */
function guidFor(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * After the checks (roles resolved to GUIDs): a `managedByTenants` entry with no registration assignment of that
 * managing directory at or below its subscription gets one (at the subscription); then every subscription's
 * `managedByTenants` is what the registration assignments at or below it say, one entry per managing directory.
 */
export function unifyDelegations(s: UnifiedScenario): void {
  const tenants = new Map(s.tenants.map((t) => [t.tenantId.toLowerCase(), t] as const));
  const nameIn = (tenantId: string, id: string): string => {
    const t = tenants.get(tenantId.toLowerCase());
    return [...(t?.users ?? []), ...(t?.groups ?? []), ...(t?.servicePrincipals ?? [])].find((o) => o.id.toLowerCase() === id.toLowerCase())?.displayName ?? id;
  };
  const assignments = s.extras.registrationAssignments;
  for (const sub of s.subscriptions) {
    const scope = `/subscriptions/${sub.subscriptionId}`;
    for (const d of sub.managedByTenants) {
      if (assignments.some((r) => same(r.managedByTenantId, d.tenantId) && isAtOrBelow(r.scope, scope))) continue;
      const managedByTenantName = tenants.get(d.tenantId.toLowerCase())?.displayName ?? d.tenantId;
      assignments.push({
        name: guidFor(`${sub.subscriptionId}|${d.tenantId}`.toLowerCase()), scope, registrationDefinitionName: `Delegation to ${managedByTenantName}`,
        managedByTenantId: d.tenantId, managedByTenantName,
        authorizations: d.authorizations.map((a) => ({ principalId: a.principalId, principalIdDisplayName: nameIn(d.tenantId, a.principalId), roleDefinitionId: a.role })),
      });
    }
  }
  for (const sub of s.subscriptions) {
    const scope = `/subscriptions/${sub.subscriptionId}`;
    const byTenant = new Map<string, ScenarioDelegation>();
    for (const r of assignments.filter((x) => isAtOrBelow(x.scope, scope))) {
      const key = r.managedByTenantId.toLowerCase();
      const d = byTenant.get(key) ?? { tenantId: r.managedByTenantId, authorizations: [] };
      for (const a of r.authorizations) if (!d.authorizations.some((x) => same(x.principalId, a.principalId) && x.role === a.roleDefinitionId)) d.authorizations.push({ principalId: a.principalId, role: a.roleDefinitionId });
      byTenant.set(key, d);
    }
    sub.managedByTenants = [...byTenant.values()];
  }
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
