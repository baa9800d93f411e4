/**
 * Azure Resource Graph client (`POST /providers/Microsoft.ResourceGraph/resources`, api-version 2024-04-01; request
 * and response per azure-rest-api-specs `ResourcesFirstPageQuery.json` / `ResourcesNextPageQuery.json`). One paged
 * query answers for many subscriptions: at most 1,000 rows a page, `$skipToken` to the next, subscriptions in batches
 * under 300, and the per-user quota respected — when `x-ms-user-quota-remaining` reaches 0 the next query waits out
 * `x-ms-user-quota-resets-after` (https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests).
 * Resource Graph can lag minutes behind ARM: use it for fleet overviews, never for the snapshot taken before a move.
 */
import type { Account, AuthAdapter } from './auth';
import { AzureError } from './errors';
import { isRecord } from './guards';
import type { HttpLayer, HttpResponse } from './http';
import { parseJson } from './http';
import type { PolicyAssignment, PolicyExemption } from './armGovernance';
import type { ClassicAdministrator, GenericResource, RoleAssignment } from './models';

export const RESOURCE_GRAPH_API = '2024-04-01';
/** Subscriptions per query ("batch under 300"). */
export const RESOURCE_GRAPH_BATCH = 299;
/** Rows per page (Resource Graph's maximum). */
export const RESOURCE_GRAPH_PAGE = 1000;

type Row = Record<string, unknown> & { readonly id: string };

interface QueryResponse {
  readonly totalRecords: number;
  readonly count: number;
  readonly resultTruncated: string;
  readonly $skipToken?: string;
  readonly data: readonly Row[];
}

const isRow = (v: unknown): v is Row => isRecord(v) && typeof v.id === 'string';
const isQueryResponse = (v: unknown): v is QueryResponse =>
  isRecord(v) && typeof v.totalRecords === 'number' && typeof v.count === 'number' && typeof v.resultTruncated === 'string'
  && (v.$skipToken === undefined || typeof v.$skipToken === 'string') && Array.isArray(v.data) && v.data.every(isRow);

/** A KQL string literal. */
const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** The role assignments of a batch of subscriptions (Microsoft's sample query, azure-api-2.md §7.1, in the sandbox's subset). */
const roleAssignmentsOf = (batch: readonly string[]): string =>
  `authorizationresources | where type =~ 'microsoft.authorization/roleassignments' and subscriptionId in~ (${batch.map(literal).join(', ')})`;

const ROLE_ASSIGNMENT = 'microsoft.authorization/roleassignments';
const CLASSIC_ADMINISTRATOR = 'microsoft.authorization/classicadministrators';
const POLICY_ASSIGNMENT = 'microsoft.authorization/policyassignments';
const POLICY_EXEMPTION = 'microsoft.authorization/policyexemptions';

/** A policy assignment's managed identity, its string fields only. */
function identityOf(v: unknown): PolicyAssignment['identity'] {
  if (!isRecord(v)) return null;
  const pick = (k: string): Record<string, string> => (typeof v[k] === 'string' ? { [k]: v[k] } : {});
  return { ...pick('type'), ...pick('principalId'), ...pick('tenantId') };
}

/** A row's `subscriptionId`, lower case ('' when absent). */
const subscriptionOfRow = (r: Row): string => (typeof r.subscriptionId === 'string' ? r.subscriptionId.toLowerCase() : '');
const nameOf = (r: Row): string => (typeof r.name === 'string' ? r.name : r.id.split('/').pop() ?? '');
const typeOf = (r: Row): string => (typeof r.type === 'string' ? r.type.toLowerCase() : '');

/** What a fleet plan reads of Azure RBAC through Resource Graph: role assignments and classic administrators (ARM's shapes). */
export interface AuthorizationRows {
  readonly roleAssignments: RoleAssignment[];
  readonly classicAdministrators: (ClassicAdministrator & { readonly subscriptionId: string })[];
}

/** Policy assignments and exemptions at or below the subscriptions (ARM's shapes), each with its subscription. */
export interface PolicyRows {
  readonly assignments: (PolicyAssignment & { readonly subscriptionId: string })[];
  readonly exemptions: (PolicyExemption & { readonly subscriptionId: string })[];
}

