/**
 * Fleet planning: the role assignments and resources of many subscriptions read through Azure Resource Graph in a few
 * paged queries (per directory, subscriptions in batches under 300) instead of a list per subscription. Resource Graph
 * can lag minutes behind ARM, so only overviews use it (`plan --all-in`, `plan --all`): a single-subscription plan and
 * the snapshot taken right before a move read ARM. When Resource Graph cannot be read in a directory, that
 * directory's plans read ARM and say so (`source`). Classic administrators come with the role assignments
 * (`authorizationresources`), policy assignments and exemptions from `policyresources` (when that table cannot be read,
 * the plans read them from ARM). Resource Graph has no PIM eligible assignments (they are not role assignments until
 * activated): those are read per subscription where the plan reads them.
 */
import { isAzureError, isCancellation } from '../azure/errors';
import type { PolicyAssignment, PolicyExemption } from '../azure/armGovernance';
import type { ClassicAdministrator, GenericResource, RoleAssignment, Subscription } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { FleetSlice, PlanCache } from './cache';

/** Where a plan's role assignments and resources came from. */
export const PLAN_SOURCES = ['arm', 'resourceGraph'] as const;
export type PlanSource = (typeof PLAN_SOURCES)[number];

export interface FleetRead {
  /** Directories whose subscriptions were read through Resource Graph. */
  readonly resourceGraph: readonly string[];
  /** Directories that fell back to ARM, with why. */
  readonly fallbacks: ReadonlyMap<string, string>;
}

/**
 * Reads the subscriptions' role assignments (at and below each subscription) and resources through Resource Graph,
 * one directory at a time in parallel, and hands each subscription its slice through the cache. The slices are
 * registered before this returns, so plans can start at once and wait only where they need the slice.
 */
export function prefetchFleet(session: AzureSession, subscriptions: readonly Subscription[], cache: PlanCache, signal?: AbortSignal): Promise<FleetRead> {
  const byTenant = new Map<string, string[]>();
  for (const s of subscriptions) {
    const t = s.tenantId.toLowerCase();
    byTenant.set(t, [...(byTenant.get(t) ?? []), s.subscriptionId.toLowerCase()]);
  }
  const resourceGraph: string[] = [];
  const fallbacks = new Map<string, string>();
  const reads = [...byTenant].map(async ([tenantId, ids]) => {
    const read = readDirectory(session, tenantId, ids, signal);
    for (const id of ids) cache.setFleetSlice(id, read.then((slices) => slices.get(id), () => undefined));
    const slices = await read.catch((e: unknown) => {
      if (signal?.aborted || !isAzureError(e)) throw e;
      fallbacks.set(tenantId, e.message.split('\n')[0] ?? e.kind);
      return undefined;
    });
    if (slices) resourceGraph.push(tenantId);
  });
  return Promise.all(reads).then(() => ({ resourceGraph, fallbacks }));
}

interface MutableSlice {
  roleAssignments: RoleAssignment[];
  resources: GenericResource[];
  classicAdministrators: ClassicAdministrator[];
  policyAssignments?: PolicyAssignment[];
  policyExemptions?: PolicyExemption[];
}

/** One directory's slices (rejects when Resource Graph cannot be read there: its plans then read ARM). */
async function readDirectory(session: AzureSession, tenantId: string, ids: readonly string[], signal?: AbortSignal): Promise<Map<string, FleetSlice>> {
  const [authorization, resources, policies] = await Promise.all([
    session.resourceGraph.authorization(tenantId, ids, signal),
    session.resourceGraph.resources(tenantId, ids, signal),
    // Without the policy table the slices still serve: their plans read policy from ARM.
    session.resourceGraph.policies(tenantId, ids, signal).catch((e: unknown) => {
      if (signal?.aborted || !isAzureError(e)) throw e;
      return undefined;
    }),
  ]);
  const slices = new Map(ids.map((id): [string, MutableSlice] => [id, {
    roleAssignments: [], resources: [], classicAdministrators: [], ...(policies ? { policyAssignments: [], policyExemptions: [] } : {}),
  }]));
  for (const a of authorization.roleAssignments) slices.get(subscriptionOf(a.properties.scope))?.roleAssignments.push(a);
  for (const c of authorization.classicAdministrators) slices.get(c.subscriptionId)?.classicAdministrators.push(c);
  for (const r of resources) slices.get(r.subscriptionId)?.resources.push(r);
  for (const p of policies?.assignments ?? []) slices.get(p.subscriptionId)?.policyAssignments?.push(p);
  for (const x of policies?.exemptions ?? []) slices.get(x.subscriptionId)?.policyExemptions?.push(x);
  return slices;
}

function subscriptionOf(scope: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1]?.toLowerCase() ?? '';
}

/** A directory's summary for the tree: its subscriptions and, through Resource Graph, the role assignments under them. */
export interface DirectoryCounts {
  readonly subscriptions: number;
  /** null when Resource Graph could not be read there (`unavailable` says why); the tree then shows the rest quietly. */
  readonly roleAssignments: number | null;
  readonly unavailable?: string;
}

/**
 * Counts the role assignments at or below the directory's subscriptions in one paged Resource Graph query (batches
 * under 300), instead of a list per subscription. An overview only: Resource Graph can lag minutes behind ARM.
 */
export async function directoryCounts(session: AzureSession, tenantId: string, subscriptions: readonly Subscription[], signal?: AbortSignal): Promise<DirectoryCounts> {
  if (subscriptions.length === 0) return { subscriptions: 0, roleAssignments: 0 };
  try {
    const counts = await session.resourceGraph.roleAssignmentCounts(tenantId, subscriptions.map((s) => s.subscriptionId.toLowerCase()), signal);
    return { subscriptions: subscriptions.length, roleAssignments: [...counts.values()].reduce((a, b) => a + b, 0) };
  } catch (e) {
    if (isCancellation(e) || !isAzureError(e)) throw e;
    return { subscriptions: subscriptions.length, roleAssignments: null, unavailable: e.message.split('\n')[0] ?? e.kind };
  }
}
