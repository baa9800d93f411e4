/**
 * What the directory change takes away (https://learn.microsoft.com/azure/role-based-access-control/transfer-subscription): every role assignment of the subscription (at,
 * above and below it), the custom roles assignable there, classic administrators, and resources that depend on the
 * directory. Principals and roles are named through the shared `PlanCache`.
 */
import { isAzureError } from '../azure/errors';
import { ARM_API } from '../azure/arm';
import { roleDefinitionGuid, type GenericResource, type Permission, type RoleAssignment, type Subscription } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { PlanCache, PrincipalInfo } from './cache';
import type { Localize } from './l10n';
import { customRoleReach, customRoleReachNotes, type CustomRoleReach } from './sharedRoles';
import { isAtOrBelow, reasonOf, scopeKind } from './util';
import { readImpactExtras, repairOf, RESTORE_READS, unknownNote, type AssignmentFields, type ImpactExtras, type Repair } from './impactExtras';

/** A role assignment the move deletes (or an inherited one it leaves, which stops applying: `assignmentEffect`); its fields are shared with eligible ones. */
export interface ImpactAssignment extends AssignmentFields {
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
  /** Who repairs it: the product's restore (`automatic`), the user with the steps given (`manual`), nobody (`none`). */
  readonly repair: Repair;
}

/** What is known of a principal: named, deleted (Graph says it does not exist) or unknown (the lookup failed). */
export const PRINCIPAL_STATUSES = ['found', 'deleted', 'unknown'] as const;
export type PrincipalStatus = (typeof PRINCIPAL_STATUSES)[number];

/** A lookup result as a status: `null` is "does not exist", `undefined` is "could not be looked up". */
export function principalStatusOf(principal: PrincipalInfo | null | undefined): PrincipalStatus {
  return principal === undefined ? 'unknown' : principal === null ? 'deleted' : 'found';
}

export interface Impact extends ImpactExtras {
  /**
   * false when something the plan, snapshot or restore relies on could not be read (principal names, resources):
   * `notes` says what. Notes alone (classic administrators, which are retired) do not make it incomplete.
   */
  readonly complete: boolean;
  readonly roleAssignments: readonly ImpactAssignment[];
  readonly customRoles: readonly ImpactCustomRole[];
  readonly classicAdministrators: readonly ClassicAdministratorRow[];
  readonly dependentResources: readonly DependentResource[];
  /** Custom roles the move deletes that other subscriptions use too, with every assignment there (sharedRoles.ts). */
  readonly customRoleReach: readonly CustomRoleReach[];
  /** What could not be read, one line each (e.g. "Principal names: not readable (…)."). */
  readonly notes: readonly string[];
}

