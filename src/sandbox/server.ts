// The sandbox: an emulated Azure (ARM + Microsoft Graph + a token endpoint) on 127.0.0.1. See docs/sandbox.md.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import { type AddressInfo } from 'node:net';
import { armRoutes, genericResourceRoute } from './arm';
import { checkApiVersion } from './armCommon';
import { handleControl, type RequestLogEntry, type SandboxControl } from './control';
import { FaultInjector, parseFaultConfig, type FaultConfig, type FaultRule } from './faults';
import { graphRoutes } from './graph';
import { handlePortal } from './portal';
import { invitationRoutes } from './invitations';
import { ApiError, findRoute, header, type Ctx, type Family, type Reply, type Route } from './http';
import { moveDirect, moveRoutes } from './move';
import { rbacRoutes } from './rbac';
import { resourceGraphRoutes } from './resourceGraph';
import { governanceRoutes } from './governance';
import { pimRoutes } from './pim';
import { resourceWriteRoutes } from './resourceWrites';
import { parseScenario, type Scenario } from './scenario';
import defaultScenarioJson from './scenarios/default.json';
import { SandboxState, type MoveRecord } from './state';
import type { SandboxTls } from './tls';
import { authenticate, handleTokenRequest, oauthErrorBody, TokenRegistry, type TokenRequest } from './tokens';

export type { FaultConfig, FaultRule } from './faults';
export type { RequestLogEntry } from './control';
export type { Scenario } from './scenario';
export type { SandboxTls } from './tls';
export { parseScenario, ScenarioError } from './scenario';
export { countAssignments } from './scenarioChecks';
export type { SandboxState, MoveRecord, ChangeTenantRequest } from './state';

export interface SandboxOptions {
  /** 0 or omitted: a free port. */
  port?: number;
  /** A scenario (any JSON: it is validated); the default scenario when omitted. */
  scenario?: unknown;
  /** Items per page for ARM `nextLink` and Graph `@odata.nextLink` paging (default 100; Graph `$top` wins). */
  pageSize?: number;
  faults?: FaultConfig;
  /** The clock for token expiry and request expiry (default: the system clock). */
  now?: () => Date;
  /** Serve https with this certificate (base URL and next links become `https://127.0.0.1:<port>`); default http. */
  tls?: SandboxTls;
}

export interface Sandbox extends SandboxControl {
  /** `http://127.0.0.1:<port>` (`https://` with the `tls` option) */
  readonly baseUrl: string;
  /** `<base>/arm`: use where you would use https://management.azure.com */
  readonly armUrl: string;
  /** `<base>/graph/v1.0`: use where you would use https://graph.microsoft.com/v1.0 */
  readonly graphUrl: string;
  /** `<base>/token` */
  readonly tokenUrl: string;
  close(): Promise<void>;
  /** Mints a token in-process, exactly as `POST /token` would (throws on AADSTS errors). */
  getToken(request: TokenRequest): string;
  /** How many logged requests match (path + query tested against the pattern). */
  requestCount(match: RegExp | string, method?: string): number;
}

export const DEFAULT_PAGE_SIZE = 100;
const MAX_BODY = 5 * 1024 * 1024;

let cachedDefault: Scenario | undefined;
/** The default scenario, validated (a fresh copy each call). */
export function defaultScenario(): Scenario {
  cachedDefault ??= parseScenario(defaultScenarioJson);
  return structuredClone(cachedDefault);
}

const ARM_ROUTES: Route[] = [...armRoutes, ...rbacRoutes, ...pimRoutes, ...governanceRoutes, ...resourceWriteRoutes, ...moveRoutes, ...resourceGraphRoutes, genericResourceRoute];
const GRAPH_ROUTES: Route[] = [...graphRoutes, ...invitationRoutes];

