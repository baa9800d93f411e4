/**
 * The eight pre-flight checks (issue 4, docs/failure-modes.md §1, §2, §7). Facts are gathered first (each may be a
 * value or the error that stopped us reading it), then judged by pure functions, so every message — with its fix and
 * who can apply it — comes from one place. "Unknown" is never "no": an unreadable fact gives `unknown` with why.
 */
import { isAzureError } from '../azure/errors';
import { BUILT_IN_ROLES, roleDefinitionGuid, type RoleAssignment, type Subscription, type TenantPolicy } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { PlanCache } from './cache';
import type { Office365Verdict } from './office365';
import { reasonOf } from './util';

export const CHECK_IDS = [
  'target-is-different',
  'subscription-active',
  'offer-allows-move',
  'caller-is-owner',
  'account-in-target',
  'source-policy-allows-leaving',
  'target-policy-allows-entering',
  'target-is-office365',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** A check as the `plan --json` contract has it. */
export interface CheckResult {
  readonly id: CheckId;
  readonly status: CheckStatus;
  /** One line that says what is wrong, the fix and who can apply it. */
  readonly message: string;
}

/** A check with what the wizard shows beside it (not part of the CLI contract). */
export interface DetailedCheck extends CheckResult {
  readonly title: string;
  readonly fix?: string;
  readonly owner?: string;
}

/** The directory the subscription should move to. */
export interface TargetDirectory {
  readonly tenantId: string;
  readonly displayName: string | null;
  readonly defaultDomain: string | null;
  /** Is it among the account's directories (`GET /tenants`)? */
  readonly visible: boolean;
}

export type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export interface CheckFacts {
  readonly subscription: Subscription;
  readonly sourceName: string;
  readonly target: TargetDirectory;
  /** The caller's object id in the source directory. */
  readonly callerOid: Settled<string>;
  /** The caller's Owner-relevant assignments at or above the subscription (`atScope() and assignedTo(me)`). */
  readonly callerAssignments: Settled<readonly RoleAssignment[]>;
  /** Can the account get a token in the target directory? */
  readonly targetAccess: Settled<null>;
  readonly sourcePolicy: Settled<TenantPolicy>;
  /** undefined when the target cannot be read (no token there). */
  readonly targetPolicy: Settled<TenantPolicy> | undefined;
  readonly targetCallerOid: Settled<string> | undefined;
  readonly office365: Settled<Office365Verdict> | undefined;
}

const TITLES: Readonly<Record<CheckId, string>> = {
  'target-is-different': 'The target differs from the current directory',
  'subscription-active': 'The subscription is active',
  'offer-allows-move': 'The offer can change directory',
  'caller-is-owner': 'You are Owner of the subscription',
  'account-in-target': 'Your account is in the target directory',
  'source-policy-allows-leaving': 'The source directory lets subscriptions leave',
  'target-policy-allows-entering': 'The target directory lets subscriptions enter',
  'target-is-office365': 'The target is an Office 365 directory',
};

const IMMOVABLE_OFFERS: readonly { readonly prefix: string; readonly label: string }[] = [
  { prefix: 'CSP_', label: 'CSP' },
  { prefix: 'CSPDEVTEST_', label: 'CSP' },
  { prefix: 'Internal_', label: 'Microsoft Internal' },
  { prefix: 'DreamSpark_', label: 'Azure for Students Starter' },
];

const OFFER_NAMES: Readonly<Record<string, string>> = {
  PayAsYouGo: 'Pay-As-You-Go',
  MSDN: 'MSDN Platforms',
  MSDNDevTest: 'Visual Studio Dev/Test',
  EnterpriseAgreement: 'Enterprise Agreement / Microsoft Customer Agreement',
  FreeTrial: 'Free Trial',
  AzureForStudents: 'Azure for Students',
  CSP: 'CSP',
  CSPDEVTEST: 'CSP Dev/Test',
  CSP_MG: 'CSP',
  Internal: 'Microsoft Internal',
  DreamSpark: 'Azure for Students Starter',
};

/** A readable offer name from a quotaId such as `PayAsYouGo_2014-09-01`. */
export function offerName(quotaId: string | undefined): string {
  if (!quotaId) return 'unknown offer';
  const base = quotaId.replace(/_\d{4}-\d{2}-\d{2}$/, '');
  return OFFER_NAMES[base] ?? base;
}

const POLICY_PATH = 'Azure portal > Subscriptions > Manage policies';

function check(id: CheckId, status: CheckStatus, message: string, fix?: string, owner?: string): DetailedCheck {
  return { id, status, message, title: TITLES[id], ...(fix === undefined ? {} : { fix }), ...(owner === undefined ? {} : { owner }) };
}

function targetLabel(t: TargetDirectory): string {
  return t.displayName ?? t.defaultDomain ?? t.tenantId;
}

export function evaluateChecks(f: CheckFacts): DetailedCheck[] {
  return [
    targetIsDifferent(f),
    subscriptionActive(f.subscription),
    offerAllowsMove(f.subscription),
    callerIsOwner(f),
    accountInTarget(f),
    sourcePolicy(f),
    targetPolicy(f),
    targetIsOffice365(f),
  ];
}

function targetIsDifferent(f: CheckFacts): DetailedCheck {
  const tgt = targetLabel(f.target);
  if (f.subscription.tenantId.toLowerCase() !== f.target.tenantId.toLowerCase()) {
    return check('target-is-different', 'pass', `The subscription is in ${f.sourceName} and would move to ${tgt}.`);
  }
  return check('target-is-different', 'fail', `The subscription is already in ${tgt}; choose the Office 365 directory it should move to.`, 'Choose another target directory.', 'You');
}

function subscriptionActive(s: Subscription): DetailedCheck {
  const owner = 'Billing administrator';
  if (s.state === 'Enabled') return check('subscription-active', 'pass', 'The subscription is Enabled.');
  const fix = 'Reactivate the subscription or settle outstanding charges (it can take up to 24 hours after payment).';
  const message = `Subscription is ${s.state}; reactivate or settle billing before moving (${owner.toLowerCase()}).`;
  return check('subscription-active', s.state === 'Warned' || s.state === 'PastDue' ? 'warn' : 'fail', message, fix, owner);
}

function offerAllowsMove(s: Subscription): DetailedCheck {
  const quotaId = s.subscriptionPolicies?.quotaId;
  if (!quotaId) {
    return check('offer-allows-move', 'unknown', 'The offer could not be read (no quotaId); check it in the Azure portal: CSP, Microsoft Internal and Azure for Students Starter cannot move.');
  }
  const blocked = IMMOVABLE_OFFERS.find((o) => quotaId.toUpperCase().startsWith(o.prefix.toUpperCase()));
  if (blocked) {
    return check(
      'offer-allows-move',
      'fail',
      `This offer (${blocked.label}, ${quotaId}) can't change directory; use the partner or move the resources to another subscription (CSP partner or billing owner).`,
      'Ask the CSP partner to transfer it, or move the resources to a subscription that can change directory.',
      'CSP partner / billing owner',
    );
  }
  return check('offer-allows-move', 'pass', `The offer can move (${offerName(quotaId)}).`);
}

const OWNER_FIX = 'Ask an Owner or User Access Administrator to assign you Owner directly at subscription scope (activate PIM first; remove any condition).';
const OWNER_WHO = 'An Owner or User Access Administrator of the subscription (or a Global Administrator who elevates access)';
const OWNER_MESSAGE = 'You need Owner on this subscription, assigned directly (not through a group, PIM or a condition)';

function callerIsOwner(f: CheckFacts): DetailedCheck {
  if (!f.callerOid.ok) return check('caller-is-owner', 'unknown', `Could not tell whether you are Owner: your account could not be read in ${f.sourceName} (${reasonOf(f.callerOid.error)}).`);
  if (!f.callerAssignments.ok) return check('caller-is-owner', 'unknown', `Could not tell whether you are Owner: your role assignments could not be read (${reasonOf(f.callerAssignments.error)}).`);
  const oid = f.callerOid.value.toLowerCase();
  const owners = f.callerAssignments.value.filter((a) => roleDefinitionGuid(a.properties.roleDefinitionId) === BUILT_IN_ROLES.owner);
  const direct = owners.filter((a) => a.properties.principalId.toLowerCase() === oid);
  if (direct.some((a) => !a.properties.condition)) return check('caller-is-owner', 'pass', 'You are Owner of the subscription, assigned directly.');
  if (direct.length > 0) {
    return check('caller-is-owner', 'fail', `${OWNER_MESSAGE}: your Owner assignment has a condition; ask an Owner or User Access Administrator to remove it.`, OWNER_FIX, OWNER_WHO);
  }
  if (owners.length > 0) {
    return check('caller-is-owner', 'warn', `${OWNER_MESSAGE}: you are Owner only through a group; ask an Owner or User Access Administrator to assign it to you directly.`, OWNER_FIX, OWNER_WHO);
  }
  return check('caller-is-owner', 'fail', `${OWNER_MESSAGE}; ask an Owner or User Access Administrator of the subscription.`, OWNER_FIX, OWNER_WHO);
}

function accountInTarget(f: CheckFacts): DetailedCheck {
  const tgt = targetLabel(f.target);
  if (f.targetAccess.ok) return check('account-in-target', 'pass', `You can sign in to ${tgt} (member or redeemed guest).`);
  const e = f.targetAccess.error;
  const code = isAzureError(e) ? (e.code ?? '') : '';
  if (code === 'AADSTS50076' || code === 'AADSTS50079' || code === 'AADSTS50158') {
    return check('account-in-target', 'fail', `${tgt} requires MFA: sign in to the directory (MFA) directly with "Sign in to directory" (or az login --tenant ${f.target.tenantId}).`,
      `Sign in to ${tgt} interactively and complete multi-factor authentication.`, 'You (the target administrator sets up MFA)');
  }
  if (code === 'AADSTS90002') {
    return check('account-in-target', 'fail', `No directory ${f.target.tenantId} exists; check the tenant ID.`, 'Use the tenant ID or domain of the Office 365 directory.', 'You');
  }
  if (isAzureError(e, 'notSignedIn')) {
    return check('account-in-target', 'fail',
      `You aren't in the ${tgt} directory yet: ask its administrator for a guest invitation and accept it (Entra > Users > Invite external user).`,
      `Accept the guest invitation to ${tgt} (or sign in with an account of that directory), then check again.`, `A User Administrator of ${tgt}, and you`);
  }
  return check('account-in-target', 'unknown', `Could not tell whether you can sign in to ${tgt}: ${reasonOf(e)}.`);
}

interface PolicyDirection {
  readonly id: 'source-policy-allows-leaving' | 'target-policy-allows-entering';
  readonly directory: string;
  readonly policy: Settled<TenantPolicy> | undefined;
  readonly oid: Settled<string> | undefined;
  readonly blocked: (p: TenantPolicy) => boolean;
  readonly what: string;
}

function policyCheck(d: PolicyDirection): DetailedCheck {
  if (d.policy === undefined) {
    return check(d.id, 'unknown', `Could not read ${d.directory}'s subscription policy: sign in to ${d.directory} first.`);
  }
  if (!d.policy.ok) return check(d.id, 'unknown', `Could not read ${d.directory}'s subscription policy (${reasonOf(d.policy.error)}).`);
  const p = d.policy.value;
  if (!d.blocked(p)) return check(d.id, 'pass', `${d.directory}'s policy lets subscriptions ${d.what === 'leaving' ? 'leave' : 'enter'}.`);
  const oid = d.oid?.ok ? d.oid.value.toLowerCase() : undefined;
  if (oid !== undefined && (p.exemptedPrincipals ?? []).some((x) => x.toLowerCase() === oid)) {
    return check(d.id, 'pass', `${d.directory} blocks subscriptions ${d.what}, but you are exempted.`);
  }
  const owner = `A Global Administrator of ${d.directory} (direct assignment, after elevating access)`;
  return check(d.id, 'fail',
    `${d.directory} blocks subscriptions ${d.what} (the default since 1 May 2026) unless you are exempted; a Global Administrator of ${d.directory} must allow it or exempt you (${POLICY_PATH}).`,
    `In ${POLICY_PATH}, set "Subscriptions ${d.what === 'leaving' ? 'leaving' : 'entering'} a Microsoft Entra ID directory" to "Allow all users", or add you to Exempted users.`, owner);
}

function sourcePolicy(f: CheckFacts): DetailedCheck {
  return policyCheck({ id: 'source-policy-allows-leaving', directory: f.sourceName, policy: f.sourcePolicy, oid: f.callerOid, blocked: (p) => p.blockSubscriptionsLeavingTenant === true, what: 'leaving' });
}

function targetPolicy(f: CheckFacts): DetailedCheck {
  return policyCheck({ id: 'target-policy-allows-entering', directory: targetLabel(f.target), policy: f.targetPolicy, oid: f.targetCallerOid, blocked: (p) => p.blockSubscriptionsIntoTenant === true, what: 'entering' });
}

function targetIsOffice365(f: CheckFacts): DetailedCheck {
  const tgt = targetLabel(f.target);
  if (f.office365 === undefined) return check('target-is-office365', 'unknown', `Unknown whether ${tgt} is an Office 365 directory: sign in to it first.`);
  if (!f.office365.ok) return check('target-is-office365', 'unknown', `Unknown whether ${tgt} is an Office 365 directory (${reasonOf(f.office365.error)}).`);
  const v = f.office365.value;
  if (v.office365 === true) return check('target-is-office365', 'pass', `${tgt} is an Office 365 directory (${v.reason}).`);
  if (v.office365 === null) return check('target-is-office365', 'unknown', `Unknown whether ${tgt} is an Office 365 directory — ${v.reason.replace(/^Unknown — /, '')}.`);
  return check('target-is-office365', 'warn', `${tgt} does not look like an Office 365 directory (${v.reason}); make sure it is the directory with your Microsoft 365 users.`,
    'Choose the directory that holds your Microsoft 365 licences, if this is not it.', 'You');
}

async function settle<T>(p: Promise<T>, signal?: AbortSignal): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    if (signal?.aborted) throw e;
    return { ok: false, error: e };
  }
}