/** `hh:mm:ss` → milliseconds (undefined when it is not that). */
function duration(text: string | undefined): number | undefined {
  const m = /^(\d+):(\d{2}):(\d{2})$/.exec(text ?? '');
  return m ? ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 : undefined;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => {
    clearTimeout(t);
    reject(new AzureError('The operation was cancelled.', { kind: 'cancelled', service: 'arm' }));
  }, { once: true });
});

export class ResourceGraphClient {
  /** When the quota allows the next query (per directory: the quota is per user, and a user is per directory). */
  private readonly resumeAt = new Map<string, number>();

  constructor(
    private readonly http: HttpLayer,
    private readonly auth: AuthAdapter,
    readonly account: Account,
  ) {}

  /** Every row of `query` over the subscriptions (batches under 300, all pages), with a token for `tenantId`. */
  async query(tenantId: string, subscriptionIds: readonly string[], query: (batch: readonly string[]) => string, signal?: AbortSignal): Promise<Row[]> {
    const batches: string[][] = [];
    for (let i = 0; i < subscriptionIds.length; i += RESOURCE_GRAPH_BATCH) batches.push(subscriptionIds.slice(i, i + RESOURCE_GRAPH_BATCH));
    const pages = await Promise.all(batches.map((batch) => this.allPages(tenantId, batch, query(batch), signal)));
    return pages.flat();
  }

  /**
   * Role assignments at or below the subscriptions and their classic administrators, in one query: both are in
   * `authorizationresources` ("Role Assignments, Role Definitions, and Classic Admins", azure-api-2.md §7.1;
   * https://techcommunity.microsoft.com/t5/azure-governance-and-management/announcing-authorizationresources-in-azure-resource-graph/ba-p/3813912).
   */
  async authorization(tenantId: string, subscriptionIds: readonly string[], signal?: AbortSignal): Promise<AuthorizationRows> {
    const rows = await this.query(tenantId, subscriptionIds, (batch) =>
      `authorizationresources | where type in~ (${literal(ROLE_ASSIGNMENT)}, ${literal(CLASSIC_ADMINISTRATOR)}) and subscriptionId in~ (${batch.map(literal).join(', ')}) | project id, name, type, subscriptionId, properties | order by id asc`, signal);
    const out: AuthorizationRows = { roleAssignments: [], classicAdministrators: [] };
    for (const r of rows) {
      const p = r.properties;
      if (!isRecord(p)) continue;
      if (typeOf(r) === ROLE_ASSIGNMENT && typeof p.roleDefinitionId === 'string' && typeof p.principalId === 'string' && typeof p.scope === 'string') {
        out.roleAssignments.push({ id: r.id, name: nameOf(r), properties: p as RoleAssignment['properties'] });
      } else if (typeOf(r) === CLASSIC_ADMINISTRATOR && typeof p.emailAddress === 'string' && typeof p.role === 'string') {
        out.classicAdministrators.push({ id: r.id, name: nameOf(r), subscriptionId: subscriptionOfRow(r), properties: { emailAddress: p.emailAddress, role: p.role } });
      }
    }
    return out;
  }

  /**
   * Policy assignments and exemptions at or below the subscriptions (`policyresources`, azure-api-2.md §7.1). Those
   * that a management group above gives the subscriptions are not among them (their rows are not in a subscription).
   */
  async policies(tenantId: string, subscriptionIds: readonly string[], signal?: AbortSignal): Promise<PolicyRows> {
    const rows = await this.query(tenantId, subscriptionIds, (batch) =>
      `policyresources | where type in~ (${literal(POLICY_ASSIGNMENT)}, ${literal(POLICY_EXEMPTION)}) and subscriptionId in~ (${batch.map(literal).join(', ')}) | project id, name, type, subscriptionId, location, identity, properties | order by id asc`, signal);
    const out: PolicyRows = { assignments: [], exemptions: [] };
    for (const r of rows) {
      const p = r.properties;
      if (!isRecord(p)) continue;
      const base = { id: r.id, name: nameOf(r), subscriptionId: subscriptionOfRow(r) };
      if (typeOf(r) === POLICY_ASSIGNMENT && typeof p.policyDefinitionId === 'string') {
        out.assignments.push({
          ...base, ...(typeof r.location === 'string' && r.location !== '' ? { location: r.location } : {}),
          identity: identityOf(r.identity), properties: p as PolicyAssignment['properties'],
        });
      } else if (typeOf(r) === POLICY_EXEMPTION && typeof p.policyAssignmentId === 'string') {
        out.exemptions.push({ ...base, properties: p as PolicyExemption['properties'] });
      }
    }
    return out;
  }