function familyOf(pathname: string): { family: Family | undefined; rest: string } {
  const strip = (prefix: string): string => pathname.slice(prefix.length) || '/';
  if (pathname === '/token') return { family: 'token', rest: '/' };
  if (pathname.startsWith('/_sandbox/')) return { family: 'control', rest: pathname };
  if (pathname === '/arm' || pathname.startsWith('/arm/')) return { family: 'arm', rest: strip('/arm') };
  if (pathname.startsWith('/graph/')) return { family: 'graph', rest: pathname.startsWith('/graph/v1.0/') ? strip('/graph/v1.0') : pathname };
  return { family: undefined, rest: pathname };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new ApiError(413, 'RequestEntityTooLarge', 'The request body is too large.'));
      else chunks.push(c);
    });
    req.on('end', () => { resolve(Buffer.concat(chunks).toString('utf8')); });
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Error bodies in each family's shape. */
function errorBody(family: Family | undefined, e: ApiError, ctx: { now: Date; requestId: string; clientRequestId: string }): unknown {
  if (family === 'token') return oauthErrorBody(e, ctx.now, ctx.clientRequestId);
  if (family === 'graph') {
    return { error: { code: e.code, message: e.message, innerError: { date: ctx.now.toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': ctx.requestId, 'client-request-id': ctx.clientRequestId } } };
  }
  return { error: { code: e.code, message: e.message, ...e.details } };
}

function faultError(rule: FaultRule): ApiError {
  const retry = rule.retryAfterSeconds ?? (rule.fault === 429 ? 1 : undefined);
  const headers: Record<string, string> = retry === undefined ? {} : { 'Retry-After': String(retry) };
  switch (rule.fault) {
    case 408: return new ApiError(408, 'RequestTimeout', 'The request timed out (sandbox fault).', headers);
    case 429: return new ApiError(429, 'TooManyRequests', 'Number of requests exceeded the limit. Please retry after the time given in Retry-After (sandbox fault).', headers);
    case 503: return new ApiError(503, 'ServiceUnavailable', 'The service is temporarily unavailable (sandbox fault).', headers);
    case 502: return new ApiError(502, 'BadGateway', 'The gateway received an invalid response (sandbox fault).', headers);
    case 504: return new ApiError(504, 'GatewayTimeout', 'The gateway did not receive a response within the specified time period (sandbox fault).', headers);
    default: return new ApiError(500, 'InternalServerError', 'An internal server error occurred (sandbox fault).', headers);
  }
}

class SandboxServer implements Sandbox {
  readonly state: SandboxState;
  readonly tokens = new TokenRegistry();
  private readonly faultInjector = new FaultInjector();
  private log: RequestLogEntry[] = [];
  private readonly baseClock: () => Date;
  private size: number;
  private clockOffset = 0;
  private readonly readsLeft = new Map<string, number>();
  baseUrl = '';

  constructor(private readonly server: Server | TlsServer, options: SandboxOptions) {
    this.state = new SandboxState(options.scenario === undefined ? defaultScenario() : parseScenario(options.scenario));
    this.size = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.faultInjector.set(options.faults ?? {});
    this.baseClock = options.now ?? ((): Date => new Date());
  }

  get armUrl(): string { return `${this.baseUrl}/arm`; }
  get graphUrl(): string { return `${this.baseUrl}/graph/v1.0`; }
  get tokenUrl(): string { return `${this.baseUrl}/token`; }
  get requestLog(): readonly RequestLogEntry[] { return this.log; }
  get pageSize(): number { return this.size; }
  get faults(): FaultConfig { return this.faultInjector.config; }
  get tokensIssued(): number { return this.tokens.size; }

  now(): Date { return new Date(this.baseClock().getTime() + this.clockOffset); }
  advanceClock(ms: number): void { this.clockOffset += ms; }
  setFaults(config: unknown): void { this.faultInjector.set(parseFaultConfig(config)); }
  setPageSize(size: number | undefined): void { this.size = size ?? DEFAULT_PAGE_SIZE; }
  reset(): void {
    this.state.reset();
    this.readsLeft.clear();
    // Started with --expose-gc (the bench does), the sandbox collects what the reset let go now, not during the next
    // requests, whose CPU time is then theirs alone.
    (globalThis as { gc?: () => void }).gc?.();
  }
  clearRequestLog(): void { this.log = []; }

  loadScenario(raw: unknown): Scenario {
    const scenario = parseScenario(raw);
    this.state.load(scenario);
    this.readsLeft.clear();
    return scenario;
  }

  moveSubscription(subscriptionId: string, tenantId: string, acceptorUpn: string): MoveRecord {
    return moveDirect(this.state, subscriptionId, tenantId, acceptorUpn, this.now());
  }

  getToken(request: TokenRequest): string {
    return this.tokens.issue(this.state, request, this.now()).token;
  }

  requestCount(match: RegExp | string, method?: string): number {
    const re = typeof match === 'string' ? new RegExp(match) : match;
    return this.log.filter((e) => (method === undefined || e.method === method.toUpperCase()) && re.test(e.path + e.query)).length;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((err) => { if (err) reject(err); else resolve(); });
      this.server.closeAllConnections();
    });
  }

  /** One request, start to end. Never throws. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', this.baseUrl);
    const { family, rest } = familyOf(url.pathname);
    const requestId = randomUUID();
    const clientRequestId = header(req, 'client-request-id') ?? header(req, 'x-ms-correlation-request-id') ?? randomUUID();
    const headers: Record<string, string> = { 'x-ms-request-id': requestId, 'x-ms-correlation-request-id': header(req, 'x-ms-correlation-request-id') ?? requestId };
    if (family === 'graph') Object.assign(headers, { 'request-id': requestId, 'client-request-id': clientRequestId });
    const entry: RequestLogEntry = { method, path: url.pathname, query: url.search, status: 0, time: this.now().toISOString(), durationMs: 0 };
    let fault: FaultRule | undefined;
    let reply: Reply;
    // The root redirects to the portal too: a browser that lost the path (code-server 4.100's proxy keeps only the
    // port of a loopback URL) still lands on the subscription list.
    if (url.pathname === '/portal' || url.pathname.startsWith('/portal/') || (url.pathname === '/' && method === 'GET')) {
      await this.servePortal(req, res, method, url.pathname === '/' ? '/portal' : url.pathname);
      return;
    }
    try {
      const raw = await readBody(req);
      if (family === 'control') {
        reply = handleControl(this, method, rest, parseJson(raw));
      } else {
        if (this.faultInjector.latencyMs > 0) await sleep(this.faultInjector.latencyMs);
        fault = this.faultInjector.take(method, url.pathname + url.search);
        if (fault !== undefined) entry.fault = String(fault.fault);
        if (fault?.fault === 'reset') {
          this.record(entry, started);
          req.socket.destroy();
          return;
        }
        if (fault !== undefined && typeof fault.fault === 'number') throw faultError(fault);
        if (fault?.fault === 'reply') {
          this.replyRaw(res, headers, fault.status ?? 200, fault.body);
          this.record({ ...entry, status: fault.status ?? 200 }, started);
          return;
        }
        const ctx: Ctx = { method, url, path: rest, query: url.searchParams, headers: req.headers, body: parseJson(raw), baseUrl: this.baseUrl, state: this.state, tokens: this.tokens, now: () => this.now(), pageSize: this.size };
        reply = this.dispatch(family, ctx);
      }
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(500, 'InternalServerError', `Sandbox error: ${e instanceof Error ? e.message : String(e)}`);
      reply = { status: err.status, body: errorBody(family, err, { now: this.now(), requestId, clientRequestId }), headers: err.headers };
    }
    if (family === 'arm') this.rateLimitHeaders(method, headers, header(req, 'authorization') ?? '');
    let text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    let status = reply.status;
    if (fault?.fault === 'malformed') {
      text = (text || '{"value":[{"id":"truncated"}]}').slice(0, Math.max(1, Math.floor(text.length / 2)));
      status = 200;
    }
    res.writeHead(status, { ...headers, ...reply.headers, ...(text === '' ? {} : { 'Content-Type': 'application/json; charset=utf-8' }), 'Content-Length': String(Buffer.byteLength(text)) });
    res.end(text);
    if (family !== 'control') this.record({ ...entry, status }, started);
  }

  /** A `reply` rule's body, verbatim. */
  private replyRaw(res: ServerResponse, headers: Record<string, string>, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) });
    res.end(text);
  }

  /** The emulated portal page (HTML for a browser; see portal.ts). Not in the request log: it is not an API. */
  private async servePortal(req: IncomingMessage, res: ServerResponse, method: string, pathname: string): Promise<void> {
    const reply = handlePortal(this, method, pathname.slice('/portal'.length), await readBody(req).catch(() => ''));
    res.writeHead(reply.status, {
      ...(reply.location === undefined ? {} : { Location: reply.location }),
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'",
      'Cache-Control': 'no-store',
      'Content-Length': String(Buffer.byteLength(reply.html)),
    });
    res.end(reply.html);
  }

  private record(entry: RequestLogEntry, started: number): void {
    this.log.push({ ...entry, durationMs: Date.now() - started });
  }

  private dispatch(family: Family | undefined, ctx: Ctx): Reply {
    if (family === 'token') return handleTokenRequest(ctx);
    if (family === 'arm') return this.route(ARM_ROUTES, ctx, 'arm');
    if (family === 'graph') {
      if (!ctx.url.pathname.startsWith('/graph/v1.0/')) throw new ApiError(400, 'BadRequest', `Invalid version: the sandbox serves /graph/v1.0 only.`);
      return this.route(GRAPH_ROUTES, ctx, 'graph');
    }
    throw new ApiError(404, 'NotFound', `No such endpoint '${ctx.url.pathname}'. The sandbox serves /arm, /graph/v1.0, /token, /portal and /_sandbox (see docs/sandbox.md).`);
  }

  private route(routes: readonly Route[], ctx: Ctx, family: 'arm' | 'graph'): Reply {
    const found = findRoute(routes, ctx);
    if (found === 'method') throw new ApiError(405, family === 'arm' ? 'MethodNotAllowed' : 'Request_BadRequest', `The requested resource does not support http method '${ctx.method}'.`);
    if (found === undefined) {
      throw family === 'arm'
        ? new ApiError(404, 'NotFound', `The sandbox does not emulate '${ctx.method} ${ctx.path}'. See docs/sandbox.md for the endpoints it serves.`)
        : new ApiError(400, 'BadRequest', `Resource not found for the segment '${ctx.path.split('/').filter((s) => s !== '').pop() ?? ''}'.`);
    }
    ctx.token = authenticate(ctx, family);
    if (family === 'arm') checkApiVersion(ctx, found.route);
    return found.route.handle(ctx, found.params);
  }

  /** `x-ms-ratelimit-remaining-subscription-reads|writes`, counting down per caller. */
  private rateLimitHeaders(method: string, headers: Record<string, string>, auth: string): void {
    const kind = method === 'GET' ? 'reads' : 'writes';
    const key = `${kind}:${auth}`;
    const left = (this.readsLeft.get(key) ?? (kind === 'reads' ? 12000 : 1200)) - 1;
    this.readsLeft.set(key, Math.max(0, left));
    headers[`x-ms-ratelimit-remaining-subscription-${kind}`] = String(Math.max(0, left));
  }
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ApiError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized: the body is not valid JSON.');
  }
}

/** Starts a sandbox on 127.0.0.1. Resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const server = options.tls === undefined ? createServer() : createTlsServer({ cert: options.tls.cert, key: options.tls.key });
  const sandbox = new SandboxServer(server, options);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => { void sandbox.handle(req, res); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  sandbox.baseUrl = `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sandbox;
}
