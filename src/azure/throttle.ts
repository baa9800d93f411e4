/**
 * Requests in flight per throttling bucket. Azure Resource Manager throttles each subscription and each directory
 * (tenant-level reads) on its own, Microsoft Graph each directory, Resource Graph each user
 * (https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling,
 * https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests). So work fans
 * out per directory and per subscription, with a cap per bucket (and one overall cap on sockets) instead of a single
 * global limit; a 429 with `Retry-After` holds back its whole bucket, not just the request that got it.
 */
import type { AbortSignalLike } from '@azure/abort-controller';
import type { AzureService } from './errors';

const SUBSCRIPTION_PATH = /\/subscriptions\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?]|$)/i;

/** The bucket a request counts against. */
export function throttleBucket(service: AzureService, url: string, tenantId: string | undefined): string {
  const directory = (tenantId ?? 'home').toLowerCase();
  if (service !== 'arm') return `${service}:${directory}`;
  const path = safePath(url);
  if (/\/providers\/Microsoft\.ResourceGraph\//i.test(path)) return `resourceGraph:${directory}`;
  const sub = SUBSCRIPTION_PATH.exec(path)?.[1];
  return sub === undefined ? `arm:${directory}` : `arm:${sub.toLowerCase()}`;
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

export interface ThrottleOptions {
  /** Requests in flight per bucket (default 8; 1 = one at a time per subscription or directory). */
  readonly perBucket?: number;
  /** Requests in flight overall (default 64; 1 = one request at a time). */
  readonly total?: number;
}

interface Bucket {
  active: number;
  pausedUntil: number;
}

export class ThrottleGate {
  readonly perBucket: number;
  readonly total: number;
  private active = 0;
  private readonly buckets = new Map<string, Bucket>();
  private readonly waiting: { bucket: string; go: () => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ThrottleOptions = {}) {
    this.perBucket = positive(options.perBucket ?? 8, 'perBucket');
    this.total = positive(options.total ?? 64, 'total');
  }

  /** Waits for a slot in the bucket (and overall); resolves to the release function. */
  async acquire(bucket: string, signal?: AbortSignalLike): Promise<() => void> {
    if (this.canStart(bucket)) this.start(bucket);
    else {
      // `pump` starts (counts) the waiter before it resolves.
      await new Promise<void>((resolve, reject) => {
        const entry = { bucket, go: resolve };
        this.waiting.push(entry);
        signal?.addEventListener('abort', () => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          const e = new Error('The operation was aborted.');
          e.name = 'AbortError';
          reject(e);
        }, { once: true });
        this.schedule();
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      const b = this.buckets.get(bucket);
      if (b) b.active--;
      this.pump();
    };
  }

  /** Holds the bucket back for `ms` (a 429 / 503 with `Retry-After`). */
  pause(bucket: string, ms: number): void {
    const b = this.bucket(bucket);
    b.pausedUntil = Math.max(b.pausedUntil, Date.now() + ms);
  }

  private bucket(name: string): Bucket {
    let b = this.buckets.get(name);
    if (!b) {
      b = { active: 0, pausedUntil: 0 };
      this.buckets.set(name, b);
    }
    return b;
  }

  private canStart(bucket: string): boolean {
    const b = this.bucket(bucket);
    return this.active < this.total && b.active < this.perBucket && b.pausedUntil <= Date.now();
  }

  private start(bucket: string): void {
    this.active++;
    this.bucket(bucket).active++;
  }

  /** Starts every waiter that may start now, in arrival order (a blocked bucket does not hold up the others). */
  private pump(): void {
    for (let i = 0; i < this.waiting.length && this.active < this.total; ) {
      const w = this.waiting[i];
      if (w !== undefined && this.canStart(w.bucket)) {
        this.waiting.splice(i, 1);
        this.start(w.bucket);
        w.go();
      } else i++;
    }
    this.schedule();
  }

  /** Wakes up when the earliest paused bucket with a waiter may go again. */
  private schedule(): void {
    if (this.timer !== undefined) return;
    const now = Date.now();
    const until = Math.min(...this.waiting.map((w) => this.bucket(w.bucket).pausedUntil).filter((t) => t > now));
    if (!Number.isFinite(until)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, until - now);
    this.timer.unref();
  }
}

function positive(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer (got ${n})`);
  return n;
}
