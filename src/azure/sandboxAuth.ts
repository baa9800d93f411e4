/**
 * Tokens from the sandbox's token endpoint (`POST <base>/token`, docs/sandbox.md). Used by the CLI (`--sandbox`)
 * and by the tests; inside VS Code the sandbox is reached through `vscode.authentication` instead.
 */
import type { AccessToken, Account, AuthAdapter, TokenRequest } from './auth';
import { sandboxCloud, type Cloud } from './clouds';
import { isAzureError } from './errors';
import type { HttpLayer } from './http';

interface TokenResponse {
  readonly access_token: string;
  readonly expires_in: number;
}

function isTokenResponse(v: unknown): v is TokenResponse {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.access_token === 'string' && typeof r.expires_in === 'number';
}

/** A string claim of a JWT (not verified: only used to name the account and its directory). */
function claimOf(token: string, name: 'upn' | 'tid'): string | undefined {
  try {
    const claims: unknown = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    const value = typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

const REFRESH_MARGIN_MS = 5 * 60_000;

export class SandboxTokenAuth implements AuthAdapter {
  readonly cloud: Cloud;
  private readonly cache = new Map<string, AccessToken>();
  private readonly pending = new Map<string, Promise<AccessToken>>();

  constructor(
    private readonly http: HttpLayer,
    readonly baseUrl: string,
    /** The account to act as; empty = the scenario's default account. */
    private readonly accountUpn = '',
  ) {
    this.cloud = sandboxCloud(baseUrl);
  }

  /**
   * The account, by name. Without one the sandbox signs in its scenario's default account: its UPN is read from the
   * token's `upn` claim (the token is a JWT, as Entra's are), so messages name the real account.
   */
  async getAccounts(): Promise<readonly Account[]> {
    if (this.accountUpn) return [{ id: this.accountUpn, label: this.accountUpn }];
    const issued = await this.getToken({ account: { id: '', label: '' }, tenantId: 'organizations', resource: 'arm' });
    const upn = claimOf(issued.token, 'upn');
    // The same account's token: its first directory call need not ask for it again, nor a call naming its home
    // directory (the `tid` claim), which 'organizations' stands for.
    const home = claimOf(issued.token, 'tid');
    if (upn !== undefined) {
      this.cache.set(`${upn}|organizations|arm`, issued);
      if (home !== undefined) this.cache.set(`${upn}|${home}|arm`, issued);
    }
    return [{ id: upn ?? '', label: upn ?? 'the sandbox\'s default account' }];
  }

  /** One token per account, directory and resource; callers that ask while it is being fetched share that request. */
  getToken(request: TokenRequest): Promise<AccessToken> {
    const key = `${request.account.id}|${request.tenantId}|${request.resource}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresOnTimestamp - Date.now() > REFRESH_MARGIN_MS) return Promise.resolve(cached);
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.fetchToken(request).then((token) => {
        this.cache.set(key, token);
        return token;
      }).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  private async fetchToken(request: TokenRequest): Promise<AccessToken> {
    const body: Record<string, unknown> = { tenantId: request.tenantId, resource: request.resource };
    if (request.account.id) body.account = request.account.id;
    if (request.interactive) body.interactive = true;
    // A 400 from the token endpoint is already a typed `notSignedIn` error naming the directory (errors.ts). Asking
    // for a token again is harmless, so a reset or a 5xx is retried like a GET.
    const res = await this.http.json(
      { service: 'token', method: 'POST', url: `${this.baseUrl.replace(/\/+$/, '')}/token`, body, signal: request.signal, tenantId: request.tenantId, idempotent: true },
      isTokenResponse,
    );
    return { token: res.access_token, expiresOnTimestamp: Date.now() + res.expires_in * 1000 };
  }

  async isSignedIn(account: Account, tenantId: string): Promise<boolean> {
    try {
      await this.getToken({ account, tenantId, resource: 'arm' });
      return true;
    } catch (e) {
      if (isAzureError(e, 'notSignedIn')) return false;
      throw e;
    }
  }

  async signIn(options?: { readonly tenantId?: string; readonly account?: Account }): Promise<Account | undefined> {
    const account = options?.account ?? (await this.getAccounts()).at(0);
    if (account === undefined) return undefined;
    await this.getToken({ account, tenantId: options?.tenantId ?? 'organizations', resource: 'arm', interactive: true });
    return account;
  }
}
