// Azure Resource Graph: `POST /providers/Microsoft.ResourceGraph/resources` (azure-api-2.md §7), for exactly the
// query subset the client sends, over the `resources`, `authorizationresources` (role assignments and classic
// administrators) and `policyresources` (policy assignments and exemptions) tables:
//
//   <table> [| where <clause> [and <clause>]…]… [| project <column>, …] [| order by <column> [asc|desc]]
//   clause: type =~ '<v>' | type in~ ('<v>', …) | subscriptionId =~ '<v>' | subscriptionId in~ ('<v>', …)
//
// Anything else is refused with Resource Graph's error body (400 BadRequest, details InvalidQuery). Paging follows
// the documented rules: `options.$top` (1–1000, default 100), an opaque `$skipToken`, no skip token (and
// `resultTruncated: "true"`) when the query does not project `id`. Every answer carries `x-ms-user-quota-remaining`
// and `x-ms-user-quota-resets-after`; past the quota the answer is 429 RateLimiting.
import { randomUUID } from 'node:crypto';
import { tokenOf } from './armCommon';
import { ApiError, bodyObject, type Ctx, type Reply, type Route } from './http';
import { assignmentJson } from './rbac';
import { type ScenarioResource, type ScenarioRoleAssignment, type ScenarioSubscription } from './scenario';
import { classicAdministratorsJson } from './arm';
import { policyAssignmentJson, policyExemptionJson } from './governance';
import { isAtOrBelow, parseScope } from './scope';

export const RESOURCE_GRAPH_VERSIONS = ['2021-03-01', '2022-10-01', '2024-04-01'] as const;
const TABLES = ['resources', 'authorizationresources', 'policyresources'] as const;
type Table = (typeof TABLES)[number];
const COLUMNS = ['id', 'name', 'type', 'tenantId', 'subscriptionId', 'resourceGroup', 'location', 'kind', 'sku', 'identity', 'properties', 'tags'] as const;
type Row = Record<string, unknown>;

interface Query {
  table: Table;
  where: { column: 'type' | 'subscriptionId'; values: Set<string> }[];
  project: string[] | undefined;
  order: { column: string; descending: boolean } | undefined;
}

function support(): string {
  return `Please provide below info when asking for support: timestamp = ${new Date().toISOString()}, correlationId = ${randomUUID()}.`;
}

/** The error body Resource Graph answers a query it cannot run with (shape of azure-api-2.md §7). */
function invalidQuery(detail: string): ApiError {
  return new ApiError(400, 'BadRequest', support(), {}, {
    details: [
      { code: 'InvalidQuery', message: 'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.' },
      { code: 'UnsupportedQuery', message: `${detail} The sandbox serves the subset in docs/sandbox.md.` },
    ],
  });
}

const LITERAL = String.raw`'((?:[^']|'')*)'`;
const unquote = (s: string): string => s.replace(/''/g, "'").toLowerCase();

function parseClause(text: string): Query['where'][number] {
  const eq = new RegExp(String.raw`^(type|subscriptionId)\s*=~\s*${LITERAL}$`, 'i').exec(text);
  if (eq?.[1] !== undefined && eq[2] !== undefined) return { column: eq[1].toLowerCase() === 'type' ? 'type' : 'subscriptionId', values: new Set([unquote(eq[2])]) };
  const inList = /^(type|subscriptionId)\s+in~\s*\((.*)\)$/is.exec(text);
  if (inList?.[1] !== undefined && inList[2] !== undefined) {
    const items = inList[2].split(',').map((x) => x.trim());
    const values = items.map((x) => new RegExp(`^${LITERAL}$`).exec(x)?.[1]);
    if (values.length > 0 && values.every((v): v is string => v !== undefined)) {
      return { column: inList[1].toLowerCase() === 'type' ? 'type' : 'subscriptionId', values: new Set(values.map(unquote)) };
    }
  }
  throw invalidQuery(`The condition '${text}' is not supported: use type or subscriptionId with =~ '…' or in~ ('…', …).`);
}

