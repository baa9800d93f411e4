/**
 * Step 3 and Done in words (pure, through the injected `Localize`): the writes the confirmation lists, and what is
 * still to do after the restore — rows not restored (with their reason), repairs not done, steps to take by hand,
 * custom roles not re-created, classic administrators, what could not be read.
 */
import { unknownNote } from '../core/impactExtras';
import type { Localize } from '../core/l10n';
import type { Person, RepairItem, RestoreRow, TodoItem } from '../webview/protocol';
import { subscriptionIdOf, type WizardContext } from './context';
import { customRolesUsedBy } from './toProtocol';

/**
 * A scope as people read it: below the wizard's subscription as `resourceGroups/rg/…`, that subscription itself by
 * name. Any other scope (another subscription, a management group: a snapshot file is untrusted) is shown whole.
 */
export function scopeText(scope: string, subscriptionId: string, l10n: Localize): string {
  const own = `/subscriptions/${subscriptionId}`.toLowerCase();
  const lower = scope.toLowerCase().replace(/\/$/, '');
  if (lower === own) return l10n.t('the subscription');
  return lower.startsWith(`${own}/`) ? scope.slice(own.length + 1) : scope;
}

const nameOf = (r: RestoreRow, l10n: Localize): string => r.oldPrincipalName ?? l10n.t('(deleted principal)');

/** The principal a row will be written for (the user's choice), or the re-created identity it follows. */
function newName(r: RestoreRow, l10n: Localize): string {
  if (r.followsIdentity === true) return l10n.t('the re-created identity of {0}', nameOf(r, l10n));
  const c = r.candidates.find((x) => x.id === r.chosen);
  return c ? (c.detail !== null ? `${c.displayName} (${c.detail})` : c.displayName) : r.chosen ?? '';
}

function rowWrite(r: RestoreRow, subscriptionId: string, l10n: Localize, acceptLongestEnd: boolean): string {
  const at = scopeText(r.scope, subscriptionId, l10n);
  const who = newName(r, l10n);
  if (r.eligible === true) {
    const end = acceptLongestEnd && r.longestAllowedEnd !== undefined ? r.longestAllowedEnd : r.endDateTime ?? null;
    return end === null ? l10n.t('Eligible {0} for {1} at {2}, permanent', r.role, who, at) : l10n.t('Eligible {0} for {1} at {2}, until {3}', r.role, who, at, end);
  }
  return r.endDateTime !== null && r.endDateTime !== undefined ? l10n.t('{0} for {1} at {2}, time-bound until {3}', r.role, who, at, r.endDateTime) : l10n.t('{0} for {1} at {2}', r.role, who, at);
}

function repairWrite(x: RepairItem, target: string, l10n: Localize): string {
  switch (x.kind) {
    case 'identity':
      return l10n.t('Turn the system-assigned identity of {0} off and on (a new principal in {1}), then grant its roles again', x.name, target);
    case 'policyAssignment':
      return l10n.t('Re-create the policy assignment {0}', x.name);
    case 'keyVault':
      return l10n.t('Set the tenantId of Key Vault {0} to {1} (its old access policies are removed)', x.name, target);
    case 'accessPolicy':
      return l10n.t('Re-create the access policy of {0} on Key Vault {1}', x.detail ?? '', x.name);
  }
}

const MAX_LISTED = 40;

/** What a restore's confirmation is about: its subscription, the custom roles it creates first (`customRolesFor`). */
export interface WritesContext {
  readonly subscriptionId: string;
  readonly customRoles?: readonly string[];
  readonly acceptLongestEnd?: boolean;
}

