/**
 * The one HTTP layer every Azure, Graph and token call goes through: the Azure SDK's own pipeline
 * (`@azure/core-rest-pipeline`) with a retry strategy like Azure's own clients — 408, 429, 500, 502, 503 and 504
 * honouring `Retry-After`, connection resets and truncated JSON bodies on idempotent requests (and on calls marked
 * safe to repeat: the token endpoint, Graph `getByIds`) — see https://learn.microsoft.com/azure/architecture/best-practices/retry-service-specific
 * — a per-attempt timeout whose timer never outlives the attempt, cancellation through `AbortSignal`, one log line
 * per attempt (never a token, never a query secret) and typed errors (`AzureError`).
 */
import {
  createDefaultHttpClient,
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  isRestError,
  retryPolicy,
  setClientRequestIdPolicy,
  userAgentPolicy,
  type HttpClient,
  type HttpMethods,
  type PipelinePolicy,
  type PipelineResponse,
  type RetryStrategy,
  type PipelineRequest,
  RestError,
} from '@azure/core-rest-pipeline';
import { AzureError, errorFromResponse, type AzureService } from './errors';
import { ThrottleGate, throttleBucket, type ThrottleOptions } from './throttle';

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

export type Resource = 'arm' | 'graph';

export interface RetryOptions {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** First back-off when the service gives no `Retry-After`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited out: the call fails as `throttled` with the seconds. */
  readonly maxRetryAfterMs: number;
  /** One attempt's time limit (a timed-out attempt counts as a connection error). */
  readonly attemptTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxRetries: 4, baseDelayMs: 800, maxDelayMs: 20_000, maxRetryAfterMs: 60_000, attemptTimeoutMs: 120_000 };

export interface HttpRequest {
  readonly service: AzureService;
  readonly method: HttpMethods;
  readonly url: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Bearer token to send; the layer never logs it. */
  readonly token?: string;
  readonly signal?: AbortSignal;
  /** Directory the call is made in, for error messages (`wrongTenant`). */
  readonly tenantId?: string;
  /** Extra statuses that are not errors for this call (e.g. 404 on an optional read). */
  readonly okStatuses?: readonly number[];
  /** A POST that is safe to repeat (a token request, a read such as Graph `getByIds`): retried like a GET. */
  readonly idempotent?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly bodyText: string;
  /** The body already parsed (a 2xx JSON answer: the layer parses it once, to retry a cut-off one). */
  readonly parsed?: { readonly value: unknown };
}

export interface HttpLayerOptions {
  readonly logger?: Logger;
  readonly retry?: Partial<RetryOptions>;
  readonly userAgent?: string;
  /** For tests: another transport. */
  readonly httpClient?: HttpClient;
  /** Requests in flight per throttling bucket (a subscription, a directory) and overall; see throttle.ts. */
  readonly throttle?: ThrottleOptions;
}

export class HttpLayer {
  private readonly pipeline = createEmptyPipeline();
  private readonly client: HttpClient;
  readonly logger: Logger;
  private readonly retry: RetryOptions;
  /** Requests that may be repeated after a reset or a 5xx (idempotent methods, and POSTs marked `idempotent`). */
  private readonly repeatable = new WeakSet<PipelineRequest>();
  readonly gate: ThrottleGate;
  private readonly buckets = new WeakMap<object, string>();

  constructor(options: HttpLayerOptions = {}) {
    this.gate = new ThrottleGate(options.throttle);
    this.logger = options.logger ?? silentLogger;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.client = options.httpClient ?? createDefaultHttpClient();
    this.pipeline.addPolicy(userAgentPolicy({ userAgentPrefix: options.userAgent ?? 'azure-tenant-link' }));
    this.pipeline.addPolicy(setClientRequestIdPolicy());
    this.pipeline.addPolicy(retryPolicy([retryStrategy(this.retry, (r) => this.repeatable.has(r))], { maxRetries: this.retry.maxRetries }), { phase: 'Retry' });
    this.pipeline.addPolicy(logPolicy(this.logger), { phase: 'Sign' });
    this.pipeline.addPolicy(gatePolicy(this.gate, (r) => this.buckets.get(r)), { phase: 'Sign' });
    this.pipeline.addPolicy(jsonBodyPolicy(), { phase: 'Sign' });
    this.pipeline.addPolicy(attemptTimeoutPolicy(this.retry.attemptTimeoutMs), { phase: 'Sign' });
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    if (req.signal?.aborted) throw cancelled(req.service);
    const headers = createHttpHeaders({ accept: 'application/json', ...req.headers });
    if (req.token) headers.set('authorization', `Bearer ${req.token}`);
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    const request = createPipelineRequest({
      url: req.url,
      method: req.method,
      headers,
      body,
      abortSignal: req.signal,
      // No `timeout` here: the transport's own timer is not cleared when the connection fails, which kept the CLI
      // alive for two minutes after a reset; `attemptTimeoutPolicy` clears its timer however the attempt ends.
      // Plain HTTP only to the sandbox on this machine; everything else must be https.
      allowInsecureConnection: isLoopback(req.url),
    });
    if (IDEMPOTENT.has(req.method) || req.idempotent === true) this.repeatable.add(request);
    this.buckets.set(request, throttleBucket(req.service, req.url, req.tenantId));
    let response: PipelineResponse;
    try {
      response = await this.pipeline.sendRequest(this.client, request);
    } catch (e) {
      throw toAzureError(e, req);
    }
    const parsed = parsedBodies.get(response);
    const result: HttpResponse = {
      status: response.status,
      headers: new Map(Object.entries(response.headers.toJSON())),
      bodyText: response.bodyAsText ?? '',
      ...(parsed === undefined ? {} : { parsed }),
    };
    if ((response.status >= 200 && response.status < 300) || req.okStatuses?.includes(response.status)) return result;
    const after = retryAfterMs(response);
    throw errorFromResponse({
      service: req.service,
      status: response.status,
      bodyText: result.bodyText,
      method: req.method,
      path: redactUrl(req.url),
      requestId: response.headers.get('x-ms-request-id') ?? response.headers.get('request-id'),
      retryAfterSeconds: after === undefined ? undefined : Math.ceil(after / 1000),
      tenantId: req.tenantId,
    });
  }