  /** How many role assignments sit at or below each subscription (ids only: light on the wire), by lower-case subscription id. */
  async roleAssignmentCounts(tenantId: string, subscriptionIds: readonly string[], signal?: AbortSignal): Promise<Map<string, number>> {
    const rows = await this.query(tenantId, subscriptionIds, (batch) => `${roleAssignmentsOf(batch)} | project id, subscriptionId`, signal);
    const counts = new Map(subscriptionIds.map((id) => [id.toLowerCase(), 0]));
    for (const r of rows) {
      const id = typeof r.subscriptionId === 'string' ? r.subscriptionId.toLowerCase() : '';
      const n = counts.get(id);
      if (n !== undefined) counts.set(id, n + 1);
    }
    return counts;
  }

  /** Resources of the subscriptions (`resources`) with their `properties` and `identity`. */
  async resources(tenantId: string, subscriptionIds: readonly string[], signal?: AbortSignal): Promise<(GenericResource & { readonly subscriptionId: string })[]> {
    const rows = await this.query(tenantId, subscriptionIds, (batch) =>
      `resources | where subscriptionId in~ (${batch.map(literal).join(', ')}) | project id, name, type, location, subscriptionId, identity, properties | order by id asc`, signal);
    return rows.map((r) => ({
      id: r.id, name: typeof r.name === 'string' ? r.name : '', type: typeof r.type === 'string' ? r.type : '',
      location: typeof r.location === 'string' ? r.location : undefined, subscriptionId: typeof r.subscriptionId === 'string' ? r.subscriptionId.toLowerCase() : '',
      identity: isRecord(r.identity) ? (r.identity as GenericResource['identity']) : undefined,
      properties: isRecord(r.properties) ? r.properties : undefined,
    }));
  }

  private async allPages(tenantId: string, subscriptions: readonly string[], query: string, signal?: AbortSignal): Promise<Row[]> {
    const rows: Row[] = [];
    let skipToken: string | undefined;
    do {
      const page = await this.page(tenantId, { subscriptions, query, options: { $top: RESOURCE_GRAPH_PAGE, resultFormat: 'objectArray', ...(skipToken === undefined ? {} : { $skipToken: skipToken }) } }, signal);
      rows.push(...page.data);
      if (page.resultTruncated === 'true') {
        throw new AzureError('Resource Graph truncated the result (the query does not page).', { kind: 'malformed', service: 'arm' });
      }
      skipToken = page.$skipToken;
    } while (skipToken !== undefined && skipToken !== '');
    return rows;
  }

  private async page(tenantId: string, body: unknown, signal?: AbortSignal): Promise<QueryResponse> {
    const wait = (this.resumeAt.get(tenantId) ?? 0) - Date.now();
    if (wait > 0) await sleep(wait, signal);
    const token = (await this.auth.getToken({ account: this.account, tenantId, resource: 'arm', signal })).token;
    const url = `${this.auth.cloud.armUrl}/providers/Microsoft.ResourceGraph/resources?api-version=${RESOURCE_GRAPH_API}`;
    const res = await this.http.send({ service: 'arm', method: 'POST', url, body, token, signal, tenantId });
    this.noteQuota(tenantId, res);
    return parseJson(res, isQueryResponse, { service: 'arm', method: 'POST', url });
  }

  private noteQuota(tenantId: string, res: HttpResponse): void {
    const remaining = Number(res.headers.get('x-ms-user-quota-remaining'));
    const resets = duration(res.headers.get('x-ms-user-quota-resets-after'));
    if (Number.isFinite(remaining) && remaining <= 0 && resets !== undefined) this.resumeAt.set(tenantId, Date.now() + resets);
  }
}
