/**
 * Azure Resource Manager client (https://learn.microsoft.com/rest/api/resources/tenants/list, .../subscriptions/list, https://learn.microsoft.com/azure/role-based-access-control/role-assignments-list-rest). Every call goes through `HttpLayer`, pages through
 * `nextLink` (only on the same host: a token is never sent elsewhere) and carries a token for the directory it is
 * made in — ARM answers 401 `InvalidAuthenticationTokenTenant` to a token from any other directory.
 */
import { randomUUID } from 'node:crypto';
import { HOME_TENANT, type Account, type AuthAdapter } from './auth';
import { AzureError } from './errors';
import { hasProperties, hasStrings, isPage, isRecord, type Guard, type Page } from './guards';
import { parseJson, type HttpLayer } from './http';
import { nextLinkDecision } from './paging';
import type { HttpMethods } from '@azure/core-rest-pipeline';
import { mapBounded } from './concurrency';
import type {
  ChangeTenantRequest,
  ChangeTenantRequestProperties,
  ClassicAdministrator,
  GenericResource,
  Permission,
  RoleAssignment,
  RoleDefinition,
  Subscription,
  Tenant,
  TenantPolicy,
} from './models';

export const ARM_API = {
  resources: '2022-12-01',
  genericResources: '2021-04-01',
  authorization: '2022-04-01',
  classicAdministrators: '2015-07-01',
  subscriptionPolicy: '2021-10-01',
  changeTenant: '2024-08-01-preview',
  keyVault: '2023-07-01',
} as const;

export type RoleAssignmentFilter =
  | { readonly kind: 'all' }
  | { readonly kind: 'atScope' }
  | { readonly kind: 'assignedTo'; readonly principalId: string; readonly atScope?: boolean }
  | { readonly kind: 'principalId'; readonly principalId: string };

export interface NewRoleAssignment {
  readonly roleDefinitionGuid: string;
  readonly principalId: string;
  readonly principalType: string;
  readonly description?: string;
  readonly condition?: string | null;
  readonly conditionVersion?: string | null;
}

export interface ArmClientOptions {
  /** Parallel requests when fanning out over directories or subscriptions. */
  readonly concurrency?: number;
  /** Told when a listing ends early (a malformed `nextLink`); default: the HTTP layer's log at warn level. */
  readonly onWarning?: (message: string) => void;
}

const isTenant: Guard<Tenant> = hasStrings<Tenant>('tenantId');
const isSubscription: Guard<Subscription> = hasStrings<Subscription>('subscriptionId', 'displayName', 'tenantId', 'state');
const isRoleAssignment: Guard<RoleAssignment> = hasProperties<RoleAssignment>('roleDefinitionId', 'principalId', 'scope');
const isRoleDefinition: Guard<RoleDefinition> = hasProperties<RoleDefinition>('roleName');
const isClassicAdmin: Guard<ClassicAdministrator> = hasProperties<ClassicAdministrator>('emailAddress', 'role');
const isResource: Guard<GenericResource> = hasStrings<GenericResource>('id', 'name', 'type');
const isChangeTenantRequest: Guard<ChangeTenantRequest> = hasProperties<ChangeTenantRequest>('destinationTenantId', 'status');
const isPermission: Guard<Permission> = (v: unknown): v is Permission => isRecord(v);

export class ArmClient {
  readonly concurrency: number;
  private readonly warn: (message: string) => void;

  constructor(
    private readonly http: HttpLayer,
    private readonly auth: AuthAdapter,
    readonly account: Account,
    options: ArmClientOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 6;
    this.warn = options.onWarning ?? ((m) => { http.logger.warn(m); });
  }

  get baseUrl(): string {
    return this.auth.cloud.armUrl;
  }

  // ---------- tenants and subscriptions ----------

  /** `GET /tenants`: every directory the account can reach (with a home-directory token). */
  listTenants(signal?: AbortSignal): Promise<Tenant[]> {
    return this.listAll(HOME_TENANT, this.url('/tenants', { 'api-version': ARM_API.resources }), isTenant, signal);
  }

  /** Subscriptions visible with a token for `tenantId` (the token's directory only). */
  listSubscriptions(tenantId: string, signal?: AbortSignal): Promise<Subscription[]> {
    return this.listAll(tenantId, this.url('/subscriptions', { 'api-version': ARM_API.resources }), isSubscription, signal);
  }

  /**
   * Subscriptions in many directories at once, at most `concurrency` in flight. Each directory's result (or its
   * error: one directory needing MFA must not hide the others) is reported as soon as it arrives.
   */
  listSubscriptionsInTenants(
    tenantIds: readonly string[],
    onResult?: (tenantId: string, result: Subscription[] | AzureError) => void,
    signal?: AbortSignal,
  ): Promise<Map<string, Subscription[] | AzureError>> {
    return this.fanOut(tenantIds, (t) => this.listSubscriptions(t, signal), onResult, signal);
  }

