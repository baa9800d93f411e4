/** Step 2: the checks, what the move deletes, the snapshot, the change itself (portal hand-off or API) and tracking. */
import { portalHandoff } from '../../core/changeDirectory';
import type { ChangeBlock } from '../../ids';
import { removedCount, type ChangeStep } from '../../webview/protocol';
import { subscriptionIdOf, type WizardContext, type WizardWorld } from '../context';
import { changeStatus, moved, targetName, targetOption, tracking, visibleOk } from '../derive';
import type { Confirmation } from '../events';
import { snapshotAlso } from '../extrasProtocol';
import { checksOf, impactOf } from '../toProtocol';
import { acceptorName, destinationOwner } from '../roles';
import { stay, type Step, type StepUpdate } from './step';

/** Runs the checks and reads the impact (the UI says so while it runs). */
export function startPlan(ctx: WizardContext, world: WizardWorld): StepUpdate {
  if (ctx.targetTenantId === null || ctx.planning) return stay(ctx);
  return { ctx: { ...ctx, planning: true, busy: world.l10n.t('Running pre-flight checks…') }, effects: [{ kind: 'plan', tenantId: ctx.targetTenantId }] };
}

/** The remembered snapshot is looked up once per subscription and target, and only while none is saved or skipped. */
export function lookUpRemembered(ctx: WizardContext): StepUpdate {
  if (ctx.rememberedLooked || ctx.snapshot.status !== 'notSaved') return stay(ctx);
  return { ctx: { ...ctx, rememberedLooked: true }, effects: [{ kind: 'lookUpRememberedSnapshot' }] };
}

/** Who will hold Owner after the move when it is not the owner (the modal names them). */
function acceptorOf(ctx: WizardContext): { readonly acceptor?: string } {
  const name = acceptorName(ctx);
  return name === undefined ? {} : { acceptor: name };
}

/** The resources that depend on the directory and cannot be repaired after the move (the modal names them). */
function unrecoverableOf(plan: NonNullable<WizardContext['plan']>): { unrecoverable?: readonly string[] } {
  const names = plan.impact.dependentResources.filter((d) => !d.recoverable).map((d) => d.name);
  return names.length === 0 ? {} : { unrecoverable: names };
}

/** The role assignments the move deletes (0 until the plan is read). */
export function deleted(ctx: WizardContext): number {
  return ctx.plan ? removedCount(impactOf(ctx.plan)) : 0;
}

function block(ctx: WizardContext): ChangeBlock {
  if (ctx.planning) return ctx.plan ? 'impactLoading' : 'checksRunning';
  if (!ctx.plan) return 'checksRunning';
  if (ctx.plan.checks.some((c) => c.status === 'fail')) return 'checksFailing';
  return ctx.snapshot.status === 'saved' || ctx.snapshot.status === 'skipped' ? null : 'snapshotMissing';
}

/** (Re)starts tracking in `PendingMoves`, from the first attempt. */
export function watch(ctx: WizardContext, world: WizardWorld): StepUpdate {
  if (ctx.targetTenantId === null) return stay(ctx);
  return { ctx: { ...ctx, change: 'idle' }, effects: [{ kind: 'cancelMove' }, { kind: 'watchMove', tenantId: ctx.targetTenantId, targetName: targetName(ctx, world) }] };
}

function requestText(ctx: WizardContext, world: WizardWorld, checkId: string): string | undefined {
  const check = ctx.plan?.checks.find((c) => c.id === checkId);
  if (!check) return undefined;
  const l10n = world.l10n;
  const s = ctx.subscription;
  return [
    l10n.t('Moving the Azure subscription "{0}" ({1}) from {2} to {3} is blocked:', s.subscription.displayName, subscriptionIdOf(ctx), s.source.displayName ?? s.subscription.tenantId, targetName(ctx, world)),
    check.message,
    ...(check.fix ? [l10n.t('Fix: {0}', check.fix)] : []),
    ...(check.owner ? [l10n.t('Who: {0}', check.owner)] : []),
  ].join('\n');
}

function confirmed(ctx: WizardContext, c: Confirmation, world: WizardWorld): StepUpdate | undefined {
  if (c.kind === 'skipSnapshot') return stay(ctx.snapshot.status === 'saved' ? ctx : { ...ctx, snapshot: { status: 'skipped' } });
  if (c.kind !== 'changeDirectory' || ctx.targetTenantId === null) return undefined;
  if (ctx.mode === 'portal') {
    const w = watch(ctx, world);
    return { ctx: w.ctx, effects: [{ kind: 'openPortal' }, ...w.effects] };
  }
  return { ctx: { ...ctx, change: 'inProgress', busy: world.l10n.t('Changing the directory…') }, effects: [{ kind: 'changeDirectoryApi', tenantId: ctx.targetTenantId, ...destinationOwner(ctx) }] };
}

