/** Step 4: what was deleted and re-created, what is still to do, links into the portal, the report. */
import { LINK_IDS } from '../../ids';
import { removedCount, type DoneStep } from '../../webview/protocol';
import type { WizardContext, WizardWorld } from '../context';
import { adminCounts, targetName } from '../derive';
import { customRolesMissing, todoOf } from '../restoreText';
import { impactOf } from '../toProtocol';
import { stay, type Step, type StepUpdate } from './step';

function summary(ctx: WizardContext, world: WizardWorld): DoneStep {
  const counts = adminCounts(ctx);
  return {
    deleted: ctx.plan ? removedCount(impactOf(ctx.plan)) : 0,
    created: counts.created,
    failed: counts.failed,
    todo: todoOf(ctx, targetName(ctx, world), world.l10n),
    customRolesMissing: customRolesMissing(ctx).length,
    links: [...LINK_IDS],
    reportPath: ctx.done?.reportPath ?? null,
  };
}

export const doneStep: Step<DoneStep | null> = {
  id: 'done',
  canOpen: (ctx) => ctx.admins !== null,
  isDone: (ctx) => ctx.done !== null,
  enter: (ctx, world): StepUpdate => stay({ ...ctx, done: summary(ctx, world) }),
  handle(ctx, event, world): StepUpdate | undefined {
    switch (event.type) {
      case 'openLink':
        return { ctx, effects: [{ kind: 'openLink', link: event.link }] };
      case 'exportReport':
        return { ctx, effects: [{ kind: 'exportReport' }] };
      case 'reportSaved':
        return { ctx: ctx.done ? { ...ctx, done: { ...ctx.done, reportPath: event.path } } : ctx, effects: [{ kind: 'showFile', path: event.path }] };
      case 'recreateCustomRoles': {
        const names = customRolesMissing(ctx).map((r) => r.name);
        if (names.length === 0 || ctx.targetTenantId === null || !ctx.admins?.mapping) return stay(ctx);
        return { ctx, effects: [{ kind: 'confirm', confirmation: { kind: 'recreateCustomRoles', target: targetName(ctx, world), names } }] };
      }
      case 'confirmed':
        if (event.confirmation.kind !== 'recreateCustomRoles' || ctx.targetTenantId === null) return undefined;
        return { ctx: { ...ctx, busy: world.l10n.t('Re-creating custom roles…') }, effects: [{ kind: 'recreateCustomRoles', tenantId: ctx.targetTenantId }] };
      case 'customRolesRestored': {
        const next: WizardContext = { ...ctx, busy: null, admins: ctx.admins ? { ...ctx.admins, customRoles: [...event.customRoles] } : null };
        return stay(next.done ? { ...next, done: summary(next, world) } : next);
      }
      default:
        return undefined;
    }
  },
  project: (ctx) => ctx.done,
};