  getSubscription(tenantId: string, subscriptionId: string, signal?: AbortSignal): Promise<Subscription> {
    return this.getJson(tenantId, this.url(`/subscriptions/${seg(subscriptionId)}`, { 'api-version': ARM_API.resources }), isSubscription, signal);
  }

  // ---------- role assignments ----------

  listRoleAssignments(tenantId: string, subscriptionId: string, filter: RoleAssignmentFilter = { kind: 'all' }, signal?: AbortSignal): Promise<RoleAssignment[]> {
    const query: Record<string, string> = { 'api-version': ARM_API.authorization };
    const f = roleAssignmentFilter(filter);
    if (f) query.$filter = f;
    const path = `/subscriptions/${seg(subscriptionId)}/providers/Microsoft.Authorization/roleAssignments`;
    return this.listAll(tenantId, this.url(path, query), isRoleAssignment, signal);
  }

  /** `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{name}`; `principalType` is always sent. */
  async createRoleAssignment(tenantId: string, subscriptionId: string, scope: string, assignment: NewRoleAssignment, name: string = randomUUID(), signal?: AbortSignal): Promise<RoleAssignment> {
    const properties: Record<string, unknown> = {
      roleDefinitionId: `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${assignment.roleDefinitionGuid}`,
      principalId: assignment.principalId,
      principalType: assignment.principalType,
    };
    if (assignment.description) properties.description = assignment.description;
    if (assignment.condition) {
      properties.condition = assignment.condition;
      properties.conditionVersion = assignment.conditionVersion ?? '2.0';
    }
    const url = this.url(`${scopePath(scope)}/providers/Microsoft.Authorization/roleAssignments/${seg(name)}`, { 'api-version': ARM_API.authorization });
    return this.sendJson(tenantId, 'PUT', url, { properties }, isRoleAssignment, signal);
  }

  /** Delete by full id; an assignment that is already gone (204) counts as deleted. */
  async deleteRoleAssignment(tenantId: string, roleAssignmentId: string, signal?: AbortSignal): Promise<void> {
    const token = await this.token(tenantId, signal);
    await this.http.send({ service: 'arm', method: 'DELETE', url: this.url(scopePath(roleAssignmentId), { 'api-version': ARM_API.authorization }), token, signal, tenantId });
  }

  // ---------- role definitions ----------

  getRoleDefinition(tenantId: string, scope: string, guid: string, signal?: AbortSignal): Promise<RoleDefinition> {
    const url = this.url(`${scopePath(scope)}/providers/Microsoft.Authorization/roleDefinitions/${seg(guid)}`, { 'api-version': ARM_API.authorization });
    return this.getJson(tenantId, url, isRoleDefinition, signal);
  }

  listRoleDefinitions(tenantId: string, scope: string, filter?: { readonly customOnly?: boolean; readonly roleName?: string }, signal?: AbortSignal): Promise<RoleDefinition[]> {
    const query: Record<string, string> = { 'api-version': ARM_API.authorization };
    if (filter?.customOnly) query.$filter = "type eq 'CustomRole'";
    else if (filter?.roleName) query.$filter = `roleName eq '${odataString(filter.roleName)}'`;
    return this.listAll(tenantId, this.url(`${scopePath(scope)}/providers/Microsoft.Authorization/roleDefinitions`, query), isRoleDefinition, signal);
  }

  putRoleDefinition(tenantId: string, scope: string, guid: string, properties: RoleDefinition['properties'], signal?: AbortSignal): Promise<RoleDefinition> {
    const url = this.url(`${scopePath(scope)}/providers/Microsoft.Authorization/roleDefinitions/${seg(guid)}`, { 'api-version': ARM_API.authorization });
    return this.sendJson(tenantId, 'PUT', url, { properties }, isRoleDefinition, signal);
  }

  /** Legacy classic administrators (retired; expect an empty list or an error). */
  listClassicAdministrators(tenantId: string, subscriptionId: string, signal?: AbortSignal): Promise<ClassicAdministrator[]> {
    const url = this.url(`/subscriptions/${seg(subscriptionId)}/providers/Microsoft.Authorization/classicAdministrators`, { 'api-version': ARM_API.classicAdministrators });
    return this.listAll(tenantId, url, isClassicAdmin, signal);
  }

  /** The caller's effective permissions at subscription scope. */
  listPermissions(tenantId: string, subscriptionId: string, signal?: AbortSignal): Promise<Permission[]> {
    const url = this.url(`/subscriptions/${seg(subscriptionId)}/providers/Microsoft.Authorization/permissions`, { 'api-version': ARM_API.authorization });
    return this.listAll(tenantId, url, isPermission, signal);
  }

