/**
 * The editor's own sign-in as an `AuthAdapter`. Tokens come straight from `vscode.authentication.getSession` with
 * `VSCODE_TENANT:<id>` (and, for Graph, an optional `VSCODE_CLIENT_ID:<app>`), because azureauth's credential ignores
 * the requested scope and goes stale (microsoft/vscode-azuretools#1596). Directories come from azureauth on a real cloud.
 * The sandbox registers its own authentication provider, so the very same path serves it.
 */
import * as vscode from 'vscode';
import type { AccessToken, Account, AuthAdapter, SignInOptions, TokenRequest } from '../auth';
import { HOME_TENANT } from '../auth';
import type { Cloud } from '../clouds';
import { AzureError } from '../errors';
import type { Tenant } from '../models';
import { scopesFor } from '../scopes';

export interface VSCodeAuthOptions {
  readonly cloud: Cloud;
  /** Custom Entra app id for Graph (`azureTenantLink.graphClientId`), read at call time. */
  readonly graphClientId?: () => string | undefined;
  /** Directories per account (azureauth on real clouds); absent → ARM `GET /tenants`. */
  readonly listDirectories?: (account: Account, signal?: AbortSignal) => Promise<readonly Tenant[] | undefined>;
}

/**
 * VS Code merges concurrent `getSession` calls of one extension whose provider, scopes and option names are equal; up
 * to at least 1.100 its key holds `account:true`, not the account's id (1.139 keys by id), so with two accounts signed
 * in, one account's call could get the other account's session. Here a silent call joins one in flight for the same
 * account and scopes (as VS Code would), and waits while another account's is in flight; azureauth's directory
 * listings likewise. (Interactive calls are the user's, one at a time, and must not hold silent ones behind a dialog.)
 */
class AccountGate<T> {
  private readonly inFlight = new Map<string, { readonly accountId: string; readonly result: Promise<T> }>();

  async run(key: string, accountId: string, call: () => Thenable<T> | Promise<T>): Promise<T> {
    for (let flight = this.inFlight.get(key); flight; flight = this.inFlight.get(key)) {
      if (flight.accountId === accountId) return flight.result;
      await flight.result.then(() => undefined, () => undefined);
    }
    const flight = { accountId, result: Promise.resolve(call()) };
    this.inFlight.set(key, flight);
    try {
      return await flight.result;
    } finally {
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    }
  }
}

const sessionGate = new AccountGate<vscode.AuthenticationSession | undefined>();
const directoryGate = new AccountGate<readonly Tenant[] | undefined>();

export class VSCodeAuthAdapter implements AuthAdapter {
  readonly cloud: Cloud;
  readonly listDirectories?: (account: Account, signal?: AbortSignal) => Promise<readonly Tenant[] | undefined>;

  constructor(private readonly options: VSCodeAuthOptions) {
    this.cloud = options.cloud;
    const list = options.listDirectories;
    this.listDirectories = list && ((account, signal) => directoryGate.run(this.providerId, account.id, () => list(account, signal)));
  }

  get providerId(): string {
    return this.cloud.authProviderId;
  }

  async getAccounts(): Promise<readonly Account[]> {
    const accounts = await vscode.authentication.getAccounts(this.providerId);
    return accounts.map((a) => ({ id: a.id, label: a.label }));
  }

  async getToken(request: TokenRequest): Promise<AccessToken> {
    const scopes = scopesFor(this.cloud, request, this.options.graphClientId?.());
    const account = { id: request.account.id, label: request.account.label };
    let session: vscode.AuthenticationSession | undefined;
    try {
      session = request.interactive
        ? await vscode.authentication.getSession(this.providerId, scopes, { createIfNone: true, account })
        : await this.silentSession(scopes, request.account);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const kind = /cancel/i.test(message) ? 'cancelled' : 'notSignedIn';
      throw new AzureError(message, { kind, service: 'token', tenantId: request.tenantId, cause: e });
    }
    if (!session) {
      throw new AzureError(`Not signed in to directory ${request.tenantId} with ${request.account.label}.`, {
        kind: 'notSignedIn',
        service: 'token',
        tenantId: request.tenantId,
      });
    }
    if (session.account.id !== request.account.id) {
      // Never act with another account's token.
      throw new AzureError(`The sign-in returned ${session.account.label} where ${request.account.label} was asked for.`, { kind: 'notSignedIn', service: 'token', tenantId: request.tenantId });
    }
    return { token: session.accessToken, expiresOnTimestamp: 0 };
  }

  async isSignedIn(account: Account, tenantId: string): Promise<boolean> {
    const scopes = scopesFor(this.cloud, { tenantId, resource: 'arm' });
    const session = await this.silentSession(scopes, account);
    return session?.account.id === account.id;
  }

  private silentSession(scopes: readonly string[], account: Account): Promise<vscode.AuthenticationSession | undefined> {
    const key = `${this.providerId} ${[...scopes].sort().join(' ')}`;
    return sessionGate.run(key, account.id, () => vscode.authentication.getSession(this.providerId, [...scopes], { silent: true, account: { id: account.id, label: account.label } }));
  }

  /**
   * `createIfNone` with `clearSessionPreference` when no account is named, as azureauth's `signIn` and Azure Resources'
   * "add account" do; for another account beside signed-in ones, `forceNewSession` (the provider's own account choice,
   * not the editor's list of accounts already signed in), with `clearSessionPreference` so no remembered account wins.
   */
  async signIn(options?: SignInOptions): Promise<Account | undefined> {
    const scopes = scopesFor(this.cloud, { tenantId: options?.tenantId ?? HOME_TENANT, resource: 'arm' });
    const another = options?.anotherAccount !== undefined && (await this.getAccounts()).length > 0;
    try {
      const session = another
        ? await vscode.authentication.getSession(this.providerId, scopes, { forceNewSession: { detail: options.anotherAccount.detail }, clearSessionPreference: true })
        : await vscode.authentication.getSession(this.providerId, scopes, {
          createIfNone: true,
          clearSessionPreference: options?.account === undefined,
          ...(options?.account ? { account: { id: options.account.id, label: options.account.label } } : {}),
        });
      return { id: session.account.id, label: session.account.label };
    } catch (e) {
      if (e instanceof Error && /cancel|did not consent/i.test(e.message)) return undefined;
      throw e;
    }
  }
}

/** Directories through azureauth (`VSCodeAzureSubscriptionProvider.getTenants`), loaded only when first needed. */
export function azureauthDirectories(logger?: vscode.LogOutputChannel): (account: Account) => Promise<readonly Tenant[]> {
  let provider: Promise<{ getTenants(a: vscode.AuthenticationSessionAccountInformation): Promise<Tenant[]> }> | undefined;
  return async (account) => {
    provider ??= import('@microsoft/vscode-azext-azureauth').then((m) => new m.VSCodeAzureSubscriptionProvider(logger) as unknown as {
      getTenants(a: vscode.AuthenticationSessionAccountInformation): Promise<Tenant[]>;
    });
    const tenants = await (await provider).getTenants({ id: account.id, label: account.label });
    return tenants.filter((t) => typeof t.tenantId === 'string');
  };
}
