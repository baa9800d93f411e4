/**
 * "Start Sandbox": the emulated Azure in-process plus the "Azure Sandbox" authentication provider. Loaded only when
 * first needed, so activation stays light.
 */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { SANDBOX_AUTH_PROVIDER_ID } from '../azure/clouds';
import type { HttpLayer } from '../azure/http';
import { SandboxTokenAuth } from '../azure/sandboxAuth';
import type { Sandbox } from '../sandbox/server';
import { SandboxAuthProvider } from './sandboxAuthProvider';

export interface RunningSandbox {
  dispose(): void;
  readonly baseUrl: string;
  readonly server: Sandbox;
  readonly provider: SandboxAuthProvider;
}

export interface SandboxStartOptions {
  /** A scenario JSON file; empty = the default scenario. */
  readonly scenarioPath: string;
  readonly latencyMs: number;
  /** Sign the scenario's default account in straight away (sandbox on start-up, tests). */
  readonly signIn: boolean;
}

export async function startSandboxHost(http: HttpLayer, options: SandboxStartOptions): Promise<RunningSandbox> {
  const { startSandbox, defaultScenario } = await import('../sandbox/server');
  const scenario: unknown = options.scenarioPath ? JSON.parse(await readFile(options.scenarioPath, 'utf8')) : defaultScenario();
  const server = await startSandbox({ scenario, faults: { latencyMs: options.latencyMs } });
  const data = server.state.data;
  const accounts = data.accounts.map((a) => ({ upn: a.upn, displayName: a.displayName }));
  const provider = new SandboxAuthProvider(new SandboxTokenAuth(http, server.baseUrl), accounts, data.defaultAccount);
  if (options.signIn) provider.signInDefault();
  const registration = vscode.authentication.registerAuthenticationProvider(SANDBOX_AUTH_PROVIDER_ID, 'Azure Sandbox', provider, {
    supportsMultipleAccounts: true,
  });
  return {
    baseUrl: server.baseUrl,
    server,
    provider,
    dispose: () => {
      registration.dispose();
      provider.dispose();
      void server.close();
    },
  };
}
