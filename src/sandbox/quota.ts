// A per-caller query quota in a fixed window, as Resource Graph applies it (azure-api-2.md §7: "example quota 15
// queries per 5 s"), with the values its `x-ms-user-quota-remaining` / `x-ms-user-quota-resets-after` headers carry.
// Real time, not the sandbox clock: a client waits it out in real time.

export interface QuotaConfig {
  queries: number;
  windowSeconds: number;
}

export const DEFAULT_RESOURCE_GRAPH_QUOTA: QuotaConfig = { queries: 15, windowSeconds: 5 };

export class QuotaWindow {
  private windows = new Map<string, { start: number; used: number }>();

  constructor(public config: QuotaConfig = DEFAULT_RESOURCE_GRAPH_QUOTA) {}

  set(config: QuotaConfig): void {
    this.config = config;
    this.windows = new Map();
  }

  /** Counts one query for the caller. */
  take(caller: string, now = Date.now()): { allowed: boolean; remaining: number; resetsAfter: string; resetsAfterSeconds: number } {
    const ms = this.config.windowSeconds * 1000;
    let w = this.windows.get(caller);
    if (w === undefined || now - w.start >= ms) {
      w = { start: now, used: 0 };
      this.windows.set(caller, w);
    }
    const allowed = w.used < this.config.queries;
    if (allowed) w.used++;
    const left = Math.max(0, Math.ceil((w.start + ms - now) / 1000));
    const hh = String(Math.floor(left / 3600)).padStart(2, '0');
    const mm = String(Math.floor((left % 3600) / 60)).padStart(2, '0');
    const ss = String(left % 60).padStart(2, '0');
    return { allowed, remaining: this.config.queries - w.used, resetsAfter: `${hh}:${mm}:${ss}`, resetsAfterSeconds: left };
  }
}
