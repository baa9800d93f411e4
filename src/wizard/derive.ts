/** Facts derived from the context and the world, shared by the steps, the machine and the projection. Pure. */
import type { DirectorySummary } from '../core/directories';
import { countResults, type RestoreCounts } from '../core/restore';
import type { ChangeStatus } from '../ids';
import type { AssignmentResult, DirectoryOption, Tracking } from '../webview/protocol';
import { subscriptionIdOf, type WizardContext, type WizardWorld } from './context';

/** The owner's directories, then those only another signed-in account reaches (the owner is invited there in step 1). */
export function reachableDirectories(ctx: WizardContext, world: WizardWorld): DirectorySummary[] {
  const own = world.directories(ctx.subscription.accountKey);
  const seen = new Set(own.map((d) => d.tenantId.toLowerCase()));
  const others = (world.accounts?.() ?? [])
    .filter((a) => a.accountKey !== ctx.subscription.accountKey)
    .flatMap((a) => world.directories(a.accountKey))
    .filter((d) => !seen.has(d.tenantId.toLowerCase()) && seen.add(d.tenantId.toLowerCase()))
    .map((d) => ({ ...d, signedIn: false }));
  return [...own, ...others];
}

export function directoryOptions(ctx: WizardContext, world: WizardWorld): DirectoryOption[] {
  const sourceId = ctx.subscription.subscription.tenantId;
  const rank = (d: DirectoryOption): number => (d.isSource ? 3 : d.office365 === true ? 0 : d.office365 === null ? 1 : 2);
  return reachableDirectories(ctx, world)
    .map((d) => ({
      tenantId: d.tenantId,
      name: d.displayName ?? d.tenantId,
      domain: d.defaultDomain,
      office365: d.office365,
      signedIn: d.signedIn,
      isSource: d.tenantId === sourceId,
    }))
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

export function targetOption(ctx: WizardContext, world: WizardWorld): DirectoryOption | undefined {
  return directoryOptions(ctx, world).find((d) => d.tenantId === ctx.targetTenantId);
}

export function targetName(ctx: WizardContext, world: WizardWorld): string {
  return targetOption(ctx, world)?.name ?? ctx.targetTenantId ?? '';
}

/** The move `PendingMoves` tracks for this subscription and this target (another target's record does not count). */
export function moveOf(ctx: WizardContext, world: WizardWorld): ReturnType<WizardWorld['move']> {
  const m = world.move(subscriptionIdOf(ctx));
  return m && ctx.targetTenantId !== null && m.targetTenantId.toLowerCase() === ctx.targetTenantId.toLowerCase() ? m : undefined;
}

export function tracking(ctx: WizardContext, world: WizardWorld): Tracking | null {
  const p = moveOf(ctx, world)?.progress;
  return p ? { attempts: p.attempts, nextCheckAt: p.nextCheckAt, status: p.status } : null;
}

/** The change's status: the wizard's own call while it runs or fails, otherwise what `PendingMoves` saw. */
export function changeStatus(ctx: WizardContext, world: WizardWorld): ChangeStatus {
  if (ctx.change !== 'idle') return ctx.change;
  const home = ctx.subscription.subscription.tenantId;
  if (ctx.targetTenantId !== null && (ctx.movedThere || home === ctx.targetTenantId)) return 'done';
  const status = moveOf(ctx, world)?.progress.status;
  if (status === undefined) return 'idle';
  // Not seen within the watch is not a failure: a directory change can take hours (Microsoft: "It can take several
  // hours"), so the request still waits — no red alert, and no change button inviting a second request.
  return status === 'seen' ? 'done' : status === 'timedOut' ? 'waiting' : status;
}

export function moved(ctx: WizardContext, world: WizardWorld): boolean {
  return changeStatus(ctx, world) === 'done';
}

export function visibleOk(ctx: WizardContext): boolean {
  return ctx.visible?.accountInTarget?.status === 'pass' && ctx.visible.tokenForTarget?.status === 'pass';
}

/** Created / already there / failed so far, over the selected people and the restore rows. */
export function adminCounts(ctx: WizardContext): RestoreCounts {
  const a = ctx.admins;
  const results = a ? [...a.selected.map((p) => p.result), ...(a.restore ?? []).map((r) => r.result)] : [];
  return countResults(results.filter((r): r is AssignmentResult => r !== undefined));
}