  /** `send` and parse the body as JSON of the expected shape (checked by `guard`). */
  async json<T>(req: HttpRequest, guard: (v: unknown) => v is T): Promise<T> {
    return parseJson(await this.send(req), guard, req);
  }
}

/** The response's JSON (parsed once: the layer's own parse when it made one) of the shape `guard` checks. */
export function parseJson<T>(res: Pick<HttpResponse, 'bodyText' | 'parsed'>, guard: (v: unknown) => v is T, req: Pick<HttpRequest, 'service' | 'method' | 'url'>): T {
  let value: unknown;
  try {
    value = res.parsed === undefined ? JSON.parse(res.bodyText) : res.parsed.value;
  } catch (e) {
    throw new AzureError(`${req.method} ${redactUrl(req.url)} returned a body that is not JSON.`, { kind: 'malformed', service: req.service, cause: e });
  }
  if (!guard(value)) {
    throw new AzureError(`${req.method} ${redactUrl(req.url)} returned JSON of an unexpected shape.`, { kind: 'malformed', service: req.service });
  }
  return value;
}

function cancelled(service: AzureService): AzureError {
  return new AzureError('The operation was cancelled.', { kind: 'cancelled', service });
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'REQUEST_SEND_ERROR']);

function toAzureError(e: unknown, req: HttpRequest): AzureError {
  if (e instanceof AzureError) return e;
  if (req.signal?.aborted || (e instanceof Error && e.name === 'AbortError')) return cancelled(req.service);
  const code = isRestError(e) ? e.code : e instanceof Error ? (e as NodeJS.ErrnoException).code : undefined;
  if (code === MALFORMED_BODY) {
    return new AzureError(`${req.method} ${redactUrl(req.url)} returned a body that is not JSON.`, { kind: 'malformed', service: req.service, cause: e });
  }
  const host = safeHost(req.url);
  const reason = e instanceof Error ? e.message : String(e);
  return new AzureError(`Could not reach ${host}: ${reason}`, { kind: 'network', service: req.service, code, cause: e });
}

/** http://127.0.0.1, http://localhost or http://[::1]: the sandbox. */
export function isLoopback(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the service';
  }
}

const SECRET_QUERY = /^(\$?skiptoken|code|token|access_token|sig|signature)$/i;

/** Path and query for logs: secrets in the query are replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    for (const key of [...u.searchParams.keys()]) if (SECRET_QUERY.test(key)) u.searchParams.set(key, '***');
    return decodeURIComponent(u.pathname + u.search);
  } catch {
    return '(invalid url)';
  }
}

function logPolicy(logger: Logger): PipelinePolicy {
  return {
    name: 'tenantLinkLog',
    async sendRequest(request, next) {
      const started = Date.now();
      const line = `${request.method} ${redactUrl(request.url)}`;
      try {
        const response = await next(request);
        const ms = Date.now() - started;
        const id = response.headers.get('x-ms-request-id') ?? response.headers.get('request-id');
        const text = `${line} → ${response.status} (${ms} ms)${id ? ` request-id ${id}` : ''}`;
        if (response.status >= 400) logger.warn(text);
        else logger.info(text);
        return response;
      } catch (e) {
        logger.warn(`${line} → ${e instanceof Error ? e.message : String(e)} (${Date.now() - started} ms)`);
        throw e;
      }
    },
  };
}

/** Each attempt waits for a slot in its throttling bucket; a `Retry-After` on 429 / 503 holds back the whole bucket. */
function gatePolicy(gate: ThrottleGate, bucketOf: (request: object) => string | undefined): PipelinePolicy {
  return {
    name: 'tenantLinkThrottle',
    async sendRequest(request, next) {
      const bucket = bucketOf(request) ?? 'other';
      const release = await gate.acquire(bucket, request.abortSignal);
      try {
        const response = await next(request);
        const after = response.status === 429 || response.status === 503 ? retryAfterMs(response) : undefined;
        if (after !== undefined) gate.pause(bucket, after);
        return response;
      } finally {
        release();
      }
    },
  };
}

