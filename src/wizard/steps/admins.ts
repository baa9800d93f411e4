/** Step 3: add administrators in the new directory and restore the snapshot's assignments there. */
import { BUILT_IN_ROLES } from '../../azure/models';
import { ADMIN_ROLES } from '../../core/restore';
import type { AdminsStep, AssignmentResult } from '../../webview/protocol';
import type { AdminsModel, WizardContext } from '../context';
import { adminCounts, moved, targetName } from '../derive';
import { stay, type Step, type StepUpdate } from './step';
import { lookUpRemembered } from './change';
import { handleRestorePick } from './restorePick';

const EMPTY: AdminsModel = { searchAllowed: true, selected: [], roleDefinitionId: BUILT_IN_ROLES.owner, restore: null, mapping: null, creating: false, lookupError: null };

function withAdmins(ctx: WizardContext, change: (a: AdminsModel) => AdminsModel): WizardContext {
  return ctx.admins ? { ...ctx, admins: change(ctx.admins) } : ctx;
}

/** Maps the snapshot's principals into the target once there is a snapshot (saved here, or remembered). */
function mapIfReady(ctx: WizardContext, busy: string): StepUpdate {
  if (ctx.active !== 'admins' || !ctx.admins || ctx.admins.mapping || !ctx.snapshotData || ctx.targetTenantId === null) return stay(ctx);
  return { ctx: { ...ctx, busy }, effects: [{ kind: 'mapPrincipals', tenantId: ctx.targetTenantId }] };
}

function setResult<T extends { readonly id: string; readonly result?: AssignmentResult }>(items: readonly T[] | null, id: string, result: AssignmentResult): T[] | null {
  return items ? items.map((x) => (x.id.toLowerCase() === id.toLowerCase() ? { ...x, result } : x)) : null;
}

export const adminsStep: Step<AdminsStep | null> = {
  id: 'admins',
  canOpen: moved,
  isDone: (ctx) => {
    const c = adminCounts(ctx);
    return c.created + c.exists > 0;
  },
  enter(ctx, world): StepUpdate {
    if (ctx.admins) return stay(ctx);
    const next = { ...ctx, admins: EMPTY };
    const busy = world.l10n.t('Matching the snapshot\'s principals in {0}…', targetName(ctx, world));
    if (next.snapshotData) return mapIfReady(next, busy);
    const lookup = lookUpRemembered(next);
    return { ctx: lookup.effects.length ? { ...lookup.ctx, busy } : lookup.ctx, effects: lookup.effects };
  },
  handle(ctx, event, world): StepUpdate | undefined {
    const a = ctx.admins;
    const tenantId = ctx.targetTenantId;
    switch (event.type) {
      case 'mapped':
        return stay({ ...withAdmins(ctx, (x) => ({ ...x, mapping: event.mapping, restore: [...event.rows] })), busy: null });
      case 'searchUsers':
        return a && tenantId ? { ctx, effects: [{ kind: 'search', tenantId, query: event.query }] } : stay(ctx);
      case 'searched':
        return stay({ ...ctx, lastSearch: event.results });
      case 'searchForbidden':
        return stay(withAdmins(ctx, (x) => ({ ...x, searchAllowed: false })));
      case 'lookupUser':
        return a && tenantId ? { ctx, effects: [{ kind: 'lookUpUser', tenantId, value: event.value }] } : stay(ctx);
      case 'userFound':
        return stay(withAdmins(ctx, (x) => ({ ...x, lookupError: null, selected: x.selected.some((p) => p.id === event.person.id) ? x.selected : [...x.selected, event.person] })));
      case 'userNotFound':
        return stay(withAdmins(ctx, (x) => ({ ...x, lookupError: world.l10n.t('No user {0} in {1}.', event.value, targetName(ctx, world)) })));
      case 'setSelectedUsers':
        return stay(withAdmins(ctx, (x) => ({
          ...x,
          selected: [...x.selected.filter((p) => event.ids.includes(p.id)), ...ctx.lastSearch.filter((u) => event.ids.includes(u.id) && !x.selected.some((p) => p.id === u.id))],
        })));
      case 'setRole':
        return stay(ADMIN_ROLES.some((r) => r.id === event.roleDefinitionId) ? withAdmins(ctx, (x) => ({ ...x, roleDefinitionId: event.roleDefinitionId })) : ctx);
      case 'createAssignments':
      case 'retryFailed': {
        if (!a || !tenantId || a.creating) return stay(ctx);
        const onlyFailed = event.type === 'retryFailed';
        const users = a.selected.filter((p) => !onlyFailed || p.result?.status === 'failed');
        const rows = (a.restore ?? []).filter((r) => r.chosen !== null && (!onlyFailed || r.result?.status === 'failed'));
        if (users.length + rows.length === 0) return stay(ctx);
        return { ctx, effects: [{ kind: 'confirm', confirmation: { kind: 'createAssignments', count: users.length + rows.length, target: targetName(ctx, world), subscription: ctx.subscription.subscription.displayName, onlyFailed } }] };
      }
      case 'confirmed': {
        if (event.confirmation.kind !== 'createAssignments' || !a || !tenantId || a.creating) return undefined;
        const onlyFailed = event.confirmation.onlyFailed;
        const users = a.selected.filter((p) => !onlyFailed || p.result?.status === 'failed');
        const rows = (a.restore ?? []).filter((r) => r.chosen !== null && (!onlyFailed || r.result?.status === 'failed'));
        return {
          ctx: { ...ctx, admins: { ...a, creating: true } },
          effects: [{ kind: 'createAssignments', tenantId, userIds: users.map((u) => u.id), rows, roleDefinitionId: a.roleDefinitionId }],
        };
      }
      case 'adminResult':
        return stay(withAdmins(ctx, (x) => ({ ...x, selected: setResult(x.selected, event.personId, event.result) ?? [] })));
      case 'restoreResult':
        return stay(withAdmins(ctx, (x) => ({ ...x, restore: setResult(x.restore, event.rowId, event.result) })));
      case 'created':
        return stay(withAdmins(ctx, (x) => ({ ...x, creating: false })));
      default:
        return handleRestorePick(ctx, event);
    }
  },
  project: (ctx) => {
    const a = ctx.admins;
    return a
      ? { searchAllowed: a.searchAllowed, selected: [...a.selected], roles: ADMIN_ROLES.map((r) => ({ id: r.id, name: r.name })), roleDefinitionId: a.roleDefinitionId, restore: a.restore ? [...a.restore] : null, creating: a.creating, lookupError: a.lookupError }
      : null;
  },
};

/** After the remembered-snapshot lookup (the change step records what it found): step 3, if waiting, maps it. */
export function afterRemembered(ctx: WizardContext, busy: string): StepUpdate {
  const next = mapIfReady(ctx, busy);
  if (next.effects.length || ctx.active !== 'admins' || ctx.admins?.mapping) return next;
  return stay({ ...ctx, busy: null });
}
