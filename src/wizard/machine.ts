/**
 * The wizard's state machine: `reduce(context, event, world)` → new context + effects, a pure function (no I/O, no
 * `vscode`), unit-tested in test/unit/wizard. Gating comes from one table, `STEPS`: each step says when it may open
 * and when it is done; the rail, `openStep` and the UI state all read it.
 */
import { offerName } from '../core/checks';
import { STEP_IDS, type StepId } from '../ids';
import { isFromWebviewType, type StepInfo, type WizardState } from '../webview/protocol';
import { subscriptionIdOf, type WizardContext, type WizardWorld } from './context';
import { moved, targetName, targetOption, visibleOk } from './derive';
import type { Update, WizardEvent } from './events';
import { adminsStep, afterRemembered } from './steps/admins';
import { changeStep, lookUpRemembered, startPlan } from './steps/change';
import { chooseStep } from './steps/choose';
import { doneStep } from './steps/done';
import { afterStep, partiesHandle, projectParties } from './steps/parties';
import type { Step, StepUpdate } from './steps/step';
import { visibleStep } from './steps/visible';

/** The steps in order; `satisfies` makes a missing or extra step a compile error. */
export const STEPS = {
  choose: chooseStep,
  visible: visibleStep,
  change: changeStep,
  admins: adminsStep,
  done: doneStep,
} satisfies Record<StepId, Step<unknown>>;

const ordered: readonly Step<unknown>[] = STEP_IDS.map((id) => STEPS[id]);

export function canOpen(ctx: WizardContext, step: StepId, world: WizardWorld): boolean {
  return STEPS[step].canOpen(ctx, world);
}

/** The rail: the current step, done steps, and step 2 blocked while the directory is checked and not visible. */
export function stepInfos(ctx: WizardContext, world: WizardWorld): StepInfo[] {
  return ordered.map((step) => ({
    id: step.id,
    status: step.id === ctx.active
      ? 'current'
      : step.isDone(ctx, world)
        ? 'done'
        : step.id === 'change' && !step.canOpen(ctx, world) && ctx.visible && !visibleOk(ctx) ? 'blocked' : 'todo',
  }));
}

function openStep(ctx: WizardContext, step: StepId, world: WizardWorld): StepUpdate {
  if (!canOpen(ctx, step, world)) return { ctx, effects: [] };
  return STEPS[step].enter({ ...ctx, active: step }, world);
}

/** Back after a reload, or reopened while the move is pending: step 2 as it was, with the snapshot saved before. */
function start(ctx: WizardContext, world: WizardWorld): StepUpdate {
  const pending = world.move(subscriptionIdOf(ctx));
  if (!pending || pending.progress.status !== 'waiting' || ctx.targetTenantId === null) return { ctx, effects: [] };
  const resumed: WizardContext = { ...ctx, active: 'change' };
  const lookup = lookUpRemembered(resumed);
  const plan = startPlan(lookup.ctx, world);
  return { ctx: plan.ctx, effects: [...lookup.effects, ...plan.effects] };
}

function then(first: StepUpdate, next: (ctx: WizardContext) => StepUpdate): StepUpdate {
  const second = next(first.ctx);
  return { ctx: second.ctx, effects: [...first.effects, ...second.effects] };
}

export function reduce(ctx: WizardContext, event: WizardEvent, world: WizardWorld): Update<WizardContext> {
  switch (event.type) {
    case 'start':
      return start(ctx, world);
    case 'openStep':
      return afterStep(openStep({ ...ctx, error: null }, event.step, world), event, world);
    case 'revealInTree':
      return { ctx: { ...ctx, error: null }, effects: [{ kind: 'revealInTree', what: event.what }] };
    case 'failed':
      return { ctx: { ...ctx, busy: null, planning: false, error: event.error, admins: ctx.admins ? { ...ctx.admins, creating: false } : null }, effects: [] };
    default:
      break;
  }
  // A new intent clears the last error; results of effects keep it.
  const base = isIntent(event) ? { ...ctx, error: null } : ctx;
  const parties = partiesHandle(base, event, world);
  if (parties !== undefined) return parties;
  for (const step of ordered) {
    const update = step.handle(base, event, world);
    if (update === undefined) continue;
    if (event.type === 'remembered') return then(update, (c) => afterRemembered(c, world.l10n.t('Matching the snapshot\'s principals in {0}…', targetName(c, world))));
    return afterStep(update, event, world);
  }
  return { ctx: base, effects: [] };
}

/** An intent from the webview (the protocol's message types), as opposed to the result of an effect. */
function isIntent(event: WizardEvent): boolean {
  return isFromWebviewType(event.type);
}

/** The complete UI state: the header, the rail and each step's slice. No sessions, no tokens. */
export function project(ctx: WizardContext, world: WizardWorld): WizardState {
  const l10n = world.l10n;
  const s = ctx.subscription;
  const target = targetOption(ctx, world);
  const source = { tenantId: s.source.tenantId, name: s.source.displayName ?? s.source.tenantId, domain: s.source.defaultDomain };
  // After the move the subscription is in the target: the header says so (it kept naming the old directory).
  const isMoved = target !== undefined && moved(ctx, world);
  const current = isMoved ? { tenantId: target.tenantId, name: target.name, domain: target.domain } : source;
  return {
    header: {
      subscription: { id: s.subscription.subscriptionId, name: s.subscription.displayName, offer: offerName(s.subscription.subscriptionPolicies?.quotaId, l10n), source, current, moved: isMoved },
      target: target ? { tenantId: target.tenantId, name: target.name, domain: target.domain, office365: target.office365 } : null,
    },
    steps: stepInfos(ctx, world),
    activeStep: ctx.active,
    choose: STEPS.choose.project(ctx, world, l10n),
    visible: STEPS.visible.project(ctx, world, l10n),
    change: STEPS.change.project(ctx, world, l10n),
    admins: STEPS.admins.project(ctx, world, l10n),
    done: STEPS.done.project(ctx, world, l10n),
    busy: ctx.busy,
    error: ctx.error,
    parties: projectParties(ctx, world),
  };
}
