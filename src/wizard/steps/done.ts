/** Step 4: what was deleted and re-created, links into the portal, the report. */
import { LINK_IDS } from '../../ids';
import { removedCount, type DoneStep } from '../../webview/protocol';
import { adminCounts } from '../derive';
import { impactOf } from '../toProtocol';
import { stay, type Step, type StepUpdate } from './step';

export const doneStep: Step<DoneStep | null> = {
  id: 'done',
  canOpen: (ctx) => ctx.admins !== null,
  isDone: (ctx) => ctx.done !== null,
  enter(ctx): StepUpdate {
    const counts = adminCounts(ctx);
    return stay({
      ...ctx,
      done: {
        deleted: ctx.plan ? removedCount(impactOf(ctx.plan)) : 0,
        created: counts.created,
        failed: counts.failed,
        links: [...LINK_IDS],
        reportPath: ctx.done?.reportPath ?? null,
      },
    });
  },
  handle(ctx, event): StepUpdate | undefined {
    switch (event.type) {
      case 'openLink':
        return { ctx, effects: [{ kind: 'openLink', link: event.link }] };
      case 'exportReport':
        return { ctx, effects: [{ kind: 'exportReport' }] };
      case 'reportSaved':
        return { ctx: ctx.done ? { ...ctx, done: { ...ctx.done, reportPath: event.path } } : ctx, effects: [{ kind: 'showFile', path: event.path }] };
      default:
        return undefined;
    }
  },
  project: (ctx) => ctx.done,
};
