/**
 * Directory change requests below their subscription in the tree, read from Azure (the preview changeTenantRequest
 * API: the request lives there, so it survives a window reload and shows a request made by the CLI or in another
 * window). A pending row counts down to its expiry (`expiresOn`, createdDate + 24 h in Microsoft's
 * putTargetDirectory.json example) and turns into "expired" when it passes; a request cancelled here stays visible as
 * "cancelled" for the rest of the session, so the cancel has a clear end state. Reading a request that fails (no
 * Owner, the preview API refused) shows no row and is logged: the request is an annotation, not the subscription.
 */
import type * as vscode from 'vscode';
import type { Subscription } from '../azure/models';
import type { AzureSession } from '../azure/session';
import { changeRequestOf, type ChangeRequestInfo } from '../core/requests';
import type { ShownRequestState } from '../ids';
import { Limiter } from '../core/util';
import { immovableOffer } from '../core/checks';

export interface ChangeRequestRow {
  readonly request: ChangeRequestInfo;
  readonly state: ShownRequestState;
  /** The time the row was worded at (for "expires in …"). */
  readonly now: number;
}

/** A countdown is re-worded at least this often, and the row re-read when the request expires. */
const REWORD_MS = 60 * 60_000;

export class ChangeRequests implements vscode.Disposable {
  private readonly found = new Map<string, ChangeRequestInfo>();
  /** Cancelled in this window: kept across refreshes until the subscription has a request again. */
  private readonly cancelled = new Map<string, ChangeRequestInfo>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    private readonly onChange: () => void,
    private readonly onError: (e: unknown) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Forgets what was read (a refresh); cancellations stay. */
  clear(): void {
    this.found.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Reads the request of each subscription that could move (in the background; `onChange` when one is found). */
  async load(session: AzureSession, subscriptions: readonly Subscription[], isCurrent: () => boolean): Promise<void> {
    const movable = subscriptions.filter((s) => s.state === 'Enabled' && immovableOffer(s.subscriptionPolicies?.quotaId) === undefined);
    const limiter = new Limiter(session.arm.concurrency);
    const found = await limiter.map(movable, async (sub) => {
      try {
        const request = await changeRequestOf(session, sub, { now: this.clock() });
        if (request === undefined || !isCurrent()) return false;
        this.found.set(request.subscriptionId, request);
        this.cancelled.delete(request.subscriptionId);
        this.schedule(request);
        return true;
      } catch (e) {
        this.onError(e);
        return false;
      }
    });
    if (found.some(Boolean) && isCurrent()) this.onChange();
  }

  /** The row for a subscription, worded now; undefined when it has no request. */
  row(subscriptionId: string): ChangeRequestRow | undefined {
    const key = subscriptionId.toLowerCase();
    const now = this.clock();
    const request = this.found.get(key);
    if (request) {
      const expires = request.expiresOn === null ? NaN : Date.parse(request.expiresOn);
      return { request, state: request.state === 'pending' && Number.isFinite(expires) && now > expires ? 'expired' : request.state, now };
    }
    const cancelled = this.cancelled.get(key);
    return cancelled ? { request: cancelled, state: 'cancelled', now } : undefined;
  }

  /** After a cancel: the row says "cancelled" until the subscription has a request again. */
  markCancelled(request: ChangeRequestInfo): void {
    this.found.delete(request.subscriptionId);
    this.cancelled.set(request.subscriptionId, request);
    this.onChange();
  }

  private schedule(request: ChangeRequestInfo): void {
    if (request.state !== 'pending' || request.expiresOn === null) return;
    const left = Date.parse(request.expiresOn) - this.clock();
    if (!Number.isFinite(left) || left < 0) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.onChange();
      this.schedule(request);
    }, Math.min(left + 1000, REWORD_MS));
    this.timers.add(t);
  }

  dispose(): void {
    this.clear();
  }
}
