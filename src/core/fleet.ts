/**
 * Fleet planning: the role assignments and resources of many subscriptions read through Azure Resource Graph in a few
 * paged queries (per directory, subscriptions in batches under 300) instead of a list per subscription. Resource Graph
 * can lag minutes behind ARM, so only overviews use it (`plan --all-in`, `plan --all`): a single-subscription plan and
 * the snapshot taken right before a move read ARM. When Resource Graph cannot be read in a directory, that
 * directory's plans read ARM and say so (`source`). Resource Graph has no PIM eligible assignments (they are not role
 * assignments until activated): those are read per subscription where the plan reads them.
 */
import { isAzureError } from '../azure/errors';
import type { GenericResource, RoleAssignment, Subscription } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { PlanCache } from './cache';

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
 * one directory at a time in parallel, and hands each subscription its slice through the cache.
 */
export async function prefetchFleet(session: AzureSession, subscriptions: readonly Subscription[], cache: PlanCache, signal?: AbortSignal): Promise<FleetRead> {
  const byTenant = new Map<string, string[]>();
  for (const s of subscriptions) {
    const t = s.tenantId.toLowerCase();
    byTenant.set(t, [...(byTenant.get(t) ?? []), s.subscriptionId.toLowerCase()]);
  }
  const resourceGraph: string[] = [];
  const fallbacks = new Map<string, string>();
  await Promise.all([...byTenant].map(async ([tenantId, ids]) => {
    try {
      const [assignments, resources] = await Promise.all([
        session.resourceGraph.roleAssignments(tenantId, ids, signal),
        session.resourceGraph.resources(tenantId, ids, signal),
      ]);
      const slices = new Map(ids.map((id) => [id, { roleAssignments: [] as RoleAssignment[], resources: [] as GenericResource[] }]));
      for (const a of assignments) slices.get(subscriptionOf(a.properties.scope))?.roleAssignments.push(a);
      for (const r of resources) slices.get(r.subscriptionId)?.resources.push(r);
      for (const [id, slice] of slices) cache.setFleetSlice(id, slice);
      resourceGraph.push(tenantId);
    } catch (e) {
      if (signal?.aborted || !isAzureError(e)) throw e;
      fallbacks.set(tenantId, e.message.split('\n')[0] ?? e.kind);
    }
  }));
  return { resourceGraph, fallbacks };
}

function subscriptionOf(scope: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1]?.toLowerCase() ?? '';
}
