/**
 * PIM restores (azure-api-2.md §1.3–1.4; https://learn.microsoft.com/rest/api/authorization/privileged-role-eligibility-rest-sample):
 * eligible assignments come back as eligible and time-bound active ones as time-bound with the same end, both through
 * `AdminAssign` schedule requests. Requests are not idempotent (a new name each time), so a re-run first reads what
 * exists and `RoleAssignmentExists` counts as "exists". When a role-management policy forbids the end (ExpirationRule),
 * the row says so and offers the longest end the policy allows (`acceptLongestEnd` takes it).
 */
import { isAzureError } from '../azure/errors';
import { createScheduleRequest, eligibilityExpirationRule, listScheduleInstances, type ScheduleKind } from '../azure/armGovernance';
import { roleDefinitionGuid } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { Localize } from './l10n';
import { backoffDelay, reasonOf, throwIfAborted, type Sleep } from './util';

export type WriteStatus = 'created' | 'exists' | 'failed';


export interface PimRetry {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface PimWrite {
  readonly subscriptionId: string;
  readonly scope: string;
  readonly roleGuid: string;
  readonly principalId: string;
  readonly startDateTime: string | null;
  /** null = permanent. */
  readonly endDateTime: string | null;
  readonly condition?: string | null;
  readonly conditionVersion?: string | null;
}

export interface PimOutcome {
  readonly status: WriteStatus;
  readonly reason?: string;
  readonly attempts: number;
  /** The end that was written (the policy's longest when `acceptLongestEnd` was used). */
  readonly endDateTime: string | null;
  /** When the policy refused the end: the longest end it allows, for the user to accept. */
  readonly longestAllowedEnd?: string;
}

export interface PimWriteOptions {
  readonly retry: PimRetry;
  readonly wait: Sleep;
  /** Take the policy's longest allowed end when it refuses the snapshot's (say so in the row). */
  readonly acceptLongestEnd?: boolean;
  readonly signal?: AbortSignal;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/** ISO 8601 durations of role-management policies: P{n}Y, P{n}D, PT{n}H, PT{n}M and their sums. */
export function durationMs(iso: string): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/i.exec(iso);
  if (m === null || /^PT?$/i.test(iso)) return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  return (((n(1) * 365 + n(2)) * 24 + n(3)) * 60 + n(4)) * 60_000;
}

const scheduleKey = (scope: string, roleGuid: string, principalId: string): string => `${scope.replace(/\/+$/, '').toLowerCase()}|${roleGuid.toLowerCase()}|${principalId.toLowerCase()}`;

/** Keys of the live schedule instances of one kind at, above and below the subscription (for "exists"). */
export async function existingSchedules(session: AzureSession, tenantId: string, kind: ScheduleKind, subscriptionId: string, signal?: AbortSignal): Promise<Set<string>> {
  const instances = await listScheduleInstances(session.arm, tenantId, kind, `/subscriptions/${subscriptionId}`, signal);
  return new Set(instances.map((i) => scheduleKey(i.properties.scope, roleDefinitionGuid(i.properties.roleDefinitionId), i.properties.principalId)));
}

export function hasSchedule(existing: ReadonlySet<string>, w: Pick<PimWrite, 'scope' | 'roleGuid' | 'principalId'>): boolean {
  return existing.has(scheduleKey(w.scope, w.roleGuid, w.principalId));
}

/** One `AdminAssign` request (a new request name each attempt); the outcome says created, exists or failed (why). */
export async function writeSchedule(session: AzureSession, tenantId: string, kind: ScheduleKind, w: PimWrite, l10n: Localize, options: PimWriteOptions): Promise<PimOutcome> {
  const { retry, wait, signal } = options;
  const now = (options.now?.() ?? new Date()).toISOString();
  const start = w.startDateTime !== null && w.startDateTime > now ? w.startDateTime : now;
  const roleDefinitionId = `/subscriptions/${w.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${w.roleGuid}`;
  let end = w.endDateTime;
  let longest: string | undefined;
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(signal);
    try {
      await createScheduleRequest(session.arm, tenantId, kind, w.scope, {
        roleDefinitionId, principalId: w.principalId, startDateTime: start, endDateTime: end, justification: l10n.t('Restored by Azure Tenant Link after the directory change'),
        condition: w.condition ?? null, conditionVersion: w.conditionVersion ?? null,
      }, signal);
      const shortened = longest !== undefined ? { reason: l10n.t('The role management policy allows no later end: it ends {0} (the snapshot said {1}).', longest, w.endDateTime ?? l10n.t('never')) } : {};
      return { status: 'created', attempts: attempt, endDateTime: end, ...shortened };
    } catch (e) {
      if (signal?.aborted) throw e;
      if (isAzureError(e) && e.code === 'RoleAssignmentExists') return { status: 'exists', attempts: attempt, endDateTime: end };
      if (isAzureError(e) && (e.code === 'PrincipalNotFound' || e.code === 'SubjectNotFound') && attempt < retry.attempts) {
        await wait(backoffDelay(attempt, retry.baseDelayMs, retry.maxDelayMs), signal);
        continue;
      }
      if (isAzureError(e) && e.code === 'RoleAssignmentRequestPolicyValidationFailed' && /ExpirationRule/.test(e.message) && kind === 'eligibility' && longest === undefined) {
        const rule = await eligibilityExpirationRule(session.arm, tenantId, w.scope, roleDefinitionId, signal).catch(() => undefined);
        const max = rule?.maximumDuration === undefined ? undefined : durationMs(rule.maximumDuration);
        if (max !== undefined) {
          longest = new Date(Date.parse(start) + max).toISOString().replace(/\.000Z$/, 'Z');
          if (options.acceptLongestEnd === true) {
            end = longest;
            continue;
          }
          return {
            status: 'failed', attempts: attempt, endDateTime: w.endDateTime, longestAllowedEnd: longest,
            reason: w.endDateTime === null
              ? l10n.t('The role management policy forbids permanent eligibility (ExpirationRule); the longest it allows ends {0}: accept that end to restore it.', longest)
              : l10n.t('The role management policy forbids an eligibility until {0} (ExpirationRule); the longest it allows ends {1}: accept that end to restore it.', w.endDateTime, longest),
          };
        }
      }
      const reason = isAzureError(e) && (e.code === 'PrincipalNotFound' || e.code === 'SubjectNotFound')
        ? l10n.t('Retry: principal not replicated yet (PrincipalNotFound) after {0} attempts', attempt)
        : isAzureError(e, 'forbidden') ? l10n.t('You lack roleAssignments/write: {0}', reasonOf(e)) : reasonOf(e);
      return { status: 'failed', reason, attempts: attempt, endDateTime: end };
    }
  }
}