/** Parses the subset; throws Resource Graph's 400 for anything else. */
export function parseQuery(text: string): Query {
  const [head = '', ...ops] = text.split('|').map((x) => x.trim());
  const table = TABLES.find((t) => t === head.toLowerCase());
  if (table === undefined) throw invalidQuery(`The table '${head}' is not supported: use ${TABLES.join(', ')}.`);
  const q: Query = { table, where: [], project: undefined, order: undefined };
  for (const op of ops) {
    const where = /^where\s+(.+)$/is.exec(op)?.[1];
    const project = /^project\s+(.+)$/is.exec(op)?.[1];
    const order = /^(?:order|sort)\s+by\s+(\w+)(?:\s+(asc|desc))?$/i.exec(op);
    if (where !== undefined) q.where.push(...where.split(/\s+and\s+/i).map((c) => parseClause(c.trim())));
    else if (project !== undefined && q.project === undefined) q.project = project.split(',').map((c) => column(c.trim()));
    else if (order?.[1] !== undefined && q.order === undefined) q.order = { column: column(order[1]), descending: order[2]?.toLowerCase() === 'desc' };
    else throw invalidQuery(`The operator '${op.split(/\s+/)[0] ?? op}' is not supported here.`);
  }
  return q;
}

function column(name: string): string {
  const c = COLUMNS.find((x) => x.toLowerCase() === name.toLowerCase());
  if (c === undefined) throw invalidQuery(`The column '${name}' is not supported: use ${COLUMNS.join(', ')}.`);
  return c;
}

function resourceRow(r: ScenarioResource, sub: ScenarioSubscription): Row {
  const s = parseScope(r.id);
  return {
    id: r.id, name: s?.kind === 'resource' ? s.resourceName : '', type: (s?.kind === 'resource' ? s.resourceType : '').toLowerCase(),
    tenantId: sub.tenantId, kind: r.kind ?? '', location: r.location, resourceGroup: (s?.resourceGroup ?? '').toLowerCase(),
    subscriptionId: sub.subscriptionId, managedBy: '', sku: r.sku, identity: r.identity, properties: r.properties, tags: r.tags,
  };
}

/** An ARM object (as ARM lists it at `scope`) as a Resource Graph row: the type in lower case, where it sits beside. */
function armRow(json: Record<string, unknown>, sub: ScenarioSubscription, scope: string): Row {
  return {
    id: String(json.id), name: String(json.name), type: String(json.type).toLowerCase(), tenantId: sub.tenantId, kind: '', location: typeof json.location === 'string' ? json.location : '',
    resourceGroup: (parseScope(scope)?.resourceGroup ?? '').toLowerCase(), subscriptionId: sub.subscriptionId, sku: null, identity: json.identity ?? null,
    properties: json.properties, tags: null,
  };
}

const assignmentRow = (a: ScenarioRoleAssignment, sub: ScenarioSubscription): Row =>
  armRow(assignmentJson(a), sub, a.scope);

/** Rows of the table in the subscriptions the caller may read there. */
function rowsOf(ctx: Ctx, table: Table, subscriptionIds: readonly string[]): Row[] {
  const t = tokenOf(ctx);
  const rows: Row[] = [];
  for (const id of subscriptionIds) {
    const sub = ctx.state.subscription(id);
    const scope = parseScope(`/subscriptions/${id}`);
    // Resource Graph answers for the subscriptions the token can read and leaves the others out.
    if (sub === undefined || scope === undefined || sub.tenantId !== t.tenantId || sub.state === 'Deleted') continue;
    const may = (action: string): boolean => ctx.state.isAllowed(t.tenantId, t.oid, scope, action);
    const under = (itemScope: string): boolean => isAtOrBelow(itemScope, scope.canonical);
    if (table === 'resources') {
      if (may('Microsoft.Resources/subscriptions/resources/read')) for (const r of ctx.state.resourcesOf(id)) rows.push(resourceRow(r, sub));
    } else if (table === 'authorizationresources') {
      if (may('Microsoft.Authorization/roleAssignments/read')) for (const a of ctx.state.assignmentsOfSubscription(id)) rows.push(assignmentRow(a, sub));
      if (may('Microsoft.Authorization/classicAdministrators/read')) for (const c of classicAdministratorsJson(sub)) rows.push(armRow(c, sub, scope.canonical));
    } else {
      // At or below the subscription: what a management group gives it is not in the subscription's rows.
      const extras = ctx.state.data.extras;
      if (may('Microsoft.Authorization/policyAssignments/read')) {
        for (const a of extras.policyAssignments.filter((x) => under(x.scope))) rows.push(armRow(policyAssignmentJson(a), sub, a.scope));
      }
      if (may('Microsoft.Authorization/policyExemptions/read')) {
        for (const x of extras.policyExemptions.filter((e) => under(e.scope))) rows.push(armRow(policyExemptionJson(x), sub, x.scope));
      }
    }
  }
  return rows;
}

