/**
 * The CLI's sign-in on a real cloud: `@azure/identity` — the Azure CLI's login first, then an interactive browser
 * sign-in. (`@azure/identity-vscode` in the reachable registry is the deprecated 1.x built on the retired Azure Account
 * extension, so it is not used.)
 */
import type { TokenCredential } from '@azure/core-auth';
import type { AccessToken, Account, AuthAdapter, TokenRequest } from './auth';
import { HOME_TENANT } from './auth';
import { scopeFor, type Cloud } from './clouds';
import { AzureError } from './errors';

export class IdentityAuth implements AuthAdapter {
  private credential: Promise<TokenCredential> | undefined;

  constructor(
    readonly cloud: Cloud,
    private readonly accountHint = '',
  ) {}

  getAccounts(): Promise<readonly Account[]> {
    return Promise.resolve([{ id: this.accountHint, label: this.accountHint || 'Azure CLI account' }]);
  }

  private async getCredential(): Promise<TokenCredential> {
    this.credential ??= import('@azure/identity').then((identity) => {
      const common = { additionallyAllowedTenants: ['*'], authorityHost: this.cloud.loginUrl };
      return new identity.ChainedTokenCredential(
        new identity.AzureCliCredential({ additionallyAllowedTenants: ['*'] }),
        new identity.InteractiveBrowserCredential({ ...common, loginHint: this.accountHint || undefined }),
      );
    });
    return this.credential;
  }

  async getToken(request: TokenRequest): Promise<AccessToken> {
    const credential = await this.getCredential();
    try {
      const token = await credential.getToken(scopeFor(this.cloud, request.resource), {
        tenantId: request.tenantId === HOME_TENANT ? undefined : request.tenantId,
        abortSignal: request.signal,
      });
      if (!token) throw new Error('no token was returned');
      return { token: token.token, expiresOnTimestamp: token.expiresOnTimestamp };
    } catch (e) {
      const message = e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e);
      throw new AzureError(`Could not sign in to directory ${request.tenantId}: ${message}`, { kind: 'notSignedIn', service: 'token', tenantId: request.tenantId, cause: e });
    }
  }

  async isSignedIn(account: Account, tenantId: string): Promise<boolean> {
    try {
      await this.getToken({ account, tenantId, resource: 'arm' });
      return true;
    } catch {
      return false;
    }
  }

  async signIn(options?: { readonly tenantId?: string; readonly account?: Account }): Promise<Account | undefined> {
    const account = options?.account ?? { id: this.accountHint, label: this.accountHint || 'Azure CLI account' };
    await this.getToken({ account, tenantId: options?.tenantId ?? HOME_TENANT, resource: 'arm', interactive: true });
    return account;
  }
}
