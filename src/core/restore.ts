/**
 * Re-creates access in the new directory: custom roles first (assignable at the subscription), then role assignments
 * at their original scopes for the mapped principals; and `addAdministrators` for new admins. Idempotent: existing
 * assignments are read first and every new one gets a deterministic name, so a re-run (also after a crash between two
 * writes) creates nothing twice; 409 `RoleAssignmentExists` counts as "exists"; `PrincipalNotFound` (replication) is
 * retried with exponential back-off; every row reports created / exists / failed (reason) — or skipped / planned.
 */
import { isAzureError } from '../azure/errors';
import { BUILT_IN_ROLES, isGuid, roleDefinitionGuid, type Permission, type RoleAssignment } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { PrincipalStatus } from './impact';
import type { Localize } from './l10n';
import type { MappingResult, NewPrincipalType } from './mapping';
import { checkRestoreScope } from './restoreScope';
import type { Snapshot } from './snapshot';
import { writeSchedule } from './pim';
import { Limiter, backoffDelay, deterministicGuid, reasonOf, sleep as realSleep, throwIfAborted, type Sleep } from './util';

export type RowStatus = 'created' | 'exists' | 'failed' | 'skipped' | 'planned';

export interface RetryPolicy {
  /** Attempts in all (the first one included). */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Replication of a new principal can take minutes: 6 attempts over about a minute. */
export const DEFAULT_PRINCIPAL_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 2_000, maxDelayMs: 30_000 };

export interface WriteOptions {
  readonly concurrency?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Injectable for tests. */
  readonly sleep?: Sleep;
  readonly signal?: AbortSignal;
}

export interface AssignmentOutcome {
  readonly status: RowStatus;
  readonly reason?: string;
  /** The role assignment's name (GUID) in the new directory. */
  readonly assignmentName?: string;
  readonly attempts: number;
}

interface Assignment {
  readonly subscriptionId: string;
  readonly scope: string;
  readonly roleGuid: string;
  readonly principalId: string;
  readonly principalType: NewPrincipalType;
  readonly name: string;
  readonly condition?: string | null;
  readonly conditionVersion?: string | null;
  readonly description?: string | null;
}

const existingKey = (scope: string, roleGuid: string, principalId: string): string =>
  `${scope.replace(/\/+$/, '').toLowerCase()}|${roleGuid.toLowerCase()}|${principalId.toLowerCase()}`;

function existingSet(assignments: readonly RoleAssignment[]): Set<string> {
  return new Set(assignments.map((a) => existingKey(a.properties.scope, roleDefinitionGuid(a.properties.roleDefinitionId), a.properties.principalId)));
}

/** A time-bound assignment goes back time-bound with the same end: a PIM `AdminAssign` request (pim.ts), not a plain PUT. */
async function assignTimeBound(session: AzureSession, tenantId: string, a: Assignment, dates: { readonly start: string | null; readonly end: string }, existing: ReadonlySet<string>, retry: RetryPolicy, wait: Sleep, l10n: Localize, signal?: AbortSignal): Promise<AssignmentOutcome> {
  if (existing.has(existingKey(a.scope, a.roleGuid, a.principalId))) return { status: 'exists', attempts: 0 };
  const w = { subscriptionId: a.subscriptionId, scope: a.scope, roleGuid: a.roleGuid, principalId: a.principalId, startDateTime: dates.start, endDateTime: dates.end, condition: a.condition, conditionVersion: a.conditionVersion };
  const o = await writeSchedule(session, tenantId, 'assignment', w, l10n, { retry, wait, signal });
  return { status: o.status, attempts: o.attempts, ...(o.reason === undefined ? {} : { reason: o.reason }) };
}

