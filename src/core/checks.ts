/**
 * The eight pre-flight checks (https://learn.microsoft.com/azure/cost-management-billing/manage/subscription-change-directory,
 * https://learn.microsoft.com/azure/cost-management-billing/manage/manage-azure-subscription-policy). Facts are gathered first (each may be a
 * value or the error that stopped us reading it), then judged by pure functions, so every message — with its fix and
 * who can apply it — comes from one place. "Unknown" is never "no": an unreadable fact gives `unknown` with why.
 */
import type { Localize } from './l10n';
import { isAzureError } from '../azure/errors';
import { BUILT_IN_ROLES, roleDefinitionGuid, type RoleAssignment, type Subscription, type TenantPolicy } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { PlanCache } from './cache';
import { isMfaError } from './describeError';
import { office365Reason, type Office365Verdict } from './office365';
import { reasonOf } from './util';

import type { CheckId, CheckStatus } from '../ids';

export { CHECK_IDS, type CheckId, type CheckStatus } from '../ids';

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

function titles(l10n: Localize): Readonly<Record<CheckId, string>> {
  return {
    'target-is-different': l10n.t('The target differs from the current directory'),
    'subscription-active': l10n.t('The subscription is active'),
    'offer-allows-move': l10n.t('The offer can change directory'),
    'caller-is-owner': l10n.t('You are Owner of the subscription'),
    'account-in-target': l10n.t('Your account is in the target directory'),
    'source-policy-allows-leaving': l10n.t('The source directory lets subscriptions leave'),
    'target-policy-allows-entering': l10n.t('The target directory lets subscriptions enter'),
    'target-is-office365': l10n.t('The target is an Office 365 directory'),
  };
}

const IMMOVABLE_OFFERS: readonly { readonly prefix: string; readonly label: string }[] = [
  { prefix: 'CSP_', label: 'CSP' },
  { prefix: 'CSPDEVTEST_', label: 'CSP' },
  { prefix: 'Internal_', label: 'Microsoft Internal' },
  { prefix: 'DreamSpark_', label: 'Azure for Students Starter' },
];

/** The offer that cannot change directory (CSP, Microsoft Internal, Azure for Students Starter), if this is one. */
export function immovableOffer(quotaId: string | undefined): { readonly prefix: string; readonly label: string } | undefined {
  const q = (quotaId ?? '').toUpperCase();
  return q ? IMMOVABLE_OFFERS.find((o) => q.startsWith(o.prefix.toUpperCase())) : undefined;
}

/** Why the offer cannot change directory (failure-modes wording, the check's message), or undefined when it can. */
export function immovableOfferMessage(quotaId: string | undefined, l10n: Localize): string | undefined {
  const blocked = immovableOffer(quotaId);
  return blocked && l10n.t('This offer ({0}, {1}) can\'t change directory; use the partner or move the resources to another subscription (CSP partner or billing owner).', blocked.label, quotaId ?? '');
}

/** Offer names by quotaId without its date (`PayAsYouGo_2014-09-01` → `PayAsYouGo`). */
function offerNames(l10n: Localize): ReadonlyMap<string, string> {
  return new Map([
    ['PayAsYouGo', l10n.t('Pay-As-You-Go')],
    ['MSDN', l10n.t('MSDN Platforms')],
    ['MSDNDevTest', l10n.t('Visual Studio Dev/Test')],
    ['EnterpriseAgreement', l10n.t('Enterprise Agreement / Microsoft Customer Agreement')],
    ['FreeTrial', l10n.t('Free Trial')],
    ['AzureForStudents', l10n.t('Azure for Students')],
    ['CSP', l10n.t('CSP')],
    ['CSPDEVTEST', l10n.t('CSP Dev/Test')],
    ['CSP_MG', l10n.t('CSP')],
    ['Internal', l10n.t('Microsoft Internal')],
    ['DreamSpark', l10n.t('Azure for Students Starter')],
  ]);
}

