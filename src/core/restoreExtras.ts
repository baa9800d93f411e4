/**
 * The whole restore, in the order the writes depend on each other: system identities re-enabled and policy
 * assignments re-created first (they give the new principal ids), then custom roles and role assignments — the old
 * identities' grants now mapped to the new ids, time-bound ones through PIM — then eligible assignments, then Key
 * Vaults (tenantId, then access policies for the mapped principals). User-assigned identities come back as steps.
 * Every item reports created / exists / failed (why) / skipped (why) / planned; a re-run creates nothing twice.
 */
import type { AzureSession } from '../azure/session';
import type { Localize } from './l10n';
import type { Candidate, MappingResult, PrincipalMapping } from './mapping';
import { existingSchedules, hasSchedule, writeSchedule, type PimWrite, type PimWriteOptions } from './pim';
import { restorePolicyAssignments, type PolicyAssignmentRestore } from './policyRestore';
import { principalLookup, repairSystemIdentities, repairVaults, userAssignedSteps, type IdentityRepair, type ManualStep, type VaultRepair } from './repair';
import { countResults, restoreSnapshot, roleNamesNow, settings, type RestoreCounts, type RoleNow, type RestoreOptions, type RestoreResult, type RestoreRowResult } from './restore';
import type { Snapshot } from './snapshot';
import type { SnapshotEligible } from './snapshotExtras';
import { checkRestoreScope } from './restoreScope';

export interface FullRestoreResult extends RestoreResult {
  readonly identities: readonly IdentityRepair[];
  readonly policyAssignments: readonly PolicyAssignmentRestore[];
  readonly eligibleAssignments: readonly EligibleRestoreRow[];
  readonly keyVaults: readonly VaultRepair[];
  /** User-assigned identities: what to do by hand. */
  readonly manualSteps: readonly ManualStep[];
  /** Every row of every kind (role assignments, custom roles, identities, policies, eligible, vaults, access policies). */
  readonly totals: RestoreCounts;
}

export interface FullRestoreOptions extends RestoreOptions {
  /** When a role-management policy refuses an eligibility's end, take the longest end it allows. */
  readonly acceptLongestEnd?: boolean;
  readonly now?: () => Date;
}

/**
 * The mapping with old identity principals pointing at their re-created ones (so their grants are restored like any
 * other row). Only where nothing was chosen: an identity is never matched automatically, so a row or principal that
 * has someone is the user's own pick (`--map`, the wizard's row picker), and keeps it.
 */
export function withNewPrincipals(mapping: MappingResult, fresh: ReadonlyMap<string, Candidate>, l10n: Localize): MappingResult {
  if (fresh.size === 0) return mapping;
  const swap = (m: PrincipalMapping): PrincipalMapping => {
    const c = m.principal === null ? fresh.get(m.oldPrincipalId) : undefined;
    return c ? { ...m, status: 'matched', principal: c, candidates: [c], reason: l10n.t('its managed identity was re-created: {0}', c.id) } : m;
  };
  const principals = mapping.principals.map(swap);
  const known = new Set(principals.map((p) => p.oldPrincipalId));
  return { ...mapping, principals, rows: mapping.rows.map((r) => ({ ...r, mapping: known.has(r.mapping.oldPrincipalId) ? swap(r.mapping) : r.mapping })) };
}

/** Restores everything the snapshot holds into `mapping.targetTenantId`; the wizard and the CLI call this. */
export async function restoreEverything(session: AzureSession, snapshot: Snapshot, mapping: MappingResult, l10n: Localize, options: FullRestoreOptions = {}): Promise<FullRestoreResult> {
  const { limiter, retry, wait } = settings(session, options);
  const dryRun = options.dryRun === true;
  const tenantId = mapping.targetTenantId;
  const repair = { dryRun, signal: options.signal, run: <T>(task: () => Promise<T>): Promise<T> => limiter.run(task), subscriptionId: snapshot.subscription.id };
  const [identities, policyAssignments] = await Promise.all([
    repairSystemIdentities(session, snapshot, tenantId, l10n, repair),
    restorePolicyAssignments(session, snapshot, tenantId, l10n, repair),
  ]);
  const fresh = new Map<string, Candidate>();
  for (const i of identities) if (i.newPrincipalId !== null) fresh.set(i.oldPrincipalId, { id: i.newPrincipalId, type: 'ServicePrincipal', displayName: i.name, detail: null });
  for (const p of policyAssignments) if (p.oldPrincipalId !== null && p.newPrincipalId !== null) fresh.set(p.oldPrincipalId, { id: p.newPrincipalId, type: 'ServicePrincipal', displayName: p.displayName, detail: null });
  const mapped = withNewPrincipals(mapping, fresh, l10n);
  const base = await restoreSnapshot(session, snapshot, mapped, l10n, options);
  const roles = new Map(base.customRoles.map((r) => [r.oldId, r]));
  const eligibleAssignments = await restoreEligible(session, snapshot.eligibleAssignments ?? [], snapshot.subscription.id, mapped, roles, l10n, {
    retry, wait, dryRun, run: repair.run, ...(options.signal ? { signal: options.signal } : {}), ...(options.now ? { now: options.now } : {}),
    ...(options.acceptLongestEnd === undefined ? {} : { acceptLongestEnd: options.acceptLongestEnd }),
  });
  const keyVaults = await repairVaults(session, snapshot, tenantId, principalLookup(mapped, fresh), l10n, repair);
  return {
    ...base, identities, policyAssignments, eligibleAssignments, keyVaults, manualSteps: userAssignedSteps(snapshot, l10n),
    totals: countResults([...base.customRoles, ...base.assignments, ...identities, ...policyAssignments, ...eligibleAssignments, ...keyVaults, ...keyVaults.flatMap((v) => v.accessPolicies)]),
  };
}

