/**
 * What the account can reach: every directory with what it is (Office 365? signed in?) and the subscriptions whose
 * home it is. Directories load in parallel (bounded); each result is reported as soon as it arrives.
 */
import { isAzureError, isCancellation, type AzureError } from '../azure/errors';
import type { Subscription, Tenant } from '../azure/models';
import type { AzureSession } from '../azure/session';
import { describeError } from './describeError';
import type { Localize } from './l10n';
import { sortByHome, type SubscriptionsByHome } from './homes';
import { detectOffice365, office365Reason, type Office365Source } from './office365';

export interface DirectorySummary {
  readonly tenantId: string;
  readonly displayName: string | null;
  readonly defaultDomain: string | null;
  readonly domains: readonly string[];
  readonly category: string | null;
  /** Can the account get a token there without interaction? (false: MFA, conditional access, guest not redeemed…) */
  readonly signedIn: boolean;
  /**
   * The directory needs its own sign-in: decided here, by `describeError`, and only for sign-in errors (not a member,
   * MFA, interaction required). Any other failure (a Graph 500, a network error) leaves this false and sets `error`.
   */
  readonly needsSignIn: boolean;
  readonly office365: boolean | null;
  /** Why `office365` is what it is, worded by the `l10n` given to `describeDirectory`. */
  readonly office365Reason: string;
  /** The Graph reads that decided `office365` (see office365.ts); empty or absent when none could be read. */
  readonly office365Sources?: readonly Office365Source[];
  /** Why the directory could not be (fully) read, when it could not. */
  readonly error?: string;
}

function baseOf(tenant: Tenant): Pick<DirectorySummary, 'tenantId' | 'displayName' | 'defaultDomain' | 'domains' | 'category'> {
  return {
    tenantId: tenant.tenantId,
    displayName: tenant.displayName ?? null,
    defaultDomain: tenant.defaultDomain ?? null,
    domains: tenant.domains ?? [],
    category: tenant.tenantCategory ?? null,
  };
}

/**
 * What one directory is. Never throws (except on cancellation): a failure is part of the answer, and only a sign-in
 * failure makes the directory "needs sign-in".
 */
export async function describeDirectory(session: AzureSession, tenant: Tenant, l10n: Localize, signal?: AbortSignal): Promise<DirectorySummary> {
  const base = baseOf(tenant);
  try {
    await session.auth.getToken({ account: session.account, tenantId: tenant.tenantId, resource: 'arm', signal });
  } catch (e) {
    if (isCancellation(e)) throw e;
    const d = describeError(e, l10n);
    return {
      ...base,
      signedIn: false,
      needsSignIn: d.needsSignIn,
      office365: null,
      office365Reason: d.needsSignIn ? l10n.t('Unknown — sign in to this directory first') : l10n.t('Unknown — the directory could not be read'),
      error: d.message,
    };
  }
  const graph = session.graph(tenant.tenantId);
  try {
    const verdict = await detectOffice365({ subscribedSkus: () => graph.subscribedSkus(signal), organization: () => graph.organization(signal) });
    return {
      ...base,
      signedIn: true,
      needsSignIn: false,
      office365: verdict.office365,
      office365Reason: office365Reason(verdict.basis, l10n),
      office365Sources: verdict.sources,
    };
  } catch (e) {
    if (isCancellation(e)) throw e;
    return { ...base, signedIn: true, needsSignIn: false, office365: null, office365Reason: l10n.t('Unknown — the directory could not be read'), error: describeError(e, l10n).message };
  }
}

/**
 * Every reachable directory, described in parallel (at most `session.arm.concurrency` at once). `onListed` gets the
 * directories in the order Azure lists them, before any is described; `onDirectory` gets each one as soon as it is
 * known, failures included.
 */
export async function describeDirectories(
  session: AzureSession,
  l10n: Localize,
  options: {
    readonly signal?: AbortSignal;
    readonly onListed?: (tenants: readonly Tenant[]) => void;
    readonly onDirectory?: (d: DirectorySummary) => void;
  } = {},
): Promise<DirectorySummary[]> {
  const tenants = await session.listDirectories(options.signal);
  options.onListed?.(tenants);
  const results = await session.arm.fanOut(
    tenants.map((t) => t.tenantId),
    async (id) => {
      const tenant = tenants.find((t) => t.tenantId === id) ?? { tenantId: id };
      const summary = await describeDirectory(session, tenant, l10n, options.signal);
      options.onDirectory?.(summary);
      return summary;
    },
    undefined,
    options.signal,
  );
  return tenants.map((t) => {
    const r = results.get(t.tenantId);
    if (r === undefined || isAzureError(r)) {
      return { ...baseOf(t), signedIn: false, needsSignIn: false, office365: null, office365Reason: l10n.t('Unknown — the directory could not be read'), error: r?.message };
    }
    return r;
  });
}

export type { SubscriptionsByHome, UnreachableSubscription } from './homes';

/**
 * Subscriptions homed in the given directories (or every reachable one). ARM lists a token's directory only, so each
 * directory gets its own call; a subscription shows under its home directory once, and one seen only outside a home
 * the account cannot list is kept in `unreachable` with why (homes.ts).
 */
export async function listSubscriptions(
  session: AzureSession,
  tenantIds?: readonly string[],
  options: {
    readonly signal?: AbortSignal;
    readonly onDirectory?: (tenantId: string, result: Subscription[] | AzureError) => void;
    /** The account's directories, when the caller has them already. */
    readonly directories?: readonly Tenant[];
  } = {},
): Promise<SubscriptionsByHome> {
  const directories = options.directories ?? (tenantIds === undefined ? await session.listDirectories(options.signal) : undefined);
  const ids = tenantIds ?? (directories ?? []).map((t) => t.tenantId);
  const results = await session.arm.listSubscriptionsInTenants(ids, options.onDirectory, options.signal);
  const listed = new Map(ids.flatMap((id) => { const r = results.get(id); return r === undefined ? [] : [[id, r] as const]; }));
  const foreignHomes = [...listed.values()].some((r) => !isAzureError(r) && r.some((s) => !ids.some((id) => id.toLowerCase() === s.tenantId.toLowerCase())));
  const known = new Set((directories ?? (foreignHomes ? await session.listDirectories(options.signal) : [])).map((t) => t.tenantId.toLowerCase()));
  return sortByHome(listed, (id) => known.has(id));
}
