/**
 * Issue 11's groups as the wizard shows them (protocol shapes; pure): the impact's groups beyond role assignments
 * (PIM eligible and time-bound, policy assignments, Key Vaults, managed identities, deny assignments, locks, Lighthouse),
 * the snapshot's counts of them, step 3's eligible restore rows and its Repair group (from core `restoreEverything`).
 */
import type { ExtraRead, ImpactIdentity, ImpactPolicyAssignment } from '../core/impactExtras';
import type { MappingResult } from '../core/mapping';
import type { DetailedPlan } from '../core/plan';
import { isBuiltInDefinition } from '../core/policyRestore';
import type { FullRestoreResult } from '../core/restoreExtras';
import type { Snapshot } from '../core/snapshot';
import { principalType, type ExtraGroupId, type IdentityKind, type Repair } from '../ids';
import type { ExtraGroup, ExtraItem, ManualSteps, RepairItem, RestoreRow, SnapshotState } from '../webview/protocol';

/** The read behind each group (an unknown read makes its group unknown); identities come from the resource list. */
const READ_OF: Readonly<Record<ExtraGroupId, ExtraRead | null>> = {
  eligible: 'eligibleAssignments',
  timeBound: 'timeBoundAssignments',
  policyAssignments: 'policyAssignments',
  keyVaults: 'keyVaults',
  identities: null,
  denyAssignments: 'denyAssignments',
  locks: 'locks',
  delegations: 'delegations',
};

const identityKind = (system: boolean, user: boolean): IdentityKind => (system && user ? 'systemAndUser' : system ? 'system' : user ? 'user' : 'none');

/** A policy assignment comes back by the restore when it is deleted, of a built-in definition, without a user-assigned identity. */
function policyRepair(p: ImpactPolicyAssignment): Repair {
  if (!p.removed) return 'none';
  return p.identityType === 'UserAssigned' || !isBuiltInDefinition(p.policyDefinitionId) ? 'manual' : 'automatic';
}

function identityItem(i: ImpactIdentity, repairs: ReadonlyMap<string, Repair>): ExtraItem {
  const user = i.userAssigned.length > 0;
  return {
    id: i.resourceId, name: i.name, detail: i.type, scope: i.resourceId, removed: null, identity: identityKind(i.systemPrincipalId !== null, user),
    repair: repairs.get(i.resourceId.toLowerCase()) ?? (user ? 'manual' : 'automatic'),
  };
}

function items(plan: DetailedPlan): Record<ExtraGroupId, ExtraItem[] | null> {
  const i = plan.impact;
  const repairs = new Map(i.dependentResources.map((d) => [d.id.toLowerCase(), d.repair]));
  const pim = (a: { id: string; principalId: string; principalName: string | null; roleName: string; scope: string; endDateTime: string | null; removed: boolean }): ExtraItem => ({
    id: a.id, name: a.principalName ?? a.principalId, detail: a.roleName, scope: a.scope, endDateTime: a.endDateTime, removed: a.removed, repair: a.removed ? 'automatic' : 'none',
  });
  return {
    eligible: i.eligibleAssignments?.map(pim) ?? null,
    timeBound: i.roleAssignments.filter((a) => a.endDateTime !== null).map(pim),
    policyAssignments: i.policyAssignments?.map((p) => ({
      id: p.id, name: p.displayName, detail: p.policyDefinitionId, scope: p.scope, removed: p.removed, repair: policyRepair(p),
      identity: identityKind(p.identityType === 'SystemAssigned', p.identityType === 'UserAssigned'),
    })) ?? null,
    keyVaults: i.keyVaults?.map((v) => ({ id: v.id, name: v.name, detail: null, scope: v.id, removed: null, repair: 'automatic', tenantId: v.tenantId, accessPolicies: v.accessPolicies.length, rbac: v.rbacAuthorization })) ?? null,
    identities: i.identities.map((x) => identityItem(x, repairs)),
    denyAssignments: i.denyAssignments?.map((d) => ({ id: d.id, name: d.name, detail: d.description === '' ? null : d.description, scope: null, removed: null, repair: 'none' })) ?? null,
    locks: i.locks?.map((l) => ({ id: l.id, name: l.name, detail: l.level, scope: l.scope, removed: null, repair: 'none', blocksRepair: l.level.toLowerCase() === 'readonly' })) ?? null,
    delegations: i.delegations?.map((d) => ({ id: d.id, name: d.definitionName, detail: d.managedByTenantName ?? d.managedByTenantId, scope: null, removed: null, repair: 'none' })) ?? null,
  };
}

/** The impact's groups beyond role assignments; a refused read is a group with `items: null` and the missing permission. */
export function extraGroupsOf(plan: DetailedPlan): ExtraGroup[] {
  const byGroup = items(plan);
  return (Object.keys(READ_OF) as ExtraGroupId[]).map((id) => {
    const unknown = plan.impact.unknown.find((u) => u.read === READ_OF[id]);
    return unknown ? { id, items: null, missing: unknown.missing, reason: unknown.reason } : { id, items: byGroup[id], missing: null, reason: null };
  });
}