/**
 * A readable offer name from a quotaId such as `PayAsYouGo_2014-09-01`, for the offer check, the tree and the wizard.
 * Other versions of the offers that cannot move are named after the offer; any other quotaId shows without its date.
 */
export function offerName(quotaId: string | undefined, l10n: Localize): string {
  if (!quotaId) return l10n.t('Unknown offer');
  const names = offerNames(l10n);
  const base = quotaId.replace(/_\d{4}-\d{2}-\d{2}$/, '');
  const immovable = immovableOffer(quotaId);
  return names.get(base) ?? (immovable ? names.get(immovable.prefix.replace(/_$/, '')) : undefined) ?? base;
}

type Make = (id: CheckId, status: CheckStatus, message: string, fix?: string, owner?: string) => DetailedCheck;

function maker(l10n: Localize): Make {
  const t = titles(l10n);
  return (id, status, message, fix, owner) => ({ id, status, message, title: t[id], ...(fix === undefined ? {} : { fix }), ...(owner === undefined ? {} : { owner }) });
}

function targetLabel(t: TargetDirectory): string {
  return t.displayName ?? t.defaultDomain ?? t.tenantId;
}

/** The eight checks, in the contract's order. `l10n`: `vscode.l10n` in the extension, `english` elsewhere. */
export function evaluateChecks(f: CheckFacts, l10n: Localize): DetailedCheck[] {
  const check = maker(l10n);
  return [
    targetIsDifferent(f, check, l10n),
    subscriptionActive(f.subscription, check, l10n),
    offerAllowsMove(f.subscription, check, l10n),
    callerIsOwner(f, check, l10n),
    accountInTarget(f, check, l10n),
    policyCheck({ id: 'source-policy-allows-leaving', directory: f.sourceName, policy: f.sourcePolicy, oid: f.callerOid, blocked: (p) => p.blockSubscriptionsLeavingTenant === true, leaving: true }, check, l10n),
    policyCheck({ id: 'target-policy-allows-entering', directory: targetLabel(f.target), policy: f.targetPolicy, oid: f.targetCallerOid, blocked: (p) => p.blockSubscriptionsIntoTenant === true, leaving: false }, check, l10n),
    targetIsOffice365(f, check, l10n),
  ];
}

function targetIsDifferent(f: CheckFacts, check: Make, l10n: Localize): DetailedCheck {
  const tgt = targetLabel(f.target);
  if (f.subscription.tenantId.toLowerCase() !== f.target.tenantId.toLowerCase()) {
    return check('target-is-different', 'pass', l10n.t('The subscription is in {0} and would move to {1}.', f.sourceName, tgt));
  }
  return check('target-is-different', 'fail', l10n.t('The subscription is already in {0}; choose the Office 365 directory it should move to.', tgt), l10n.t('Choose another target directory.'), l10n.t('You'));
}

function subscriptionActive(s: Subscription, check: Make, l10n: Localize): DetailedCheck {
  if (s.state === 'Enabled') return check('subscription-active', 'pass', l10n.t('The subscription is Enabled.'));
  const fix = l10n.t('Reactivate the subscription or settle outstanding charges (it can take up to 24 hours after payment).');
  const message = l10n.t('Subscription is {0}; reactivate or settle billing before moving (billing administrator).', s.state);
  return check('subscription-active', s.state === 'Warned' || s.state === 'PastDue' ? 'warn' : 'fail', message, fix, l10n.t('Billing administrator'));
}

function offerAllowsMove(s: Subscription, check: Make, l10n: Localize): DetailedCheck {
  const quotaId = s.subscriptionPolicies?.quotaId;
  if (!quotaId) {
    return check('offer-allows-move', 'unknown', l10n.t('The offer could not be read (no quotaId); check it in the Azure portal: CSP, Microsoft Internal and Azure for Students Starter cannot move.'));
  }
  const blocked = immovableOfferMessage(quotaId, l10n);
  if (blocked !== undefined) {
    return check(
      'offer-allows-move',
      'fail',
      blocked,
      l10n.t('Ask the CSP partner to transfer it, or move the resources to a subscription that can change directory.'),
      l10n.t('CSP partner / billing owner'),
    );
  }
  return check('offer-allows-move', 'pass', l10n.t('The offer can move ({0}).', offerName(quotaId, l10n)));
}

