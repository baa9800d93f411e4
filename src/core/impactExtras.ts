/**
 * What a directory change takes beyond role assignments and custom roles (azure-api-2.md; Microsoft's
 * https://learn.microsoft.com/azure/role-based-access-control/transfer-subscription): PIM eligible and time-bound
 * assignments, Azure Policy assignments (with their identities) and exemptions, Key Vault access, managed identities,
 * and what blocks or outlives a repair — locks, deny assignments, Lighthouse delegations. A read that is refused is
 * `null` plus an `unknown` entry naming the permission: never a silent zero.
 */
import { isAzureError, isCancellation } from '../azure/errors';
import {
  listDenyAssignments, listLocks, listPolicyAssignments, listPolicyExemptions, listRegistrationAssignments, listScheduleInstances,
  GOVERNANCE_API, type DenyAssignment, type ManagementLock, type PolicyAssignment, type PolicyExemption, type RegistrationAssignment, type ScheduleInstance,
} from '../azure/armGovernance';
import { roleDefinitionGuid, type GenericResource, type Subscription } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { FleetSlice, PlanCache, PrincipalInfo, PrincipalLookup } from './cache';
import type { Localize } from './l10n';
import type { Repair } from '../ids';
import { reasonOf, scopeKind, type ScopeKind } from './util';

/** The reads of this module, each named in `unknown` when refused. */
export const EXTRA_READS = ['eligibleAssignments', 'timeBoundAssignments', 'policyAssignments', 'policyExemptions', 'keyVaults', 'locks', 'denyAssignments', 'delegations'] as const;
export type ExtraRead = (typeof EXTRA_READS)[number];

/**
 * The reads a restore depends on: what it re-creates (eligible assignments, policy assignments, vault access) and the
 * end of time-bound assignments (without it they would come back permanent). A plan or a snapshot missing one of them
 * is incomplete; the others (exemptions, locks, deny assignments, delegations) are reported, not restored.
 */
export const RESTORE_READS: readonly ExtraRead[] = ['eligibleAssignments', 'timeBoundAssignments', 'policyAssignments', 'keyVaults'];

/** The action each read needs (Azure's operation names). */
const READ_ACTIONS: Readonly<Record<ExtraRead, string>> = {
  eligibleAssignments: 'Microsoft.Authorization/roleEligibilityScheduleInstances/read',
  timeBoundAssignments: 'Microsoft.Authorization/roleAssignmentScheduleInstances/read',
  policyAssignments: 'Microsoft.Authorization/policyAssignments/read',
  policyExemptions: 'Microsoft.Authorization/policyExemptions/read',
  keyVaults: 'Microsoft.KeyVault/vaults/read',
  locks: 'Microsoft.Authorization/locks/read',
  denyAssignments: 'Microsoft.Authorization/denyAssignments/read',
  delegations: 'Microsoft.ManagedServices/registrationAssignments/read',
};

export interface UnknownRead {
  readonly read: ExtraRead;
  /** The missing permission when the read was refused (403); null for another failure. */
  readonly missing: string | null;
  readonly reason: string;
}

export interface PrincipalRef {
  readonly principalId: string;
  /** As ARM gives it: User, Group, ServicePrincipal, ForeignGroup, … */
  readonly principalType: string;
  /** null when the principal cannot be resolved (deleted, or names unreadable: see `Impact.notes`). */
  readonly principalName: string | null;
  /** The principal's details; null when it no longer exists, undefined when it could not be looked up. */
  readonly principal: PrincipalInfo | null | undefined;
}

