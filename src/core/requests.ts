/**
 * Step 2 with two parties, over the preview changeTenantRequest API (Microsoft.Subscription, 2024-08-01-preview;
 * examples putTargetDirectory.json / acceptTargetDirectory.json in azure-rest-api-specs): the owner initiates naming
 * the acceptor (`destinationOwnerId`), the acceptor accepts with their own session, a request expires
 * (`expiresOn`, createdDate + 24 h in the published examples) and can be cancelled (DELETE). After the move only
 * the acceptor holds Owner, so step 3 must run as that account: `requireActingAccount` says so by name.
 */
import { isAzureError } from '../azure/errors';
import type { ChangeTenantRequestProperties, Subscription } from '../azure/models';
import type { AzureSession } from '../azure/session';
import { PlanCache } from './cache';
import type { Localize } from './l10n';
import { CoreError } from './plan';
import { Limiter } from './util';

import type { RequestState } from '../ids';

export type { RequestState } from '../ids';

export interface ChangeRequestInfo {
  readonly subscriptionId: string;
  readonly subscriptionName: string;
  readonly sourceTenantId: string;
  readonly destinationTenantId: string;
  /** Object id of the named acceptor (after acceptance: who accepted, when the service says). */
  readonly destinationOwnerId: string | null;
  readonly sourceOwnerEmail: string | null;
  readonly state: RequestState;
  readonly createdDate: string | null;
  readonly expiresOn: string | null;
  readonly acceptedDate: string | null;
}

/** `Initiated`/`Initialized` before `expiresOn` is pending; after it, expired; `Completed` is accepted. */
export function requestState(p: ChangeTenantRequestProperties, now: number): RequestState {
  if (p.status === 'Completed') return 'accepted';
  const expires = p.expiresOn === undefined ? NaN : Date.parse(p.expiresOn);
  return Number.isFinite(expires) && now > expires ? 'expired' : 'pending';
}

function info(sub: Subscription, p: ChangeTenantRequestProperties, now: number): ChangeRequestInfo {
  return {
    subscriptionId: sub.subscriptionId.toLowerCase(), subscriptionName: sub.displayName, sourceTenantId: (p.sourceTenantId ?? sub.tenantId).toLowerCase(),
    destinationTenantId: p.destinationTenantId.toLowerCase(), destinationOwnerId: p.destinationOwnerId?.toLowerCase() ?? null, sourceOwnerEmail: p.sourceOwnerEmail ?? null,
    state: requestState(p, now), createdDate: p.createdDate ?? null, expiresOn: p.expiresOn ?? null, acceptedDate: p.acceptedDate ?? null,
  };
}

/** The subscription's change request, or undefined when there is none. */
export async function changeRequestOf(session: AzureSession, sub: Subscription, options: { readonly now?: number; readonly signal?: AbortSignal } = {}): Promise<ChangeRequestInfo | undefined> {
  const r = await session.arm.getChangeTenantRequest(sub.tenantId, sub.subscriptionId, options.signal);
  return r === undefined ? undefined : info(sub, r.properties, options.now ?? Date.now());
}

/**
 * Change requests of the given subscriptions (default: every subscription the account can see), as the initiator
 * sees them. Subscriptions whose request could not be read are in `failures`, never silently dropped.
 */
export async function listChangeRequests(
  session: AzureSession,
  options: { readonly subscriptions?: readonly Subscription[]; readonly now?: number; readonly concurrency?: number; readonly signal?: AbortSignal; readonly cache?: PlanCache } = {},
): Promise<{ readonly requests: ChangeRequestInfo[]; readonly failures: Map<string, Error> }> {
  const cache = options.cache ?? new PlanCache(session);
  const subs = options.subscriptions ?? [...(await cache.subscriptionIndex(options.signal)).byId.values()];
  const limiter = new Limiter(options.concurrency ?? session.arm.concurrency);
  const failures = new Map<string, Error>();
  const found = await limiter.map(subs, async (sub) => {
    try {
      return await changeRequestOf(session, sub, options);
    } catch (e) {
      if (options.signal?.aborted || !(e instanceof Error)) throw e;
      failures.set(sub.subscriptionId, e);
      return undefined;
    }
  });
  return { requests: found.filter((r): r is ChangeRequestInfo => r !== undefined), failures };
}

/** Cancels the subscription's pending request (DELETE). Re-running is safe: `cancelled: false` when there was nothing to cancel. */
export async function cancelChangeRequest(session: AzureSession, sub: Subscription, l10n: Localize, signal?: AbortSignal): Promise<{ readonly cancelled: boolean; readonly request?: ChangeRequestInfo }> {
  const request = await changeRequestOf(session, sub, { signal });
  if (request === undefined) return { cancelled: false };
  if (request.state === 'accepted') throw new CoreError('refused', l10n.t('The change directory request for {0} was already accepted; there is nothing to cancel.', sub.displayName));
  await session.arm.cancelChangeTenant(sub.tenantId, sub.subscriptionId, signal);
  return { cancelled: true, request };
}

/** The acceptor's object id in the target, read with the acceptor's own session (which proves it is signed in there). */
export async function acceptorIdentity(acceptor: AzureSession, targetTenantId: string, signal?: AbortSignal): Promise<{ readonly objectId: string; readonly userPrincipalName: string | null }> {
  const me = await acceptor.graph(targetTenantId).me(signal);
  return { objectId: me.id.toLowerCase(), userPrincipalName: me.userPrincipalName ?? null };
}

/** Accepts the subscription's pending request with the acceptor's session (a token of the target directory). */
export async function acceptChangeRequest(acceptor: AzureSession, subscriptionId: string, targetTenantId: string, signal?: AbortSignal): Promise<void> {
  await acceptor.arm.acceptChangeTenant(targetTenantId, subscriptionId, signal);
}

/**
 * Before restoring as `session`: the subscription must answer to this account in the target. When it does not and
 * the move was accepted by another account, throws a CoreError naming that account (only it holds Owner now).
 * Returns quietly when the account can act; rethrows what it cannot explain.
 */
export async function requireActingAccount(session: AzureSession, subscriptionId: string, targetTenantId: string, l10n: Localize, signal?: AbortSignal): Promise<void> {
  let failure: unknown;
  try {
    await session.arm.getSubscription(targetTenantId, subscriptionId, signal);
    return;
  } catch (e) {
    if (!isAzureError(e, 'wrongTenant') && !isAzureError(e, 'notFound') && !isAzureError(e, 'forbidden')) throw e;
    failure = e;
  }
  const status = await session.arm.changeTenantStatus(targetTenantId, subscriptionId, signal).catch(() => undefined);
  const acceptorId = status?.status === 'Completed' ? status.destinationOwnerId?.toLowerCase() : undefined;
  const me = acceptorId === undefined ? undefined : await session.graph(targetTenantId).me(signal).catch(() => undefined);
  if (acceptorId === undefined || me === undefined || me.id.toLowerCase() === acceptorId) throw failure;
  const acceptor = await session.graph(targetTenantId).getUser(acceptorId, signal).catch(() => undefined);
  const who = acceptor?.mail ?? acceptor?.userPrincipalName ?? acceptorId;
  throw new CoreError('wrongAccount', l10n.t('{0} does not have access to subscription {1} in directory {2}: the move was accepted by {3}, and only that account holds Owner there now. Restore as {3} (or ask them to give {0} a role first).', session.account.label, subscriptionId, targetTenantId, who));
}
