/** Step 0: the subscription and the target directory. */
import { immovableOfferMessage, offerName } from '../../core/checks';
import type { Localize } from '../../core/l10n';
import type { ChooseStep, SubscriptionOption } from '../../webview/protocol';
import { initialContext, subscriptionIdOf, type WizardContext, type WizardSubscription, type WizardWorld } from '../context';
import { directoryOptions, reachableDirectories } from '../derive';
import { stay, type Step, type StepUpdate } from './step';

/** Another subscription: everything learnt about the previous one goes; the target stays unless it is now the source. */
function chooseSubscription(ctx: WizardContext, next: WizardSubscription): WizardContext {
  const fresh = initialContext({ subscription: next, changeApi: ctx.mode === 'api' });
  const target = ctx.targetTenantId === next.subscription.tenantId ? null : ctx.targetTenantId;
  return { ...fresh, mode: ctx.mode, active: ctx.active, targetTenantId: target, typedTargetError: ctx.typedTargetError };
}

/** A new target: what was checked against the old one goes; a saved snapshot stays (it is the subscription's). */
export function setTarget(ctx: WizardContext, tenantId: string): WizardContext {
  if (tenantId === ctx.targetTenantId) return ctx;
  return {
    ...ctx,
    targetTenantId: tenantId,
    typedTargetError: null,
    visible: null,
    plan: null,
    snapshot: ctx.snapshot.status === 'saved' ? ctx.snapshot : { status: 'notSaved' },
    snapshotData: ctx.snapshot.status === 'saved' ? ctx.snapshotData : null,
    rememberedLooked: false,
  };
}

function typedTarget(ctx: WizardContext, raw: string, world: WizardWorld): WizardContext {
  const value = raw.trim().toLowerCase();
  const match = reachableDirectories(ctx, world).find((d) => d.tenantId === value || d.defaultDomain?.toLowerCase() === value || d.domains.some((x) => x.toLowerCase() === value));
  if (match && match.tenantId !== ctx.subscription.subscription.tenantId) return setTarget(ctx, match.tenantId);
  const l10n = world.l10n;
  return {
    ...ctx,
    typedTargetError: match
      ? l10n.t('{0} is the subscription\'s current directory.', raw)
      : l10n.t('{0} is not among the directories your account can reach. Sign in with an account of that directory, or ask its administrator for a guest invitation.', raw),
  };
}

export function subscriptionOption(s: WizardSubscription, l10n: Localize): SubscriptionOption {
  const cannotMove = immovableOfferMessage(s.subscription.subscriptionPolicies?.quotaId, l10n);
  return {
    ...(cannotMove === undefined ? {} : { cannotMove }),
    id: s.subscription.subscriptionId,
    name: s.subscription.displayName,
    offer: offerName(s.subscription.subscriptionPolicies?.quotaId, l10n),
    state: s.subscription.state,
    source: { tenantId: s.source.tenantId, name: s.source.displayName ?? s.source.tenantId, domain: s.source.defaultDomain },
  };
}

export const chooseStep: Step<ChooseStep> = {
  id: 'choose',
  canOpen: () => true,
  isDone: (ctx) => ctx.targetTenantId !== null,
  enter: stay,
  handle(ctx, event, world): StepUpdate | undefined {
    switch (event.type) {
      case 'chooseSubscription': {
        const id = event.subscriptionId.toLowerCase();
        if (id === subscriptionIdOf(ctx).toLowerCase()) return stay(ctx);
        // One panel per subscription: a subscription another panel holds is shown there.
        if (world.heldElsewhere(id)) return { ctx, effects: [{ kind: 'revealWizard', subscriptionId: id }] };
        const next = world.subscriptions.find((s) => s.subscription.subscriptionId.toLowerCase() === id && s.accountKey === ctx.subscription.accountKey)
          ?? world.subscriptions.find((s) => s.subscription.subscriptionId.toLowerCase() === id);
        return stay(next ? chooseSubscription(ctx, next) : ctx);
      }
      case 'chooseTarget':
        return stay(directoryOptions(ctx, world).some((d) => d.tenantId === event.tenantId && !d.isSource) ? setTarget(ctx, event.tenantId) : ctx);
      case 'typedTarget':
        return stay(typedTarget(ctx, event.value, world));
      default:
        return undefined;
    }
  },
  project: (ctx, world, l10n) => ({
    subscriptions: world.subscriptions.map((s) => subscriptionOption(s, l10n)),
    directories: directoryOptions(ctx, world),
    selectedSubscriptionId: subscriptionIdOf(ctx),
    selectedTenantId: ctx.targetTenantId,
    typedTargetError: ctx.typedTargetError,
  }),
};
