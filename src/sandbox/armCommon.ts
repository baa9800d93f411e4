// Checks every ARM handler shares: api-version, subscription and scope resolution, the tenant rule, RBAC actions.
import { ApiError, paginate, queryParam, type Ctx, type Reply, type Route } from './http';
import { type ScenarioResource, type ScenarioSubscription } from './scenario';
import { parseScope, type Scope } from './scope';
import { type TokenRecord } from './tokens';

/** api-versions accepted per API family (azure-api.md §2, §3.2, §4, §5). */
export const API_VERSIONS = {
  resources: ['2016-06-01', '2020-01-01', '2021-01-01', '2022-12-01'],
  resourceList: ['2019-10-01', '2020-06-01', '2021-04-01', '2022-09-01', '2024-03-01', '2024-07-01', '2024-11-01', '2025-04-01'],
  authorization: ['2015-07-01', '2018-01-01-preview', '2020-04-01-preview', '2020-10-01-preview', '2021-04-01-preview', '2022-04-01', '2022-05-01-preview'],
  permissions: ['2014-07-01-preview', '2015-07-01', '2018-01-01-preview', '2022-04-01'],
  classicAdministrators: ['2015-07-01'],
  policies: ['2021-10-01', '2024-08-01-preview', '2025-11-01-preview', '2026-08-01-preview'],
  changeTenant: ['2024-08-01-preview', '2025-11-01-preview', '2026-08-01-preview'],
} as const;

const WELL_FORMED_VERSION = /^\d{4}-\d{2}-\d{2}(-preview|-beta|-alpha)?$/;

export function checkApiVersion(ctx: Ctx, route: Route): void {
  if (route.versions === undefined) return;
  const v = queryParam(ctx, 'api-version');
  if (v === undefined || v === '') throw new ApiError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  const accepted = route.versions === 'any' ? WELL_FORMED_VERSION.test(v) : route.versions.includes(v);
  if (!accepted) {
    const list = route.versions === 'any' ? 'YYYY-MM-DD[-preview]' : route.versions.join(', ');
    throw new ApiError(400, 'InvalidApiVersionParameter', `The api-version '${v}' is invalid. The supported versions are '${list}'. Please see https://aka.ms/api-versions for more details.`);
  }
}

/** The validated bearer (the server authenticates before any handler runs). */
export function tokenOf(ctx: Ctx): TokenRecord {
  if (ctx.token === undefined) throw new ApiError(401, 'AuthenticationFailed', 'Authentication failed.');
  return ctx.token;
}

export function wrongTenant(tokenTenant: string, expected: string, what = 'associated with this subscription'): ApiError {
  return new ApiError(401, 'InvalidAuthenticationTokenTenant',
    `The access token is from the wrong issuer 'https://sts.windows.net/${tokenTenant}/'. It must match the tenant 'https://sts.windows.net/${expected}/' ${what}. Please use the authority (URL) 'https://login.windows.net/${expected}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`,
    { 'WWW-Authenticate': `Bearer authorization_uri="https://login.windows.net/${expected}", error="invalid_token", error_description="The access token is from the wrong issuer."` });
}

export const subscriptionNotFound = (id: string): ApiError => new ApiError(404, 'SubscriptionNotFound', `The subscription '${id}' could not be found.`);

/** The subscription, if it exists and the token is from its home directory. */
export function requireSubscription(ctx: Ctx, id: string): ScenarioSubscription {
  const sub = ctx.state.subscription(id);
  if (sub === undefined || sub.state === 'Deleted') throw subscriptionNotFound(id);
  const token = tokenOf(ctx);
  if (token.tenantId !== sub.tenantId) throw wrongTenant(token.tenantId, sub.tenantId);
  return sub;
}

export function findResource(ctx: Ctx, id: string): ScenarioResource | undefined {
  return ctx.state.resource(id);
}

/** Parses and resolves a scope: the subscription, resource group or resource must exist and belong to the token's directory. */
export function requireScope(ctx: Ctx, raw: string): Scope {
  const scope = parseScope(raw);
  if (scope === undefined) throw new ApiError(400, 'InvalidScope', `The scope '${raw}' is not valid.`);
  if (scope.kind === 'managementGroup') {
    if (ctx.state.tenantOfScope(scope) !== tokenOf(ctx).tenantId) throw new ApiError(404, 'ManagementGroupNotFound', `The management group '${scope.managementGroup}' was not found.`);
    return scope;
  }
  if (scope.subscriptionId === undefined) return scope;
  const sub = requireSubscription(ctx, scope.subscriptionId);
  if (scope.resourceGroup !== undefined && !sub.resourceGroups.some((g) => g.name.toLowerCase() === scope.resourceGroup.toLowerCase())) {
    throw new ApiError(404, 'ResourceGroupNotFound', `Resource group '${scope.resourceGroup}' could not be found.`);
  }
  if (scope.kind === 'resource' && findResource(ctx, scope.canonical) === undefined) {
    throw new ApiError(404, 'ResourceNotFound', `The Resource '${scope.resourceType}/${scope.resourceName}' under resource group '${scope.resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
  }
  return scope;
}

export function authorizationFailed(ctx: Ctx, action: string, scope: string): ApiError {
  const t = tokenOf(ctx);
  return new ApiError(403, 'AuthorizationFailed', `The client '${t.account}' with object id '${t.oid}' does not have authorization or an ABAC condition not fulfilled to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
}

/** 403 AuthorizationFailed unless one of the caller's roles (direct, via group, inherited) grants the action. */
export function requireAction(ctx: Ctx, scope: Scope, action: string): void {
  const t = tokenOf(ctx);
  if (!ctx.state.isAllowed(t.tenantId, t.oid, scope, action)) throw authorizationFailed(ctx, action, scope.canonical);
}

/** An ARM collection page: `{value, nextLink?}`. `toJson` (when given) shapes only the items of this page. */
export function armList<T>(ctx: Ctx, items: readonly T[], extra: Record<string, unknown> = {}, toJson: (item: T) => unknown = (x) => x): Reply {
  const page = paginate(ctx, items, '$skipToken');
  return { status: 200, body: { value: page.items.map(toJson), ...(page.next === undefined ? {} : { nextLink: page.next }), ...extra } };
}