function run(ctx: Ctx, q: Query, subscriptionIds: readonly string[]): Row[] {
  const subsWanted = q.where.filter((w) => w.column === 'subscriptionId');
  const ids = subscriptionIds.filter((id) => subsWanted.every((w) => w.values.has(id.toLowerCase())));
  let rows = rowsOf(ctx, q.table, ids).filter((r) => q.where.every((w) => w.column !== 'type' || w.values.has(String(r.type).toLowerCase())));
  if (q.order !== undefined) {
    const { column: col, descending } = q.order;
    // Each row's key once (not once per comparison).
    const keyed = rows.map((r) => ({ r, k: JSON.stringify(r[col] ?? '').toLowerCase() }));
    keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0) * (descending ? -1 : 1));
    rows = keyed.map((x) => x.r);
  }
  return rows;
}

function pick(row: Row, columns: readonly string[] | undefined): Row {
  if (columns === undefined) return row;
  return Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
}

function options(body: Record<string, unknown>): { top: number; skip: number; format: 'objectArray' | 'table' } {
  const o = (typeof body.options === 'object' && body.options !== null ? body.options : {}) as Record<string, unknown>;
  const top = o.$top ?? 100;
  if (typeof top !== 'number' || !Number.isInteger(top) || top < 1 || top > 1000) throw invalidQuery('options.$top must be a whole number from 1 to 1000.');
  let skip = o.$skip ?? 0;
  if (typeof o.$skipToken === 'string') skip = Number.parseInt(Buffer.from(o.$skipToken, 'base64url').toString('utf8').replace(/^skip:/, ''), 10);
  if (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0) throw invalidQuery('The $skipToken or $skip is not valid.');
  const format = o.resultFormat ?? 'objectArray';
  if (format !== 'objectArray' && format !== 'table') throw invalidQuery("options.resultFormat must be 'objectArray' or 'table'.");
  return { top, skip, format };
}

function handleQuery(ctx: Ctx): Reply {
  const t = tokenOf(ctx);
  const quota = ctx.state.resourceGraphQuota.take(`${t.tenantId}|${t.oid}`);
  const headers = { 'x-ms-user-quota-remaining': String(quota.remaining), 'x-ms-user-quota-resets-after': quota.resetsAfter };
  if (!quota.allowed) {
    throw new ApiError(429, 'RateLimiting', support(), { ...headers, 'Retry-After': String(quota.resetsAfterSeconds) }, {
      details: [{ code: 'RateLimiting', message: 'Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed. Please see https://aka.ms/resourcegraph-throttling for help.' }],
    });
  }
  const body = bodyObject(ctx);
  if (typeof body.query !== 'string' || body.query.trim() === '') throw invalidQuery('The query is required.');
  const subs = Array.isArray(body.subscriptions) ? body.subscriptions.filter((s): s is string => typeof s === 'string') : undefined;
  if (subs === undefined || subs.length === 0) throw invalidQuery('The sandbox needs the subscriptions to query ("subscriptions": [...]); tenant and management-group scopes are not emulated.');
  const q = parseQuery(body.query);
  const { top, skip, format } = options(body);
  const rows = ctx.state.cached(`resourceGraph|${t.tenantId}|${t.oid}|${body.query}|${subs.join(',').toLowerCase()}`, () => run(ctx, q, subs));
  const pageable = q.project === undefined || q.project.includes('id');
  const page = rows.slice(skip, skip + top).map((r) => pick(r, q.project));
  const more = pageable && skip + top < rows.length;
  const columns = q.project ?? [...COLUMNS];
  const data = format === 'table'
    ? { columns: columns.map((name) => ({ name, type: name === 'properties' || name === 'identity' || name === 'sku' || name === 'tags' ? 'object' : 'string' })), rows: page.map((r) => columns.map((c) => r[c] ?? null)) }
    : page;
  return {
    status: 200, headers,
    body: {
      totalRecords: rows.length, count: page.length, resultTruncated: pageable || rows.length <= top ? 'false' : 'true',
      ...(more ? { $skipToken: Buffer.from(`skip:${skip + top}`, 'utf8').toString('base64url') } : {}), data, facets: [],
    },
  };
}

export const resourceGraphRoutes: Route[] = [
  { method: 'POST', pattern: /^\/providers\/Microsoft\.ResourceGraph\/resources$/i, versions: RESOURCE_GRAPH_VERSIONS, handle: handleQuery },
];
