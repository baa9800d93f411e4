// Request context, replies, errors and paging shared by the ARM, Graph and token handlers.
import { type IncomingHttpHeaders } from 'node:http';
import { type SandboxState } from './state';
import { type TokenRecord, type TokenStore } from './tokenTypes';

export type Family = 'arm' | 'graph' | 'token' | 'control';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Ctx {
  method: string;
  url: URL;
  /** Path below the family prefix (`/arm`, `/graph/v1.0`), without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  baseUrl: string;
  state: SandboxState;
  tokens: TokenStore;
  now: () => Date;
  pageSize: number;
  /** Set once the bearer has been validated. */
  token?: TokenRecord;
}

/** An error answer. The family decides the body shape (ARM, Graph or OAuth). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Extra body fields (OAuth `error_codes`, …). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const ok = (body: unknown, status = 200, headers?: Record<string, string>): Reply => (headers ? { status, body, headers } : { status, body });

export function header(ctx: Pick<Ctx, 'headers'>, name: string): string | undefined {
  const v = ctx.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Case-insensitive query lookup (`$filter`, `$Filter`, `%24filter` all arrive as one key). */
export function queryParam(ctx: Pick<Ctx, 'query'>, name: string): string | undefined {
  for (const [k, v] of ctx.query) if (k.toLowerCase() === name.toLowerCase()) return v;
  return undefined;
}

/** The JSON object body, or a 400 in the family's words. */
export function bodyObject(ctx: Ctx): Record<string, unknown> {
  const b = ctx.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new ApiError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized: a JSON object is required.');
  return b as Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  /** Absolute URL of the next page, when there is one. */
  next: string | undefined;
}

/** Offset paging through an opaque skip token in the URL (`$skipToken` on ARM, `$skiptoken` on Graph). */
export function paginate<T>(ctx: Ctx, items: readonly T[], tokenName: string, size: number = ctx.pageSize): Page<T> {
  const raw = queryParam(ctx, tokenName);
  const offset = raw === undefined ? 0 : Number.parseInt(Buffer.from(raw, 'base64url').toString('utf8'), 10);
  if (!Number.isInteger(offset) || offset < 0) throw new ApiError(400, 'InvalidSkipToken', `The ${tokenName} '${raw ?? ''}' is not valid.`);
  const end = offset + size;
  if (end >= items.length) return { items: items.slice(offset), next: undefined };
  const next = new URL(ctx.url.toString());
  for (const k of [...next.searchParams.keys()]) if (k.toLowerCase() === tokenName.toLowerCase()) next.searchParams.delete(k);
  next.searchParams.set(tokenName, Buffer.from(String(end), 'utf8').toString('base64url'));
  return { items: items.slice(offset, end), next: `${ctx.baseUrl}${next.pathname}${next.search}` };
}

/** Splits on ` and ` / ` or ` outside quotes and parentheses (OData-ish filters). */
export function splitClauses(filter: string, word: 'and' | 'or'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const sep = ` ${word} `;
  for (let i = 0; i < filter.length; i++) {
    const ch = filter[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && filter.slice(i, i + sep.length).toLowerCase() === sep) {
      parts.push(filter.slice(start, i).trim());
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(filter.slice(start).trim());
  return parts;
}

/** `a eq 'b'` → ['a', 'b'] (OData string literal with '' escapes). */
export function parseEq(clause: string): [string, string] | undefined {
  const m = /^\s*([\w.]+)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(clause);
  return m?.[1] !== undefined && m[2] !== undefined ? [m[1], m[2].replace(/''/g, "'")] : undefined;
}

export type Params = Partial<Record<string, string>>;

export interface Route {
  method: string;
  /** Matched against `Ctx.path`; named groups become params. */
  pattern: RegExp;
  /** Accepted api-versions (ARM only); 'any' accepts any well-formed version. */
  versions?: readonly string[] | 'any';
  handle: (ctx: Ctx, params: Params) => Reply;
}

/** The route for the request, or 'method' when only the method is wrong. */
export function findRoute(routes: readonly Route[], ctx: Ctx): { route: Route; params: Params } | 'method' | undefined {
  let pathMatched = false;
  for (const route of routes) {
    const m = route.pattern.exec(ctx.path);
    if (m === null) continue;
    if (route.method !== ctx.method) {
      pathMatched = true;
      continue;
    }
    return { route, params: { ...m.groups } };
  }
  return pathMatched ? 'method' : undefined;
}