/** One idempotent write: exists already → "exists"; PUT with a deterministic name; 409 → "exists"; PrincipalNotFound → retry. */
export async function assignOnce(session: AzureSession, tenantId: string, a: Assignment, existing: ReadonlySet<string>, retry: RetryPolicy, wait: Sleep, l10n: Localize, signal?: AbortSignal): Promise<AssignmentOutcome> {
  if (existing.has(existingKey(a.scope, a.roleGuid, a.principalId))) return { status: 'exists', assignmentName: a.name, attempts: 0 };
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(signal);
    try {
      await session.arm.createRoleAssignment(tenantId, a.subscriptionId, a.scope, {
        roleDefinitionGuid: a.roleGuid, principalId: a.principalId, principalType: a.principalType,
        ...(a.description ? { description: a.description } : {}), ...(a.condition ? { condition: a.condition, conditionVersion: a.conditionVersion ?? '2.0' } : {}),
      }, a.name, signal);
      return { status: 'created', assignmentName: a.name, attempts: attempt };
    } catch (e) {
      if (signal?.aborted) throw e;
      if (isAzureError(e, 'conflict') && e.code === 'RoleAssignmentExists') return { status: 'exists', assignmentName: a.name, attempts: attempt };
      if (isAzureError(e) && e.code === 'PrincipalNotFound' && attempt < retry.attempts) {
        await wait(backoffDelay(attempt, retry.baseDelayMs, retry.maxDelayMs), signal);
        continue;
      }
      const reason = isAzureError(e) && e.code === 'PrincipalNotFound'
        ? l10n.t('Retry: principal not replicated yet (PrincipalNotFound) after {0} attempts', attempt)
        : isAzureError(e, 'forbidden') ? l10n.t('You lack roleAssignments/write: {0}', reasonOf(e)) : reasonOf(e);
      return { status: 'failed', reason, assignmentName: a.name, attempts: attempt };
    }
  }
}

export function settings(session: AzureSession, options: WriteOptions): { limiter: Limiter; retry: RetryPolicy; wait: Sleep } {
  return {
    limiter: new Limiter(options.concurrency ?? session.arm.concurrency),
    retry: { ...DEFAULT_PRINCIPAL_RETRY, ...options.retry },
    wait: options.sleep ?? realSleep,
  };
}

// ---------- restore from a snapshot ----------

export interface CustomRoleResult {
  readonly oldId: string;
  readonly newId: string;
  readonly roleName: string;
  readonly status: RowStatus;
  readonly reason?: string;
}

export interface RestoreRowResult {
  readonly oldAssignmentId: string;
  readonly scope: string;
  readonly roleDefinitionId: string;
  readonly roleName: string;
  readonly oldPrincipalId: string;
  readonly oldPrincipalName: string | null;
  /** What the snapshot knew of the old principal: found, deleted, or unknown (its lookup failed). */
  readonly oldPrincipalStatus: PrincipalStatus;
  readonly principalId: string | null;
  readonly principalName: string | null;
  readonly principalType: string;
  readonly status: RowStatus;
  readonly reason?: string;
  readonly assignmentName?: string;
  /** Time-bound (PIM) assignments: the end it was restored with; null or absent = permanent. */
  readonly endDateTime?: string | null;
}

export interface RestoreCounts {
  readonly created: number;
  readonly exists: number;
  readonly failed: number;
  readonly skipped: number;
  readonly planned: number;
}

export interface RestoreResult {
  readonly subscriptionId: string;
  readonly targetTenantId: string;
  readonly dryRun: boolean;
  readonly customRoles: readonly CustomRoleResult[];
  readonly assignments: readonly RestoreRowResult[];
  readonly counts: RestoreCounts;
  /**
   * true when the restore could not be whole for want of data: the snapshot is marked incomplete, or principals
   * could not be looked up (those rows are failed, never skipped as if deleted). `warnings` says what.
   */
  readonly incomplete: boolean;
  readonly warnings: readonly string[];
}

export interface RestoreOptions extends WriteOptions {
  readonly dryRun?: boolean;
  /** Called as each row settles (the wizard updates its table in place). */
  readonly onRow?: (row: RestoreRowResult) => void;
}

export function countResults(rows: readonly { readonly status: RowStatus }[]): RestoreCounts {
  const n = (s: RowStatus): number => rows.filter((r) => r.status === s).length;
  return { created: n('created'), exists: n('exists'), failed: n('failed'), skipped: n('skipped'), planned: n('planned') };
}

