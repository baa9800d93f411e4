// Shared helpers for the sandbox tests: real HTTP with fetch; ids looked up by name in the default scenario.
import { defaultScenario, startSandbox, type Sandbox, type SandboxOptions } from '../../../src/sandbox/server';

export const scenario = defaultScenario();

export function tenantId(displayName: string): string {
  const t = scenario.tenants.find((x) => x.displayName === displayName);
  if (t === undefined) throw new Error(`no tenant ${displayName}`);
  return t.tenantId;
}

export function subscriptionId(displayName: string): string {
  const s = scenario.subscriptions.find((x) => x.displayName === displayName);
  if (s === undefined) throw new Error(`no subscription ${displayName}`);
  return s.subscriptionId;
}

/** The object id of an account (or a named user) in a directory. */
export function objectId(tenantName: string, who: string): string {
  const t = scenario.tenants.find((x) => x.displayName === tenantName);
  const u = t?.users.find((x) => x.account === who || x.userPrincipalName === who || x.displayName === who) ?? t?.groups.find((g) => g.displayName === who) ?? t?.servicePrincipals.find((s) => s.displayName === who);
  if (u === undefined) throw new Error(`no ${who} in ${tenantName}`);
  return u.id;
}

export const RILEY = 'riley@fabrikamlabs.onmicrosoft.com';
export const MEGAN = 'megan@contoso.com';
export const FABRIKAM = tenantId('Fabrikam Labs');
export const CONTOSO = tenantId('Contoso Ltd');
export const NORTHWIND = tenantId('Northwind Traders');
export const TAILSPIN = tenantId('Tailspin Toys');
export const PROD = subscriptionId('Fabrikam Production');

export interface Res {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON under test
  body: any;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export class Client {
  constructor(readonly sb: Sandbox) {}

  async raw(method: string, url: string, o: CallOptions = {}): Promise<Res> {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token !== undefined) headers.Authorization = `Bearer ${o.token}`;
    if (o.body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(url.startsWith('http') ? url : `${this.sb.baseUrl}${url}`, { method, headers, ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }) });
    const text = await r.text();
    let body: unknown;
    try { body = text === '' ? undefined : JSON.parse(text); } catch { body = undefined; }
    return { status: r.status, headers: r.headers, body, text };
  }

  async token(tenant: string, resource: 'arm' | 'graph', account?: string, interactive?: boolean): Promise<string> {
    const r = await this.raw('POST', '/token', { body: { tenantId: tenant, resource, ...(account === undefined ? {} : { account }), ...(interactive === undefined ? {} : { interactive }) } });
    if (r.status !== 200) throw new Error(`token ${r.status} ${r.text}`);
    return r.body.access_token as string;
  }

  arm(method: string, path: string, o: CallOptions = {}): Promise<Res> {
    return this.raw(method, path.startsWith('http') ? path : `/arm${path}`, o);
  }

  graph(method: string, path: string, o: CallOptions = {}): Promise<Res> {
    return this.raw(method, path.startsWith('http') ? path : `/graph/v1.0${path}`, o);
  }

  /** Follows `nextLink` / `@odata.nextLink`, returns all items and the number of pages. */
  async all(path: string, token: string, graph = false, headers?: Record<string, string>): Promise<{ items: unknown[]; pages: number }> {
    const items: unknown[] = [];
    let pages = 0;
    for (let next: string | undefined = path; next !== undefined; pages++) {
      const r: Res = graph ? await this.graph('GET', next, { token, ...(headers ? { headers } : {}) }) : await this.arm('GET', next, { token });
      if (r.status !== 200) throw new Error(`${next}: ${r.status} ${r.text}`);
      items.push(...(r.body.value as unknown[]));
      next = (graph ? r.body['@odata.nextLink'] : r.body.nextLink) as string | undefined;
    }
    return { items, pages };
  }
}

/** Starts a sandbox per test (fast) and closes it afterwards. */
export function useSandbox(options: SandboxOptions = {}): { sb: () => Sandbox; c: () => Client } {
  let sandbox: Sandbox | undefined;
  let client: Client | undefined;
  beforeEach(async () => {
    sandbox = await startSandbox(options);
    client = new Client(sandbox);
  });
  afterEach(async () => {
    await sandbox?.close();
  });
  return {
    sb: () => { if (sandbox === undefined) throw new Error('no sandbox'); return sandbox; },
    c: () => { if (client === undefined) throw new Error('no client'); return client; },
  };
}

export const AUTH = '/providers/Microsoft.Authorization';
export const RA_VERSION = 'api-version=2022-04-01';
export const SUB_VERSION = 'api-version=2022-12-01';
export const CT_VERSION = 'api-version=2025-11-01-preview';
