// Microsoft Graph v1.0: organization, subscribedSkus, me (+ directory roles), users, groups, service principals (azure-api.md §6).
import { ApiError, bodyObject, header, ok, paginate, queryParam, splitClauses, type Ctx, type Params, type Reply, type Route } from './http';
import { type JsonValue, type ScenarioGroup, type ScenarioServicePrincipal, type ScenarioTenant, type ScenarioUser } from './scenario';
import { derivedGuid } from './scope';
import { type DirectoryObject } from './state';
import { type TokenRecord } from './tokens';

type Entity = Record<string, JsonValue>;

const DENIED = 'Insufficient privileges to complete the operation.';
export const denied = (): ApiError => new ApiError(403, 'Authorization_RequestDenied', DENIED);

export function caller(ctx: Ctx): { token: TokenRecord; tenant: ScenarioTenant; me: ScenarioUser } {
  const token = ctx.token;
  const tenant = token === undefined ? undefined : ctx.state.tenant(token.tenantId);
  const me = tenant?.users.find((u) => u.id === token?.oid);
  if (token === undefined || tenant === undefined || me === undefined) throw new ApiError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
  return { token, tenant, me };
}

const hasAny = (t: TokenRecord, scopes: string[]): boolean => scopes.some((s) => t.scopes.some((x) => x.toLowerCase() === s.toLowerCase()));
function requireScopes(ctx: Ctx, scopes: string[]): void {
  if (!hasAny(caller(ctx).token, scopes)) throw denied();
}

