/**
 * Step 3's per-row pick. A candidate the mapping already offered is chosen at once; any other id goes to the host
 * (`choosePrincipalForRow`), which takes it only when the row's own search offered it, reads it again from the target
 * directory and previews the row by a dry run — the same checks the restore makes.
 */
import type { RestoreRow } from '../../webview/protocol';
import type { AdminsModel, WizardContext } from '../context';
import type { WizardEvent } from '../events';
import { stay, type StepUpdate } from './step';

function withRows(ctx: WizardContext, change: (a: AdminsModel, rows: readonly RestoreRow[]) => AdminsModel): WizardContext {
  const a = ctx.admins;
  return a?.restore ? { ...ctx, admins: change(a, a.restore) } : ctx;
}

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Handles the pick and its results; undefined for any other event. */
export function handleRestorePick(ctx: WizardContext, event: WizardEvent): StepUpdate | undefined {
  switch (event.type) {
    case 'chooseRestorePrincipal': {
      const row = ctx.admins?.restore?.find((r) => r.id === event.rowId);
      if (!row || ctx.admins?.creating) return stay(ctx);
      const pick = event.principalId;
      if (pick === null || row.candidates.some((c) => sameId(c.id, pick))) {
        const chosen = pick === null ? null : row.candidates.find((c) => sameId(c.id, pick))?.id ?? null;
        return stay(withRows(ctx, (a, rows) => ({ ...a, restore: rows.map((r) => (r.id === row.id ? { ...r, chosen } : r)) })));
      }
      if (ctx.targetTenantId === null || row.result?.status === 'created') return stay(ctx);
      return { ctx, effects: [{ kind: 'choosePrincipalForRow', tenantId: ctx.targetTenantId, rowId: row.id, principalId: pick }] };
    }
    case 'restorePrincipalChosen':
      return stay(withRows(ctx, (a, rows) => ({ ...a, mapping: event.mapping, restore: rows.map((r) => (r.id === event.row.id ? { ...event.row, ...(r.result ? { result: r.result } : {}) } : r)) })));
    case 'restorePrincipalRefused':
      return stay({ ...ctx, error: { message: event.reason } });
    default:
      return undefined;
  }
}