function callerIsOwner(f: CheckFacts, check: Make, l10n: Localize): DetailedCheck {
  const fix = l10n.t('Ask an Owner or User Access Administrator to assign you Owner directly at subscription scope (activate PIM first; remove any condition).');
  const who = l10n.t('An Owner or User Access Administrator of the subscription (or a Global Administrator who elevates access)');
  if (!f.callerOid.ok) return check('caller-is-owner', 'unknown', l10n.t('Could not tell whether you are Owner: your account could not be read in {0} ({1}).', f.sourceName, reasonOf(f.callerOid.error)));
  if (!f.callerAssignments.ok) return check('caller-is-owner', 'unknown', l10n.t('Could not tell whether you are Owner: your role assignments could not be read ({0}).', reasonOf(f.callerAssignments.error)));
  const oid = f.callerOid.value.toLowerCase();
  const owners = f.callerAssignments.value.filter((a) => roleDefinitionGuid(a.properties.roleDefinitionId) === BUILT_IN_ROLES.owner);
  const direct = owners.filter((a) => a.properties.principalId.toLowerCase() === oid);
  if (direct.some((a) => !a.properties.condition)) return check('caller-is-owner', 'pass', l10n.t('You are Owner of the subscription, assigned directly.'));
  if (direct.length > 0) {
    return check('caller-is-owner', 'fail', l10n.t('You need Owner on this subscription, assigned directly (not through a group, PIM or a condition): your Owner assignment has a condition; ask an Owner or User Access Administrator to remove it.'), fix, who);
  }
  if (owners.length > 0) {
    return check('caller-is-owner', 'warn', l10n.t('You need Owner on this subscription, assigned directly (not through a group, PIM or a condition): you are Owner only through a group; ask an Owner or User Access Administrator to assign it to you directly.'), fix, who);
  }
  return check('caller-is-owner', 'fail', l10n.t('You need Owner on this subscription, assigned directly (not through a group, PIM or a condition); ask an Owner or User Access Administrator of the subscription.'), fix, who);
}

function accountInTarget(f: CheckFacts, check: Make, l10n: Localize): DetailedCheck {
  const tgt = targetLabel(f.target);
  if (f.targetAccess.ok) return check('account-in-target', 'pass', l10n.t('You can sign in to {0} (member or redeemed guest).', tgt));
  const e = f.targetAccess.error;
  const code = isAzureError(e) ? (e.code ?? '') : '';
  if (isMfaError(e)) {
    return check('account-in-target', 'fail', l10n.t('{0} requires MFA: sign in to the directory (MFA) directly with "Sign in to directory" (or az login --tenant {1}).', tgt, f.target.tenantId),
      l10n.t('Sign in to {0} interactively and complete multi-factor authentication.', tgt), l10n.t('You (the target administrator sets up MFA)'));
  }
  if (code === 'AADSTS90002') {
    return check('account-in-target', 'fail', l10n.t('No directory {0} exists; check the tenant ID.', f.target.tenantId), l10n.t('Use the tenant ID or domain of the Office 365 directory.'), l10n.t('You'));
  }
  if (isAzureError(e, 'notSignedIn')) {
    return check('account-in-target', 'fail',
      l10n.t('You aren\'t in the {0} directory yet: ask its administrator for a guest invitation and accept it (Entra > Users > Invite external user).', tgt),
      l10n.t('Accept the guest invitation to {0} (or sign in with an account of that directory), then check again.', tgt), l10n.t('A User Administrator of {0}, and you', tgt));
  }
  return check('account-in-target', 'unknown', l10n.t('Could not tell whether you can sign in to {0}: {1}.', tgt, reasonOf(e)));
}

