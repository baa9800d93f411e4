/**
 * Typed errors the UI and the CLI can explain. Every failure of the HTTP layer ends up as one `AzureError`
 * with a `kind`; messages keep the service's own words (https://learn.microsoft.com/azure/role-based-access-control/troubleshooting,
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
 */
export type AzureErrorKind =
  | 'notSignedIn' // no session / account is not in the directory / interaction required
  | 'wrongTenant' // 401 InvalidAuthenticationTokenTenant: token from another directory
  | 'unauthorized' // other 401s (expired or invalid token)
  | 'forbidden' // 403: names the missing role or permission in `missing`
  | 'notFound'
  | 'conflict'
  | 'badRequest'
  | 'throttled' // 429 after retries ran out
  | 'server' // 5xx after retries ran out
  | 'network' // connection refused / reset / DNS / timeout
  | 'malformed' // a body that is not the JSON we expect
  | 'cancelled';

export type AzureService = 'arm' | 'graph' | 'token';

export interface AzureErrorDetails {
  readonly kind: AzureErrorKind;
  readonly service: AzureService;
  readonly status?: number;
  /** The service's own error code, e.g. `AuthorizationFailed`, `Authorization_RequestDenied`, `AADSTS50076`. */
  readonly code?: string;
  readonly requestId?: string;
  /** For `forbidden`: the role or permission that is missing, when we can tell. */
  readonly missing?: string;
  /** For `wrongTenant` / `notSignedIn`: the directory involved. */
  readonly tenantId?: string;
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

export class AzureError extends Error {
  readonly kind: AzureErrorKind;
  readonly service: AzureService;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly missing: string | undefined;
  readonly tenantId: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, details: AzureErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'AzureError';
    this.kind = details.kind;
    this.service = details.service;
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
    this.missing = details.missing;
    this.tenantId = details.tenantId;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

export function isAzureError(e: unknown, kind?: AzureErrorKind): e is AzureError {
  return e instanceof AzureError && (kind === undefined || e.kind === kind);
}

export function isCancellation(e: unknown): boolean {
  return isAzureError(e, 'cancelled') || (e instanceof Error && e.name === 'AbortError');
}

const ROLE_WRITE_ACTION = 'Microsoft.Authorization/roleAssignments/write';

/** The Graph permissions each kind of call needs; used to name what is missing on a 403. */
export const GRAPH_PERMISSION_HINTS: readonly { readonly path: RegExp; readonly permission: string }[] = [
  { path: /\/subscribedSkus/i, permission: 'Organization.Read.All' },
  { path: /\/organization/i, permission: 'Organization.Read.All' },
  { path: /\/users/i, permission: 'User.ReadBasic.All' },
  { path: /\/groups/i, permission: 'GroupMember.Read.All' },
  { path: /\/directoryObjects/i, permission: 'Directory.Read.All' },
  { path: /\/servicePrincipals/i, permission: 'Application.Read.All' },
];

interface ErrorBody {
  readonly code?: string;
  readonly message?: string;
}

/** Reads `{error:{code,message}}` (ARM and Graph) or `{error, error_description}` (OAuth). */
export function parseErrorBody(text: string | undefined): ErrorBody {
  if (!text) return {};
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null) return {};
    const record = json as Record<string, unknown>;
    const inner = record.error;
    if (typeof inner === 'object' && inner !== null) {
      const e = inner as Record<string, unknown>;
      return { code: str(e.code), message: str(e.message) };
    }
    if (typeof inner === 'string') {
      const description = str(record.error_description);
      const aadsts = description ? /AADSTS\d+/.exec(description)?.[0] : undefined;
      return { code: aadsts ?? inner, message: description ?? inner };
    }
    return {};
  } catch {
    return {};
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export interface HttpFailure {
  readonly service: AzureService;
  readonly status: number;
  readonly bodyText?: string;
  readonly method: string;
  readonly path: string;
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;
  readonly tenantId?: string;
}

/** Turns a non-2xx response into the typed error the UI explains. */
export function errorFromResponse(f: HttpFailure): AzureError {
  const { code, message } = parseErrorBody(f.bodyText);
  const base = { service: f.service, status: f.status, code, requestId: f.requestId, tenantId: f.tenantId };
  const said = oneLine(message ?? `${f.method} ${f.path} failed with HTTP ${f.status}.`);
  // A Retry-After too long to wait out is not hidden: the message says how long Azure asked to wait.
  const text = f.retryAfterSeconds !== undefined && f.retryAfterSeconds > 0 && (f.status === 429 || f.status === 503)
    ? `${said} Azure asked to wait ${waitText(f.retryAfterSeconds)} before trying again.`
    : said;
  if (f.status === 401) {
    if (code === 'InvalidAuthenticationTokenTenant') return new AzureError(text, { ...base, kind: 'wrongTenant' });
    return new AzureError(text, { ...base, kind: 'unauthorized' });
  }
  if (f.service === 'token' && f.status === 400) return new AzureError(text, { ...base, kind: 'notSignedIn' });
  if (f.status === 403) return new AzureError(text, { ...base, kind: 'forbidden', missing: missingPermission(f, text) });
  if (f.status === 404) return new AzureError(text, { ...base, kind: 'notFound' });
  if (f.status === 409) return new AzureError(text, { ...base, kind: 'conflict' });
  if (f.status === 429) return new AzureError(text, { ...base, kind: 'throttled', retryAfterSeconds: f.retryAfterSeconds });
  if (f.status >= 500) return new AzureError(text, { ...base, kind: 'server' });
  return new AzureError(text, { ...base, kind: 'badRequest' });
}

/**
 * Service text as one line: its first non-empty line (AADSTS descriptions go on with `\r\n`Trace ID… lines), with
 * any other control character turned into a space.
 */
export function oneLine(text: string): string {
  const first = text.split(/\r\n|\r|\n/).find((l) => l.trim() !== '') ?? '';
  // eslint-disable-next-line no-control-regex
  return first.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ').trim();
}

function waitText(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.ceil(minutes / 60)} h`;
}

function missingPermission(f: HttpFailure, message: string): string | undefined {
  if (f.service === 'arm') {
    const action = /perform action '([^']+)'/.exec(message)?.[1];
    if (action === ROLE_WRITE_ACTION) return 'Owner, User Access Administrator or Role Based Access Control Administrator';
    if (/Microsoft\.Subscription\/policies\/write/i.test(action ?? '')) return 'Global Administrator (direct assignment, elevated)';
    return action;
  }
  if (f.service === 'graph') return GRAPH_PERMISSION_HINTS.find((h) => h.path.test(f.path))?.permission;
  return undefined;
}