const ORG_FULL = ['Organization.Read.All', 'Directory.Read.All', 'Organization.ReadWrite.All', 'Directory.ReadWrite.All'];
const USERS_READ = ['User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];
const USERS_FULL = ['User.Read.All', 'Directory.Read.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];
const GROUPS_READ = ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'];
const SPS_READ = ['Application.Read.All', 'Directory.Read.All', 'User.ReadBasic.All', 'User.Read.All'];

// --- entities -----------------------------------------------------------------------------------

const USER_DEFAULT = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];
const USER_BASIC = new Set(['id', 'displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'businessPhones']);

const userEntity = (u: ScenarioUser): Entity => ({
  id: u.id, businessPhones: [], displayName: u.displayName, givenName: u.givenName, jobTitle: u.jobTitle, mail: u.mail, mobilePhone: null,
  officeLocation: null, preferredLanguage: null, surname: u.surname, userPrincipalName: u.userPrincipalName, userType: u.userType,
  accountEnabled: u.accountEnabled, otherMails: [], createdDateTime: '2024-01-10T08:00:00Z', creationType: u.userType === 'Guest' ? 'Invitation' : null,
  externalUserState: u.userType === 'Guest' ? (u.externalUserState ?? 'Accepted') : null,
  externalUserStateChangeDateTime: u.userType === 'Guest' ? (u.externalUserStateChangeDateTime ?? '2024-01-10T08:00:00Z') : null,
});

const groupEntity = (g: ScenarioGroup): Entity => ({
  id: g.id, displayName: g.displayName, description: g.description, mail: g.mail, mailEnabled: g.mailEnabled, securityEnabled: g.securityEnabled,
  mailNickname: g.displayName.toLowerCase().replace(/[^a-z0-9]/g, ''), groupTypes: g.mailEnabled && !g.securityEnabled ? ['Unified'] : [],
  createdDateTime: '2024-01-10T08:00:00Z', visibility: g.mailEnabled ? 'Private' : null,
});

const spEntity = (s: ScenarioServicePrincipal): Entity => ({
  id: s.id, appId: s.appId, displayName: s.displayName, appDisplayName: s.displayName, servicePrincipalType: s.servicePrincipalType,
  alternativeNames: s.alternativeNames, accountEnabled: true, servicePrincipalNames: [s.appId],
});

const ODATA_TYPE = { user: '#microsoft.graph.user', group: '#microsoft.graph.group', servicePrincipal: '#microsoft.graph.servicePrincipal' } as const;

function objectEntity(o: DirectoryObject): Entity {
  const body = o.kind === 'user' ? userEntity(o.value) : o.kind === 'group' ? groupEntity(o.value) : spEntity(o.value);
  return { '@odata.type': ODATA_TYPE[o.kind], ...body };
}

/** A request's `$select`, split once (a collection projects every entity with it). */
const selects = new WeakMap<Ctx, string[] | undefined>();
/** Property names by lower case, per shape of entity (the entity builders give each kind one key order). */
const namesByShape = new Map<string, Map<string, string>>();

/**
 * `$select` (or the default property set). Properties the caller may not read come back null. `mixed`: the entity is
 * one of a collection of several directory-object types, where a selected property of another type is left out.
 */
function project(ctx: Ctx, e: Entity, typeName: string, defaults: string[] | undefined, readable?: Set<string>, mixed = false): Entity {
  if (!selects.has(ctx)) selects.set(ctx, queryParam(ctx, '$select')?.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  const keys = selects.get(ctx) ?? defaults ?? Object.keys(e);
  const out: Entity = {};
  if (typeof e['@odata.type'] === 'string') out['@odata.type'] = e['@odata.type'];
  const own = Object.keys(e);
  const shape = own.join(',');
  let names = namesByShape.get(shape);
  if (names === undefined) {
    names = new Map(own.map((x) => [x.toLowerCase(), x] as const));
    if (namesByShape.size < 256) namesByShape.set(shape, names);
  }
  for (const k of keys) {
    const key = names.get(k.toLowerCase());
    if (key === undefined && mixed) continue;
    if (key === undefined) throw new ApiError(400, 'Request_BadRequest', `Could not find a property named '${k}' on type 'microsoft.graph.${typeName}'.`);
    out[key] = readable === undefined || readable.has(key) ? (e[key] ?? null) : null;
  }
  return out;
}

// --- collections: $search, $filter, $top, $count, paging ------------------------------------------

function tokens(value: string): string[] {
  return value.toLowerCase().split(/[\s._@\-#,()]+/).filter((t) => t !== '');
}

/** Tokenised prefix match: every word of the term starts some word of the property value. */
function prefixMatch(value: JsonValue | undefined, term: string): boolean {
  if (typeof value !== 'string') return false;
  const words = tokens(value);
  return value.toLowerCase().startsWith(term.toLowerCase()) || tokens(term).every((t) => words.some((w) => w.startsWith(t)));
}

/** `"displayName:ali" OR "mail:ali"` (AND binds tighter than OR). */
function searchPredicate(search: string): (e: Entity) => boolean {
  const unsupported = (): never => { throw new ApiError(400, 'Request_UnsupportedQuery', `Unsupported or invalid search query '${search}'. Use "property:value" clauses joined by OR / AND.`); };
  const alternatives = splitClauses(search, 'or').map((alt) => splitClauses(alt, 'and').map((clause) => {
    const m = /^"([A-Za-z]+):([^"]*)"$/.exec(clause.trim()) ?? unsupported();
    const [, prop = '', term = ''] = m;
    return (e: Entity): boolean => prefixMatch(e[Object.keys(e).find((k) => k.toLowerCase() === prop.toLowerCase()) ?? ''], term);
  }));
  return (e) => alternatives.some((all) => all.every((test) => test(e)));
}

/** `$filter`: `prop eq 'v'`, `prop eq true|false`, `startswith(prop,'v')`, joined by `or` / `and`. */
function filterPredicate(filter: string): (e: Entity) => boolean {
  const field = (e: Entity, name: string): string => {
    const v = e[Object.keys(e).find((k) => k.toLowerCase() === name.toLowerCase()) ?? ''];
    return typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' ? String(v).toLowerCase() : '';
  };
  const clause = (c: string): ((e: Entity) => boolean) => {
    const eq = /^\s*(\w+)\s+eq\s+(?:'((?:[^']|'')*)'|(true|false))\s*$/i.exec(c);
    if (eq?.[1] !== undefined) {
      const [, name, str, boolText] = eq;
      const wanted = (boolText ?? str ?? '').replace(/''/g, "'").toLowerCase();
      return (e) => field(e, name) === wanted;
    }
    const sw = /^\s*startswith\(\s*(\w+)\s*,\s*'((?:[^']|'')*)'\s*\)\s*$/i.exec(c);
    if (sw?.[1] !== undefined && sw[2] !== undefined) {
      const [, name, prefix] = sw;
      return (e) => field(e, name).startsWith(prefix.replace(/''/g, "'").toLowerCase());
    }
    throw new ApiError(400, 'Request_UnsupportedQuery', `Unsupported Query. The sandbox supports eq and startswith() in $filter, got '${c}'.`);
  };
  const alternatives = splitClauses(filter, 'or').map((alt) => splitClauses(alt, 'and').map(clause));
  return (e) => alternatives.some((all) => all.every((test) => test(e)));
}

