/**
 * Directory changes we are waiting for: the only store of move state (wizards read it, they keep no copy). Tracking
 * lives here, not in a panel: it survives closing the wizard, and the pending list is persisted (globalState) so it
 * resumes after a window reload. The last outcome (seen, cancelled, timed out) is kept until the next watch of that
 * subscription. When the subscription answers in the target directory, the user is told — with a way back to step 3.
 */
import * as vscode from 'vscode';
import type { AzureSession } from '../azure/session';
import { trackMove, type PendingMove, type TrackProgress } from '../core/changeDirectory';
import type { Log } from './log';

export type { PendingMove };

const STATE_KEY = 'azureTenantLink.pendingMoves';

interface Watch {
  readonly move: PendingMove;
  readonly abort: AbortController;
  progress: TrackProgress;
}

export class PendingMoves implements vscode.Disposable {
  private readonly watches = new Map<string, Watch>();
  /** The last outcome per subscription, until it is watched again. */
  private readonly finished = new Map<string, { readonly move: PendingMove; readonly progress: TrackProgress }>();
  private disposed = false;
  private readonly emitter = new vscode.EventEmitter<{ readonly subscriptionId: string; readonly progress: TrackProgress }>();
  readonly onDidProgress = this.emitter.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly log: Log,
    private readonly onSeen: (move: PendingMove) => void,
  ) {}

  /** Moves persisted by an earlier window. */
  persisted(): readonly PendingMove[] {
    const raw = this.memento.get<unknown>(STATE_KEY, []);
    return Array.isArray(raw) ? raw.filter(isPendingMove) : [];
  }

  progress(subscriptionId: string): TrackProgress | undefined {
    return this.record(subscriptionId)?.progress;
  }

  /** The move watched (or last watched) for the subscription, with its progress. */
  record(subscriptionId: string): { readonly move: PendingMove; readonly progress: TrackProgress } | undefined {
    const key = subscriptionId.toLowerCase();
    return this.watches.get(key) ?? this.finished.get(key);
  }

  isWatching(subscriptionId: string): boolean {
    return this.watches.has(subscriptionId.toLowerCase());
  }

  /** Starts (or keeps) watching; idempotent per subscription. */
  watch(session: AzureSession, move: PendingMove): void {
    const key = move.subscriptionId.toLowerCase();
    if (this.watches.has(key)) return;
    const abort = new AbortController();
    const watch: Watch = { move, abort, progress: { attempts: 0, nextCheckAt: Date.now(), status: 'waiting' } };
    this.finished.delete(key);
    this.watches.set(key, watch);
    void this.persist();
    this.log.info(`Watching for ${move.subscriptionName} (${move.subscriptionId}) in directory ${move.targetTenantId}`);
    trackMove(session, move.subscriptionId, move.targetTenantId, {
      signal: abort.signal,
      onProgress: (p) => {
        watch.progress = p;
        this.emitter.fire({ subscriptionId: key, progress: p });
      },
    }).then(
      (result) => {
        if (this.disposed) return; // the window is closing: keep the persisted list for the next one
        watch.progress = result;
        this.end(key, watch);
        this.emitter.fire({ subscriptionId: key, progress: result });
        void this.persist();
        if (result.status === 'seen') this.onSeen(move);
      },
      (e: unknown) => {
        if (this.disposed) return;
        this.log.error(e instanceof Error ? e : String(e));
        watch.progress = { attempts: watch.progress.attempts, nextCheckAt: null, status: 'timedOut', lastReason: e instanceof Error ? e.message : String(e) };
        this.end(key, watch);
        this.emitter.fire({ subscriptionId: key, progress: watch.progress });
        void this.persist();
      },
    );
  }

  /** Stops watching; false when the subscription was not being watched. */
  cancel(subscriptionId: string): boolean {
    const key = subscriptionId.toLowerCase();
    const watch = this.watches.get(key);
    if (!watch) return false;
    watch.abort.abort();
    watch.progress = { ...watch.progress, nextCheckAt: null, status: 'cancelled' };
    this.end(key, watch);
    void this.persist();
    this.emitter.fire({ subscriptionId: key, progress: watch.progress });
    return true;
  }

  private end(key: string, watch: Watch): void {
    if (this.watches.get(key) !== watch) return;
    this.watches.delete(key);
    this.finished.set(key, { move: watch.move, progress: watch.progress });
  }

  private async persist(): Promise<void> {
    await this.memento.update(STATE_KEY, [...this.watches.values()].map((w) => w.move));
  }

  dispose(): void {
    this.disposed = true;
    for (const w of this.watches.values()) w.abort.abort();
    this.watches.clear();
    this.emitter.dispose();
  }
}

function isPendingMove(v: unknown): v is PendingMove {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return ['subscriptionId', 'subscriptionName', 'sourceTenantId', 'targetTenantId', 'targetName', 'accountKey', 'since'].every((k) => typeof r[k] === 'string');
}
