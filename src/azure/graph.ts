/**
 * Microsoft Graph through `@microsoft/microsoft-graph-client` (query building, `PageIterator`), with its transport
 * replaced by one middleware that sends through our `HttpLayer` — so Graph shares the retry, cancellation, logging
 * and typed errors of every other call (https://learn.microsoft.com/graph/api/overview, https://learn.microsoft.com/graph/throttling).
 */
// The library's modules, not its index: the index also pulls in batching and large-file uploads (the package declares
// no `sideEffects`, so the bundler cannot drop them), about 11 KB of the extension host bundle we never run.
import { Client } from '@microsoft/microsoft-graph-client/lib/es/src/Client';
import { GraphClientError } from '@microsoft/microsoft-graph-client/lib/es/src/GraphClientError';
import type { Context } from '@microsoft/microsoft-graph-client/lib/es/src/IContext';
import type { Middleware } from '@microsoft/microsoft-graph-client/lib/es/src/middleware/IMiddleware';
import type { HttpMethods } from '@azure/core-rest-pipeline';
import type { Account, AuthAdapter } from './auth';
import { AzureError } from './errors';
import type { HttpLayer } from './http';
import { isRecord } from './guards';
import { nextLinkDecision } from './paging';
import { GLOBAL_ADMINISTRATOR_TEMPLATE_ID, type DirectoryObject, type DirectoryRole, type GraphUser, type Invitation, type Organization, type SubscribedSku } from './models';

/** Graph actions sent as POST that only read. */
const READ_ONLY_POST = /\/directoryObjects\/getByIds$/i;

const USER_SELECT = 'id,displayName,userPrincipalName,mail,userType,accountEnabled';
/**
 * What naming a principal needs, over users, groups and service principals alike. getByIds returns "only a subset of
 * user properties ... by default in v1.0" (https://learn.microsoft.com/graph/api/directoryobject-getbyids), without
 * `userType`; asking for these also keeps a 1,000-object answer small.
 */
const DIRECTORY_OBJECT_SELECT = ['id', 'displayName', 'userPrincipalName', 'mail', 'userType', 'appId', 'servicePrincipalType'];

interface FetchLikeOptions {
  readonly method?: string;
  readonly headers?: ConstructorParameters<typeof Headers>[0];
  readonly body?: unknown;
  readonly signal?: AbortSignal | null;
}

/** The Graph client's last middleware: the request goes out through `HttpLayer`. */
class HttpLayerMiddleware implements Middleware {
  constructor(
    private readonly http: HttpLayer,
    private readonly token: (signal?: AbortSignal) => Promise<string>,
    private readonly tenantId: string,
  ) {}

  async execute(context: Context): Promise<void> {
    const request: unknown = context.request;
    const url = typeof request === 'string' ? request : String((request as { url: unknown }).url);
    const options = (context.options ?? {}) as FetchLikeOptions;
    const signal = options.signal ?? undefined;
    const headers: Record<string, string> = {};
    new Headers(options.headers).forEach((value, key) => (headers[key] = value));
    const method = (options.method ?? 'GET').toUpperCase() as HttpMethods;
    try {
      const token = await this.token(signal);
      const res = await this.http.send({
        service: 'graph',
        method,
        url,
        // POST /directoryObjects/getByIds only reads (https://learn.microsoft.com/graph/api/directoryobject-getbyids):
        // safe to repeat after a reset or a 5xx.
        idempotent: method === 'POST' && READ_ONLY_POST.test(new URL(url).pathname),
        headers,
        body: typeof options.body === 'string' ? options.body : undefined,
        token,
        signal,
        tenantId: this.tenantId,
      });
      const responseHeaders = new Headers();
      for (const [k, v] of res.headers) responseHeaders.set(k, v);
      context.response = new Response(res.status === 204 ? null : res.bodyText, { status: res.status, headers: responseHeaders });
    } catch (e) {
      const wrapped = new GraphClientError(e instanceof Error ? e.message : String(e));
      wrapped.customError = e;
      throw wrapped;
    }
  }
}

