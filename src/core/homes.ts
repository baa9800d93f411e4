/**
 * Where each listed subscription belongs. ARM answers `GET /subscriptions` for the token's directory, and that answer
 * can hold subscriptions whose `tenantId` is another directory: ones delegated to this directory (Azure Lighthouse,
 * `managedByTenants`; https://learn.microsoft.com/azure/lighthouse/concepts/cross-tenant-management-experience). Such
 * a subscription belongs under its home directory. When the account cannot list that home (not one of its
 * directories, or one it is not signed in to), the subscription is kept as "unreachable" — shown with where it was
 * seen and why it cannot be planned from here — never dropped.
 */
import { isAzureError, type AzureError } from '../azure/errors';
import type { Subscription } from '../azure/models';
import type { Localize } from './l10n';

/** Why a subscription cannot be planned from here. */
export const UNREACHABLE_REASONS = ['homeNotReachable', 'homeNotSignedIn', 'notListedAtHome'] as const;
export type UnreachableReason = (typeof UNREACHABLE_REASONS)[number];

export interface UnreachableSubscription {
  readonly subscription: Subscription;
  /** Directories whose listing returned it (never its home). */
  readonly seenIn: readonly string[];
  /**
   * `homeNotReachable`: its home is not one of the account's directories; `homeNotSignedIn`: it is, but could not be
   * read; `notListedAtHome`: its home was read and does not list it for this account (access only through the delegation).
   */
  readonly reason: UnreachableReason;
}

export interface SubscriptionsByHome {
  /** Subscriptions listed by their home directory (each once). */
  readonly subscriptions: Subscription[];
  /** Subscriptions seen only outside their home, whose home could not be listed or does not list them. */
  readonly unreachable: UnreachableSubscription[];
  /** Directories whose subscriptions could not be listed, with the error. */
  readonly failures: ReadonlyMap<string, AzureError>;
}

const lower = (s: string): string => s.toLowerCase();

/**
 * Sorts per-directory listings by home. `listed`: each listed directory's result in listing order; `isDirectory`:
 * whether a tenant id is one of the account's directories (a home that is one, but was not listed, is left to be
 * listed under it).
 */
export function sortByHome(listed: ReadonlyMap<string, readonly Subscription[] | AzureError>, isDirectory: (tenantId: string) => boolean): SubscriptionsByHome {
  const failures = new Map<string, AzureError>();
  const readOk = new Set<string>();
  for (const [id, r] of listed) {
    if (isAzureError(r)) failures.set(id, r);
    else readOk.add(lower(id));
  }
  const homed = new Map<string, Subscription>();
  const foreign = new Map<string, { subscription: Subscription; seenIn: string[] }>();
  for (const [id, r] of listed) {
    if (isAzureError(r)) continue;
    for (const s of r) {
      const key = lower(s.subscriptionId);
      if (lower(s.tenantId) === lower(id)) {
        if (!homed.has(key)) homed.set(key, s);
        continue;
      }
      const seen = foreign.get(key) ?? { subscription: s, seenIn: [] };
      seen.seenIn.push(id);
      foreign.set(key, seen);
    }
  }
  const failedHome = new Set([...failures.keys()].map(lower));
  const unreachable: UnreachableSubscription[] = [];
  for (const [key, f] of foreign) {
    if (homed.has(key)) continue;
    const home = lower(f.subscription.tenantId);
    if (readOk.has(home)) unreachable.push({ ...f, reason: 'notListedAtHome' });
    else if (failedHome.has(home)) unreachable.push({ ...f, reason: 'homeNotSignedIn' });
    else if (!isDirectory(home)) unreachable.push({ ...f, reason: 'homeNotReachable' });
  }
  return { subscriptions: [...homed.values()], unreachable, failures };
}

/** Why it cannot be planned from here, for people: where it was seen, whose it is, what to do. */
export function unreachableMessage(u: UnreachableSubscription, account: string, l10n: Localize, nameOf: (tenantId: string) => string = (t) => t): string {
  const home = u.subscription.tenantId;
  const seen = u.seenIn.map(nameOf).join(', ');
  if (u.reason === 'notListedAtHome') return l10n.t('Seen in {0}, but its home directory {1} does not list it for {2} (the access comes only through a delegation, e.g. Azure Lighthouse): its move can only be planned by an account that holds a role on it in {1}.', seen, nameOf(home), account);
  return u.reason === 'homeNotSignedIn'
    ? l10n.t('Seen in {0}, but its home directory {1} could not be read: sign in to {1} to plan its move.', seen, nameOf(home))
    : l10n.t('Seen in {0}, but its home directory {1} is not one of the directories {2} can reach (the subscription is delegated, e.g. through Azure Lighthouse): its move can only be planned by an account of {1}; sign in there.', seen, home, account);
}
