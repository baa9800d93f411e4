// The control API under `/_sandbox/…` (no auth): lets an out-of-process client or test drive the sandbox.
import { type FaultConfig } from './faults';
import { ApiError, ok, type Reply } from './http';
import { type Scenario } from './scenario';
import { type MoveRecord, type SandboxState } from './state';

export interface RequestLogEntry {
  method: string;
  /** Path without the query, e.g. `/arm/subscriptions`. */
  path: string;
  /** The query string including `?`, or ''. */
  query: string;
  /** HTTP status; 0 when the connection was reset by a fault. */
  status: number;
  /** Sandbox clock time of the request (ISO). */
  time: string;
  durationMs: number;
  /** The injected fault, when one was applied. */
  fault?: string;
}

/** What the control API needs from the running sandbox. */
export interface SandboxControl {
  readonly state: SandboxState;
  readonly requestLog: readonly RequestLogEntry[];
  readonly pageSize: number;
  readonly faults: FaultConfig;
  readonly tokensIssued: number;
  now(): Date;
  setFaults(config: unknown): void;
  setPageSize(size: number | undefined): void;
  loadScenario(raw: unknown): Scenario;
  reset(): void;
  clearRequestLog(): void;
  moveSubscription(subscriptionId: string, tenantId: string, acceptorUpn: string): MoveRecord;
  advanceClock(ms: number): void;
}

function field(body: unknown, key: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[key] : undefined;
}

function text(body: unknown, key: string): string {
  const v = field(body, key);
  if (typeof v !== 'string' || v === '') throw new ApiError(400, 'InvalidRequestContent', `"${key}" (a string) is required.`);
  return v;
}

/** Wraps setup errors (bad scenario, bad fault rule) as 400s. */
function attempt<T>(code: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(400, code, e instanceof Error ? e.message : String(e));
  }
}

export function handleControl(sandbox: SandboxControl, method: string, path: string, body: unknown): Reply {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /_sandbox/health':
      return ok({ ok: true });
    case 'GET /_sandbox/state':
      return ok({
        now: sandbox.now().toISOString(), pageSize: sandbox.pageSize, faults: sandbox.faults, tokensIssued: sandbox.tokensIssued,
        scenario: sandbox.state.data, changeRequests: [...sandbox.state.changeRequests.values()], moves: sandbox.state.moves,
      });
    case 'POST /_sandbox/faults':
      attempt('InvalidFaults', () => { sandbox.setFaults(body ?? {}); });
      return ok({ ok: true, faults: sandbox.faults });
    case 'POST /_sandbox/reset':
      sandbox.reset();
      return ok({ ok: true });
    case 'POST /_sandbox/scenario': {
      const s = attempt('InvalidScenario', () => sandbox.loadScenario(body));
      return ok({ ok: true, name: s.name });
    }
    case 'POST /_sandbox/page-size': {
      const size = field(body, 'pageSize');
      if (size !== null && (typeof size !== 'number' || !Number.isInteger(size) || size < 1)) throw new ApiError(400, 'InvalidRequestContent', '"pageSize" must be a positive integer, or null for the default.');
      sandbox.setPageSize(size ?? undefined);
      return ok({ ok: true, pageSize: sandbox.pageSize });
    }
    case 'POST /_sandbox/move': {
      const move = sandbox.moveSubscription(text(body, 'subscriptionId'), text(body, 'tenantId'), text(body, 'acceptorUpn'));
      return ok({ ok: true, move });
    }
    case 'POST /_sandbox/clock': {
      const ms = field(body, 'advanceMs');
      if (typeof ms !== 'number') throw new ApiError(400, 'InvalidRequestContent', '"advanceMs" (a number of milliseconds) is required.');
      sandbox.advanceClock(ms);
      return ok({ ok: true, now: sandbox.now().toISOString() });
    }
    case 'POST /_sandbox/resource-graph-quota': {
      const queries = field(body, 'queries');
      const windowSeconds = field(body, 'windowSeconds');
      if (typeof queries !== 'number' || !Number.isInteger(queries) || queries < 0 || typeof windowSeconds !== 'number' || windowSeconds <= 0) {
        throw new ApiError(400, 'InvalidRequestContent', '"queries" (a whole number) and "windowSeconds" (a positive number) are required.');
      }
      sandbox.state.resourceGraphQuota.set({ queries, windowSeconds });
      return ok({ ok: true, quota: sandbox.state.resourceGraphQuota.config });
    }
    case 'GET /_sandbox/cpu': {
      // The sandbox process's own CPU time (user + system, µs), for the bench: how much of a run was the emulator.
      const { user, system } = process.cpuUsage();
      return ok({ userMicros: user, systemMicros: system });
    }
    case 'GET /_sandbox/requests':
      return ok({ value: sandbox.requestLog });
    case 'DELETE /_sandbox/requests':
      sandbox.clearRequestLog();
      return ok({ ok: true });
    default:
      throw new ApiError(404, 'NotFound', `No control endpoint '${route}'. See docs/sandbox.md.`);
  }
}
