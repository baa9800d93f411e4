/**
 * The auth adapter: one interface for "who is signed in, which directories can they reach, give me a token for
 * resource R in directory T, sign in to directory T". Implementations: the editor's sign-in
 * (`src/azure/vscode/vscodeAuth.ts`), the sandbox token endpoint (`sandboxAuth.ts`) and, for the CLI on a real
 * cloud, `@azure/identity` (`identityAuth.ts`).
 */
import type { Cloud } from './clouds';
import type { Resource } from './http';
import type { Tenant } from './models';

export interface Account {
  /** Stable id (the provider's account id, or the UPN). */
  readonly id: string;
  readonly label: string;
}

export interface AccessToken {
  readonly token: string;
  /** Epoch ms; 0 when unknown. */
  readonly expiresOnTimestamp: number;
}

export interface TokenRequest {
  readonly account: Account;
  /** A directory id, or `organizations` for the account's home directory. */
  readonly tenantId: string;
  readonly resource: Resource;
  /** May the adapter show UI (sign-in, MFA)? Background work passes false. */
  readonly interactive?: boolean;
  readonly signal?: AbortSignal;
}

export interface AuthAdapter {
  readonly cloud: Cloud;
  getAccounts(): Promise<readonly Account[]>;
  /** Directories the account can reach; `undefined` means "ask ARM `GET /tenants`". */
  listDirectories?(account: Account, signal?: AbortSignal): Promise<readonly Tenant[] | undefined>;
  /** Throws `AzureError` kind `notSignedIn` when no token can be had without (allowed) interaction. */
  getToken(request: TokenRequest): Promise<AccessToken>;
  isSignedIn(account: Account, tenantId: string): Promise<boolean>;
  /**
   * Interactive sign-in, optionally pinned to a directory. Returns the account, or undefined when cancelled.
   * `anotherAccount`: add an account beside the signed-in ones (the editor: `forceNewSession`, with `detail` in its prompt).
   */
  signIn(options?: SignInOptions): Promise<Account | undefined>;
}

export interface SignInOptions {
  readonly tenantId?: string;
  readonly account?: Account;
  readonly anotherAccount?: { readonly detail: string };
}

export const HOME_TENANT = 'organizations';