/** Reads the impact of moving `subscription` out of its home directory. `l10n` words the notes and reasons. */
export async function readImpact(session: AzureSession, subscription: Subscription, cache: PlanCache, l10n: Localize, signal?: AbortSignal): Promise<Impact> {
  const tenantId = subscription.tenantId;
  const subId = subscription.subscriptionId.toLowerCase();
  const subScope = `/subscriptions/${subId}`;
  const notes: string[] = [];
  let complete = true;
  // A fleet plan hands in what Resource Graph read for every subscription at once (fleet.ts); it lists assignments at
  // their own scope, so management-group ones are not among them.
  const fleetP = cache.fleetSlice(subId);

  // Resource Graph's rows carry their properties (no GET per resource); ARM's list does not.
  const resourcesP = fleetP.then((f) => f?.resources ?? cache.run(() => session.arm.listResources(tenantId, subId, undefined, signal))).catch((e: unknown) => {
    if (signal?.aborted || !isAzureError(e)) throw e;
    notes.push(l10n.t('Resources: not readable ({0}).', reasonOf(e)));
    complete = false;
    return null;
  });
  // What depends on the resources starts as soon as they are known, beside the role assignments (a subscription
  // with thousands of them reads page after page).
  const [assignments, customRoles, classic, fleet, dependents, lists] = await Promise.all([
    fleetP.then((f) => f?.roleAssignments ?? cache.run(() => session.arm.listRoleAssignments(tenantId, subId, { kind: 'all' }, signal))),
    cache.run(() => session.arm.listRoleDefinitions(tenantId, subScope, { customOnly: true }, signal)),
    fleetP.then((f) => f?.classicAdministrators ?? cache.run(() => session.arm.listClassicAdministrators(tenantId, subId, signal))).catch((e: unknown) => {
      if (signal?.aborted) throw e;
      notes.push(l10n.t('Classic administrators: not readable ({0}); they are retired, so this is expected.', reasonOf(e)));
      return [];
    }),
    fleetP,
    resourcesP.then((resources) => dependentResources(session, tenantId, resources ?? [], cache, l10n, signal)),
    resourcesP.then((resources) => readImpactExtras(session, subscription, resources, cache, signal, fleetP)),
  ]);
  if (fleet) notes.unshift(l10n.t('Read through Azure Resource Graph, which can lag a few minutes behind Azure: inherited role and policy assignments (from management groups) are not listed. Plan this subscription alone for the full list.'));

  const ownCustom = customRoles.filter((r) => (r.properties.assignableScopes ?? []).some((s) => isAtOrBelow(s, subScope)));
  for (const r of customRoles) cache.knowRoleName(r.name, r.properties.roleName);

  const roleGuids = [...new Set([...assignments.map((a) => roleDefinitionGuid(a.properties.roleDefinitionId)), ...lists.roleGuids])];
  const [roleNames, principals] = await Promise.all([
    Promise.all(roleGuids.map(async (g) => [g, await cache.roleName(tenantId, subId, g, signal)] as const)).then((pairs) => new Map(pairs)),
    cache.principalsIn(tenantId, [...assignments.map((a) => a.properties.principalId), ...lists.principalIds], signal),
  ]);
  const { extras, timeBound } = lists.build(principals, roleNames);
  notes.push(...extras.unknown.map((u) => unknownNote(u, l10n)));
  if (extras.unknown.some((u) => RESTORE_READS.includes(u.read))) complete = false;
  const lookupError = cache.principalError(tenantId);
  if (lookupError) complete = false;
  if (lookupError?.kind === 'forbidden') notes.push(l10n.t('Principal names: not readable (principal names need {0}).', lookupError.missing));
  else if (lookupError?.kind === 'failed') notes.push(l10n.t('Principal names: not readable ({0}).', lookupError.message));

  const rows = assignments.map((a) => ({ ...assignmentRow(a, subId, roleNames, principals), startDateTime: null, endDateTime: null, ...timeBound.get(a.id.toLowerCase()) }));
  const usage = new Map<string, number>();
  for (const r of rows) usage.set(r.roleDefinitionId, (usage.get(r.roleDefinitionId) ?? 0) + 1);
  const custom = ownCustom.map((r) => ({
    id: r.name.toLowerCase(),
    roleName: r.properties.roleName,
    description: r.properties.description ?? '',
    permissions: r.properties.permissions ?? [],
    assignableScopes: r.properties.assignableScopes ?? [],
    assignmentCount: usage.get(r.name.toLowerCase()) ?? 0,
  }));
  const reach = await customRoleReach(session, subscription, custom, cache, l10n, signal);
  return {
    complete,
    roleAssignments: rows,
    customRoles: custom,
    classicAdministrators: classic.map((c) => ({ emailAddress: c.properties.emailAddress, role: c.properties.role })),
    dependentResources: dependents,
    customRoleReach: reach,
    notes: [...customRoleReachNotes(reach, l10n), ...notes],
    ...extras,
  };
}

