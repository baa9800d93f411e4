/** Core shapes → protocol shapes (what the webview may see: no sessions, no tokens). Pure. */
import type { GraphUser } from '../azure/models';
import type { Candidate, MappingResult } from '../core/mapping';
import type { DetailedPlan } from '../core/plan';
import type { RestoreResult, RowStatus } from '../core/restore';
import type { Snapshot } from '../core/snapshot';
import { principalType } from '../ids';
import type { AssignmentResult, Check, Impact, Person, RestoreRow } from '../webview/protocol';
import { extraGroupsOf } from './extrasProtocol';

export function checksOf(plan: DetailedPlan): Check[] {
  return plan.checks.map((c): Check => ({ id: c.id, status: c.status, title: c.title, message: c.message, ...(c.fix ? { fix: c.fix } : {}), ...(c.owner ? { owner: c.owner } : {}) }));
}

export function impactOf(plan: DetailedPlan): Impact {
  return {
    rows: plan.impact.roleAssignments.map((a) => ({
      id: a.id,
      scope: a.scope,
      scopeKind: a.scopeKind,
      roleName: a.roleName,
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      principalType: principalType(a.principalType),
      principalName: a.principalName,
      ...(a.principal === undefined ? { principalUnknown: true } : {}), // lookup failed: unknown, never "deleted"
      removed: a.removed,
    })),
    customRoles: plan.impact.customRoles.map((r) => ({ id: r.id, name: r.roleName, assignmentCount: r.assignmentCount })),
    classicAdmins: plan.impact.classicAdministrators.map((c) => ({ email: c.emailAddress, role: c.role })),
    dependents: plan.impact.dependentResources.map((d) => ({ id: d.id, name: d.name, type: d.type, reason: d.reason, recoverable: d.recoverable })),
    extras: extraGroupsOf(plan),
  };
}

export function personOf(u: GraphUser): Person {
  return { id: u.id, displayName: u.displayName ?? u.userPrincipalName ?? u.id, detail: u.userPrincipalName ?? u.mail ?? null, type: 'User' };
}

export function resultOf(r: { readonly status: RowStatus; readonly reason?: string }): AssignmentResult {
  const status = r.status === 'created' ? 'created' : r.status === 'exists' ? 'exists' : 'failed';
  return status === 'failed' ? { status, reason: r.reason ?? r.status } : { status };
}

/**
 * The snapshot's assignments as restore rows, each with its candidates in the new directory. `preview` is a dry run of
 * the restore: the file is untrusted, so each row shows the role as Azure names its GUID now (not the name the file
 * claims), and a row the restore would refuse (a scope outside the subscription) says why and is not pre-selected.
 */
export function restoreRowsOf(mapping: MappingResult, preview?: RestoreResult, follows: ReadonlySet<string> = new Set(), followReason = ''): RestoreRow[] {
  const planned = new Map(preview?.assignments.map((a) => [a.oldAssignmentId, a]));
  return mapping.rows.map((r): RestoreRow => {
    const dry = planned.get(r.assignment.id);
    const refused = dry?.status === 'failed';
    // The grant of a managed identity the Repair re-creates follows its new principal id (core `withNewPrincipals`).
    const follow = !refused && r.mapping.status !== 'matched' && follows.has(r.assignment.principalId);
    const reason = refused ? dry.reason : follow ? followReason : r.mapping.status === 'matched' ? undefined : r.mapping.reason;
    return {
      id: r.assignment.name,
      oldPrincipalId: r.assignment.principalId,
      oldPrincipalName: r.mapping.oldName,
      oldPrincipalType: principalType(r.assignment.principalType),
      role: dry?.roleName ?? r.assignment.roleName,
      roleDefinitionId: r.assignment.roleDefinitionId,
      scope: dry?.scope ?? r.assignment.scope,
      // A refused row offers no one: nothing can make the restore write it.
      candidates: refused ? [] : r.mapping.candidates.map((c) => ({ id: c.id, displayName: c.displayName ?? c.id, detail: c.detail, type: principalType(c.type) })),
      chosen: refused ? null : r.mapping.principal?.id ?? null,
      match: r.mapping.status,
      ...(reason === undefined || reason === '' ? {} : { reason }),
      ...(r.assignment.endDateTime === null ? {} : { endDateTime: r.assignment.endDateTime }),
      ...(follow ? { followsIdentity: true } : {}),
    };
  });
}

const candidateOf = (p: Person): Candidate => ({ id: p.id, type: p.type === 'Group' || p.type === 'ServicePrincipal' ? p.type : 'User', displayName: p.displayName, detail: p.detail });

/** The snapshot's custom roles that rows to be written (chosen, or following a re-created identity) use. */
export function customRolesUsedBy<R extends { readonly id: string }>(customRoles: readonly R[], rows: readonly RestoreRow[]): R[] {
  const used = new Set(rows.filter((r) => r.chosen !== null || r.followsIdentity === true).map((r) => r.roleDefinitionId.toLowerCase()));
  return customRoles.filter((c) => used.has(c.id.toLowerCase()));
}

/**
 * What the restore is given for the rows the user chose: role-assignment rows mapped to the chosen principal, rows
 * that follow a re-created identity as they are (core swaps in its new id), and only the chosen eligible rows, each
 * to its own choice (`eligibleChoices`: two rows of one old principal may go to different people). The principal
 * table stays the automatic mapping's, so a pick on a row never reaches anything else of that old principal. Custom
 * roles: only those the chosen rows use.
 */
export function withChoices(mapping: MappingResult, snapshot: Snapshot, rows: readonly RestoreRow[]): { mapping: MappingResult; snapshot: Snapshot } {
  const chosen = new Map(rows.filter((r) => r.eligible !== true).map((r) => [r.id, r]));
  const picks = new Map(rows.filter((r) => r.eligible === true).flatMap((r) => {
    const c = r.candidates.find((x) => x.id === r.chosen);
    return c ? [[r.id.toLowerCase(), candidateOf(c)] as const] : [];
  }));
  return {
    mapping: {
      ...mapping,
      eligibleChoices: picks,
      rows: mapping.rows.flatMap((row) => {
        const r = chosen.get(row.assignment.name);
        if (r?.followsIdentity === true) return [row];
        const candidate = r?.chosen ? row.mapping.candidates.find((c) => c.id === r.chosen) : undefined;
        return candidate ? [{ ...row, mapping: { ...row.mapping, status: 'matched' as const, principal: candidate } }] : [];
      }),
    },
    // Only the custom roles the chosen rows use (the confirmation lists them); the others from the Done page.
    snapshot: {
      ...snapshot, eligibleAssignments: snapshot.eligibleAssignments?.filter((e) => picks.has(e.name.toLowerCase())) ?? null,
      customRoles: customRolesUsedBy(snapshot.customRoles, rows),
    },
  };
}
