// The token endpoint and the bearer check. Tokens are unsigned JWTs the sandbox remembers in a registry.
import { randomUUID } from 'node:crypto';
import { ARM_AUDIENCE, GRAPH_AUDIENCE, VSCODE_CLIENT_ID } from './builtins';
import { ApiError, bodyObject, header, type Ctx, type Family, type Reply } from './http';
import { type SandboxState } from './state';
import type { TokenRecord, TokenRequest, TokenStore } from './tokenTypes';

export type { Resource, TokenRecord, TokenRequest } from './tokenTypes';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export class TokenRegistry implements TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();

  lookup(token: string): TokenRecord | undefined {
    return this.tokens.get(token);
  }

  get size(): number {
    return this.tokens.size;
  }

  /** Validates the request against the directory data and mints a token. Throws ApiError with OAuth codes. */
  issue(state: SandboxState, request: TokenRequest, now: Date): TokenRecord {
    const upn = request.account ?? state.data.defaultAccount;
    const account = state.account(upn);
    if (account === undefined) {
      throw oauthError('invalid_grant', 50034, `AADSTS50034: The user account ${upn} does not exist in the directory. To sign into this application, the account must be added to the directory.`);
    }
    const wanted = request.tenantId.toLowerCase();
    const tenantId = wanted === 'organizations' || wanted === 'common' ? account.homeTenantId : wanted;
    const tenant = state.tenant(tenantId);
    if (tenant === undefined) {
      throw oauthError('invalid_request', 90002, `AADSTS90002: Tenant '${request.tenantId}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    const user = state.userOfAccount(tenant, account.upn);
    if (user === undefined) {
      throw oauthError('invalid_grant', 50020, `AADSTS50020: User account '${account.upn}' from identity provider 'https://sts.windows.net/${account.homeTenantId}/' does not exist in tenant '${tenant.displayName}' and cannot access the application '${VSCODE_CLIENT_ID}'(Visual Studio Code) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.`);
    }
    const audience = request.resource === 'arm' ? ARM_AUDIENCE : GRAPH_AUDIENCE;
    if (tenant.requiresInteractiveSignIn && request.interactive !== true) {
      throw oauthError('invalid_grant', 50076, `AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${audience}'.`, { suberror: 'basic_action' });
    }
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + 3600;
    const scopes = request.resource === 'graph' ? (tenant.graphScopes ?? state.data.graphScopes) : ['user_impersonation'];
    const claims: Record<string, unknown> = {
      aud: audience, iss: `https://sts.windows.net/${tenant.tenantId}/`, iat: issuedAt, nbf: issuedAt, exp: expiresAt,
      acr: '1', amr: request.interactive === true ? ['pwd', 'mfa'] : ['pwd'], appid: VSCODE_CLIENT_ID, appidacr: '0',
      ...(account.homeTenantId === tenant.tenantId ? {} : { idp: `https://sts.windows.net/${account.homeTenantId}/` }),
      name: user.displayName, oid: user.id, scp: scopes.join(' '), tid: tenant.tenantId, unique_name: account.upn, upn: account.upn,
      uti: randomUUID(), ver: '1.0',
    };
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    const record: TokenRecord = { token, resource: request.resource, tenantId: tenant.tenantId, oid: user.id, account: account.upn, name: user.displayName, scopes, issuedAt, expiresAt };
    this.tokens.set(token, record);
    return record;
  }
}

const oauthError = (error: string, code: number, description: string, extra: Record<string, string> = {}): ApiError =>
  new ApiError(400, error, description, {}, { error_codes: [code], ...extra });

/** The OAuth-style error body for a failed token request. */
export function oauthErrorBody(e: ApiError, now: Date, correlationId: string): Record<string, unknown> {
  return { error: e.code, error_description: `${e.message}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${now.toISOString()}`, ...e.details, timestamp: now.toISOString(), trace_id: randomUUID(), correlation_id: correlationId };
}

/** `POST /token` with JSON `{tenantId, resource, account?, interactive?}`. */
export function handleTokenRequest(ctx: Ctx): Reply {
  if (ctx.method !== 'POST') throw new ApiError(405, 'invalid_request', 'AADSTS900561: The endpoint only accepts POST requests.');
  const body = bodyObject(ctx);
  const { tenantId, resource, account, interactive } = body;
  if (typeof tenantId !== 'string' || tenantId === '') throw oauthError('invalid_request', 900144, "AADSTS900144: The request body must contain the following parameter: 'tenantId'.");
  if (resource !== 'arm' && resource !== 'graph') throw oauthError('invalid_request', 500011, `AADSTS500011: The resource principal named '${typeof resource === 'string' ? resource : typeof resource}' was not found. Use "arm" or "graph".`);
  if (account !== undefined && typeof account !== 'string') throw oauthError('invalid_request', 900144, "AADSTS900144: 'account' must be a string (a user principal name).");
  const record = ctx.tokens.issue(ctx.state, { tenantId, resource, ...(account === undefined ? {} : { account }), interactive: interactive === true }, ctx.now());
  return { status: 200, body: { access_token: record.token, token_type: 'Bearer', expires_in: record.expiresAt - record.issuedAt, ext_expires_in: record.expiresAt - record.issuedAt, expires_on: record.expiresAt, resource: record.resource === 'arm' ? ARM_AUDIENCE : GRAPH_AUDIENCE } };
}

const ARM_AUDIENCES = "'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'";

/** Validates the bearer for an ARM or Graph call; throws the 401 that service would send. */
export function authenticate(ctx: Ctx, family: Extract<Family, 'arm' | 'graph'>): TokenRecord {
  const arm = family === 'arm';
  const auth = header(ctx, 'authorization');
  if (auth === undefined || auth.trim() === '') {
    throw arm
      ? new ApiError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.")
      : new ApiError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  }
  const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
  const record = m?.[1] === undefined ? undefined : ctx.tokens.lookup(m[1]);
  if (record === undefined) {
    throw arm
      ? new ApiError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', { 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token is invalid."' })
      : new ApiError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
  }
  if (record.resource !== family) {
    const got = record.resource === 'arm' ? ARM_AUDIENCE : GRAPH_AUDIENCE;
    throw arm
      ? new ApiError(401, 'InvalidAuthenticationToken', `The access token has been obtained for wrong audience or resource '${got}'. It should exactly match with one of the allowed audiences ${ARM_AUDIENCES}.`)
      : new ApiError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
  }
  const now = ctx.now();
  if (now.getTime() >= record.expiresAt * 1000) {
    const at = (s: number): string => new Date(s).toISOString();
    throw arm
      ? new ApiError(401, 'ExpiredAuthenticationToken', `The access token expiry UTC time '${at(record.expiresAt * 1000)}' is earlier than current UTC time '${at(now.getTime())}'.`)
      : new ApiError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
  }
  return record;
}
