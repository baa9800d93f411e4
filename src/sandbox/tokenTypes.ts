// What a token is, apart from how it is issued (tokens.ts): the request context (http.ts) holds a `TokenStore`
// without importing the token endpoint, so the two modules do not import each other.
import { type SandboxState } from './state';

export type Resource = 'arm' | 'graph';

export interface TokenRecord {
  token: string;
  resource: Resource;
  tenantId: string;
  /** The account's object id in this directory. */
  oid: string;
  account: string;
  name: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
}

export interface TokenRequest {
  tenantId: string;
  resource: Resource;
  account?: string;
  interactive?: boolean;
}

/** Issues and looks up the sandbox's tokens (`TokenRegistry` in tokens.ts). */
export interface TokenStore {
  lookup(token: string): TokenRecord | undefined;
  issue(state: SandboxState, request: TokenRequest, now: Date): TokenRecord;
}
