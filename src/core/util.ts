/** Small pure helpers the core shares: a request limiter, deterministic GUIDs, scope classification, sleeping. */
import { createHash } from 'node:crypto';
import { AzureError, isAzureError } from '../azure/errors';
import type { ScopeKind } from '../ids';

/**
 * At most `limit` tasks in flight; the rest wait in order. Every core request goes through one limiter per
 * operation, so "concurrency 1" really means one request at a time (the benchmark compares the two).
 */
export class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a positive integer (got ${limit})`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }

  /** Runs `fn` over `items` through the limiter, results in input order. */
  map<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
    return Promise.all(items.map((item, i) => this.run(() => fn(item, i))));
  }
}

/** A name-based (version 5 style, SHA-1) GUID: the same input always gives the same GUID. */
export function deterministicGuid(...parts: readonly string[]): string {
  const h = createHash('sha1').update(`azure-tenant-link|${parts.map((p) => p.toLowerCase()).join('|')}`).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}


export type { ScopeKind } from '../ids';

/** Where an assignment sits relative to the subscription: at it, below it, or inherited from above. */
export function scopeKind(scope: string, subscriptionId: string): ScopeKind {
  const s = scope.replace(/\/+$/, '').toLowerCase();
  const sub = `/subscriptions/${subscriptionId.toLowerCase()}`;
  if (s === sub) return 'subscription';
  if (!s.startsWith(`${sub}/`)) return 'inherited';
  const rest = s.slice(sub.length + 1).split('/');
  return rest.length === 2 && rest[0] === 'resourcegroups' ? 'resourceGroup' : 'resource';
}

/** Is `inner` the same scope as `outer` or below it (case-insensitive)? */
export function isAtOrBelow(inner: string, outer: string): boolean {
  const i = inner.replace(/\/+$/, '').toLowerCase();
  const o = outer.replace(/\/+$/, '').toLowerCase();
  return o === '' || i === o || i.startsWith(`${o}/`);
}

/** A file-name-safe slug of a display name (ASCII letters and digits, dashes; at most 60), or `fallback`. */
export function fileSlug(text: string, fallback: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || fallback;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Waits `ms`, or rejects with a `cancelled` error as soon as `signal` aborts. */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export function cancelledError(): AzureError {
  return new AzureError('The operation was cancelled.', { kind: 'cancelled', service: 'arm' });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

/** The first line of an error's message, for one-line reasons in results. */
export function reasonOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const first = text.split('\n')[0] ?? text;
  return isAzureError(e) && e.code && !first.includes(e.code) ? `${first} (${e.code})` : first;
}

/** Exponential back-off with a cap: base, 2·base, 4·base … ≤ max. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
