// ARM: tenants, subscriptions, resource groups, resources, classic administrators, caller permissions (azure-api.md §2, §5.5, §5.6).
import {
  API_VERSIONS, armList, authorizationFailed, findResource, requireAction, requireScope, requireSubscription, tokenOf,
} from './armCommon';
import { ApiError, ok, parseEq, queryParam, splitClauses, type Ctx, type Params, type Reply, type Route } from './http';
import { type ScenarioResource, type ScenarioSubscription, type ScenarioTenant } from './scenario';
import { isDelegatedTo } from './delegation';
import { derivedGuid, parseScope } from './scope';

const SUB = '(?<sub>[^/]+)';
const RG = '(?<rg>[^/]+)';

function tenantJson(t: ScenarioTenant): Record<string, unknown> {
  return {
    id: `/tenants/${t.tenantId}`, tenantId: t.tenantId, countryCode: t.countryCode, country: t.country, displayName: t.displayName,
    domains: t.domains.map((d) => d.name), tenantCategory: 'Home', defaultDomain: t.defaultDomain, tenantType: t.tenantType,
  };
}

export function subscriptionJson(sub: ScenarioSubscription, classic: boolean): Record<string, unknown> {
  return {
    id: `/subscriptions/${sub.subscriptionId}`, authorizationSource: classic ? 'Legacy, RoleBased' : 'RoleBased', managedByTenants: sub.managedByTenants.map((d) => ({ tenantId: d.tenantId })),
    subscriptionId: sub.subscriptionId, tenantId: sub.tenantId, displayName: sub.displayName, state: sub.state,
    subscriptionPolicies: { locationPlacementId: sub.locationPlacementId, quotaId: sub.quotaId, spendingLimit: sub.spendingLimit }, tags: sub.tags,
  };
}

function listSubscriptions(ctx: Ctx): Reply {
  const t = tokenOf(ctx);
  const isClassic = (s: ScenarioSubscription): boolean => s.classicAdministrators.some((c) => c.emailAddress.toLowerCase() === t.account.toLowerCase());
  const subs = ctx.state.cached(`subscriptions|${t.tenantId}|${t.oid}|${t.account}`,
    () => [
      ...ctx.state.subscriptionsIn(t.tenantId).filter((s) => ctx.state.hasAnyAccess(t.tenantId, t.oid, s, t.account)),
      ...ctx.state.subscriptionsManagedBy(t.tenantId).filter((s) => isDelegatedTo(s, t.tenantId, ctx.state.principalSet(t.tenantId, t.oid))),
    ].filter((s) => s.state !== 'Deleted'));
  return armList(ctx, subs, { count: { type: 'Total', value: subs.length } }, (s) => subscriptionJson(s, isClassic(s)));
}

function getSubscription(ctx: Ctx, p: Params): Reply {
  const t = tokenOf(ctx);
  const sub = requireSubscription(ctx, p.sub ?? '');
  if (!ctx.state.hasAnyAccess(t.tenantId, t.oid, sub, t.account)) throw new ApiError(404, 'SubscriptionNotFound', `The subscription '${sub.subscriptionId}' could not be found.`);
  return ok(subscriptionJson(sub, sub.classicAdministrators.some((c) => c.emailAddress.toLowerCase() === t.account.toLowerCase())));
}

export function resourceJson(r: ScenarioResource, full: boolean): Record<string, unknown> {
  const s = parseScope(r.id);
  const type = s?.kind === 'resource' ? s.resourceType : '';
  const name = s?.kind === 'resource' ? s.resourceName : '';
  return {
    id: r.id, name, type, location: r.location, ...(r.kind === null ? {} : { kind: r.kind }), ...(r.sku === null ? {} : { sku: r.sku }),
    ...(r.identity === null ? {} : { identity: r.identity }), tags: r.tags, ...(full ? { properties: r.properties } : {}),
  };
}

/** `$filter` on resource lists: `resourceType eq '…'`, `name eq '…'`, `location eq '…'` joined by `and`. */
function resourceFilter(filter: string | undefined): (r: Record<string, unknown>) => boolean {
  if (filter === undefined) return () => true;
  const tests = splitClauses(filter, 'and').map((clause) => {
    const eq = parseEq(clause);
    const field = eq?.[0].toLowerCase();
    if (eq === undefined || (field !== 'resourcetype' && field !== 'name' && field !== 'location')) {
      throw new ApiError(400, 'InvalidFilterInQueryString', `Invalid $filter '${filter}' specified in the query string. The sandbox supports resourceType, name and location with eq.`);
    }
    const key = field === 'resourcetype' ? 'type' : field;
    return (r: Record<string, unknown>): boolean => String(r[key]).toLowerCase() === eq[1].toLowerCase();
  });
  return (r) => tests.every((t) => t(r));
}

function listResources(ctx: Ctx, p: Params): Reply {
  const t = tokenOf(ctx);
  const scope = requireScope(ctx, p.rg === undefined ? `/subscriptions/${p.sub ?? ''}` : `/subscriptions/${p.sub ?? ''}/resourceGroups/${p.rg}`);
  const sub = requireSubscription(ctx, p.sub ?? '');
  if (!ctx.state.hasAnyAccess(t.tenantId, t.oid, sub, t.account)) throw authorizationFailed(ctx, 'Microsoft.Resources/subscriptions/resources/read', scope.canonical);
  const keep = resourceFilter(queryParam(ctx, '$filter'));
  const items = ctx.state.resourcesOf(sub.subscriptionId)
    .filter((r) => {
      const rs = parseScope(r.id);
      return rs !== undefined && rs.subscriptionId === sub.subscriptionId && (p.rg === undefined || rs.resourceGroup?.toLowerCase() === p.rg.toLowerCase())
        && ctx.state.isAllowed(t.tenantId, t.oid, rs, `${rs.kind === 'resource' ? rs.resourceType : ''}/read`);
    })
    .map((r) => resourceJson(r, false))
    .filter(keep);
  return armList(ctx, items);
}