function unwrap(e: unknown): AzureError {
  if (e instanceof GraphClientError && e.customError instanceof AzureError) return e.customError;
  if (e instanceof AzureError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new AzureError(`Microsoft Graph: ${message}`, { kind: 'malformed', service: 'graph', cause: e });
}

export interface UserSearchResult {
  readonly users: GraphUser[];
  /** `@odata.count` when the service gave it. */
  readonly count?: number;
}

export class GraphClient {
  private readonly client: Client;
  private readonly baseUrl: string;
  private readonly warn: (message: string) => void;

  constructor(
    http: HttpLayer,
    auth: AuthAdapter,
    readonly account: Account,
    readonly tenantId: string,
    /** Told when a listing ends early (a malformed `@odata.nextLink`); default: the HTTP layer's log. */
    onWarning?: (message: string) => void,
  ) {
    this.baseUrl = `${auth.cloud.graphUrl.replace(/\/+$/, '')}/v1.0`;
    this.warn = onWarning ?? ((m) => { http.logger.warn(m); });
    const token = async (signal?: AbortSignal): Promise<string> =>
      (await auth.getToken({ account, tenantId, resource: 'graph', signal })).token;
    this.client = Client.initWithMiddleware({
      middleware: new HttpLayerMiddleware(http, token, tenantId),
      baseUrl: auth.cloud.graphUrl,
      defaultVersion: 'v1.0',
    });
  }

  /** The directory's organization object (with only User.Read most fields are null). */
  async organization(signal?: AbortSignal): Promise<Organization | undefined> {
    const items = await this.list<Organization>('/organization', { signal });
    return items[0];
  }

  subscribedSkus(signal?: AbortSignal): Promise<SubscribedSku[]> {
    return this.list<SubscribedSku>('/subscribedSkus', { signal });
  }

  me(signal?: AbortSignal): Promise<GraphUser> {
    return this.get<GraphUser>('/me', { select: USER_SELECT, signal });
  }

  /** The caller's active directory roles (transitive). */
  myDirectoryRoles(signal?: AbortSignal): Promise<DirectoryRole[]> {
    return this.list<DirectoryRole>('/me/transitiveMemberOf/microsoft.graph.directoryRole', { select: 'id,displayName,roleTemplateId', signal });
  }

  async isGlobalAdministrator(signal?: AbortSignal): Promise<boolean> {
    const roles = await this.myDirectoryRoles(signal);
    return roles.some((r) => r.roleTemplateId === GLOBAL_ADMINISTRATOR_TEMPLATE_ID);
  }

  /** `$search` over display name, mail and UPN (needs `ConsistencyLevel: eventual`). */
  async searchUsers(text: string, options: { readonly top?: number; readonly signal?: AbortSignal } = {}): Promise<UserSearchResult> {
    const term = text.replace(/["\\]/g, '').trim();
    if (!term) return { users: [] };
    const search = ['displayName', 'mail', 'userPrincipalName'].map((p) => `"${p}:${term}"`).join(' OR ');
    try {
      const res: unknown = await this.client
        .api('/users')
        .header('ConsistencyLevel', 'eventual')
        .search(search)
        .select(USER_SELECT)
        .top(options.top ?? 25)
        .count(true)
        .option('signal', options.signal)
        .get();
      const page = asCollection<GraphUser>(res, '/users');
      const count = isRecord(res) && typeof res['@odata.count'] === 'number' ? res['@odata.count'] : undefined;
      return { users: page.value, count };
    } catch (e) {
      throw unwrap(e);
    }
  }

  /** Exact lookup by object id or UPN (a guest's `#EXT#` UPN is encoded). Undefined when not found. */
  async getUser(idOrUpn: string, signal?: AbortSignal): Promise<GraphUser | undefined> {
    try {
      return await this.get<GraphUser>(`/users/${encodeURIComponent(idOrUpn)}`, { select: USER_SELECT, signal });
    } catch (e) {
      if (e instanceof AzureError && e.kind === 'notFound') return undefined;
      throw e;
    }
  }

  /** Users whose mail or UPN equals `address` (case-insensitive on the service side). */
  findUsersByAddress(address: string, signal?: AbortSignal): Promise<GraphUser[]> {
    const v = address.replace(/'/g, "''");
    return this.list<GraphUser>('/users', { filter: `mail eq '${v}' or userPrincipalName eq '${v}'`, select: USER_SELECT, signal });
  }

  /**
   * The service principals of an application, by its exact application (client) id: `GET /servicePrincipals?$filter=
   * appId eq '…'` (https://learn.microsoft.com/graph/api/serviceprincipal-list). Typed as service principals.
   */
  async findServicePrincipalsByAppId(appId: string, signal?: AbortSignal): Promise<DirectoryObject[]> {
    const v = appId.replace(/'/g, "''");
    const found = await this.list<DirectoryObject>('/servicePrincipals', { filter: `appId eq '${v}'`, select: 'id,displayName,appId,servicePrincipalType', signal });
    return found.map((o) => ({ ...o, '@odata.type': '#microsoft.graph.servicePrincipal' }));
  }

  /** Names principals by id; ids that no longer exist are simply absent from the result. */
  async getByIds(ids: readonly string[], signal?: AbortSignal): Promise<DirectoryObject[]> {
    const out: DirectoryObject[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      try {
        const res: unknown = await this.client
          .api('/directoryObjects/getByIds')
          .select(DIRECTORY_OBJECT_SELECT)
          .option('signal', signal)
          .post({ ids: chunk, types: ['user', 'group', 'servicePrincipal'] });
        out.push(...asCollection<DirectoryObject>(res, '/directoryObjects/getByIds').value);
      } catch (e) {
        throw unwrap(e);
      }
    }
    return out;
  }

  /**
   * A B2B invitation (`POST /invitations`, User.Invite.All; the caller needs Global Administrator, User Administrator
   * or Guest Inviter): the guest's object id and the redemption URL. No mail is sent; the URL is handed over instead.
   */
  async invite(address: string, redirectUrl: string, signal?: AbortSignal): Promise<Invitation> {
    try {
      const res: unknown = await this.client.api('/invitations').option('signal', signal)
        .post({ invitedUserEmailAddress: address, inviteRedirectUrl: redirectUrl, sendInvitationMessage: false, invitedUserType: 'Guest' });
      if (!isRecord(res) || typeof res.inviteRedeemUrl !== 'string' || !isRecord(res.invitedUser) || typeof res.invitedUser.id !== 'string') {
        throw new AzureError('Microsoft Graph /invitations returned an unexpected shape.', { kind: 'malformed', service: 'graph' });
      }
      return res as unknown as Invitation;
    } catch (e) {
      throw unwrap(e);
    }
  }

  // ---------- plumbing ----------

  private async get<T>(path: string, options: { readonly select?: string; readonly signal?: AbortSignal }): Promise<T> {
    try {
      let req = this.client.api(path).option('signal', options.signal);
      if (options.select) req = req.select(options.select);
      const res: unknown = await req.get();
      if (!isRecord(res) || typeof res.id !== 'string') throw new AzureError(`Microsoft Graph ${path} returned an unexpected shape.`, { kind: 'malformed', service: 'graph' });
      return res as T;
    } catch (e) {
      throw unwrap(e);
    }
  }

  /**
   * All pages of a collection (`@odata.nextLink`). The library's `PageIterator` would follow any link it is given; a
   * link that is not on this Graph endpoint ends the listing with a warning instead (paging.ts).
   */
  private async list<T>(path: string, options: { readonly select?: string; readonly filter?: string; readonly signal?: AbortSignal }): Promise<T[]> {
    try {
      let req = this.client.api(path).option('signal', options.signal);
      if (options.select) req = req.select(options.select);
      if (options.filter) req = req.filter(options.filter);
      let page = asCollection<T>(await req.get(), path);
      const items: T[] = [...page.value];
      let current = `${this.baseUrl}${path}`;
      for (;;) {
        if (options.signal?.aborted) throw new AzureError('The operation was cancelled.', { kind: 'cancelled', service: 'graph' });
        const next = nextLinkDecision(page['@odata.nextLink'], this.baseUrl, current, `GET ${path}`);
        if ('stop' in next) {
          if (next.stop === 'malformed') this.warn(next.warning);
          return items;
        }
        current = next.follow;
        page = asCollection<T>(await this.client.api(next.follow).option('signal', options.signal).get(), path);
        items.push(...page.value);
      }
    } catch (e) {
      throw unwrap(e);
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the item type it expects
function asCollection<T>(res: unknown, path: string): { value: T[]; '@odata.nextLink'?: string } {
  if (!isRecord(res) || !Array.isArray(res.value) || !res.value.every(isRecord)) {
    throw new AzureError(`Microsoft Graph ${path} returned an unexpected shape.`, { kind: 'malformed', service: 'graph' });
  }
  const next = res['@odata.nextLink'];
  return { value: res.value as T[], ...(typeof next === 'string' ? { '@odata.nextLink': next } : {}) };
}
