/**
 * What the directory change takes away (docs/azure-api.md §3.1, §5): every role assignment of the subscription (at,
 * above and below it), the custom roles assignable there, classic administrators, and resources that depend on the
 * directory. Principals and roles are named through the shared `PlanCache`.
 */
import { isAzureError } from '../azure/errors';
import { ARM_API } from '../azure/arm';
import { roleDefinitionGuid, type GenericResource, type Permission, type RoleAssignment, type Subscription } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { PlanCache, PrincipalInfo } from './cache';
import { isAtOrBelow, reasonOf, scopeKind, type ScopeKind } from './util';

export interface ImpactAssignment {
  /** Full ARM id. */
  readonly id: string;
  /** The assignment's name (GUID). */
  readonly name: string;
  readonly scope: string;
  readonly scopeKind: ScopeKind;
  /** Role definition GUID. */
  readonly roleDefinitionId: string;
  readonly roleName: string;
  readonly principalId: string;
  /** As ARM gives it: User, Group, ServicePrincipal, ForeignGroup, … */
  readonly principalType: string;
  /** null when the principal cannot be resolved (deleted, or names unreadable: see `Impact.notes`). */
  readonly principalName: string | null;
  /** The principal's details; null when it no longer exists, undefined when it could not be looked up. */
  readonly principal: PrincipalInfo | null | undefined;
  /** true when the move deletes it (at or below the subscription); false for inherited ones. */
  readonly removed: boolean;
  readonly condition: string | null;
  readonly conditionVersion: string | null;
  readonly description: string | null;
}

export interface ImpactCustomRole {
  /** Role definition GUID. */
  readonly id: string;
  readonly roleName: string;
  readonly description: string;
  readonly permissions: readonly Permission[];
  readonly assignableScopes: readonly string[];
  /** Assignments of this subscription that use it. */
  readonly assignmentCount: number;
}

export interface ClassicAdministratorRow {
  readonly emailAddress: string;
  readonly role: string;
}

export interface DependentResource {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly reason: string;
  /** Can it be repaired after the move (true), or must it be re-created or moved out (false)? */
  readonly recoverable: boolean;
}

export interface Impact {
  readonly roleAssignments: readonly ImpactAssignment[];
  readonly customRoles: readonly ImpactCustomRole[];
  readonly classicAdministrators: readonly ClassicAdministratorRow[];
  readonly dependentResources: readonly DependentResource[];
  /** What could not be read, one line each (e.g. "Principal names: needs Directory.Read.All"). */
  readonly notes: readonly string[];
}

/** Reads the impact of moving `subscription` out of its home directory. */
export async function readImpact(session: AzureSession, subscription: Subscription, cache: PlanCache, signal?: AbortSignal): Promise<Impact> {
  const tenantId = subscription.tenantId;
  const subId = subscription.subscriptionId.toLowerCase();
  const subScope = `/subscriptions/${subId}`;
  const notes: string[] = [];

  const [assignments, customRoles, classic, dependents] = await Promise.all([
    cache.run(() => session.arm.listRoleAssignments(tenantId, subId, { kind: 'all' }, signal)),
    cache.run(() => session.arm.listRoleDefinitions(tenantId, subScope, { customOnly: true }, signal)),
    cache.run(() => session.arm.listClassicAdministrators(tenantId, subId, signal)).catch((e: unknown) => {
      if (signal?.aborted) throw e;
      notes.push(`Classic administrators: not readable (${reasonOf(e)}); they are retired, so this is expected.`);
      return [];
    }),
    dependentResources(session, tenantId, subId, cache, signal).catch((e: unknown) => {
      if (signal?.aborted || !isAzureError(e)) throw e;
      notes.push(`Resources: not readable (${reasonOf(e)}).`);
      return [];
    }),
  ]);

  const ownCustom = customRoles.filter((r) => (r.properties.assignableScopes ?? []).some((s) => isAtOrBelow(s, subScope)));
  for (const r of customRoles) cache.knowRoleName(r.name, r.properties.roleName);

  const roleGuids = [...new Set(assignments.map((a) => roleDefinitionGuid(a.properties.roleDefinitionId)))];
  const [roleNames, principals] = await Promise.all([
    Promise.all(roleGuids.map(async (g) => [g, await cache.roleName(tenantId, subId, g, signal)] as const)).then((pairs) => new Map(pairs)),
    cache.principalsIn(tenantId, assignments.map((a) => a.properties.principalId), signal),
  ]);
  const lookupError = cache.principalError(tenantId);
  if (lookupError !== undefined) notes.push(`Principal names: not readable (${lookupError}).`);

  const rows = assignments.map((a) => assignmentRow(a, subId, roleNames, principals));
  const usage = new Map<string, number>();
  for (const r of rows) usage.set(r.roleDefinitionId, (usage.get(r.roleDefinitionId) ?? 0) + 1);
  return {
    roleAssignments: rows,
    customRoles: ownCustom.map((r) => ({
      id: r.name.toLowerCase(),
      roleName: r.properties.roleName,
      description: r.properties.description ?? '',
      permissions: r.properties.permissions ?? [],
      assignableScopes: r.properties.assignableScopes ?? [],
      assignmentCount: usage.get(r.name.toLowerCase()) ?? 0,
    })),
    classicAdministrators: classic.map((c) => ({ emailAddress: c.properties.emailAddress, role: c.properties.role })),
    dependentResources: dependents,
    notes,
  };
}