const eventual = (ctx: Ctx): boolean => header(ctx, 'consistencylevel')?.toLowerCase() === 'eventual';

function graphCollection(ctx: Ctx, context: string, items: Entity[], project1: (e: Entity) => Entity): Reply {
  const search = queryParam(ctx, '$search');
  const filter = queryParam(ctx, '$filter');
  const wantCount = queryParam(ctx, '$count')?.toLowerCase() === 'true';
  if (search !== undefined && !eventual(ctx)) {
    throw new ApiError(400, 'Request_UnsupportedQuery', "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
  }
  if (wantCount && !eventual(ctx)) throw new ApiError(400, 'Request_BadRequest', '$count is not currently supported.');
  let found = items;
  if (search !== undefined) found = found.filter(searchPredicate(search));
  if (filter !== undefined) found = found.filter(filterPredicate(filter));
  const topRaw = queryParam(ctx, '$top');
  const top = topRaw === undefined ? undefined : Number(topRaw);
  if (top !== undefined && (!Number.isInteger(top) || top < 1 || top > 999)) throw new ApiError(400, 'Request_BadRequest', `Invalid page size specified: '${topRaw ?? ''}'. Must be between 1 and 999 inclusive.`);
  const page = paginate(ctx, found, '$skiptoken', top ?? ctx.pageSize);
  return ok({
    '@odata.context': `${ctx.baseUrl}/graph/v1.0/$metadata#${context}`,
    ...(wantCount ? { '@odata.count': found.length } : {}),
    value: page.items.map(project1),
    ...(page.next === undefined ? {} : { '@odata.nextLink': page.next }),
  });
}

// --- handlers -----------------------------------------------------------------------------------

function organization(ctx: Ctx): Entity {
  const { token, tenant } = caller(ctx);
  const full = hasAny(token, ORG_FULL);
  const verifiedDomains = tenant.domains.map((d) => ({ name: d.name, isDefault: d.isDefault, isInitial: d.isInitial, type: 'Managed', capabilities: d.capabilities }));
  const rest: Entity = {
    tenantType: tenant.tenantType, countryLetterCode: tenant.countryCode, assignedPlans: tenant.assignedPlans, provisionedPlans: tenant.provisionedPlans,
    businessPhones: [], city: null, country: tenant.country, createdDateTime: '2019-05-01T10:00:00Z', deletedDateTime: null, onPremisesSyncEnabled: null,
    postalCode: null, preferredLanguage: 'en', state: null, street: null, technicalNotificationMails: [], privacyProfile: null,
  };
  return { id: tenant.tenantId, displayName: tenant.displayName, verifiedDomains, ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, full ? v : null])) };
}

function directoryRoles(ctx: Ctx): Entity[] {
  const { tenant, me } = caller(ctx);
  return me.directoryRoles.flatMap((name) => {
    const template = ctx.state.directoryRoleTemplate(name);
    return template === undefined ? [] : [{
      '@odata.type': '#microsoft.graph.directoryRole', id: derivedGuid(`role:${tenant.tenantId}:${template.id}`), deletedDateTime: null,
      description: template.description, displayName: name, roleTemplateId: template.id,
    }];
  });
}

function memberOf(ctx: Ctx, p: Params): Reply {
  const { tenant, me } = caller(ctx);
  const transitive = p.rel?.toLowerCase() === 'transitivememberof';
  const groupIds = transitive ? ctx.state.groupsOf(tenant, me.id) : new Set(tenant.groups.filter((g) => g.members.includes(me.id)).map((g) => g.id));
  const groups = tenant.groups.filter((g) => groupIds.has(g.id)).map((g) => ({ '@odata.type': ODATA_TYPE.group, ...groupEntity(g) }));
  const cast = p.cast?.toLowerCase();
  const items = cast === 'microsoft.graph.directoryrole' ? directoryRoles(ctx) : cast === 'microsoft.graph.group' ? groups : [...groups, ...directoryRoles(ctx)];
  return graphCollection(ctx, cast === undefined ? 'directoryObjects' : cast.replace('microsoft.graph.', '') + 's', items, (e) => project(ctx, e, 'directoryObject', undefined));
}

