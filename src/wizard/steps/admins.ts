/** Step 3: add administrators in the new directory and restore the snapshot's assignments there. */
import { BUILT_IN_ROLES } from '../../azure/models';
import { ADMIN_ROLES } from '../../core/restore';
import type { AdminsStep, AssignmentResult, RestoreRow } from '../../webview/protocol';
import { subscriptionIdOf, type AdminsModel, type WizardContext, type WizardWorld } from '../context';
import { adminCounts, moved, targetName } from '../derive';
import type { WizardEvent } from '../events';
import { customRolesFor, writesOf } from '../restoreText';
import { stay, type Step, type StepUpdate } from './step';
import { lookUpRemembered } from './change';
import { handleRestorePick } from './restorePick';

const EMPTY: AdminsModel = { searchAllowed: true, selected: [], roleDefinitionId: BUILT_IN_ROLES.owner, restore: null, mapping: null, repair: null, manual: [], customRoles: null, creating: false, lookupError: null };

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

type Kind = 'createAssignments' | 'retryFailed' | 'acceptLongestEnd';

/** The people and rows a create (all open ones), a retry (failed ones) or the policy's offer (eligible rows it refused) writes. */
function selection(a: AdminsModel, kind: Kind): { users: AdminsModel['selected']; rows: RestoreRow[] } {
  const onlyFailed = kind !== 'createAssignments';
  const failed = (r?: AssignmentResult): boolean => r?.status === 'failed';
  if (kind === 'acceptLongestEnd') return { users: [], rows: (a.restore ?? []).filter((r) => r.longestAllowedEnd !== undefined && failed(r.result)) };
  return {
    users: a.selected.filter((p) => !onlyFailed || failed(p.result)),
    rows: (a.restore ?? []).filter((r) => (r.chosen !== null || r.followsIdentity === true) && (!onlyFailed || failed(r.result))),
  };
}

/** The confirmation for a create, a retry or the policy's offer; nothing when there is nothing to write. */
function ask(ctx: WizardContext, a: AdminsModel, kind: Kind, world: WizardWorld): StepUpdate {
  const { users, rows } = selection(a, kind);
  const repairs = (a.repair ?? []).filter((x) => x.status === 'planned' || x.status === 'failed');
  if (users.length + rows.length === 0 && (kind !== 'retryFailed' || repairs.length === 0)) return stay(ctx);
  const target = targetName(ctx, world);
  const role = ADMIN_ROLES.find((r) => r.id === a.roleDefinitionId)?.name ?? a.roleDefinitionId;
  const acceptLongestEnd = kind === 'acceptLongestEnd';
  const writes = writesOf(users, role, rows, acceptLongestEnd ? [] : repairs, target, world.l10n, { subscriptionId: subscriptionIdOf(ctx), customRoles: customRolesFor(ctx, rows), acceptLongestEnd });
  return {
    ctx,
    effects: [{ kind: 'confirm', confirmation: { kind: 'createAssignments', count: users.length + rows.length, target, subscription: ctx.subscription.subscription.displayName, onlyFailed: kind !== 'createAssignments', writes, ...(acceptLongestEnd ? { acceptLongestEnd } : {}) } }],
  };
}

/** The whole restore's results beyond the rows reported one by one. */
function restored(a: AdminsModel, e: Extract<WizardEvent, { type: 'extrasRestored' }>): AdminsModel {
  const byRow = new Map(e.rows.map((r) => [r.rowId, r]));
  return {
    ...a, repair: [...e.repair], manual: [...e.manual], customRoles: [...e.customRoles],
    restore: a.restore?.map((r) => {
      const o = byRow.get(r.id);
      if (!o) return r;
      // The policy's offer is the new result's own (gone once the row is restored).
      const rest: RestoreRow = { ...r };
      delete rest.longestAllowedEnd;
      return { ...rest, result: o.result, endDateTime: o.endDateTime, ...(o.longestAllowedEnd === undefined ? {} : { longestAllowedEnd: o.longestAllowedEnd }) };
    }) ?? null,
  };
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
        return stay({ ...withAdmins(ctx, (x) => ({ ...x, mapping: event.mapping, restore: [...event.rows], repair: [...event.repair], manual: [...event.manual] })), busy: null });
      case 'extrasRestored':
        return stay(withAdmins(ctx, (x) => restored(x, event)));
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
      case 'retryFailed':
      case 'acceptLongestEnd':
        return a && tenantId && !a.creating ? ask(ctx, a, event.type, world) : stay(ctx);
      case 'confirmed': {
        const c = event.confirmation;
        if (c.kind !== 'createAssignments' || !a || !tenantId || a.creating) return undefined;
        const acceptLongestEnd = c.acceptLongestEnd === true;
        const { users, rows } = selection(a, acceptLongestEnd ? 'acceptLongestEnd' : c.onlyFailed ? 'retryFailed' : 'createAssignments');
        return {
          ctx: { ...ctx, admins: { ...a, creating: true } },
          effects: [{ kind: 'createAssignments', tenantId, userIds: users.map((u) => u.id), rows, roleDefinitionId: a.roleDefinitionId, acceptLongestEnd }],
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
      ? {
          searchAllowed: a.searchAllowed, selected: [...a.selected], roles: ADMIN_ROLES.map((r) => ({ id: r.id, name: r.name })), roleDefinitionId: a.roleDefinitionId,
          restore: a.restore ? [...a.restore] : null, repair: a.repair ? [...a.repair] : null, manual: [...a.manual], creating: a.creating, lookupError: a.lookupError,
        }
      : null;
  },
};

/** After the remembered-snapshot lookup (the change step records what it found): step 3, if waiting, maps it. */
export function afterRemembered(ctx: WizardContext, busy: string): StepUpdate {
  const next = mapIfReady(ctx, busy);
  if (next.effects.length || ctx.active !== 'admins' || ctx.admins?.mapping) return next;
  return stay({ ...ctx, busy: null });
}
