/**
 * Where else a custom role the move deletes is used. Microsoft documents that a directory change deletes the custom
 * roles of the subscription (https://learn.microsoft.com/azure/role-based-access-control/transfer-subscription) but
 * not what becomes of one whose `assignableScopes` also name subscriptions that stay. A custom role is one object of
 * the directory: it cannot be split, and ARM refuses to drop a scope that still has assignments
 * (`RoleScopeBeingRemovedContainsAssignments`). We assume the worst case (and the sandbox does it: docs/sandbox.md):
 * the role is deleted, and every assignment of it in the other subscriptions goes with it. So the impact names every
 * other scope the role reaches and every assignment there.
 */
import { roleDefinitionGuid, type RoleAssignment, type Subscription } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { PlanCache } from './cache';
import type { Localize } from './l10n';
import { isAtOrBelow, reasonOf } from './util';

/** An assignment outside the moving subscription that uses a custom role the move deletes. */
export interface AssignmentElsewhere {
  readonly id: string;
  readonly scope: string;
  readonly subscriptionId: string;
  readonly subscriptionName: string | null;
  readonly principalId: string;
  readonly principalType: string;
}

export interface CustomRoleReach {
  /** Role definition GUID. */
  readonly id: string;
  readonly roleName: string;
  /** Its assignable scopes outside the moving subscription. */
  readonly otherScopes: readonly string[];
  readonly assignments: readonly AssignmentElsewhere[];
  /** Other scopes whose assignments could not be read, with why (a management group, a missing permission…). */
  readonly unread: readonly { readonly scope: string; readonly reason: string }[];
}

const SUBSCRIPTION_SCOPE = /^\/subscriptions\/([^/]+)/i;

/**
 * For each custom role the move deletes, the other scopes it is assignable at and the assignments there (one listing
 * per other subscription, through the plan cache's limiter). Roles used nowhere else are left out.
 */
export async function customRoleReach(
  session: AzureSession,
  subscription: Subscription,
  roles: readonly { readonly id: string; readonly roleName: string; readonly assignableScopes: readonly string[] }[],
  cache: PlanCache,
  l10n: Localize,
  signal?: AbortSignal,
): Promise<CustomRoleReach[]> {
  const own = `/subscriptions/${subscription.subscriptionId.toLowerCase()}`;
  const others = roles.map((r) => ({ role: r, scopes: r.assignableScopes.filter((s) => !isAtOrBelow(s, own)) })).filter((x) => x.scopes.length > 0);
  const subscriptionIds = [...new Set(others.flatMap((x) => x.scopes.flatMap((s) => SUBSCRIPTION_SCOPE.exec(s)?.[1]?.toLowerCase() ?? [])))];
  const listings = new Map<string, RoleAssignment[] | string>(await Promise.all(subscriptionIds.map(async (id): Promise<[string, RoleAssignment[] | string]> => {
    try {
      return [id, await cache.run(() => session.arm.listRoleAssignments(subscription.tenantId, id, { kind: 'all' }, signal))];
    } catch (e) {
      if (signal?.aborted) throw e;
      return [id, reasonOf(e)];
    }
  })));
  const index = await cache.subscriptionIndex(signal).catch(() => undefined);
  return others.map(({ role, scopes }) => {
    const assignments: AssignmentElsewhere[] = [];
    const unread: { scope: string; reason: string }[] = [];
    for (const scope of scopes) {
      const subId = SUBSCRIPTION_SCOPE.exec(scope)?.[1]?.toLowerCase();
      const listing = subId === undefined ? undefined : listings.get(subId);
      if (subId === undefined || listing === undefined) {
        unread.push({ scope, reason: l10n.t('a management-group scope: every subscription under it may use the role') });
        continue;
      }
      if (typeof listing === 'string') {
        unread.push({ scope, reason: listing });
        continue;
      }
      for (const a of listing) {
        const p = a.properties;
        if (roleDefinitionGuid(p.roleDefinitionId) !== role.id || !isAtOrBelow(p.scope, scope) || assignments.some((x) => x.id === a.id)) continue;
        assignments.push({ id: a.id, scope: p.scope, subscriptionId: subId, subscriptionName: index?.byId.get(subId)?.displayName ?? null, principalId: p.principalId.toLowerCase(), principalType: p.principalType ?? 'Unknown' });
      }
    }
    return { id: role.id, roleName: role.roleName, otherScopes: scopes, assignments, unread };
  });
}

/** One note per shared role, for people: where else the deleted role was used. */
export function customRoleReachNotes(reach: readonly CustomRoleReach[], l10n: Localize): string[] {
  return reach.map((r) => {
    const where = [...new Set(r.assignments.map((a) => a.subscriptionName ?? a.subscriptionId))];
    const scopes = r.otherScopes.join(', ');
    const base = r.assignments.length === 0
      ? l10n.t('Custom role "{0}" is also assignable at {1}; the move deletes it there too (no assignments found there).', r.roleName, scopes)
      : r.assignments.length === 1
        ? l10n.t('Custom role "{0}" is also used in {1}: the move deletes the role, and with it 1 assignment there.', r.roleName, where.join(', '))
        : l10n.t('Custom role "{0}" is also used in {1}: the move deletes the role, and with it {2} assignments there.', r.roleName, where.join(', '), r.assignments.length);
    return r.unread.length === 0 ? base : `${base} ${l10n.t('Not read: {0}.', r.unread.map((u) => `${u.scope} (${u.reason})`).join('; '))}`;
  });
}
