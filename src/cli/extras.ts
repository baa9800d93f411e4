/** What `plan`, `snapshot` and `restore` print about PIM, policy, Key Vault, identities, locks, deny assignments and Lighthouse (issue 11). */
import { principalStatusOf } from '../core/impact';
import type { DetailedPlan } from '../core/plan';
import type { ImpactExtras } from '../core/impactExtras';
import type { FullRestoreResult } from '../core/restoreExtras';
import type { Snapshot } from '../core/snapshot';
import { principalText, table } from './format';

type Status = 'created' | 'exists' | 'failed' | 'skipped' | 'planned';
const STATUS_TEXT: Readonly<Record<Status, string>> = { created: 'created', exists: 'already there', failed: 'failed', skipped: 'skipped', planned: 'would create' };
export const statusText = (s: Status): string => STATUS_TEXT[s];

const until = (end: string | null): string => (end === null ? 'permanent' : `until ${end}`);
const short = (scope: string): string => scope.replace(/^\/subscriptions\/[^/]+\/?/i, '') || 'subscription';
const count = (list: readonly unknown[] | null, what: string): string => (list === null ? `${what}: unknown` : `${list.length} ${what}`);

/** The plan's extra groups for people: each a table, or "unknown" with the reason (never an empty table for a refused read). */
export function planExtrasLines(plan: DetailedPlan): string[] {
  const i: ImpactExtras = plan.impact;
  const lines: string[] = [];
  const timeBound = plan.impact.roleAssignments.filter((a) => a.endDateTime !== null);
  if (timeBound.length > 0) lines.push(`Time-bound (PIM) role assignments: ${timeBound.map((a) => `${principalText(a.principalName, principalStatusOf(a.principal), a.principalId)} ${a.roleName} ${until(a.endDateTime)}`).join('; ')}.`, '');
  if (i.eligibleAssignments === null) lines.push('Eligible (PIM) assignments: unknown (see the notes).', '');
  else if (i.eligibleAssignments.length > 0) {
    lines.push(`The move deletes ${i.eligibleAssignments.filter((e) => e.removed).length} eligible (PIM) assignments; the restore re-creates them as eligible:`, table(i.eligibleAssignments, [
      { header: 'Principal', value: (e) => principalText(e.principalName, principalStatusOf(e.principal), e.principalId) },
      { header: 'Role', value: (e) => e.roleName },
      { header: 'Scope', value: (e) => short(e.scope) },
      { header: 'Eligible', value: (e) => until(e.endDateTime) },
    ]).trimEnd(), '');
  }
  if (i.policyAssignments === null) lines.push('Policy assignments: unknown (see the notes).', '');
  else if (i.policyAssignments.length > 0) {
    lines.push('Policy assignments (Azure cannot recover them; the restore re-creates those of built-in definitions):', table(i.policyAssignments, [
      { header: 'Policy assignment', value: (p) => p.displayName },
      { header: 'Scope', value: (p) => short(p.scope) },
      { header: 'Identity', value: (p) => p.identityType },
      { header: 'Deleted', value: (p) => (p.removed ? 'yes' : 'no') },
    ]).trimEnd(), '');
  }
  if (i.keyVaults === null) lines.push('Key Vaults: unknown (see the notes).', '');
  for (const v of i.keyVaults ?? []) lines.push(`Key Vault ${v.name}: ${v.rbacAuthorization ? 'RBAC authorization' : `${v.accessPolicies.length} access policies`}; the restore sets its tenantId${v.rbacAuthorization ? '' : ' and re-creates the access policies of mapped principals'}.`);
  const blockers = [
    i.locks === null ? 'Locks: unknown.' : i.locks.length === 0 ? '' : `Locks: ${i.locks.map((l) => `${l.level} on ${short(l.scope)}`).join(', ')} (a ReadOnly lock makes a repair there fail).`,
    i.denyAssignments === null ? 'Deny assignments: unknown.' : i.denyAssignments.length === 0 ? '' : `Deny assignments: ${i.denyAssignments.map((d) => d.name).join(', ')}.`,
    i.delegations === null ? 'Lighthouse delegations: unknown.' : i.delegations.length === 0 ? '' : `Lighthouse delegations: ${i.delegations.map((d) => `${d.definitionName} (${d.managedByTenantName ?? d.managedByTenantId ?? 'unknown'})`).join(', ')}.`,
    i.policyExemptions === null ? 'Policy exemptions: unknown.' : i.policyExemptions.length === 0 ? '' : `Policy exemptions (deleted, not restored): ${i.policyExemptions.map((x) => x.displayName).join(', ')}.`,
  ].filter((l) => l !== '');
  if (i.keyVaults?.length) lines.push('');
  if (blockers.length > 0) lines.push(...blockers, '');
  return lines;
}

/** One line for the snapshot summary. */
export function snapshotExtrasLine(s: Snapshot): string {
  return `Also saved: ${count(s.eligibleAssignments, 'eligible assignments')}, ${count(s.policyAssignments, 'policy assignments')}, ${count(s.keyVaults, 'key vaults')}, ${count(s.identities, 'resources with managed identities')}, ${count(s.locks, 'locks')}.`;
}

/** The restore's extra groups for people. */
export function restoreExtrasLines(r: FullRestoreResult): string[] {
  const lines: string[] = [];
  const group = <T extends { readonly status: Status; readonly reason?: string }>(title: string, rows: readonly T[], name: (row: T) => string, extra: (row: T) => string = () => ''): void => {
    if (rows.length === 0) return;
    lines.push(title, table(rows, [
      { header: 'Item', value: name },
      { header: 'Detail', value: extra },
      { header: 'Status', value: (x) => statusText(x.status) },
      { header: 'Reason', value: (x) => x.reason ?? '' },
    ]).trimEnd(), '');
  };
  group('Managed identities (system-assigned, re-enabled):', r.identities, (x) => x.name, (x) => (x.newPrincipalId === null ? '' : `new principal ${x.newPrincipalId}`));
  group('Policy assignments:', r.policyAssignments, (x) => x.displayName, (x) => (x.newPrincipalId === null ? x.identityType : `identity ${x.newPrincipalId}`));
  group('Eligible (PIM) assignments:', r.eligibleAssignments, (x) => `${x.oldPrincipalName ?? x.oldPrincipalId} → ${x.principalName ?? x.principalId ?? '?'}`, (x) => `${x.roleName} at ${short(x.scope)}, ${until(x.endDateTime)}${x.longestAllowedEnd === undefined ? '' : ` (policy allows until ${x.longestAllowedEnd}: --accept-policy-end)`}`);
  group('Key Vaults (tenantId):', r.keyVaults, (x) => x.name);
  group('Key Vault access policies:', r.keyVaults.flatMap((v) => v.accessPolicies.map((p) => ({ ...p, vault: v.name }))), (x) => `${x.vault}: ${x.oldName ?? x.oldObjectId}`, (x) => (x.objectId === null ? '' : `→ ${x.objectId}`));
  for (const m of r.manualSteps) lines.push(`By hand — user-assigned identity ${m.name}:`, ...m.steps.map((s, n) => `  ${n + 1}. ${s}`), '');
  return lines;
}