/** What role assignments and PIM schedules share (impact rows, snapshot rows, restore rows). */
export interface AssignmentFields extends PrincipalRef {
  /** Full ARM id. */
  readonly id: string;
  /** The assignment's (or schedule instance's) name, a GUID. */
  readonly name: string;
  readonly scope: string;
  readonly scopeKind: ScopeKind;
  /** Role definition GUID. */
  readonly roleDefinitionId: string;
  readonly roleName: string;
  /** true when the move deletes it (at or below the subscription); false for inherited ones. */
  readonly removed: boolean;
  readonly condition: string | null;
  readonly conditionVersion: string | null;
  /** PIM: when it started and ends; `endDateTime` null = permanent (or, for a role assignment, not time-bound). */
  readonly startDateTime: string | null;
  readonly endDateTime: string | null;
}

/** A PIM eligible assignment (not in the role-assignment list: eligible-only grants never are). */
export type ImpactEligible = AssignmentFields;

export interface ImpactPolicyAssignment {
  readonly id: string;
  readonly name: string;
  readonly scope: string;
  readonly displayName: string;
  readonly policyDefinitionId: string;
  readonly identityType: 'SystemAssigned' | 'UserAssigned' | 'None';
  readonly principalId: string | null;
  readonly location: string | null;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly enforcementMode: string;
  readonly notScopes: readonly string[];
  readonly removed: boolean;
}

export interface ImpactPolicyExemption {
  readonly id: string;
  readonly name: string;
  readonly displayName: string;
  readonly policyAssignmentId: string;
  readonly exemptionCategory: string;
}

export interface ImpactAccessPolicy extends PrincipalRef {
  readonly applicationId: string | null;
  readonly permissions: Readonly<Record<string, readonly string[]>>;
}

export interface ImpactKeyVault {
  readonly id: string;
  readonly name: string;
  readonly tenantId: string | null;
  readonly rbacAuthorization: boolean;
  readonly accessPolicies: readonly ImpactAccessPolicy[];
}

export interface ImpactIdentity {
  readonly resourceId: string;
  readonly name: string;
  readonly type: string;
  /** The system-assigned identity's principal id (null: none). */
  readonly systemPrincipalId: string | null;
  /** Resource ids of its user-assigned identities. */
  readonly userAssigned: readonly string[];
}

export interface ImpactLock {
  readonly id: string;
  readonly name: string;
  readonly scope: string;
  readonly level: string;
  readonly notes: string;
}

export interface ImpactDenyAssignment {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly systemProtected: boolean;
}

export interface ImpactDelegation {
  readonly id: string;
  readonly definitionName: string;
  readonly managedByTenantId: string | null;
  readonly managedByTenantName: string | null;
  readonly authorizations: number;
}

export interface ImpactExtras {
  readonly eligibleAssignments: readonly ImpactEligible[] | null;
  readonly policyAssignments: readonly ImpactPolicyAssignment[] | null;
  readonly policyExemptions: readonly ImpactPolicyExemption[] | null;
  readonly keyVaults: readonly ImpactKeyVault[] | null;
  /** Resources with a system- or user-assigned identity (from the resource list: empty when it was unreadable, see notes). */
  readonly identities: readonly ImpactIdentity[];
  readonly locks: readonly ImpactLock[] | null;
  readonly denyAssignments: readonly ImpactDenyAssignment[] | null;
  readonly delegations: readonly ImpactDelegation[] | null;
  readonly unknown: readonly UnknownRead[];
}

/** What the impact's role-assignment rows need from PIM: start and end of time-bound ones, by role assignment id. */
export interface ImpactExtrasRead {
  readonly extras: ImpactExtras;
  readonly timeBound: ReadonlyMap<string, { readonly startDateTime: string | null; readonly endDateTime: string | null }>;
}

const scopeOf = (id: string, marker: string): string => id.slice(0, Math.max(0, id.toLowerCase().indexOf(marker.toLowerCase()))) || '/';

/** One sentence per unknown read, for `Impact.notes`. */
export function unknownNote(u: UnknownRead, l10n: Localize): string {
  return u.missing === null
    ? l10n.t('{0}: unknown, the read failed ({1}).', u.read, u.reason)
    : l10n.t('{0}: unknown, the read was refused (needs {1}).', u.read, u.missing);
}