  // ---------- policy and resources ----------

  /** The subscription policy of the token's directory (read it once per directory). */
  async getTenantPolicy(tenantId: string, signal?: AbortSignal): Promise<TenantPolicy> {
    const url = this.url('/providers/Microsoft.Subscription/policies/default', { 'api-version': ARM_API.subscriptionPolicy });
    const body = await this.getJson(tenantId, url, isRecord, signal);
    const props = isRecord(body.properties) ? body.properties : {};
    return {
      blockSubscriptionsLeavingTenant: bool(props.blockSubscriptionsLeavingTenant),
      blockSubscriptionsIntoTenant: bool(props.blockSubscriptionsIntoTenant),
      exemptedPrincipals: Array.isArray(props.exemptedPrincipals) ? props.exemptedPrincipals.filter((p): p is string => typeof p === 'string') : undefined,
      policyId: typeof props.policyId === 'string' ? props.policyId : undefined,
    };
  }

  listResources(tenantId: string, subscriptionId: string, filter?: string, signal?: AbortSignal): Promise<GenericResource[]> {
    const query: Record<string, string> = { 'api-version': ARM_API.genericResources };
    if (filter) query.$filter = filter;
    return this.listAll(tenantId, this.url(`/subscriptions/${seg(subscriptionId)}/resources`, query), isResource, signal);
  }

  getResource(tenantId: string, resourceId: string, apiVersion: string, signal?: AbortSignal): Promise<GenericResource> {
    return this.getJson(tenantId, this.url(scopePath(resourceId), { 'api-version': apiVersion }), isResource, signal);
  }

  // ---------- the preview change-directory API (azure-rest-api-specs: specification/subscription/resource-manager/Microsoft.Subscription/Subscription/preview/2025-11-01-preview/subscriptions.json) ----------

  initiateChangeTenant(tenantId: string, subscriptionId: string, destinationTenantId: string, destinationOwnerId: string, signal?: AbortSignal): Promise<ChangeTenantRequest> {
    return this.sendJson(tenantId, 'PUT', this.changeTenantUrl(subscriptionId, '/default'), { properties: { destinationTenantId, destinationOwnerId } }, isChangeTenantRequest, signal);
  }

  /** The pending request, or undefined when there is none (404). */
  async getChangeTenantRequest(tenantId: string, subscriptionId: string, signal?: AbortSignal): Promise<ChangeTenantRequest | undefined> {
    const token = await this.token(tenantId, signal);
    const url = this.changeTenantUrl(subscriptionId, '/default');
    const res = await this.http.send({ service: 'arm', method: 'GET', url, token, signal, tenantId, okStatuses: [404] });
    if (res.status === 404) return undefined;
    return parseJson(res, isChangeTenantRequest, { service: 'arm', method: 'GET', url });
  }

  listChangeTenantRequests(tenantId: string, subscriptionId: string, signal?: AbortSignal): Promise<ChangeTenantRequest[]> {
    return this.listAll(tenantId, this.changeTenantUrl(subscriptionId, ''), isChangeTenantRequest, signal);
  }

  async cancelChangeTenant(tenantId: string, subscriptionId: string, signal?: AbortSignal): Promise<void> {
    const token = await this.token(tenantId, signal);
    await this.http.send({ service: 'arm', method: 'DELETE', url: this.changeTenantUrl(subscriptionId, '/default'), token, signal, tenantId });
  }

  /** Accept with a token for the destination directory (204, no body). */
  async acceptChangeTenant(destinationTenantId: string, subscriptionId: string, signal?: AbortSignal): Promise<void> {
    const token = await this.token(destinationTenantId, signal);
    const url = this.url(`/providers/Microsoft.Subscription/subscriptions/${seg(subscriptionId)}/acceptChangeTenant`, { 'api-version': ARM_API.changeTenant });
    await this.http.send({ service: 'arm', method: 'POST', url, token, signal, tenantId: destinationTenantId });
  }

  changeTenantStatus(destinationTenantId: string, subscriptionId: string, signal?: AbortSignal): Promise<ChangeTenantRequestProperties> {
    const url = this.url(`/providers/Microsoft.Subscription/subscriptions/${seg(subscriptionId)}/changeTenantStatus`, { 'api-version': ARM_API.changeTenant });
    return this.sendJson(destinationTenantId, 'POST', url, undefined, hasStrings<ChangeTenantRequestProperties>('destinationTenantId', 'status'), signal);
  }

  // ---------- generic calls for the clients beside this one (armGovernance.ts) ----------

  /** Every item of a list at `path` (a scope-based ARM path), through `nextLink` on the same host. */
  listAt<T>(tenantId: string, path: string, query: Record<string, string>, guard: Guard<T>, signal?: AbortSignal): Promise<T[]> {
    return this.listAll(tenantId, this.url(scopePath(path), query), guard, signal);
  }

