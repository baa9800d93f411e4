/**
 * The plan for moving one subscription: pre-flight checks and impact, as the wizard shows them and as `tenant-link
 * plan --json` prints them (issue 5 contract). `planSubscription` returns the rich `DetailedPlan`; `toPlanJson`
 * turns it into exactly the contract object (extra fields such as `fix`, `owner`, `title` are dropped there).
 */
import { isGuid, type Subscription, type Tenant } from '../azure/models';
import type { AzureSession } from '../azure/session';
import { PlanCache, type PrincipalInfo, type SubscriptionIndex } from './cache';
import { unreachableMessage } from './homes';
import type { Localize } from './l10n';
import { evaluateChecks, gatherCheckFacts, type CheckResult, type DetailedCheck, type TargetDirectory } from './checks';
import type { PlanSource } from './fleet';
import { principalStatusOf, readImpact, type Impact, type PrincipalStatus } from './impact';
import type { Repair } from './impactExtras';

export { PlanCache } from './cache';
export type { TargetDirectory } from './checks';

/** A failure of the core the CLI reports as one line (exit 1) and the wizard as a banner. */
export class CoreError extends Error {
  constructor(
    readonly kind: 'notFound' | 'invalid' | 'refused' | 'notMoved' | 'wrongAccount',
    message: string,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}

export interface PlanSubscription {
  readonly id: string;
  readonly name: string;
  readonly tenantId: string;
  readonly state: string;
  readonly quotaId: string | null;
}

export interface PlanTarget {
  readonly tenantId: string;
  readonly displayName: string | null;
  readonly defaultDomain: string | null;
  readonly office365: boolean | null;
}

export interface DetailedPlan {
  readonly subscription: PlanSubscription;
  /** The source directory's name (for messages and the wizard header). */
  readonly source: { readonly tenantId: string; readonly displayName: string | null; readonly defaultDomain: string | null };
  readonly target: PlanTarget;
  readonly checks: readonly DetailedCheck[];
  readonly impact: Impact;
  readonly canProceed: boolean;
  /** Where the impact's role assignments and resources were read: ARM, or Resource Graph for a fleet plan. */
  readonly readFrom: PlanSource;
}

/** The contract's role-assignment fields; `endDateTime` null = permanent (issue 11). */
interface PlanAssignment {
  readonly id: string;
  readonly scope: string;
  readonly roleDefinitionId: string;
  readonly roleName: string;
  readonly principalId: string;
  readonly principalType: string;
  readonly principalName: string | null;
  /** found, deleted (Graph says it does not exist) or unknown (the lookup failed: never called deleted). */
  readonly principalStatus: PrincipalStatus;
  readonly removed: boolean;
  readonly endDateTime: string | null;
}

/** The `plan --json` contract (issue 5; grown by issue 11: a group is null when it could not be read). */
export interface PlanJson {
  readonly subscription: PlanSubscription;
  readonly target: PlanTarget;
  readonly checks: readonly CheckResult[];
  readonly impact: {
    readonly roleAssignments: readonly PlanAssignment[];
    readonly customRoles: readonly { readonly id: string; readonly roleName: string }[];
    readonly classicAdministrators: readonly { readonly emailAddress: string; readonly role: string }[];
    readonly dependentResources: readonly { readonly id: string; readonly type: string; readonly reason: string; readonly repair: Repair }[];
    /** Added after the issue-5 contract: custom roles the move deletes that other subscriptions use too. */
    readonly customRolesElsewhere: readonly {
      readonly id: string;
      readonly roleName: string;
      readonly otherScopes: readonly string[];
      readonly assignments: readonly { readonly id: string; readonly scope: string; readonly subscriptionId: string; readonly subscriptionName: string | null; readonly principalId: string; readonly principalType: string }[];
      readonly unread: readonly { readonly scope: string; readonly reason: string }[];
    }[];
    readonly eligibleAssignments: readonly (PlanAssignment & { readonly startDateTime: string | null })[] | null;
    readonly policyAssignments: readonly {
      readonly id: string; readonly name: string; readonly scope: string; readonly policyDefinitionId: string;
      readonly identityType: string; readonly principalId: string | null; readonly removed: boolean;
    }[] | null;
    readonly keyVaults: readonly { readonly id: string; readonly name: string; readonly tenantId: string | null; readonly accessPolicies: number; readonly rbacAuthorization: boolean }[] | null;
  };
  readonly canProceed: boolean;
  /** true when something the plan needs could not be read (`warnings` says what); the CLI then exits 4. */
  readonly incomplete: boolean;
  /** What could not be read, one line each. */
  readonly warnings: readonly string[];
  readonly readFrom: PlanSource;
}

/** Picks exactly the contract's fields, in the contract's order. */
export function toPlanJson(plan: DetailedPlan): PlanJson {
  return {
    subscription: { id: plan.subscription.id, name: plan.subscription.name, tenantId: plan.subscription.tenantId, state: plan.subscription.state, quotaId: plan.subscription.quotaId },
    target: { tenantId: plan.target.tenantId, displayName: plan.target.displayName, defaultDomain: plan.target.defaultDomain, office365: plan.target.office365 },
    checks: plan.checks.map((c) => ({ id: c.id, status: c.status, message: c.message })),
    impact: {
      roleAssignments: plan.impact.roleAssignments.map(planAssignment),
      customRoles: plan.impact.customRoles.map((r) => ({ id: r.id, roleName: r.roleName })),
      classicAdministrators: plan.impact.classicAdministrators.map((c) => ({ emailAddress: c.emailAddress, role: c.role })),
      dependentResources: plan.impact.dependentResources.map((d) => ({ id: d.id, type: d.type, reason: d.reason, repair: d.repair })),
      customRolesElsewhere: plan.impact.customRoleReach.map((r) => ({
        id: r.id, roleName: r.roleName, otherScopes: r.otherScopes,
        assignments: r.assignments.map((a) => ({ id: a.id, scope: a.scope, subscriptionId: a.subscriptionId, subscriptionName: a.subscriptionName, principalId: a.principalId, principalType: a.principalType })),
        unread: r.unread.map((u) => ({ scope: u.scope, reason: u.reason })),
      })),
      eligibleAssignments: plan.impact.eligibleAssignments?.map((e) => ({ ...planAssignment(e), startDateTime: e.startDateTime, endDateTime: e.endDateTime })) ?? null,
      policyAssignments: plan.impact.policyAssignments?.map((p) => ({
        id: p.id, name: p.name, scope: p.scope, policyDefinitionId: p.policyDefinitionId, identityType: p.identityType, principalId: p.principalId, removed: p.removed,
      })) ?? null,
      keyVaults: plan.impact.keyVaults?.map((v) => ({ id: v.id, name: v.name, tenantId: v.tenantId, accessPolicies: v.accessPolicies.length, rbacAuthorization: v.rbacAuthorization })) ?? null,
    },
    canProceed: plan.canProceed,
    incomplete: !plan.impact.complete,
    warnings: plan.impact.notes,
    readFrom: plan.readFrom,
  };
}

function planAssignment(a: Omit<PlanAssignment, 'principalStatus'> & { readonly principal: PrincipalInfo | null | undefined }): PlanAssignment {
  return {
    id: a.id, scope: a.scope, roleDefinitionId: a.roleDefinitionId, roleName: a.roleName, principalId: a.principalId,
    principalType: a.principalType, principalName: a.principalName, principalStatus: principalStatusOf(a.principal), removed: a.removed, endDateTime: a.endDateTime,
  };
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Is the text a tenant id (GUID) or something that looks like a domain? */
export function isTenantIdOrDomain(value: string): boolean {
  return isGuid(value) || DOMAIN.test(value);
}

/**
 * The target directory from a tenant id or a domain. A domain must belong to one of the account's directories (else
 * `CoreError` notFound). A tenant id the account cannot see is still returned (`visible: false`): the
 * `account-in-target` check then says why (not a member yet, MFA…), which is what the user needs to hear.
 * `l10n` words the errors.
 */
export async function resolveTarget(session: AzureSession, target: string, l10n: Localize, cache = new PlanCache(session), signal?: AbortSignal): Promise<TargetDirectory> {
  const value = target.trim();
  if (!isTenantIdOrDomain(value)) throw new CoreError('invalid', l10n.t('"{0}" is neither a directory (tenant) ID nor a domain.', target));
  const tenants = await cache.listDirectories(signal);
  const found = isGuid(value)
    ? tenants.find((t) => t.tenantId.toLowerCase() === value.toLowerCase())
    : tenants.find((t) => [t.defaultDomain, ...(t.domains ?? [])].some((d) => d?.toLowerCase() === value.toLowerCase()));
  if (found) return directoryOf(found, true);
  if (!isGuid(value)) {
    throw new CoreError('notFound', l10n.t('No directory with the domain "{0}" is visible to {1}; use its tenant ID, or accept a guest invitation to it first.', value, session.account.label));
  }
  return { tenantId: value.toLowerCase(), displayName: null, defaultDomain: null, visible: false };
}

function directoryOf(t: Tenant, visible: boolean): TargetDirectory {
  return { tenantId: t.tenantId.toLowerCase(), displayName: t.displayName ?? null, defaultDomain: t.defaultDomain ?? null, visible };
}

/**
 * A subscription by id — or by its exact name (one match; several is an error listing their ids) — looked up in
 * every directory the account can reach (once per cache). `l10n` words the errors.
 */
export async function findSubscription(session: AzureSession, idOrName: string, l10n: Localize, cache = new PlanCache(session), signal?: AbortSignal): Promise<Subscription> {
  const index = await cache.subscriptionIndex(signal);
  const subscriptionId = isGuid(idOrName) ? idOrName : subscriptionIdByName(index, idOrName, l10n);
  const sub = index.byId.get(subscriptionId.toLowerCase());
  if (sub) return sub;
  const unreachable = index.unreachable.get(subscriptionId.toLowerCase());
  if (unreachable) {
    const names = new Map((await cache.listDirectories(signal)).map((t) => [t.tenantId.toLowerCase(), t.displayName ?? t.tenantId]));
    throw new CoreError('notFound', l10n.t('Subscription {0} ({1}) cannot be planned from here. {2}', subscriptionId, unreachable.subscription.displayName,
      unreachableMessage(unreachable, session.account.label, l10n, (t) => names.get(t.toLowerCase()) ?? t)));
  }
  const skipped = [...index.failures.keys()];
  const who = session.account.label;
  throw new CoreError('notFound', skipped.length === 0
    ? l10n.t('Subscription {0} was not found in any directory {1} can reach.', subscriptionId, who)
    : skipped.length === 1
      ? l10n.t('Subscription {0} was not found in any directory {1} can reach (1 directory could not be read: sign in to {2}).', subscriptionId, who, skipped.join(', '))
      : l10n.t('Subscription {0} was not found in any directory {1} can reach ({2} directories could not be read: sign in to {3}).', subscriptionId, who, skipped.length, skipped.join(', ')));
}

function subscriptionIdByName(index: SubscriptionIndex, name: string, l10n: Localize): string {
  const named = [...index.byId.values(), ...[...index.unreachable.values()].map((u) => u.subscription)].filter((s) => s.displayName === name);
  const [only, ...more] = named;
  if (only === undefined) throw new CoreError('invalid', l10n.t('No subscription is named "{0}" (names must match exactly), and it is not a subscription ID (a GUID).', name));
  if (more.length > 0) throw new CoreError('invalid', l10n.t('{0} subscriptions are named "{1}": give one of their IDs ({2}).', named.length, name, named.map((s) => s.subscriptionId).join(', ')));
  return only.subscriptionId;
}

/** Subscriptions whose home is `tenantId` (for `plan --all-in`). */
export async function subscriptionsIn(session: AzureSession, tenantId: string, cache = new PlanCache(session), signal?: AbortSignal): Promise<Subscription[]> {
  const subs = await cache.run(() => session.arm.listSubscriptions(tenantId, signal));
  return subs.filter((s) => s.tenantId.toLowerCase() === tenantId.toLowerCase());
}

/**
 * Checks and impact for moving a subscription (an id, or one already listed) to `target` (a tenant id or domain).
 * Pass one `PlanCache` to plan many subscriptions: shared lookups are then fetched once.
 */
export async function planSubscription(
  session: AzureSession,
  subscription: string | Subscription,
  target: string | TargetDirectory,
  /** Words of checks, notes, reasons and errors: `vscode.l10n` in the extension; `english` in the CLI (its JSON contract). */
  l10n: Localize,
  cache: PlanCache = new PlanCache(session),
  signal?: AbortSignal,
): Promise<DetailedPlan> {
  const [sub, tgt] = await Promise.all([
    typeof subscription === 'string' ? findSubscription(session, subscription, l10n, cache, signal) : Promise.resolve(subscription),
    typeof target === 'string' ? resolveTarget(session, target, l10n, cache, signal) : Promise.resolve(target),
  ]);
  const directories = await cache.listDirectories(signal).catch((): readonly Tenant[] => []);
  const source = directories.find((t) => t.tenantId.toLowerCase() === sub.tenantId.toLowerCase());
  const sourceName = source?.displayName ?? source?.defaultDomain ?? sub.tenantId;
  const [facts, impact] = await Promise.all([
    gatherCheckFacts(session, sub, sourceName, tgt, cache, signal),
    readImpact(session, sub, cache, l10n, signal),
  ]);
  const checks = evaluateChecks(facts, l10n);
  const fleet = await cache.fleetSlice(sub.subscriptionId);
  return {
    subscription: { id: sub.subscriptionId.toLowerCase(), name: sub.displayName, tenantId: sub.tenantId.toLowerCase(), state: sub.state, quotaId: sub.subscriptionPolicies?.quotaId ?? null },
    source: { tenantId: sub.tenantId.toLowerCase(), displayName: source?.displayName ?? null, defaultDomain: source?.defaultDomain ?? null },
    target: {
      tenantId: tgt.tenantId,
      displayName: tgt.displayName,
      defaultDomain: tgt.defaultDomain,
      office365: facts.office365?.ok ? facts.office365.value.office365 : null,
    },
    checks,
    impact,
    canProceed: checks.every((c) => c.status !== 'fail'),
    readFrom: fleet ? 'resourceGraph' : 'arm',
  };
}