/** The lists read, and the principals and roles they name (looked up once with the role assignments' own). */
export interface ExtrasLists {
  readonly principalIds: readonly string[];
  readonly roleGuids: readonly string[];
  /** The impact's extras once the principals and role names are known. */
  build(principals: PrincipalLookup, roleNames: ReadonlyMap<string, string | null>): ImpactExtrasRead;
}

/**
 * Reads everything beyond role assignments; `resources` is the subscription's resource list (null when unreadable).
 * `fleet`: the fleet read's slice, when the resources came from Resource Graph — its rows carry each vault's
 * properties, so the vaults are not read again one by one, and its policy assignments and exemptions.
 */
export async function readImpactExtras(
  session: AzureSession, subscription: Subscription, resources: readonly GenericResource[] | null, cache: PlanCache, signal?: AbortSignal,
  fleet: Promise<FleetSlice | undefined> = Promise.resolve(undefined),
): Promise<ExtrasLists> {
  const tenantId = subscription.tenantId;
  const subId = subscription.subscriptionId.toLowerCase();
  const subScope = `/subscriptions/${subId}`;
  const arm = session.arm;
  const unknown: UnknownRead[] = [];
  const known = async <T>(read: ExtraRead, task: () => Promise<T>): Promise<T | null> => {
    try {
      return await cache.run(task);
    } catch (e) {
      if (signal?.aborted || isCancellation(e) || !isAzureError(e)) throw e;
      unknown.push({ read, missing: e.kind === 'forbidden' ? READ_ACTIONS[read] : null, reason: reasonOf(e) });
      return null;
    }
  };
  const vaultList = (resources ?? []).filter((r) => r.type.toLowerCase() === 'microsoft.keyvault/vaults');
  const slice = await fleet;
  const vaultsCarryProperties = slice !== undefined && vaultList.every((v) => v.properties !== undefined);
  const [eligible, active, policies, exemptions, vaults, locks, denies, delegations] = await Promise.all([
    known('eligibleAssignments', () => listScheduleInstances(arm, tenantId, 'eligibility', subScope, signal)),
    known('timeBoundAssignments', () => listScheduleInstances(arm, tenantId, 'assignment', subScope, signal)),
    known('policyAssignments', () => (slice?.policyAssignments ? Promise.resolve(slice.policyAssignments) : listPolicyAssignments(arm, tenantId, subId, signal))),
    known('policyExemptions', () => (slice?.policyExemptions ? Promise.resolve(slice.policyExemptions) : listPolicyExemptions(arm, tenantId, subId, signal))),
    resources === null ? Promise.resolve(null)
      : vaultsCarryProperties ? Promise.resolve(vaultList)
        : known('keyVaults', () => Promise.all(vaultList.map((r) => arm.getResource(tenantId, r.id, GOVERNANCE_API.keyVault, signal)))),
    known('locks', () => listLocks(arm, tenantId, subId, signal)),
    known('denyAssignments', () => listDenyAssignments(arm, tenantId, subId, signal)),
    known('delegations', () => listRegistrationAssignments(arm, tenantId, subId, signal)),
  ]);
  const vaultPolicies = (vaults ?? []).flatMap((v) => accessPoliciesOf(v));
  return {
    principalIds: [...(eligible ?? []).map((e) => e.properties.principalId), ...vaultPolicies.map((p) => p.objectId)],
    roleGuids: (eligible ?? []).map((e) => roleDefinitionGuid(e.properties.roleDefinitionId)),
    build: (principals, roleNames) => buildExtras({ eligible, active, policies, exemptions, vaults, locks, denies, delegations }, resources, subId, principals, roleNames, unknown),
  };
}