/** What the saved snapshot holds besides role assignments (null: not read, or unreadable). */
export function snapshotAlso(s: Snapshot): Extract<SnapshotState, { status: 'saved' }>['also'] {
  const n = (list: readonly unknown[] | null): number | null => list?.length ?? null;
  return [
    { id: 'eligible', count: n(s.eligibleAssignments) },
    { id: 'timeBound', count: s.roleAssignments.filter((a) => a.endDateTime !== null).length },
    { id: 'policyAssignments', count: n(s.policyAssignments) },
    { id: 'keyVaults', count: n(s.keyVaults) },
    { id: 'identities', count: n(s.identities) },
    { id: 'locks', count: n(s.locks) },
  ];
}

/**
 * Old principal ids of the managed identities the restore re-creates, as its dry run says (system-assigned ones of a
 * type it can repair, and policy assignments' own): their grants follow the new principal ids.
 */
export function identityPrincipals(preview: FullRestoreResult): Set<string> {
  const will = (s: string): boolean => s === 'planned' || s === 'exists' || s === 'created';
  return new Set([
    ...preview.identities.flatMap((i) => (will(i.status) ? [i.oldPrincipalId] : [])),
    ...preview.policyAssignments.flatMap((p) => (will(p.status) && p.identityType === 'SystemAssigned' && p.oldPrincipalId !== null ? [p.oldPrincipalId] : [])),
  ]);
}

/**
 * The deleted eligible assignments as restore rows (marked eligible, with their end), matched like role assignments;
 * a row the user chose someone for (`eligibleChoices`) shows that choice, the others of its old principal theirs.
 */
export function eligibleRowsOf(mapping: MappingResult, snapshot: Snapshot, preview?: FullRestoreResult): RestoreRow[] {
  const dry = new Map(preview?.eligibleAssignments.map((e) => [e.oldId, e]));
  return (snapshot.eligibleAssignments ?? []).filter((e) => e.removed).map((e): RestoreRow => {
    const m = mapping.principals.find((p) => p.oldPrincipalId === e.principalId);
    const own = mapping.eligibleChoices?.get(e.name.toLowerCase());
    const candidates = [...(m?.candidates ?? []).filter((c) => c.id !== own?.id), ...(own ? [own] : [])];
    const d = dry.get(e.id);
    const refused = d?.status === 'failed';
    const reason = refused ? d.reason : m?.status === 'matched' ? undefined : m?.reason;
    return {
      id: e.name,
      oldPrincipalId: e.principalId,
      oldPrincipalName: e.principal?.displayName ?? null,
      oldPrincipalType: principalType(e.principalType),
      role: d?.roleName ?? e.roleName,
      roleDefinitionId: e.roleDefinitionId,
      scope: e.scope,
      // A refused row offers no one, as a role-assignment row: nothing can make the restore write it.
      candidates: refused ? [] : candidates.map((c) => ({ id: c.id, displayName: c.displayName ?? c.id, detail: c.detail, type: principalType(c.type) })),
      chosen: refused ? null : own?.id ?? m?.principal?.id ?? null,
      match: m?.status ?? 'unmatched',
      ...(reason === undefined || reason === '' ? {} : { reason }),
      eligible: true,
      endDateTime: e.endDateTime,
    };
  });
}

/** The Repair group: identities re-enabled, policy assignments re-created, vaults' tenantId and access policies. */
export function repairItemsOf(r: FullRestoreResult): RepairItem[] {
  const reason = (x: { readonly reason?: string }): { reason?: string } => (x.reason === undefined ? {} : { reason: x.reason });
  return [
    ...r.identities.map((i): RepairItem => ({ id: i.resourceId, kind: 'identity', name: i.name, detail: i.newPrincipalId, status: i.status, ...reason(i) })),
    ...r.policyAssignments.map((p): RepairItem => ({ id: p.id, kind: 'policyAssignment', name: p.displayName, detail: p.newPrincipalId, status: p.status, ...reason(p) })),
    ...r.keyVaults.flatMap((v): RepairItem[] => [
      { id: v.id, kind: 'keyVault', name: v.name, detail: null, status: v.status, ...reason(v) },
      ...v.accessPolicies.map((p): RepairItem => ({ id: `${v.id}/accessPolicies/${p.oldObjectId}`, kind: 'accessPolicy', name: v.name, detail: p.oldName ?? p.oldObjectId, status: p.status, ...reason(p) })),
    ]),
  ];
}

export function manualStepsOf(r: FullRestoreResult): ManualSteps[] {
  return r.manualSteps.map((m) => ({ name: m.name, steps: [...m.steps] }));
}
