/**
 * The user's own choice of a new principal for one restore row (the wizard's per-row picker), applied the way the
 * CLI's `--map old=new` is: the object is read by id from the target directory (`directoryObjects/getByIds`,
 * https://learn.microsoft.com/graph/api/directoryobject-getbyids), so an id that is not an object of that directory
 * maps nothing. Only that row changes; every other row keeps what the mapping (or the user) gave it.
 */
import type { AzureSession } from '../azure/session';
import type { Localize } from './l10n';
import { objectCandidate, type Candidate, type MappingResult, type PrincipalMapping } from './mapping';
import type { SnapshotEligible } from './snapshotExtras';

export type RowChoice =
  | { readonly ok: true; readonly mapping: MappingResult; readonly candidate: Candidate }
  | { readonly ok: false; readonly reason: string };

/**
 * Maps the row of the assignment named `rowName` to the object `principalId` of the mapping's target directory.
 * The row keeps its status and reason (what the automatic mapping found), so the preview still says why nothing was
 * matched; its principal is the chosen object and no longer a failed lookup. `eligible`: the snapshot's eligible
 * assignments; a row named after one of them (the move deleted it) gets its own choice (`eligibleChoices`), so
 * another eligible assignment of the same old principal keeps what it had.
 */
export async function chooseForRow(
  session: AzureSession, mapping: MappingResult, rowName: string, principalId: string, l10n: Localize, signal?: AbortSignal, eligible: readonly SnapshotEligible[] = [],
): Promise<RowChoice> {
  const name = rowName.toLowerCase();
  const index = mapping.rows.findIndex((r) => r.assignment.name.toLowerCase() === name);
  const row = mapping.rows[index];
  const eligibleRow = row === undefined ? eligible.find((e) => e.removed && e.name.toLowerCase() === name) : undefined;
  if (row === undefined && eligibleRow === undefined) return { ok: false, reason: l10n.t('the snapshot has no role assignment {0} to restore', rowName) };
  const id = principalId.toLowerCase();
  const found = (await session.graph(mapping.targetTenantId).getByIds([id], signal)).find((o) => o.id.toLowerCase() === id);
  if (found === undefined) return { ok: false, reason: l10n.t('the mapped object {0} is not in the target directory', id) };
  const candidate = objectCandidate(found);
  if (row === undefined) {
    return { ok: true, candidate, mapping: { ...mapping, eligibleChoices: new Map([...(mapping.eligibleChoices ?? []), [name, candidate]]) } };
  }
  const m = row.mapping;
  const chosen: PrincipalMapping = {
    oldPrincipalId: m.oldPrincipalId, oldPrincipalType: m.oldPrincipalType, oldName: m.oldName, status: m.status, reason: m.reason,
    principal: candidate, candidates: [...m.candidates.filter((c) => c.id !== candidate.id), candidate],
  };
  const rows = mapping.rows.map((r, i) => (i === index ? { ...r, mapping: chosen } : r));
  return { ok: true, candidate, mapping: { ...mapping, rows } };
}