function listResourceGroups(ctx: Ctx, p: Params): Reply {
  const sub = requireSubscription(ctx, p.sub ?? '');
  const scope = requireScope(ctx, `/subscriptions/${sub.subscriptionId}`);
  requireAction(ctx, scope, 'Microsoft.Resources/subscriptions/resourceGroups/read');
  return armList(ctx, sub.resourceGroups.map((g) => resourceGroupJson(sub, g)));
}

const resourceGroupJson = (sub: ScenarioSubscription, g: { name: string; location: string }): Record<string, unknown> => ({
  id: `/subscriptions/${sub.subscriptionId}/resourceGroups/${g.name}`, name: g.name, type: 'Microsoft.Resources/resourceGroups', location: g.location,
  properties: { provisioningState: 'Succeeded' },
});

function getResourceGroup(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, `/subscriptions/${p.sub ?? ''}/resourceGroups/${p.rg ?? ''}`);
  requireAction(ctx, scope, 'Microsoft.Resources/subscriptions/resourceGroups/read');
  const sub = requireSubscription(ctx, p.sub ?? '');
  const g = sub.resourceGroups.find((x) => x.name.toLowerCase() === scope.resourceGroup?.toLowerCase());
  return ok(g === undefined ? {} : resourceGroupJson(sub, g));
}

function getResource(ctx: Ctx): Reply {
  const scope = requireScope(ctx, ctx.path);
  if (scope.kind !== 'resource') throw new ApiError(404, 'NotFound', `The path '${ctx.path}' is not a resource id.`);
  requireAction(ctx, scope, `${scope.resourceType}/read`);
  const r = findResource(ctx, scope.canonical);
  if (r === undefined) throw new ApiError(404, 'ResourceNotFound', `The Resource '${scope.resourceType}/${scope.resourceName}' under resource group '${scope.resourceGroup}' was not found.`);
  return ok(resourceJson(r, true));
}

function listClassicAdministrators(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, `/subscriptions/${p.sub ?? ''}`);
  requireAction(ctx, scope, 'Microsoft.Authorization/classicAdministrators/read');
  const sub = requireSubscription(ctx, p.sub ?? '');
  return armList(ctx, classicAdministratorsJson(sub));
}

/** A subscription's classic administrators as ARM lists them (Resource Graph's `authorizationresources` rows too). */
export function classicAdministratorsJson(sub: ScenarioSubscription): { id: string; name: string; type: string; properties: { emailAddress: string; role: string } }[] {
  return sub.classicAdministrators.map((c) => {
    const name = derivedGuid(`classic:${sub.subscriptionId}:${c.emailAddress}`).replace(/-/g, '');
    return { id: `/subscriptions/${sub.subscriptionId}/providers/Microsoft.Authorization/classicAdministrators/${name}`, name, type: 'Microsoft.Authorization/classicAdministrators', properties: { emailAddress: c.emailAddress, role: c.role } };
  });
}

function listPermissions(ctx: Ctx, p: Params): Reply {
  const t = tokenOf(ctx);
  const scope = requireScope(ctx, p.scope ?? '');
  const roles = ctx.state.rolesAt(t.tenantId, t.oid, scope);
  return armList(ctx, roles.flatMap((r) => r.permissions.map((x) => ({ actions: x.actions, notActions: x.notActions, dataActions: x.dataActions, notDataActions: x.notDataActions }))));
}

export const armRoutes: Route[] = [
  { method: 'GET', pattern: /^\/tenants$/i, versions: API_VERSIONS.resources, handle: (ctx) => armList(ctx, ctx.state.tenantsOfAccount(tokenOf(ctx).account).map(tenantJson)) },
  { method: 'GET', pattern: /^\/subscriptions$/i, versions: API_VERSIONS.resources, handle: listSubscriptions },
  { method: 'GET', pattern: new RegExp(`^/subscriptions/${SUB}$`, 'i'), versions: API_VERSIONS.resources, handle: getSubscription },
  { method: 'GET', pattern: new RegExp(`^/subscriptions/${SUB}/resources$`, 'i'), versions: API_VERSIONS.resourceList, handle: listResources },
  { method: 'GET', pattern: new RegExp(`^/subscriptions/${SUB}/resourceGroups/${RG}/resources$`, 'i'), versions: API_VERSIONS.resourceList, handle: listResources },
  { method: 'GET', pattern: new RegExp(`^/subscriptions/${SUB}/resourceGroups$`, 'i'), versions: API_VERSIONS.resourceList, handle: listResourceGroups },
  { method: 'GET', pattern: new RegExp(`^/subscriptions/${SUB}/resourceGroups/${RG}$`, 'i'), versions: API_VERSIONS.resourceList, handle: getResourceGroup },
  { method: 'GET', pattern: new RegExp(`^/subscriptions/${SUB}/providers/Microsoft\\.Authorization/classicAdministrators$`, 'i'), versions: API_VERSIONS.classicAdministrators, handle: listClassicAdministrators },
  { method: 'GET', pattern: /^(?<scope>.*?)\/providers\/Microsoft\.Authorization\/permissions$/i, versions: API_VERSIONS.permissions, handle: listPermissions },
];

/** Any other resource id: `GET /subscriptions/…/resourceGroups/…/providers/{ns}/{type}/{name}`. Goes last. */
export const genericResourceRoute: Route = {
  method: 'GET', pattern: /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/(?!Microsoft\.Authorization\/)[^/]+\/[^/]+\/[^/]+(\/[^/]+\/[^/]+)*$/i, versions: 'any', handle: getResource,
};