/** Whether two custom roles' permission blocks grant the same (each list compared as a set, case aside). */
function samePermissions(a: readonly Permission[], b: readonly Permission[]): boolean {
  const key = (p: Permission): string => JSON.stringify((['actions', 'notActions', 'dataActions', 'notDataActions'] as const).map((k) => [...new Set((p[k] ?? []).map((x) => x.toLowerCase()))].sort()));
  const keys = (list: readonly Permission[]): string => JSON.stringify([...new Set(list.map(key))].sort());
  return keys(a) === keys(b);
}

/** The custom role's GUID in the new directory: stable across re-runs. */
export function restoredRoleGuid(oldRoleGuid: string, targetTenantId: string): string {
  return deterministicGuid('custom-role', oldRoleGuid, targetTenantId);
}

/** The assignment's name in the new directory: stable across re-runs. */
export function restoredAssignmentName(oldAssignmentId: string, principalId: string, roleGuid: string): string {
  return deterministicGuid('restore', oldAssignmentId, principalId, roleGuid);
}

/** Restores the mapped rows of `mapping` (custom roles first); `l10n` words the reasons of skipped and failed rows. */
export async function restoreSnapshot(session: AzureSession, snapshot: Snapshot, mapping: MappingResult, l10n: Localize, options: RestoreOptions = {}): Promise<RestoreResult> {
  const { limiter, retry, wait } = settings(session, options);
  const signal = options.signal;
  const tenantId = mapping.targetTenantId;
  const subId = snapshot.subscription.id;
  const subScope = `/subscriptions/${subId}`;
  const dryRun = options.dryRun === true;

  // Custom roles first: assignments may use them.
  const usedCustom = new Set(mapping.rows.map((r) => r.assignment.roleDefinitionId));
  const existingRoles = await limiter.run(() => session.arm.listRoleDefinitions(tenantId, subScope, { customOnly: true }, signal));
  const customRoles = await limiter.map(snapshot.customRoles, async (role): Promise<CustomRoleResult> => {
    const newId = restoredRoleGuid(role.id, tenantId);
    // Ours (its deterministic GUID), or one of the same name (names are unique in a directory): taken only when it grants
    // exactly what the snapshot's did, never assigned on its name alone.
    const found = existingRoles.find((r) => r.name.toLowerCase() === newId) ?? existingRoles.find((r) => r.properties.roleName.toLowerCase() === role.roleName.toLowerCase());
    if (found && found.name.toLowerCase() !== newId && !samePermissions(found.properties.permissions ?? [], role.permissions)) {
      return { oldId: role.id, newId: found.name.toLowerCase(), roleName: role.roleName, status: 'failed', reason: l10n.t('another custom role named "{0}" is in the directory, with other permissions: rename or delete it, then restore again', role.roleName) };
    }
    if (found) return { oldId: role.id, newId: found.name.toLowerCase(), roleName: role.roleName, status: 'exists' };
    if (dryRun) return { oldId: role.id, newId, roleName: role.roleName, status: 'planned', ...(usedCustom.has(role.id) ? {} : { reason: l10n.t('no assignment uses it') }) };
    try {
      await session.arm.putRoleDefinition(tenantId, subScope, newId, {
        roleName: role.roleName, description: role.description, type: 'CustomRole', permissions: role.permissions, assignableScopes: [subScope],
      }, signal);
      return { oldId: role.id, newId, roleName: role.roleName, status: 'created' };
    } catch (e) {
      if (signal?.aborted) throw e;
      return { oldId: role.id, newId, roleName: role.roleName, status: 'failed', reason: reasonOf(e) };
    }
  });
  const roleMap = new Map(customRoles.map((r) => [r.oldId, r]));

  const existing = existingSet(await limiter.run(() => session.arm.listRoleAssignments(tenantId, subId, { kind: 'all' }, signal)));
  const roleNameNow = roleNamesNow(session, tenantId, subScope, l10n, signal);
  const assignments = await limiter.map(mapping.rows, async ({ assignment: a, mapping: m }): Promise<RestoreRowResult> => {
    const custom = roleMap.get(a.roleDefinitionId);
    const roleGuid = custom?.newId ?? a.roleDefinitionId;
    // The file is untrusted: its scope must be this subscription or below it, and the role is named as Azure names
    // it now (a row that says "Contributor" while carrying Owner's GUID shows as Owner).
    const scope = checkRestoreScope(a.scope, subId, l10n);
    const role: RoleNow = custom ? { name: custom.roleName } : scope.ok ? await roleNameNow(roleGuid) : { name: a.roleName };
    const base = {
      oldAssignmentId: a.id, scope: scope.ok ? scope.scope : a.scope, roleDefinitionId: roleGuid, roleName: role.name, oldPrincipalId: a.principalId,
      oldPrincipalName: a.principal?.displayName ?? null, oldPrincipalStatus: a.principalStatus, principalId: m.principal?.id ?? null, principalName: m.principal?.displayName ?? null,
      principalType: m.principal?.type ?? a.principalType, endDateTime: a.endDateTime,
    };
    let row: RestoreRowResult;
    if (!scope.ok) {
      row = { ...base, status: 'failed', reason: scope.reason };
    } else if (role.error !== undefined) {
      row = { ...base, status: 'failed', reason: role.error };
    } else if (m.principal === null && m.lookupFailed === true) {
      row = { ...base, status: 'failed', reason: m.reason };
    } else if (m.principal === null) {
      row = { ...base, status: 'skipped', reason: m.status === 'ambiguous' ? l10n.t('ambiguous: {0}; choose one with --map', m.reason) : m.reason };
    } else if (custom?.status === 'failed') {
      const reason = custom.reason === undefined
        ? l10n.t('the custom role "{0}" could not be created: unknown error', custom.roleName)
        : l10n.t('the custom role "{0}" could not be created: {1}', custom.roleName, custom.reason);
      row = { ...base, status: 'failed', reason };
    } else {
      const name = restoredAssignmentName(a.id, m.principal.id, roleGuid);
      const target: Assignment = { subscriptionId: subId, scope: scope.scope, roleGuid, principalId: m.principal.id, principalType: m.principal.type, name, condition: a.condition, conditionVersion: a.conditionVersion, description: a.description };
      if (dryRun) {
        row = { ...base, status: existing.has(existingKey(scope.scope, roleGuid, m.principal.id)) ? 'exists' : 'planned', assignmentName: name };
      } else {
        const outcome = a.endDateTime === null
          ? await assignOnce(session, tenantId, target, existing, retry, wait, l10n, signal)
          : await assignTimeBound(session, tenantId, target, { start: a.startDateTime, end: a.endDateTime }, existing, retry, wait, l10n, signal);
        // A time-bound one is named by PIM (its schedule request), not by us.
        row = { ...base, status: outcome.status, ...(a.endDateTime === null ? { assignmentName: name } : {}), ...(outcome.reason === undefined ? {} : { reason: outcome.reason }) };
      }
    }
    options.onRow?.(row);
    return row;
  });
  const notLookedUp = mapping.rows.filter((r) => r.mapping.lookupFailed === true).length;
  const warnings = [
    ...(snapshot.complete ? [] : [l10n.t('The snapshot is marked incomplete: {0}', snapshot.notes.join(' '))]),
    ...(notLookedUp === 0 ? [] : [l10n.t('{0} of {1} role assignments could not be matched because a lookup failed; re-run when the directory answers.', notLookedUp, mapping.rows.length)]),
  ];
  return { subscriptionId: subId, targetTenantId: tenantId, dryRun, customRoles, assignments, counts: countResults(assignments), incomplete: warnings.length > 0, warnings };
}