function userReadable(ctx: Ctx): Set<string> | undefined {
  return hasAny(caller(ctx).token, USERS_FULL) ? undefined : USER_BASIC;
}

/**
 * Guests may not enumerate users (Entra's restricted guest default permissions), unless a directory role lets them:
 * "Default user permissions" — https://learn.microsoft.com/entra/fundamentals/users-default-permissions (a role
 * assigned to a guest grants its permissions like to a member).
 */
const GUEST_READERS = new Set(['Global Administrator', 'User Administrator', 'Global Reader', 'Directory Readers', 'Privileged Role Administrator']);

function listUsers(ctx: Ctx): Reply {
  const { token, tenant, me } = caller(ctx);
  requireScopes(ctx, USERS_READ);
  if (me.userType === 'Guest' && !hasAny(token, ['Directory.Read.All']) && !me.directoryRoles.some((r) => GUEST_READERS.has(r))) throw denied();
  const readable = userReadable(ctx);
  return graphCollection(ctx, 'users', tenant.users.map(userEntity), (e) => project(ctx, e, 'user', USER_DEFAULT, readable));
}

function findUser(tenant: ScenarioTenant, idOrUpn: string): ScenarioUser | undefined {
  const key = idOrUpn.toLowerCase();
  return tenant.users.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
}

const notFound = (id: string): ApiError => new ApiError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

function getUser(ctx: Ctx, p: Params): Reply {
  const { tenant, me } = caller(ctx);
  const id = decodeURIComponent(p.id ?? '');
  const u = findUser(tenant, id);
  if (u?.id !== me.id) requireScopes(ctx, USERS_READ);
  if (u === undefined) throw notFound(id);
  return ok(project(ctx, userEntity(u), 'user', USER_DEFAULT, u.id === me.id ? undefined : userReadable(ctx)));
}

function getMe(ctx: Ctx): Reply {
  const { me } = caller(ctx);
  requireScopes(ctx, ['User.Read', 'User.ReadWrite', ...USERS_READ]);
  return ok({ '@odata.context': `${ctx.baseUrl}/graph/v1.0/$metadata#users/$entity`, ...project(ctx, userEntity(me), 'user', USER_DEFAULT) });
}

/** A directory collection served the same way for groups and service principals. */
interface Collection<T extends { id: string }> {
  set: string;
  type: string;
  scopes: string[];
  items: (t: ScenarioTenant) => T[];
  entity: (x: T) => Entity;
}

const GROUPS: Collection<ScenarioGroup> = { set: 'groups', type: 'group', scopes: GROUPS_READ, items: (t) => t.groups, entity: groupEntity };
const SERVICE_PRINCIPALS: Collection<ScenarioServicePrincipal> = { set: 'servicePrincipals', type: 'servicePrincipal', scopes: SPS_READ, items: (t) => t.servicePrincipals, entity: spEntity };

const listOf = <T extends { id: string }>(k: Collection<T>) => (ctx: Ctx): Reply => {
  requireScopes(ctx, k.scopes);
  return graphCollection(ctx, k.set, k.items(caller(ctx).tenant).map(k.entity), (e) => project(ctx, e, k.type, undefined));
};

function findIn<T extends { id: string }>(ctx: Ctx, k: Collection<T>, p: Params): T {
  requireScopes(ctx, k.scopes);
  const found = k.items(caller(ctx).tenant).find((x) => x.id === (p.id ?? '').toLowerCase());
  if (found === undefined) throw notFound(p.id ?? '');
  return found;
}

const getOf = <T extends { id: string }>(k: Collection<T>) => (ctx: Ctx, p: Params): Reply => ok(project(ctx, k.entity(findIn(ctx, k, p)), k.type, undefined));