function assignmentRow(
  a: RoleAssignment,
  subscriptionId: string,
  roleNames: ReadonlyMap<string, string | null>,
  principals: ReadonlyMap<string, PrincipalInfo | null | undefined>,
): ImpactAssignment {
  const p = a.properties;
  const guid = roleDefinitionGuid(p.roleDefinitionId);
  const kind = scopeKind(p.scope, subscriptionId);
  const principal = principals.get(p.principalId.toLowerCase());
  return {
    id: a.id,
    name: a.name,
    scope: p.scope,
    scopeKind: kind,
    roleDefinitionId: guid,
    roleName: roleNames.get(guid) ?? guid,
    principalId: p.principalId.toLowerCase(),
    principalType: p.principalType ?? 'Unknown',
    principalName: principal?.displayName ?? null,
    principal,
    removed: kind !== 'inherited',
    condition: p.condition ?? null,
    conditionVersion: p.conditionVersion ?? null,
    description: p.description ?? null,
  };
}

// ---------- resources that depend on the directory (azure-api.md §3.1, failure-modes §3.4–3.7) ----------

interface TypeRule {
  readonly reason: string;
  readonly recoverable: boolean;
  /** Read the resource itself (list results carry no properties) to say more. */
  readonly detail?: { readonly apiVersion: string; readonly describe: (r: GenericResource) => { reason: string; recoverable: boolean } | undefined };
}

const TYPE_RULES: Readonly<Record<string, TypeRule>> = {
  'microsoft.managedidentity/userassignedidentities': {
    reason: 'User-assigned managed identity: it breaks with the move; delete, re-create and re-attach it, then grant its roles again.',
    recoverable: true,
  },
  'microsoft.keyvault/vaults': {
    reason: 'Key Vault tied to the old directory: it becomes inaccessible; update its tenantId and replace its access policies after the move.',
    recoverable: true,
    detail: { apiVersion: ARM_API.keyVault, describe: describeKeyVault },
  },
  'microsoft.containerservice/managedclusters': {
    reason: "AKS cluster: it can't be transferred and loses functionality; move it out or re-create it after the move.",
    recoverable: false,
  },
  'microsoft.sql/servers': {
    reason: 'Azure SQL server: if it uses Microsoft Entra authentication, that cannot be recovered after the move.',
    recoverable: true,
    detail: { apiVersion: '2023-08-01', describe: describeSqlServer },
  },
  'microsoft.dbformysql/flexibleservers': {
    reason: 'Azure Database for MySQL: Microsoft Entra authentication cannot be recovered after the move.',
    recoverable: false,
  },
  'microsoft.dbformysql/servers': {
    reason: 'Azure Database for MySQL: Microsoft Entra authentication cannot be recovered after the move.',
    recoverable: false,
  },
  'microsoft.compute/diskencryptionsets': {
    reason: 'Disk encryption set (customer-managed keys): re-enable its managed identity and grant it Key Vault access again; a key vault that moves with it can make the disks unrecoverable.',
    recoverable: true,
  },
  'microsoft.storage/storageaccounts': {
    reason: '',
    recoverable: true,
    detail: { apiVersion: '2023-05-01', describe: describeStorage },
  },
  'microsoft.synapse/workspaces': {
    reason: 'Synapse workspace: update its tenant id and Git configuration after the move.',
    recoverable: true,
  },
  'microsoft.aad/domainservices': {
    reason: 'Microsoft Entra Domain Services: cannot be moved to another directory.',
    recoverable: false,
  },
  'microsoft.devcenter/devcenters': {
    reason: 'Dev Box / Deployment Environments: cannot be recovered after the move.',
    recoverable: false,
  },
  'microsoft.azurestack/registrations': {
    reason: 'Azure Stack registration: re-register it after the move.',
    recoverable: true,
  },
};