/** Refused without being processed: safe to repeat for any method. */
const REFUSED_STATUSES = new Set([429, 503]);
/** Transient, but the request may have been processed: repeated only when it is safe to repeat. */
const TRANSIENT_STATUSES = new Set([408, 500, 502, 504]);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** The code of the error `jsonBodyPolicy` raises for a 2xx JSON body that does not parse (a cut-off response). */
const MALFORMED_BODY = 'MALFORMED_BODY';
const TIMED_OUT = 'ETIMEDOUT';

function retryAfterMs(response: PipelineResponse | undefined): number | undefined {
  if (!response) return undefined;
  for (const [header, factor] of [['retry-after-ms', 1], ['x-ms-retry-after-ms', 1], ['retry-after', 1000]] as const) {
    const raw = response.headers.get(header);
    if (raw === undefined) continue;
    const n = Number(raw);
    if (raw.trim() !== '' && Number.isFinite(n) && n >= 0) return n * factor;
    if (header === 'retry-after') {
      const date = Date.parse(raw);
      if (Number.isFinite(date)) return Math.max(0, date - Date.now());
    }
  }
  return undefined;
}

function backoff(options: RetryOptions, retryCount: number): number {
  const exp = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retryCount - 1));
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}

function retryStrategy(options: RetryOptions, repeatable: (request: PipelineRequest) => boolean): RetryStrategy {
  return {
    name: 'tenantLinkRetry',
    retry({ retryCount, response, responseError }) {
      if (responseError) {
        if (responseError.name === 'AbortError') return { errorToThrow: responseError };
        const code = responseError.code ?? '';
        const request = responseError.request;
        const safe = request !== undefined && repeatable(request);
        if (safe && (code === MALFORMED_BODY || NETWORK_CODES.has(code) || responseError.statusCode === undefined)) {
          return { retryAfterInMs: backoff(options, retryCount) };
        }
        return { skipStrategy: true };
      }
      if (!response) return { skipStrategy: true };
      const status = response.status;
      if (!REFUSED_STATUSES.has(status) && !(TRANSIENT_STATUSES.has(status) && repeatable(response.request))) return { skipStrategy: true };
      const after = retryAfterMs(response);
      if (after !== undefined) {
        // A long wait is not sat out silently: the call fails and its message says how long Azure asked to wait.
        if (after > options.maxRetryAfterMs) return { skipStrategy: true };
        return { retryAfterInMs: after };
      }
      return { retryAfterInMs: backoff(options, retryCount) };
    },
  };
}

/** A 2xx JSON response whose body does not parse was cut off on the way: an error the retry strategy can repeat. */
/** 2xx JSON bodies `jsonBodyPolicy` parsed, handed on by `send` so that no body is parsed twice. */
const parsedBodies = new WeakMap<PipelineResponse, { readonly value: unknown }>();

function jsonBodyPolicy(): PipelinePolicy {
  return {
    name: 'tenantLinkJsonBody',
    async sendRequest(request, next) {
      const response = await next(request);
      const text = response.bodyAsText;
      if (response.status >= 200 && response.status < 300 && text && /json/i.test(response.headers.get('content-type') ?? '')) {
        try {
          parsedBodies.set(response, { value: JSON.parse(text) as unknown });
        } catch {
          throw new RestError('The response body is not valid JSON (cut off?).', { code: MALFORMED_BODY, statusCode: response.status, request, response });
        }
      }
      return response;
    },
  };
}

/**
 * One attempt's time limit. Its timer is cleared however the attempt ends (the transport's own `timeout` timer is
 * not cleared when a connection fails, and kept the process alive for its full length).
 */
function attemptTimeoutPolicy(ms: number): PipelinePolicy {
  return {
    name: 'tenantLinkAttemptTimeout',
    async sendRequest(request, next) {
      const outer = request.abortSignal;
      const controller = new AbortController();
      const attempt = { timedOut: false };
      const onAbort = (): void => { controller.abort(); };
      if (outer?.aborted) controller.abort();
      else outer?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        attempt.timedOut = true;
        controller.abort();
      }, ms);
      request.abortSignal = controller.signal;
      try {
        return await next(request);
      } catch (e) {
        if (attempt.timedOut && !outer?.aborted) throw new RestError(`No response within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}.`, { code: TIMED_OUT, request });
        throw e;
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onAbort);
        request.abortSignal = outer;
      }
    },
  };
}
