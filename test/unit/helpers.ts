/** Shared test set-up: a real sandbox over real HTTP, and an AzureSession on it. */
import { HttpLayer, type Logger } from '../../src/azure/http';
import { SandboxTokenAuth } from '../../src/azure/sandboxAuth';
import { AzureSession } from '../../src/azure/session';
import { startSandbox, defaultScenario, type Sandbox, type SandboxOptions } from '../../src/sandbox/server';
import type { Scenario } from '../../src/sandbox/scenario';

export const RILEY = 'riley@fabrikamlabs.onmicrosoft.com';
export const MEGAN = 'megan@contoso.com';

/** Reads the default scenario so tests derive expectations from the data, not from constants. */
export function scenario(): Scenario {
  return defaultScenario();
}

export function tenantByName(name: string): string {
  const t = scenario().tenants.find((x) => x.displayName === name);
  if (!t) throw new Error(`no tenant ${name} in the scenario`);
  return t.tenantId;
}

export function subscriptionByName(name: string): string {
  const s = scenario().subscriptions.find((x) => x.displayName === name);
  if (!s) throw new Error(`no subscription ${name} in the scenario`);
  return s.subscriptionId;
}

export interface Recording extends Logger {
  readonly lines: string[];
}

export function recordingLogger(): Recording {
  const lines: string[] = [];
  const push = (m: string | Error): void => {
    lines.push(m instanceof Error ? m.message : m);
  };
  return { lines, trace: push, debug: push, info: push, warn: push, error: push };
}

/** Fast retries so fault-injection tests do not wait seconds. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 50, maxRetryAfterMs: 5_000 };

export function sessionFor(sandbox: Sandbox, account = RILEY, logger?: Logger, concurrency?: number): AzureSession {
  const http = new HttpLayer({ logger, retry: FAST_RETRY });
  const auth = new SandboxTokenAuth(http, sandbox.baseUrl, account);
  return new AzureSession(http, auth, { id: account, label: account }, { concurrency });
}

/** Registers before/after hooks and returns a getter for the running sandbox. */
export function useSandbox(options: SandboxOptions = {}): () => Sandbox {
  let sandbox: Sandbox | undefined;
  before(async () => {
    sandbox = await startSandbox(options);
  });
  beforeEach(() => {
    sandbox?.reset();
    sandbox?.setFaults({});
    sandbox?.setPageSize(options.pageSize);
    sandbox?.clearRequestLog();
  });
  after(async () => {
    await sandbox?.close();
  });
  return () => {
    if (!sandbox) throw new Error('sandbox not started');
    return sandbox;
  };
}