/** A role as named now; `error` when it cannot be used. */
export interface RoleNow {
  readonly name: string;
  readonly error?: string;
}

/** A role's name as Azure gives it now at the subscription (once per GUID), or why it cannot be used. */
export function roleNamesNow(session: AzureSession, tenantId: string, subScope: string, l10n: Localize, signal?: AbortSignal): (guid: string) => Promise<RoleNow> {
  const known = new Map<string, Promise<RoleNow>>();
  return (guid: string): Promise<RoleNow> => {
    let p = known.get(guid);
    if (!p) {
      // Called from inside a row's limiter slot: not through the limiter again (that could wait on itself).
      p = session.arm.getRoleDefinition(tenantId, subScope, guid, signal).then(
        (d): RoleNow => ({ name: d.properties.roleName }),
        (e: unknown) => {
          if (signal?.aborted) throw e;
          return { name: guid, error: isAzureError(e, 'notFound') ? l10n.t('no role definition {0} at {1}', guid, subScope) : l10n.t('the role {0} could not be read: {1}', guid, reasonOf(e)) };
        },
      );
      known.set(guid, p);
    }
    return p;
  };
}

// ---------- add administrators ----------

export const ADMIN_ROLES: readonly { readonly id: string; readonly name: string }[] = [
  { id: BUILT_IN_ROLES.owner, name: 'Owner' },
  { id: BUILT_IN_ROLES.contributor, name: 'Contributor' },
  { id: BUILT_IN_ROLES.reader, name: 'Reader' },
  { id: BUILT_IN_ROLES.userAccessAdministrator, name: 'User Access Administrator' },
  { id: BUILT_IN_ROLES.rbacAdministrator, name: 'Role Based Access Control Administrator' },
];