function assignmentRow(
  a: RoleAssignment,
  subscriptionId: string,
  roleNames: ReadonlyMap<string, string | null>,
  principals: ReadonlyMap<string, PrincipalInfo | null | undefined>,
): Omit<ImpactAssignment, 'startDateTime' | 'endDateTime'> {
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

type Described = { readonly reason: string; readonly recoverable: boolean };

interface TypeRule {
  /** Why the type depends on the directory; none when only the resource's details can tell (storage). */
  readonly reason?: (l10n: Localize) => string;
  readonly recoverable: boolean;
  /** Read the resource itself (list results carry no properties) to say more. */
  readonly detail?: { readonly apiVersion: string; readonly describe: (r: GenericResource, l10n: Localize) => Described | undefined };
}

const MYSQL: TypeRule = { recoverable: true, detail: { apiVersion: '2023-12-30', describe: describeMySql } };

const TYPE_RULES: Readonly<Record<string, TypeRule>> = {
  'microsoft.managedidentity/userassignedidentities': {
    reason: (l10n) => l10n.t('User-assigned managed identity: it breaks with the move; delete, re-create and re-attach it, then grant its roles again.'),
    recoverable: true,
  },
  'microsoft.keyvault/vaults': {
    reason: (l10n) => l10n.t('Key Vault tied to the old directory: it becomes inaccessible; update its tenantId and replace its access policies after the move.'),
    recoverable: true,
    detail: { apiVersion: ARM_API.keyVault, describe: describeKeyVault },
  },
  'microsoft.containerservice/managedclusters': {
    reason: (l10n) => l10n.t("AKS cluster: it can't be transferred and loses functionality; move it out or re-create it after the move."),
    recoverable: false,
  },
  'microsoft.sql/servers': {
    reason: (l10n) => l10n.t('Azure SQL server: if it uses Microsoft Entra authentication, that cannot be recovered after the move.'),
    recoverable: true,
    detail: { apiVersion: '2023-08-01', describe: describeSqlServer },
  },
  'microsoft.dbformysql/flexibleservers': MYSQL,
  'microsoft.dbformysql/servers': MYSQL,
  'microsoft.compute/diskencryptionsets': {
    reason: (l10n) => l10n.t('Disk encryption set (customer-managed keys): re-enable its managed identity and grant it Key Vault access again; a key vault that moves with it can make the disks unrecoverable.'),
    recoverable: true,
  },
  'microsoft.storage/storageaccounts': {
    recoverable: true,
    detail: { apiVersion: '2023-05-01', describe: describeStorage },
  },
  'microsoft.synapse/workspaces': {
    reason: (l10n) => l10n.t('Synapse workspace: update its tenant id and Git configuration after the move.'),
    recoverable: true,
  },
  'microsoft.aad/domainservices': {
    reason: (l10n) => l10n.t('Microsoft Entra Domain Services: cannot be moved to another directory.'),
    recoverable: false,
  },
  'microsoft.devcenter/devcenters': {
    reason: (l10n) => l10n.t('Dev Box / Deployment Environments: cannot be recovered after the move.'),
    recoverable: false,
  },
  'microsoft.azurestack/registrations': {
    reason: (l10n) => l10n.t('Azure Stack registration: re-register it after the move.'),
    recoverable: true,
  },
};

/** One whole sentence per case (RBAC or access policies, one policy or several, the vault's directory known or not). */
function describeKeyVault(r: GenericResource, l10n: Localize): Described {
  const props = r.properties ?? {};
  const tenant = typeof props.tenantId === 'string' ? props.tenantId : undefined;
  const policies = Array.isArray(props.accessPolicies) ? props.accessPolicies.length : 0;
  const rbac = props.enableRbacAuthorization === true;
  let reason: string;
  if (tenant === undefined) {
    reason = rbac
      ? l10n.t('Key Vault tied to the old directory (RBAC authorization): it becomes inaccessible; update its tenantId and replace its role assignments after the move.')
      : policies === 1
        ? l10n.t('Key Vault tied to the old directory with 1 access policy: it becomes inaccessible; update its tenantId and replace its access policies after the move.')
        : l10n.t('Key Vault tied to the old directory with {0} access policies: it becomes inaccessible; update its tenantId and replace its access policies after the move.', policies);
  } else {
    reason = rbac
      ? l10n.t('Key Vault tied to directory {0} (RBAC authorization): it becomes inaccessible; update its tenantId and replace its role assignments after the move.', tenant)
      : policies === 1
        ? l10n.t('Key Vault tied to directory {0} with 1 access policy: it becomes inaccessible; update its tenantId and replace its access policies after the move.', tenant)
        : l10n.t('Key Vault tied to directory {0} with {1} access policies: it becomes inaccessible; update its tenantId and replace its access policies after the move.', tenant, policies);
  }
  return { reason, recoverable: true };
}

function describeSqlServer(r: GenericResource, l10n: Localize): Described | undefined {
  const admins = r.properties?.administrators;
  const entra = typeof admins === 'object' && admins !== null && (admins as Record<string, unknown>).administratorType === 'ActiveDirectory';
  if (!entra) return undefined;
  return { reason: l10n.t('Azure SQL server with Microsoft Entra authentication: it cannot be recovered after the move; plan a new Entra admin and logins.'), recoverable: false };
}

/** Only a server with Microsoft Entra authentication loses it (flexible servers: `authConfig.activeDirectoryAuth`). */
function describeMySql(r: GenericResource, l10n: Localize): Described | undefined {
  const auth = r.properties?.authConfig;
  const entra = typeof auth === 'object' && auth !== null && (auth as Record<string, unknown>).activeDirectoryAuth === 'Enabled';
  if (!entra) return undefined;
  return { reason: l10n.t('Azure Database for MySQL: Microsoft Entra authentication cannot be recovered after the move.'), recoverable: false };
}

function describeStorage(r: GenericResource, l10n: Localize): Described | undefined {
  if (r.properties?.isHnsEnabled !== true) return undefined;
  return { reason: l10n.t('Storage account with Data Lake Gen2 ACLs: the ACLs name principals of the old directory; re-apply them after the move.'), recoverable: true };
}

/** Managed identities of any resource: one whole sentence per case (system-assigned, user-assigned: none named, one, several). */
function identityReason(r: GenericResource, l10n: Localize): string | undefined {
  const type = (r.identity?.type ?? '').toLowerCase();
  const system = type.includes('systemassigned');
  const user = Object.keys(r.identity?.userAssignedIdentities ?? {}).length;
  if (!type.includes('userassigned') && user === 0) {
    return system ? l10n.t('System-assigned managed identity: disable and re-enable it after the move, then grant its roles again.') : undefined;
  }
  if (system) {
    if (user === 0) return l10n.t('System-assigned managed identity: disable and re-enable it after the move, then grant its roles again; its user-assigned identities: re-attach after re-creating them.');
    if (user === 1) return l10n.t('System-assigned managed identity: disable and re-enable it after the move, then grant its roles again; 1 user-assigned identity: re-attach after re-creating them.');
    return l10n.t('System-assigned managed identity: disable and re-enable it after the move, then grant its roles again; {0} user-assigned identities: re-attach after re-creating them.', user);
  }
  if (user === 0) return l10n.t('Its user-assigned identities: re-attach after re-creating them.');
  if (user === 1) return l10n.t('1 user-assigned identity: re-attach after re-creating them.');
  return l10n.t('{0} user-assigned identities: re-attach after re-creating them.', user);
}

async function dependentResources(session: AzureSession, tenantId: string, resources: readonly GenericResource[], cache: PlanCache, l10n: Localize, signal?: AbortSignal): Promise<DependentResource[]> {
  const rows = await Promise.all(resources.map(async (r): Promise<DependentResource | undefined> => {
    const rule = TYPE_RULES[r.type.toLowerCase()];
    let typeReason = rule?.reason?.(l10n);
    let recoverable = rule?.recoverable ?? true;
    if (rule?.detail) {
      const detail = rule.detail;
      try {
        const full = r.properties !== undefined ? r : await cache.run(() => session.arm.getResource(tenantId, r.id, detail.apiVersion, signal));
        const described = detail.describe(full, l10n);
        if (described) ({ reason: typeReason, recoverable } = described);
      } catch (e) {
        if (signal?.aborted) throw e;
      }
    }
    const reasons = [typeReason, identityReason(r, l10n)].filter((x): x is string => x !== undefined);
    if (reasons.length === 0) return undefined;
    return { id: r.id, name: r.name, type: r.type, reason: reasons.join(' '), recoverable, repair: repairOf(r, recoverable) };
  }));
  return rows.filter((x): x is DependentResource => x !== undefined);
}

/**
 * What the move does to an assignment, in the one wording every surface uses (wizard, report, CLI): deleted, or —
 * inherited from a management group of the source directory — stops applying.
 */
export function assignmentEffect(a: Pick<ImpactAssignment, 'removed'>, l10n: Localize): string {
  return a.removed ? l10n.t('deleted') : l10n.t('stops applying (inherited)');
}