export const changeStep: Step<ChangeStep | null> = {
  id: 'change',
  canOpen: (ctx, world) => ctx.targetTenantId !== null && (visibleOk(ctx) || changeStatus(ctx, world) !== 'idle'),
  isDone: moved,
  enter: (ctx, world) => (ctx.plan || ctx.planning ? stay(ctx) : startPlan(ctx, world)),
  handle(ctx, event, world): StepUpdate | undefined {
    const l10n = world.l10n;
    switch (event.type) {
      case 'recheck': {
        if (ctx.active !== 'change') return undefined;
        // Tracking (waiting, timed out or cancelled): check now, from the first attempt again.
        const t = tracking(ctx, world);
        return t !== null && t.status !== 'seen' ? watch(ctx, world) : startPlan(ctx, world);
      }
      case 'planned':
        return stay({ ...ctx, plan: event.plan, planning: false, busy: null });
      case 'planFailed':
        return stay({ ...ctx, planning: false, busy: null, error: event.error });
      case 'copyRequestText': {
        const text = requestText(ctx, world, event.checkId);
        return { ctx, effects: text === undefined ? [] : [{ kind: 'copyText', text }] };
      }
      case 'saveSnapshot':
        return { ctx: { ...ctx, snapshot: { status: 'saving' } }, effects: [{ kind: 'saveSnapshot' }] };
      case 'snapshotSaved':
        return stay({ ...ctx, snapshotData: event.snapshot, snapshot: { status: 'saved', path: event.path, count: event.snapshot.roleAssignments.length, also: snapshotAlso(event.snapshot) } });
      case 'snapshotFailed':
        return stay({ ...ctx, snapshot: { status: 'failed', reason: event.reason } });
      case 'remembered': {
        // One saved or skipped meanwhile wins.
        const found = event.found;
        if (found === undefined || ctx.snapshot.status !== 'notSaved') return stay(event.refused === undefined ? ctx : { ...ctx, error: { message: event.refused } });
        return stay({ ...ctx, snapshotData: found.snapshot, snapshot: { status: 'saved', path: found.path, count: found.snapshot.roleAssignments.length, also: snapshotAlso(found.snapshot) } });
      }
      case 'continueWithoutSnapshot':
        return { ctx, effects: [{ kind: 'confirm', confirmation: { kind: 'skipSnapshot', deleted: deleted(ctx) } }] };
      case 'revealSnapshot':
        return { ctx, effects: ctx.snapshot.status === 'saved' ? [{ kind: 'showFile', path: ctx.snapshot.path }] : [] };
      case 'setChangeMode': {
        const status = changeStatus(ctx, world);
        return stay(status === 'idle' || status === 'failed' || status === 'cancelled' ? { ...ctx, mode: event.mode } : ctx);
      }
      case 'changeDirectory': {
        const plan = ctx.plan;
        if (!plan || ctx.targetTenantId === null || plan.checks.some((c) => c.status === 'fail')) return stay(ctx);
        if (ctx.snapshot.status !== 'saved' && ctx.snapshot.status !== 'skipped') return stay(ctx);
        const s = ctx.subscription.subscription;
        const confirmation: Confirmation = { kind: 'changeDirectory', subscription: s.displayName, from: plan.source.displayName ?? plan.source.tenantId, to: targetName(ctx, world), deleted: deleted(ctx), customRoles: plan.impact.customRoles.length, ...acceptorOf(ctx), ...unrecoverableOf(plan) };
        return { ctx, effects: [{ kind: 'confirm', confirmation }] };
      }
      case 'confirmed':
        return confirmed(ctx, event.confirmation, world);
      case 'changeInitiated': {
        const w = watch({ ...ctx, busy: null }, world);
        const error = event.acceptNote ? { message: event.acceptNote, owner: l10n.t('A Global Administrator of {0}', targetName(ctx, world)) } : ctx.error;
        return { ctx: { ...w.ctx, error }, effects: w.effects };
      }
      case 'changeFailed':
        return stay({ ...ctx, change: 'failed', busy: null, error: event.error });
      case 'openPortal':
        return { ctx, effects: [{ kind: 'openPortal' }] };
      case 'cancelTracking':
        return { ctx, effects: [{ kind: 'cancelMove' }] };
      default:
        return undefined;
    }
  },
  project(ctx, world, l10n): ChangeStep | null {
    if (ctx.targetTenantId === null) return null;
    const s = ctx.subscription.subscription;
    const target = targetOption(ctx, world);
    const handoff = portalHandoff(ctx.accounts.owner.session.cloud, { id: s.subscriptionId, name: s.displayName, tenantId: s.tenantId }, { tenantId: ctx.targetTenantId, displayName: target?.name ?? null }, l10n);
    return {
      checks: ctx.plan ? checksOf(ctx.plan) : null,
      impact: ctx.plan ? impactOf(ctx.plan) : null,
      snapshot: ctx.snapshot,
      mode: ctx.mode,
      portalSteps: [...handoff.steps],
      status: changeStatus(ctx, world),
      block: block(ctx),
      tracking: tracking(ctx, world),
    };
  },
};