/** Every write the restore would make, one line each (at most 40, then how many more). */
export function writesOf(users: readonly Person[], role: string, rows: readonly RestoreRow[], repair: readonly RepairItem[] | null, target: string, l10n: Localize, on: WritesContext): string[] {
  const { subscriptionId, customRoles = [], acceptLongestEnd = false } = on;
  const lines = [
    ...customRoles.map((name) => l10n.t('Create the custom role {0}, with the permissions the snapshot gives it', name)),
    ...users.map((u) => l10n.t('{0} for {1} at {2}', role, u.detail !== null ? `${u.displayName} (${u.detail})` : u.displayName, l10n.t('the subscription'))),
    ...rows.map((r) => rowWrite(r, subscriptionId, l10n, acceptLongestEnd)),
    ...(repair ?? []).filter((x) => x.status === 'planned' || x.status === 'failed').map((x) => repairWrite(x, target, l10n)),
  ];
  return lines.length <= MAX_LISTED ? lines : [...lines.slice(0, MAX_LISTED), l10n.t('… and {0} more', String(lines.length - MAX_LISTED))];
}

/** The snapshot's custom roles the rows use that are not (yet) in the new directory: what their restore creates first. */
export function customRolesFor(ctx: WizardContext, rows: readonly RestoreRow[]): string[] {
  const missing = new Set(customRolesMissing(ctx).map((r) => r.id));
  return customRolesUsedBy(ctx.snapshotData?.customRoles ?? [], rows).filter((r) => missing.has(r.id)).map((r) => r.roleName);
}

/** Custom roles of the snapshot not (yet) in the new directory: all of them until a restore has run. */
export function customRolesMissing(ctx: WizardContext): { id: string; name: string; reason: string | null }[] {
  const roles = ctx.snapshotData?.customRoles ?? [];
  const done = new Map((ctx.admins?.customRoles ?? []).map((r) => [r.id, r]));
  return roles.flatMap((r) => {
    const d = done.get(r.id);
    return d?.status === 'created' || d?.status === 'exists' ? [] : [{ id: r.id, name: r.roleName, reason: d?.reason ?? null }];
  });
}

/** What is still to do after the restore, one item each. */
export function todoOf(ctx: WizardContext, target: string, l10n: Localize): TodoItem[] {
  const a = ctx.admins;
  const todo: TodoItem[] = [];
  for (const r of a?.restore ?? []) {
    if (r.result?.status === 'created' || r.result?.status === 'exists') continue;
    const what = r.eligible === true ? l10n.t('Eligible {0} of {1} at {2} is not restored', r.role, nameOf(r, l10n), scopeText(r.scope, subscriptionIdOf(ctx), l10n)) : l10n.t('{0} of {1} at {2} is not restored', r.role, nameOf(r, l10n), scopeText(r.scope, subscriptionIdOf(ctx), l10n));
    const why = r.result?.reason ?? (r.chosen === null && r.followsIdentity !== true ? r.reason ?? l10n.t('no new principal was chosen') : r.reason ?? l10n.t('the restore has not run'));
    todo.push({ kind: 'unrestored', text: what, detail: why });
  }
  for (const x of a?.repair ?? []) {
    if (x.status === 'created' || x.status === 'exists') continue;
    todo.push({ kind: 'repair', text: repairWrite(x, target, l10n), detail: x.reason ?? (x.status === 'planned' ? l10n.t('the restore has not run') : null) });
  }
  for (const m of a?.manual ?? []) todo.push({ kind: 'manual', text: l10n.t('User-assigned identity {0}: re-create it and attach it again, by hand', m.name), detail: m.steps.join(' ') });
  for (const r of customRolesMissing(ctx)) todo.push({ kind: 'customRole', text: l10n.t('Custom role {0} is not re-created in {1}', r.name, target), detail: r.reason });
  for (const c of ctx.plan?.impact.classicAdministrators ?? []) {
    todo.push({ kind: 'classicAdmin', text: l10n.t('Classic administrator {0} ({1}) was removed by the move', c.emailAddress, c.role.split(';').join(', ')), detail: l10n.t('Add them with an Azure role (for example Owner) if they still need access.') });
  }
  for (const u of ctx.plan?.impact.unknown ?? []) todo.push({ kind: 'unknown', text: unknownNote(u, l10n), detail: null });
  return todo;
}
