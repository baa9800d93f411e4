/**
 * Step 2, the change itself. By default a hand-off to the Azure portal (the subscription opened in its source
 * directory, with the exact steps); experimentally, the preview changeTenantRequest API (azure-rest-api-specs: Microsoft.Subscription/Subscription/preview/2025-11-01-preview/subscriptions.json):
 * initiate with a source token, accept with a target token when the same account is an administrator there, then
 * `trackMove` polls with back-off until the subscription answers to a target-directory token.
 */
import { portalSubscriptionUrl, type Cloud } from '../azure/clouds';
import { isAzureError } from '../azure/errors';
import type { ChangeTenantRequest, Subscription } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { TrackStatus } from '../ids';
import type { Localize } from './l10n';
import { backoffDelay, reasonOf, sleep as realSleep, type Sleep } from './util';

export interface PortalHandoff {
  /** The subscription opened in its source directory. */
  readonly url: string;
  readonly steps: readonly string[];
}

/** The portal URL and the steps, worded by `l10n`. */
export function portalHandoff(
  cloud: Cloud,
  subscription: { readonly id: string; readonly name: string; readonly tenantId: string },
  target: { readonly tenantId: string; readonly displayName: string | null },
  l10n: Localize,
): PortalHandoff {
  const targetName = target.displayName ? `${target.displayName} (${target.tenantId})` : target.tenantId;
  return {
    url: portalSubscriptionUrl(cloud, subscription.tenantId, subscription.id),
    steps: [
      l10n.t('Open the subscription "{0}" in the Azure portal, signed in to its current directory.', subscription.name),
      l10n.t('On the Overview page, select Change directory.'),
      l10n.t('Read the warnings: role assignments, custom roles and managed identities do not move.'),
      l10n.t('Choose the destination directory {0} and select Change (or, in the two-party form, send the request to an administrator of that directory and have them select Accept).', targetName),
      target.displayName
        ? l10n.t('Switch to {0} (account menu > Switch directory); it can take several hours for everything to show up.', target.displayName)
        : l10n.t('Switch to the new directory (account menu > Switch directory); it can take several hours for everything to show up.'),
      l10n.t('Come back here: we watch for the subscription and then restore access from the snapshot.'),
    ],
  };
}

export interface ChangeResult {
  readonly request: ChangeTenantRequest;
  /** Did this account also accept the request (it is an administrator in the target)? */
  readonly accepted: boolean;
  /** Why it was not accepted here (someone in the target must accept). */
  readonly acceptNote?: string;
}

/**
 * Initiates the change (source token). When `accept` is true or `'auto'` and the account is a Global Administrator
 * of the target, accepts it too (target token). `destinationOwner`: object id or mail of the acceptor; by default
 * the account's own object id in the target. `l10n` words the note on why it was not accepted.
 */
export async function changeDirectory(
  session: AzureSession,
  subscription: Subscription,
  targetTenantId: string,
  l10n: Localize,
  options: {
    readonly destinationOwner?: string;
    readonly accept?: boolean | 'auto';
    readonly signal?: AbortSignal;
    /** A request already made (by an interrupted run): accept it instead of making another. */
    readonly existing?: ChangeTenantRequest;
  } = {},
): Promise<ChangeResult> {
  const signal = options.signal;
  const graph = session.graph(targetTenantId);
  const request = options.existing
    ?? await session.arm.initiateChangeTenant(subscription.tenantId, subscription.subscriptionId, targetTenantId, options.destinationOwner ?? (await graph.me(signal)).id, signal);
  const mode = options.accept ?? 'auto';
  if (mode === false) return { request, accepted: false, acceptNote: l10n.t('An administrator of the target directory must accept the request.') };
  if (mode === 'auto') {
    let unreadable: string | undefined;
    const admin = await graph.isGlobalAdministrator(signal).catch((e: unknown) => {
      if (signal?.aborted) throw e;
      unreadable = reasonOf(e);
      return false;
    });
    if (!admin) {
      const acceptNote = unreadable
        ? l10n.t('Could not tell whether {0} is a Global Administrator of the target directory ({1}): one of its Global Administrators must accept the request (Azure portal > Subscriptions).', session.account.label, unreadable)
        : l10n.t('{0} is not a Global Administrator of the target directory: one of its Global Administrators must accept the request (Azure portal > Subscriptions).', session.account.label);
      return { request, accepted: false, acceptNote };
    }
  }
  try {
    await session.arm.acceptChangeTenant(targetTenantId, subscription.subscriptionId, signal);
    return { request, accepted: true };
  } catch (e) {
    if (signal?.aborted || mode === true) throw e;
    return { request, accepted: false, acceptNote: l10n.t('Could not accept here ({0}); an administrator of the target directory must accept the request.', reasonOf(e)) };
  }
}