  /** One request to `path`; `optional` makes a 404 answer `undefined`. */
  async sendAt<T>(tenantId: string, method: HttpMethods, path: string, query: Record<string, string>, body: unknown, guard: Guard<T>, signal?: AbortSignal, optional = false): Promise<T | undefined> {
    const url = this.url(scopePath(path), query);
    const token = await this.token(tenantId, signal);
    const res = await this.http.send({ service: 'arm', method, url, body, token, signal, tenantId, ...(optional ? { okStatuses: [404] } : {}) });
    if (res.status === 404 && optional) return undefined;
    return parseJson(res, guard, { service: 'arm', method, url });
  }

  // ---------- plumbing ----------

  /** Runs `fn` for each key with at most `concurrency` in flight; errors are results, not rejections. */
  async fanOut<T>(keys: readonly string[], fn: (key: string) => Promise<T>, onResult?: (key: string, result: T | AzureError) => void, signal?: AbortSignal): Promise<Map<string, T | AzureError>> {
    const results = new Map<string, T | AzureError>();
    await mapBounded(keys, this.concurrency, async (key) => {
      let result: T | AzureError;
      try {
        result = await fn(key);
      } catch (e) {
        if (signal?.aborted) throw e;
        result = e instanceof AzureError ? e : new AzureError(e instanceof Error ? e.message : String(e), { kind: 'network', service: 'arm', cause: e });
      }
      results.set(key, result);
      onResult?.(key, result);
    });
    return results;
  }

  private changeTenantUrl(subscriptionId: string, suffix: string): string {
    return this.url(`/subscriptions/${seg(subscriptionId)}/providers/Microsoft.Subscription/changeTenantRequest${suffix}`, { 'api-version': ARM_API.changeTenant });
  }

  private url(path: string, query: Record<string, string>): string {
    const u = new URL(this.baseUrl + path);
    for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
    return u.toString();
  }

  private async token(tenantId: string, signal?: AbortSignal): Promise<string> {
    return (await this.auth.getToken({ account: this.account, tenantId, resource: 'arm', signal })).token;
  }

  private async getJson<T>(tenantId: string, url: string, guard: Guard<T>, signal?: AbortSignal): Promise<T> {
    return this.sendJson(tenantId, 'GET', url, undefined, guard, signal);
  }

  private async sendJson<T>(tenantId: string, method: HttpMethods, url: string, body: unknown, guard: Guard<T>, signal?: AbortSignal): Promise<T> {
    const token = await this.token(tenantId, signal);
    return this.http.json({ service: 'arm', method, url, body, token, signal, tenantId }, guard);
  }

  /** Follows `nextLink` to the end; a malformed link ends the listing with a warning (paging.ts). */
  private async listAll<T>(tenantId: string, firstUrl: string, item: Guard<T>, signal?: AbortSignal): Promise<T[]> {
    const out: T[] = [];
    const pageGuard = isPage(item);
    let url: string | undefined = firstUrl;
    while (url) {
      const page: Page<T> = await this.getJson(tenantId, url, pageGuard, signal);
      out.push(...page.value);
      const next = nextLinkDecision(page.nextLink, this.baseUrl, url, `GET ${new URL(firstUrl).pathname}`);
      if ('stop' in next && next.stop === 'malformed') this.warn(next.warning);
      url = 'follow' in next ? next.follow : undefined;
    }
    return out;
  }
}

function roleAssignmentFilter(filter: RoleAssignmentFilter): string | undefined {
  switch (filter.kind) {
    case 'all':
      return undefined;
    case 'atScope':
      return 'atScope()';
    case 'assignedTo':
      return `${filter.atScope ? 'atScope() and ' : ''}assignedTo('${odataString(filter.principalId)}')`;
    case 'principalId':
      return `principalId eq '${odataString(filter.principalId)}'`;
  }
}

/** A path segment, encoded. */
function seg(value: string): string {
  return encodeURIComponent(value);
}

/**
 * An ARM scope or resource id as a URL path: must start with `/`, no query, no `.` or `..` segment however spelled —
 * `new URL` folds `%2e%2e` into `..`, so an encoded one would climb out of the scope just the same.
 */
function scopePath(scope: string): string {
  if (!scope.startsWith('/') || /(^|\/)(\.|%2e){1,2}(\/|$)|[?#]/i.test(scope)) {
    throw new AzureError(`Not a valid Azure scope: ${scope}`, { kind: 'badRequest', service: 'arm' });
  }
  return scope === '/' ? '' : scope.replace(/\/+$/, '');
}

function odataString(value: string): string {
  return value.replace(/'/g, "''");
}

function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}
