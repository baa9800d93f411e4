// Azure Lighthouse delegation, as far as listing goes (azure-api.md §2.2, azure-api-2.md §8.2): a subscription may be
// managed by other directories (`managedByTenants`). `GET /subscriptions` with a token of a managing directory lists
// the subscription — still with its own home `tenantId` — when a Lighthouse authorization names the caller (or a group
// of theirs) in that managing directory. Everything else (reads under the subscription, moves) still needs a token
// of the home directory: the sandbox does not model cross-tenant management beyond the listing.
import { asObject, fail, guid, list, str, type Raw } from './jsonReaders';

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