/**
 * A directory object in a collection of several types: users with v1.0's default subset of properties ("Only a subset
 * of user properties are returned by default in v1.0", https://learn.microsoft.com/graph/api/directoryobject-getbyids),
 * a selected property only where the object's type has it. (Graph refuses a property no directory-object type has; the
 * sandbox leaves it out.)
 */
const projectMixed = (ctx: Ctx, e: Entity): Entity => project(ctx, e, 'directoryObject', e['@odata.type'] === ODATA_TYPE.user ? USER_DEFAULT : undefined, undefined, true);

function groupMembers(ctx: Ctx, p: Params): Reply {
  const { tenant } = caller(ctx);
  const members = findIn(ctx, GROUPS, p).members.flatMap((id) => { const o = ctx.state.directoryObject(tenant, id); return o === undefined ? [] : [objectEntity(o)]; });
  return graphCollection(ctx, 'directoryObjects', members, (e) => projectMixed(ctx, e));
}

/** `POST /directoryObjects/getByIds` `{ids, types?}`: unknown ids are silently omitted. */
function getByIds(ctx: Ctx): Reply {
  const { tenant } = caller(ctx);
  requireScopes(ctx, USERS_READ);
  const body = bodyObject(ctx);
  const ids = body.ids;
  if (!Array.isArray(ids) || !ids.every((x): x is string => typeof x === 'string') || ids.length > 1000) {
    throw new ApiError(400, 'Request_BadRequest', "The request body must contain 'ids': an array of at most 1000 object ids.");
  }
  const types = Array.isArray(body.types) ? body.types.filter((t): t is string => typeof t === 'string').map((t) => t.toLowerCase().replace(/^#?microsoft\.graph\./, '')) : [];
  const objects = ids.flatMap((id) => {
    const o = ctx.state.directoryObject(tenant, id);
    return o === undefined || (types.length > 0 && !types.includes(o.kind.toLowerCase())) ? [] : [objectEntity(o)];
  });
  return ok({ '@odata.context': `${ctx.baseUrl}/graph/v1.0/$metadata#directoryObjects`, value: objects.map((e) => projectMixed(ctx, e)) });
}

export const graphRoutes: Route[] = [
  { method: 'GET', pattern: /^\/organization$/i, handle: (ctx) => ok({ '@odata.context': `${ctx.baseUrl}/graph/v1.0/$metadata#organization`, value: [project(ctx, organization(ctx), 'organization', undefined)] }) },
  { method: 'GET', pattern: /^\/organization\/[^/]+$/i, handle: (ctx) => ok(project(ctx, organization(ctx), 'organization', undefined)) },
  {
    method: 'GET', pattern: /^\/subscribedSkus$/i,
    handle: (ctx) => { requireScopes(ctx, ORG_FULL); return graphCollection(ctx, 'subscribedSkus', caller(ctx).tenant.subscribedSkus, (e) => project(ctx, e, 'subscribedSku', undefined)); },
  },
  { method: 'GET', pattern: /^\/me$/i, handle: getMe },
  { method: 'GET', pattern: /^\/me\/(?<rel>memberOf|transitiveMemberOf)$/i, handle: memberOf },
  { method: 'GET', pattern: /^\/me\/(?<rel>memberOf|transitiveMemberOf)\/(?<cast>microsoft\.graph\.(?:directoryRole|group))$/i, handle: memberOf },
  { method: 'GET', pattern: /^\/users$/i, handle: listUsers },
  { method: 'GET', pattern: /^\/users\/(?<id>[^/]+)$/i, handle: getUser },
  { method: 'POST', pattern: /^\/directoryObjects\/getByIds$/i, handle: getByIds },
  { method: 'GET', pattern: /^\/groups$/i, handle: listOf(GROUPS) },
  { method: 'GET', pattern: /^\/groups\/(?<id>[^/]+)$/i, handle: getOf(GROUPS) },
  { method: 'GET', pattern: /^\/groups\/(?<id>[^/]+)\/members$/i, handle: groupMembers },
  { method: 'GET', pattern: /^\/servicePrincipals$/i, handle: listOf(SERVICE_PRINCIPALS) },
  { method: 'GET', pattern: /^\/servicePrincipals\/(?<id>[^/]+)$/i, handle: getOf(SERVICE_PRINCIPALS) },
];
