/** Step 1: the target directory is visible to the owner's account, and the editor can act there. */
import type { Finding, VisibleStep } from '../../webview/protocol';
import type { WizardContext, WizardWorld } from '../context';
import { targetName, visibleOk } from '../derive';
import type { ResultEvent } from '../events';
import { stay, type Step, type StepUpdate } from './step';

type Checked = Extract<ResultEvent, { type: 'visibleChecked' }>;

function findings(ctx: WizardContext, world: WizardWorld, e: Checked): VisibleStep {
  const l10n = world.l10n;
  const name = targetName(ctx, world);
  const account = ctx.accounts.owner.session.account.label;
  const accountInTarget: Finding = e.listed
    ? { status: 'pass', title: l10n.t('Your account is in {0}', name), message: l10n.t('{0} is a user of {1}.', account, name) }
    : {
        status: 'fail',
        title: l10n.t('Your account is not in {0}', name),
        message: l10n.t('You aren\'t in the Office 365 directory yet.'),
        fix: l10n.t('Sign in with your Office 365 work account, or accept a guest invitation to {0} (Entra admin center > Users > Invite external user).', name),
        owner: l10n.t('A User Administrator of {0}, and you', name),
      };
  const tokenForTarget: Finding | null = e.token === null
    ? null
    : e.token === 'ok'
      ? { status: 'pass', title: l10n.t('Signed in to {0}', name), message: l10n.t('The editor can act in {0} for you.', name) }
      : {
          status: 'fail',
          title: l10n.t('Sign in to {0} first', name),
          message: e.token === 'mfa' ? l10n.t('{0} requires multi-factor authentication: sign in to it directly.', name) : l10n.t('The editor has no sign-in for {0} yet.', name),
          fix: l10n.t('Select “Sign in to directory” and complete the sign-in.'),
          owner: l10n.t('You'),
        };
  return { checking: false, account, accountInTarget, tokenForTarget };
}

/** Starts the check (the UI shows "checking" at once). */
export function checkVisible(ctx: WizardContext): StepUpdate {
  if (ctx.targetTenantId === null) return stay(ctx);
  const visible: VisibleStep = { checking: true, account: ctx.accounts.owner.session.account.label, accountInTarget: null, tokenForTarget: null };
  return { ctx: { ...ctx, visible }, effects: [{ kind: 'checkVisible', tenantId: ctx.targetTenantId }] };
}

export const visibleStep: Step<VisibleStep | null> = {
  id: 'visible',
  canOpen: (ctx) => ctx.targetTenantId !== null,
  isDone: (ctx) => visibleOk(ctx),
  enter: (ctx) => (ctx.visible ? stay(ctx) : checkVisible(ctx)),
  handle(ctx, event, world): StepUpdate | undefined {
    switch (event.type) {
      case 'signInToDirectory': {
        const next = checkVisible(ctx);
        return { ctx: next.ctx, effects: [{ kind: 'signInToDirectory', tenantId: event.tenantId }, ...next.effects] };
      }
      case 'recheck':
        return ctx.active === 'visible' ? checkVisible(ctx) : undefined;
      case 'visibleChecked':
        return stay({ ...ctx, visible: findings(ctx, world, event) });
      default:
        return undefined;
    }
  },
  project: (ctx) => ctx.visible,
};