/** Reads everything the checks need, in parallel through the shared cache. */
export async function gatherCheckFacts(
  session: AzureSession,
  subscription: Subscription,
  sourceName: string,
  target: TargetDirectory,
  cache: PlanCache,
  signal?: AbortSignal,
): Promise<CheckFacts> {
  const source = subscription.tenantId;
  const callerOidP = cache.callerIn(source, signal).then((u) => u.id);
  const [callerOid, callerAssignments, targetAccess, sourcePolicyFact] = await Promise.all([
    settle(callerOidP, signal),
    settle(callerOidP.then((oid) => cache.run(() => session.arm.listRoleAssignments(source, subscription.subscriptionId, { kind: 'assignedTo', principalId: oid, atScope: true }, signal))), signal),
    settle(cache.tokenFor(target.tenantId, signal), signal),
    settle(cache.policy(source, signal), signal),
  ]);
  const sameDirectory = source.toLowerCase() === target.tenantId.toLowerCase();
  let targetPolicyFact: Settled<TenantPolicy> | undefined;
  let targetCallerOid: Settled<string> | undefined;
  let office365: Settled<Office365Verdict> | undefined;
  if (targetAccess.ok) {
    [targetPolicyFact, office365] = await Promise.all([
      sameDirectory ? sourcePolicyFact : settle(cache.policy(target.tenantId, signal), signal),
      settle(cache.office365Verdict(target.tenantId, signal), signal),
    ]);
    if (targetPolicyFact.ok && targetPolicyFact.value.blockSubscriptionsIntoTenant === true) {
      targetCallerOid = await settle(cache.callerIn(target.tenantId, signal).then((u) => u.id), signal);
    }
  }
  return { subscription, sourceName, target, callerOid, callerAssignments, targetAccess, sourcePolicy: sourcePolicyFact, targetPolicy: targetPolicyFact, targetCallerOid, office365 };
}