export type { TrackStatus } from '../ids';

export interface TrackProgress {
  readonly attempts: number;
  /** Epoch ms of the next check; null when done. */
  readonly nextCheckAt: number | null;
  readonly status: TrackStatus;
  /** Why the last check did not see it yet. */
  readonly lastReason?: string;
}

/** A directory change being waited for: what `PendingMoves` persists across window reloads. */
export interface PendingMove {
  readonly subscriptionId: string;
  readonly subscriptionName: string;
  readonly sourceTenantId: string;
  readonly targetTenantId: string;
  readonly targetName: string;
  /** The account that watches (the tree's account id). */
  readonly accountKey: string;
  readonly since: string;
}

export interface TrackOptions {
  readonly signal?: AbortSignal;
  readonly sleep?: Sleep;
  readonly now?: () => number;
  /** First wait between checks (default 5 s), doubled each time up to `maxDelayMs` (default 60 s). */
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Give up after this long (default 2 h: "it can take several hours"). */
  readonly timeoutMs?: number;
  readonly onProgress?: (p: TrackProgress) => void;
}

export interface TrackResult extends TrackProgress {
  readonly subscription?: Subscription;
}

/** Errors that mean "not there yet": the old directory's view, or not propagated. */
function notYet(e: unknown): boolean {
  return isAzureError(e, 'wrongTenant') || isAzureError(e, 'notFound') || isAzureError(e, 'unauthorized') || isAzureError(e, 'forbidden');
}

/** Polls until `getSubscription` with a token for the target answers with `tenantId === target`. */
export async function trackMove(session: AzureSession, subscriptionId: string, targetTenantId: string, options: TrackOptions = {}): Promise<TrackResult> {
  const wait = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const initial = options.initialDelayMs ?? 5_000;
  const max = options.maxDelayMs ?? 60_000;
  const deadline = now() + (options.timeoutMs ?? 2 * 3600_000);
  const target = targetTenantId.toLowerCase();
  let lastReason: string | undefined;
  for (let attempts = 1; ; attempts++) {
    if (options.signal?.aborted) return { attempts: attempts - 1, nextCheckAt: null, status: 'cancelled', ...(lastReason ? { lastReason } : {}) };
    try {
      const sub = await session.arm.getSubscription(target, subscriptionId, options.signal);
      if (sub.tenantId.toLowerCase() === target) {
        const done: TrackResult = { attempts, nextCheckAt: null, status: 'seen', subscription: sub };
        options.onProgress?.(done);
        return done;
      }
      lastReason = `the subscription still reports directory ${sub.tenantId}`;
    } catch (e) {
      if (options.signal?.aborted) return { attempts, nextCheckAt: null, status: 'cancelled' };
      if (!notYet(e)) throw e;
      lastReason = reasonOf(e);
    }
    const delay = backoffDelay(attempts, initial, max);
    if (now() + delay > deadline) {
      const out: TrackResult = { attempts, nextCheckAt: null, status: 'timedOut', ...(lastReason ? { lastReason } : {}) };
      options.onProgress?.(out);
      return out;
    }
    options.onProgress?.({ attempts, nextCheckAt: now() + delay, status: 'waiting', ...(lastReason ? { lastReason } : {}) });
    try {
      await wait(delay, options.signal);
    } catch (e) {
      if (options.signal?.aborted) return { attempts, nextCheckAt: null, status: 'cancelled', ...(lastReason ? { lastReason } : {}) };
      throw e;
    }
  }
}