function describeKeyVault(r: GenericResource): { reason: string; recoverable: boolean } | undefined {
  const props = r.properties ?? {};
  const tenant = typeof props.tenantId === 'string' ? props.tenantId : 'the old directory';
  const policies = Array.isArray(props.accessPolicies) ? props.accessPolicies.length : 0;
  const rbac = props.enableRbacAuthorization === true;
  return {
    reason: `Key Vault tied to directory ${tenant}${rbac ? ' (RBAC authorization)' : ` with ${policies} access polic${policies === 1 ? 'y' : 'ies'}`}: it becomes inaccessible; update its tenantId and replace its ${rbac ? 'role assignments' : 'access policies'} after the move.`,
    recoverable: true,
  };
}

function describeSqlServer(r: GenericResource): { reason: string; recoverable: boolean } | undefined {
  const admins = r.properties?.administrators;
  const entra = typeof admins === 'object' && admins !== null && (admins as Record<string, unknown>).administratorType === 'ActiveDirectory';
  if (!entra) return undefined;
  return { reason: 'Azure SQL server with Microsoft Entra authentication: it cannot be recovered after the move; plan a new Entra admin and logins.', recoverable: false };
}

function describeStorage(r: GenericResource): { reason: string; recoverable: boolean } | undefined {
  if (r.properties?.isHnsEnabled !== true) return undefined;
  return { reason: 'Storage account with Data Lake Gen2 ACLs: the ACLs name principals of the old directory; re-apply them after the move.', recoverable: true };
}

function identityReason(r: GenericResource): string | undefined {
  const type = (r.identity?.type ?? '').toLowerCase();
  const parts: string[] = [];
  if (type.includes('systemassigned')) parts.push('system-assigned managed identity: disable and re-enable it after the move, then grant its roles again');
  const user = Object.keys(r.identity?.userAssignedIdentities ?? {}).length;
  if (type.includes('userassigned') || user > 0) parts.push(`${user || 'its'} user-assigned identit${user === 1 ? 'y' : 'ies'}: re-attach after re-creating them`);
  if (parts.length === 0) return undefined;
  const text = parts.join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

async function dependentResources(session: AzureSession, tenantId: string, subscriptionId: string, cache: PlanCache, signal?: AbortSignal): Promise<DependentResource[]> {
  const resources = await cache.run(() => session.arm.listResources(tenantId, subscriptionId, undefined, signal));
  const rows = await Promise.all(resources.map(async (r): Promise<DependentResource | undefined> => {
    const rule = TYPE_RULES[r.type.toLowerCase()];
    let typeReason = rule?.reason;
    let recoverable = rule?.recoverable ?? true;
    if (rule?.detail) {
      const detail = rule.detail;
      try {
        const full = await cache.run(() => session.arm.getResource(tenantId, r.id, detail.apiVersion, signal));
        const described = detail.describe(full);
        typeReason = described?.reason ?? (rule.reason || undefined);
        if (described) recoverable = described.recoverable;
      } catch (e) {
        if (signal?.aborted) throw e;
        typeReason = rule.reason || undefined;
      }
    }
    const reasons = [typeReason, identityReason(r)].filter((x): x is string => x !== undefined && x !== '');
    if (reasons.length === 0) return undefined;
    return { id: r.id, name: r.name, type: r.type, reason: reasons.join(' '), recoverable };
  }));
  return rows.filter((x): x is DependentResource => x !== undefined);
}