/** A role GUID from a GUID or a built-in role name (case-insensitive); undefined when unknown. */
export function roleGuidOf(nameOrGuid: string): string | undefined {
  const v = nameOrGuid.trim();
  if (isGuid(v)) return v.toLowerCase();
  return ADMIN_ROLES.find((r) => r.name.toLowerCase() === v.toLowerCase())?.id;
}

export interface AdminResult {
  /** What was asked for: a UPN or an object id. */
  readonly user: string;
  readonly principalId: string | null;
  readonly displayName: string | null;
  readonly userPrincipalName: string | null;
  readonly status: RowStatus;
  readonly reason?: string;
  readonly assignmentName?: string;
}

/** Gives each user (UPN or object id, resolved in `tenantId` through Graph) the role at subscription scope; `l10n` words the reasons. */
export async function addAdministrators(
  session: AzureSession,
  subscriptionId: string,
  tenantId: string,
  users: readonly string[],
  roleGuid: string,
  l10n: Localize,
  options: WriteOptions = {},
): Promise<AdminResult[]> {
  const { limiter, retry, wait } = settings(session, options);
  const signal = options.signal;
  const scope = `/subscriptions/${subscriptionId.toLowerCase()}`;
  const graph = session.graph(tenantId);
  const existing = existingSet(await limiter.run(() => session.arm.listRoleAssignments(tenantId, subscriptionId, { kind: 'atScope' }, signal)));
  return limiter.map([...new Set(users.map((u) => u.trim()))], async (input): Promise<AdminResult> => {
    let user;
    try {
      user = await graph.getUser(input, signal);
    } catch (e) {
      if (signal?.aborted) throw e;
      const why = isAzureError(e, 'forbidden') ? l10n.t('the directory may not be searched ({0}); give the user\'s object id', e.missing ?? 'User.ReadBasic.All') : reasonOf(e);
      return { user: input, principalId: null, displayName: null, userPrincipalName: null, status: 'failed', reason: why };
    }
    if (!user) return { user: input, principalId: null, displayName: null, userPrincipalName: null, status: 'failed', reason: l10n.t('No user "{0}" in directory {1}; use their UPN (a guest\'s is name_domain#EXT#@…) or object id.', input, tenantId) };
    const principalId = user.id.toLowerCase();
    const name = deterministicGuid('admin', subscriptionId, principalId, roleGuid);
    const outcome = await assignOnce(session, tenantId, { subscriptionId: subscriptionId.toLowerCase(), scope, roleGuid, principalId, principalType: 'User', name }, existing, retry, wait, l10n, signal);
    return {
      user: input, principalId, displayName: user.displayName ?? null, userPrincipalName: user.userPrincipalName ?? null,
      status: outcome.status, assignmentName: name, ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    };
  });
}