interface Lists {
  readonly eligible: readonly ScheduleInstance[] | null;
  readonly active: readonly ScheduleInstance[] | null;
  readonly policies: readonly PolicyAssignment[] | null;
  readonly exemptions: readonly PolicyExemption[] | null;
  readonly vaults: readonly GenericResource[] | null;
  readonly locks: readonly ManagementLock[] | null;
  readonly denies: readonly DenyAssignment[] | null;
  readonly delegations: readonly RegistrationAssignment[] | null;
}

function buildExtras(lists: Lists, resources: readonly GenericResource[] | null, subId: string, principals: PrincipalLookup, roleNames: ReadonlyMap<string, string | null>, unknown: readonly UnknownRead[]): ImpactExtrasRead {
  const { eligible, active, policies, exemptions, vaults, locks, denies, delegations } = lists;
  const ref = (id: string, type: string | undefined): PrincipalRef => {
    const p = principals.get(id.toLowerCase());
    const kindType = p?.kind === 'group' ? 'Group' : p?.kind === 'servicePrincipal' ? 'ServicePrincipal' : p?.kind === 'user' ? 'User' : 'Unknown';
    return { principalId: id.toLowerCase(), principalType: type ?? kindType, principalName: p?.displayName ?? null, principal: p };
  };
  const timeBound = new Map<string, { startDateTime: string | null; endDateTime: string | null }>();
  for (const a of active ?? []) {
    const origin = a.properties.originRoleAssignmentId;
    if (origin && a.properties.endDateTime) timeBound.set(origin.toLowerCase(), { startDateTime: a.properties.startDateTime ?? null, endDateTime: a.properties.endDateTime });
  }
  return {
    timeBound,
    extras: {
      eligibleAssignments: eligible === null ? null : eligible.filter((e) => e.properties.memberType !== 'Inherited' && e.properties.memberType !== 'Group').map((e) => eligibleRow(e, subId, roleNames, ref)),
      policyAssignments: policies?.map((p): ImpactPolicyAssignment => {
        const scope = p.properties.scope ?? scopeOf(p.id, '/providers/Microsoft.Authorization/policyAssignments/');
        const type = (p.identity?.type ?? 'None').toLowerCase();
        return {
          id: p.id, name: p.name, scope, displayName: p.properties.displayName ?? p.name, policyDefinitionId: p.properties.policyDefinitionId,
          identityType: type.includes('systemassigned') ? 'SystemAssigned' : type.includes('userassigned') ? 'UserAssigned' : 'None',
          principalId: p.identity?.principalId?.toLowerCase() ?? null, location: p.location ?? null, parameters: p.properties.parameters ?? {},
          enforcementMode: p.properties.enforcementMode ?? 'Default', notScopes: p.properties.notScopes ?? [], removed: scopeKind(scope, subId) !== 'inherited',
        };
      }) ?? null,
      policyExemptions: exemptions?.map((x) => ({ id: x.id, name: x.name, displayName: x.properties.displayName ?? x.name, policyAssignmentId: x.properties.policyAssignmentId, exemptionCategory: x.properties.exemptionCategory ?? '' })) ?? null,
      keyVaults: vaults?.map((v) => ({
        id: v.id, name: v.name, tenantId: typeof v.properties?.tenantId === 'string' ? v.properties.tenantId.toLowerCase() : null,
        rbacAuthorization: v.properties?.enableRbacAuthorization === true,
        accessPolicies: accessPoliciesOf(v).map((p) => ({ ...ref(p.objectId, undefined), applicationId: p.applicationId, permissions: p.permissions })),
      })) ?? null,
      identities: (resources ?? []).flatMap((r): ImpactIdentity[] => {
        const type = r.identity?.type ?? '';
        const user = Object.keys(r.identity?.userAssignedIdentities ?? {});
        const system = /systemassigned/i.test(type) ? r.identity?.principalId?.toLowerCase() ?? null : null;
        return system === null && user.length === 0 ? [] : [{ resourceId: r.id, name: r.name, type: r.type, systemPrincipalId: system, userAssigned: user }];
      }),
      locks: locks?.map((l) => ({ id: l.id, name: l.name, scope: scopeOf(l.id, '/providers/Microsoft.Authorization/locks/'), level: l.properties.level, notes: l.properties.notes ?? '' })) ?? null,
      denyAssignments: denies?.map((d) => ({ id: d.id, name: d.properties.denyAssignmentName ?? d.name, description: d.properties.description ?? '', systemProtected: d.properties.isSystemProtected === true })) ?? null,
      delegations: delegations?.map((d) => {
        const def = d.properties.registrationDefinition?.properties;
        return { id: d.id, definitionName: def?.registrationDefinitionName ?? d.name, managedByTenantId: def?.managedByTenantId ?? null, managedByTenantName: def?.managedByTenantName ?? null, authorizations: def?.authorizations?.length ?? 0 };
      }) ?? null,
      unknown,
    },
  };
}

