/**
 * The extension's Azure services: the HTTP layer (logging to our channel), the configured cloud's sign-in and, while
 * it runs, the sandbox. Sessions are made per signed-in account; everything else is built on them.
 */
import * as vscode from 'vscode';
import type { Account, AuthAdapter } from '../azure/auth';
import { SANDBOX_AUTH_PROVIDER_ID, cloudFromSettings, sandboxCloud, scopeFor, type Cloud } from '../azure/clouds';
import { HttpLayer } from '../azure/http';
import { AzureSession } from '../azure/session';
import { VSCodeAuthAdapter, azureauthDirectories } from '../azure/vscode/vscodeAuth';
import type { Config } from './config';
import type { Log } from './log';
import type { RunningSandbox, SandboxStartOptions } from './sandboxHost';
import type { SignedOutAccounts } from './signedOut';

export interface AccountSession {
  readonly session: AzureSession;
  readonly isSandbox: boolean;
}

export class AzureServices implements vscode.Disposable {
  readonly http: HttpLayer;
  private sandboxHost: RunningSandbox | undefined;
  /** Every sandbox account was signed out (this window): a restart of the sandbox signs none in. */
  private sandboxSignedOut = false;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Sign-in changes, the sandbox starting or stopping, the cloud setting changing. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly log: Log,
    private readonly config: Config,
    /** Accounts the user signed out of here while the editor keeps their sign-in (Microsoft). */
    readonly signedOut: SignedOutAccounts,
  ) {
    this.http = new HttpLayer({ logger: log, userAgent: 'azure-tenant-link-vscode' });
    this.disposables.push(
      vscode.authentication.onDidChangeSessions((e) => {
        if (e.provider.id === this.realCloud().authProviderId || e.provider.id === SANDBOX_AUTH_PROVIDER_ID) this.changed.fire();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (config.affectsCloud(e)) this.changed.fire();
      }),
    );
  }

  get sandbox(): RunningSandbox | undefined {
    return this.sandboxHost;
  }

  /** The real cloud the editor's Microsoft sign-in is configured for. */
  realCloud(): Cloud {
    try {
      return cloudFromSettings(this.config.sovereignCloud);
    } catch (e) {
      this.log.error(e instanceof Error ? e : String(e));
      return cloudFromSettings({});
    }
  }

  realAuth(): AuthAdapter {
    const cloud = this.realCloud();
    return new VSCodeAuthAdapter({ cloud, graphClientId: () => this.config.graphClientId, listDirectories: azureauthDirectories(this.log.channel) });
  }

  sandboxAuth(): AuthAdapter | undefined {
    if (!this.sandboxHost) return undefined;
    return new VSCodeAuthAdapter({ cloud: sandboxCloud(this.sandboxHost.baseUrl), graphClientId: () => undefined });
  }

  /** Where an account-less "Sign In" goes: the sandbox while it runs (a rehearsal), else the configured cloud. */
  signInAuth(): AuthAdapter {
    return this.sandboxAuth() ?? this.realAuth();
  }

  /** Every signed-in account: the real cloud's, then the sandbox's (not those the user signed out of here). */
  async accountSessions(): Promise<AccountSession[]> {
    const out: AccountSession[] = [];
    for (const [auth, isSandbox] of [[this.realAuth(), false], [this.sandboxAuth(), true]] as const) {
      if (!auth) continue;
      let accounts: readonly Account[] = [];
      try {
        accounts = await auth.getAccounts();
      } catch (e) {
        this.log.warn(`Could not list accounts of ${auth.cloud.displayName}: ${e instanceof Error ? e.message : String(e)}`);
      }
      for (const account of accounts.filter((a) => !this.signedOut.has(auth.cloud.authProviderId, a.id))) out.push({ session: new AzureSession(this.http, auth, account), isSandbox });
    }
    return out;
  }

  async startSandbox(options: SandboxStartOptions): Promise<RunningSandbox> {
    if (this.sandboxHost) return this.sandboxHost;
    const { startSandboxHost } = await import('./sandboxHost');
    // After the user signed out of every sandbox account, a restart leaves them signed out (no silent sign-in).
    const signIn = options.signIn && !this.sandboxSignedOut;
    this.sandboxHost = await startSandboxHost(this.http, { ...options, signIn });
    this.log.info(`Sandbox started at ${this.sandboxHost.baseUrl} with scenario "${this.sandboxHost.server.state.data.name}"${options.scenarioPath ? ` from ${options.scenarioPath}` : ''}`);
    this.disposables.push(this.sandboxHost.provider.onDidChangeSessions((e) => {
      if (e.added?.length) this.sandboxSignedOut = false;
      this.changed.fire();
    }));
    await vscode.commands.executeCommand('setContext', 'azureTenantLink.sandboxRunning', true);
    if (signIn) await this.grantSandboxAccess(this.sandboxHost);
    this.changed.fire();
    return this.sandboxHost;
  }

  /**
   * The editor asks the user once whether this extension may use the sandbox account ("… wants to sign in using Azure
   * Sandbox"), exactly as for a Microsoft account; after "Allow", tokens come silently.
   */
  private async grantSandboxAccess(host: RunningSandbox): Promise<void> {
    const upn = host.server.state.data.defaultAccount;
    try {
      await vscode.authentication.getSession(SANDBOX_AUTH_PROVIDER_ID, [scopeFor(sandboxCloud(host.baseUrl), 'arm')], {
        createIfNone: true,
        account: { id: upn, label: upn },
      });
    } catch (e) {
      this.log.warn(`The sandbox account was not allowed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The user signed out of a sandbox account; with none left signed in, the next start does not sign one in. */
  async sandboxAccountSignedOut(): Promise<void> {
    this.sandboxSignedOut = !(await this.accountSessions()).some((a) => a.isSandbox);
  }

  async stopSandbox(): Promise<boolean> {
    const host = this.sandboxHost;
    if (!host) return false;
    this.sandboxHost = undefined;
    host.dispose();
    this.log.info('Sandbox stopped');
    await vscode.commands.executeCommand('setContext', 'azureTenantLink.sandboxRunning', false);
    this.changed.fire();
    return true;
  }

  dispose(): void {
    this.sandboxHost?.dispose();
    this.sandboxHost = undefined;
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}