interface PolicyDirection {
  readonly id: 'source-policy-allows-leaving' | 'target-policy-allows-entering';
  readonly directory: string;
  readonly policy: Settled<TenantPolicy> | undefined;
  readonly oid: Settled<string> | undefined;
  readonly blocked: (p: TenantPolicy) => boolean;
  readonly leaving: boolean;
}

function policyCheck(d: PolicyDirection, check: Make, l10n: Localize): DetailedCheck {
  if (d.policy === undefined) {
    return check(d.id, 'unknown', l10n.t('Could not read {0}\'s subscription policy: sign in to {0} first.', d.directory));
  }
  if (!d.policy.ok) return check(d.id, 'unknown', l10n.t('Could not read {0}\'s subscription policy ({1}).', d.directory, reasonOf(d.policy.error)));
  const p = d.policy.value;
  if (!d.blocked(p)) return check(d.id, 'pass', d.leaving ? l10n.t('{0}\'s policy lets subscriptions leave.', d.directory) : l10n.t('{0}\'s policy lets subscriptions enter.', d.directory));
  const oid = d.oid?.ok ? d.oid.value.toLowerCase() : undefined;
  if (oid !== undefined && (p.exemptedPrincipals ?? []).some((x) => x.toLowerCase() === oid)) {
    return check(d.id, 'pass', d.leaving ? l10n.t('{0} blocks subscriptions leaving, but you are exempted.', d.directory) : l10n.t('{0} blocks subscriptions entering, but you are exempted.', d.directory));
  }
  const owner = l10n.t('A Global Administrator of {0} (direct assignment, after elevating access)', d.directory);
  const policyPath = l10n.t('Azure portal > Subscriptions > Manage policies');
  const message = d.leaving
    ? l10n.t('{0} blocks subscriptions leaving (the default since 1 May 2026) unless you are exempted; a Global Administrator of {0} must allow it or exempt you ({1}).', d.directory, policyPath)
    : l10n.t('{0} blocks subscriptions entering (the default since 1 May 2026) unless you are exempted; a Global Administrator of {0} must allow it or exempt you ({1}).', d.directory, policyPath);
  const fix = d.leaving
    ? l10n.t('In {0}, set "Subscriptions leaving a Microsoft Entra ID directory" to "Allow all users", or add you to Exempted users.', policyPath)
    : l10n.t('In {0}, set "Subscriptions entering a Microsoft Entra ID directory" to "Allow all users", or add you to Exempted users.', policyPath);
  return check(d.id, 'fail', message, fix, owner);
}

function targetIsOffice365(f: CheckFacts, check: Make, l10n: Localize): DetailedCheck {
  const tgt = targetLabel(f.target);
  if (f.office365 === undefined) return check('target-is-office365', 'unknown', l10n.t('Unknown whether {0} is an Office 365 directory: sign in to it first.', tgt));
  if (!f.office365.ok) return check('target-is-office365', 'unknown', l10n.t('Unknown whether {0} is an Office 365 directory ({1}).', tgt, reasonOf(f.office365.error)));
  const v = f.office365.value;
  if (v.office365 === true) return check('target-is-office365', 'pass', l10n.t('{0} is an Office 365 directory ({1}).', tgt, office365Reason(v.basis, l10n)));
  if (v.office365 === null) return check('target-is-office365', 'unknown', l10n.t('Unknown whether {0} is an Office 365 directory — needs Organization.Read.All.', tgt));
  return check('target-is-office365', 'warn', l10n.t('{0} does not look like an Office 365 directory ({1}); make sure it is the directory with your Microsoft 365 users.', tgt, office365Reason(v.basis, l10n)),
    l10n.t('Choose the directory that holds your Microsoft 365 licences, if this is not it.'), l10n.t('You'));
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