function eligibleRow(e: ScheduleInstance, subId: string, roleNames: ReadonlyMap<string, string | null>, ref: (id: string, type: string | undefined) => PrincipalRef): ImpactEligible {
  const p = e.properties;
  const guid = roleDefinitionGuid(p.roleDefinitionId);
  const kind = scopeKind(p.scope, subId);
  return {
    id: e.id, name: e.name, scope: p.scope, scopeKind: kind, roleDefinitionId: guid, roleName: roleNames.get(guid) ?? guid, ...ref(p.principalId, p.principalType),
    removed: kind !== 'inherited', condition: p.condition ?? null, conditionVersion: p.conditionVersion ?? null, startDateTime: p.startDateTime ?? null, endDateTime: p.endDateTime ?? null,
  };
}

function accessPoliciesOf(v: GenericResource): { objectId: string; applicationId: string | null; permissions: Record<string, string[]> }[] {
  const list = v.properties?.accessPolicies;
  if (!Array.isArray(list)) return [];
  return list.flatMap((x: unknown) => {
    if (typeof x !== 'object' || x === null) return [];
    const o = x as Record<string, unknown>;
    if (typeof o.objectId !== 'string') return [];
    const perms = typeof o.permissions === 'object' && o.permissions !== null ? o.permissions as Record<string, unknown> : {};
    const permissions = Object.fromEntries(Object.entries(perms).map(([k, vs]) => [k, Array.isArray(vs) ? vs.filter((s): s is string => typeof s === 'string') : []]));
    return [{ objectId: o.objectId.toLowerCase(), applicationId: typeof o.applicationId === 'string' ? o.applicationId : null, permissions }];
  });
}

// The id list lives in src/ids.ts (the wizard's protocol names it too).
export { REPAIRS, type Repair } from '../ids';

/** Types whose repair needs steps only the user can take (ACLs, Git settings, keys, registrations, Entra admins). */
const MANUAL_TYPES = new Set(['microsoft.storage/storageaccounts', 'microsoft.synapse/workspaces', 'microsoft.compute/diskencryptionsets', 'microsoft.azurestack/registrations', 'microsoft.sql/servers', 'microsoft.managedidentity/userassignedidentities']);

/**
 * Who repairs a dependent resource: the restore does a Key Vault (tenantId and access policies) and a system-assigned
 * identity (re-enabled, its grants re-created for the new principal id); user-assigned identities and the types above
 * need the user; an unrecoverable resource has no repair.
 */
export function repairOf(r: GenericResource, recoverable: boolean): Repair {
  if (!recoverable) return 'none';
  const type = r.type.toLowerCase();
  if (type === 'microsoft.keyvault/vaults') return 'automatic';
  if (MANUAL_TYPES.has(type) || Object.keys(r.identity?.userAssignedIdentities ?? {}).length > 0) return 'manual';
  return /systemassigned/i.test(r.identity?.type ?? '') ? 'automatic' : 'manual';
}