// ---------- eligible assignments ----------

/** A restore row of an eligible assignment: the role-assignment row's fields, its dates, and the policy's offer. */
export type EligibleRestoreRow = Omit<RestoreRowResult, 'oldAssignmentId' | 'assignmentName' | 'endDateTime'> & {
  readonly oldId: string;
  readonly startDateTime: string | null;
  readonly endDateTime: string | null;
  /** When a role-management policy refused the end: the longest it allows (restore with `acceptLongestEnd`). */
  readonly longestAllowedEnd?: string;
};

/**
 * Re-creates the deleted eligible assignments for the mapped principals; `roles` gives restored custom roles' new GUIDs
 * and names. The file is untrusted, as for role assignments: a scope outside the subscription is refused, and the role
 * is named as Azure names its GUID now (a row that says "Reader" while carrying Owner's GUID shows as Owner).
 */
async function restoreEligible(
  session: AzureSession, rows: readonly SnapshotEligible[], subscriptionId: string, mapping: MappingResult, roles: ReadonlyMap<string, { readonly newId: string; readonly roleName: string }>, l10n: Localize,
  options: PimWriteOptions & { readonly dryRun: boolean; readonly run: <T>(task: () => Promise<T>) => Promise<T> },
): Promise<EligibleRestoreRow[]> {
  const tenantId = mapping.targetTenantId;
  const existing = rows.length === 0 ? new Set<string>() : await options.run(() => existingSchedules(session, tenantId, 'eligibility', subscriptionId, options.signal));
  const now = (options.now?.() ?? new Date()).toISOString();
  const roleNameNow = roleNamesNow(session, tenantId, `/subscriptions/${subscriptionId}`, l10n, options.signal);
  return Promise.all(rows.filter((e) => e.removed).map((e) => options.run(async (): Promise<EligibleRestoreRow> => {
    const m = mapping.principals.find((p) => p.oldPrincipalId === e.principalId);
    const principal = mapping.eligibleChoices?.get(e.name.toLowerCase()) ?? m?.principal;
    const inside = checkRestoreScope(e.scope, subscriptionId, l10n);
    const custom = roles.get(e.roleDefinitionId);
    const roleGuid = custom?.newId ?? e.roleDefinitionId;
    const role: RoleNow = custom ? { name: custom.roleName } : inside.ok ? await roleNameNow(roleGuid) : { name: e.roleName };
    const base = {
      oldId: e.id, scope: inside.ok ? inside.scope : e.scope, roleDefinitionId: roleGuid, roleName: role.name, oldPrincipalId: e.principalId, oldPrincipalName: e.principal?.displayName ?? null,
      oldPrincipalStatus: e.principal === null ? 'deleted' as const : 'found' as const,
      principalId: principal?.id ?? null, principalName: principal?.displayName ?? null, principalType: principal?.type ?? e.principalType, startDateTime: e.startDateTime, endDateTime: e.endDateTime,
    };
    if (!inside.ok) return { ...base, status: 'failed', reason: inside.reason };
    if (role.error !== undefined) return { ...base, status: 'failed', reason: role.error };
    // A lookup that failed is not a verdict about the principal: failed (re-run), not skipped.
    if (!principal) return { ...base, status: m?.lookupFailed === true ? 'failed' : 'skipped', reason: m?.reason ?? l10n.t('the principal was not mapped') };
    if (e.endDateTime !== null && e.endDateTime <= now) return { ...base, status: 'skipped', reason: l10n.t('it ended on {0}', e.endDateTime) };
    const w: PimWrite = { subscriptionId, scope: inside.scope, roleGuid, principalId: principal.id, startDateTime: e.startDateTime, endDateTime: e.endDateTime, condition: e.condition, conditionVersion: e.conditionVersion };
    if (hasSchedule(existing, w)) return { ...base, status: 'exists' };
    if (options.dryRun) return { ...base, status: 'planned' };
    const outcome = await writeSchedule(session, tenantId, 'eligibility', w, l10n, options);
    return {
      ...base, status: outcome.status, endDateTime: outcome.endDateTime, ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
      ...(outcome.longestAllowedEnd === undefined ? {} : { longestAllowedEnd: outcome.longestAllowedEnd }),
    };
  })));
}
