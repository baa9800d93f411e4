/**
 * Step 3's preview: the snapshot's principals mapped in the target as the account acting there (after the move only
 * the acceptor holds Owner), and a dry run of the whole restore, so the rows show exactly what would be written — each
 * role named as Azure does now, rows outside the subscription refused (the snapshot file is untrusted), the repairs.
 */
import type { AzureSession } from '../azure/session';
import type { Localize } from '../core/l10n';
import { mapPrincipals, type MappingResult } from '../core/mapping';
import { restoreSnapshot } from '../core/restore';
import { restoreEverything } from '../core/restoreExtras';
import type { Snapshot } from '../core/snapshot';
import type { RestoreRow } from '../webview/protocol';
import type { WizardEvent } from './events';
import { eligibleRowsOf, identityPrincipals, manualStepsOf, repairItemsOf } from './extrasProtocol';
import { restoreRowsOf } from './toProtocol';

export async function previewRestore(
  session: AzureSession,
  snapshot: Snapshot,
  tenantId: string,
  l10n: Localize,
  signal: AbortSignal,
  overrides?: ReadonlyMap<string, string>,
): Promise<Extract<WizardEvent, { type: 'mapped' }>> {
  const mapping = await mapPrincipals(session, snapshot, tenantId, l10n, { signal, ...(overrides ? { overrides } : {}) });
  const preview = await restoreEverything(session, snapshot, mapping, l10n, { dryRun: true, signal });
  const rows = [
    ...restoreRowsOf(mapping, preview, identityPrincipals(preview), l10n.t('a managed identity the Repair below re-creates: the grant follows its new principal id')),
    ...eligibleRowsOf(mapping, snapshot, preview),
  ];
  return { type: 'mapped', mapping, rows, repair: repairItemsOf(preview), manual: manualStepsOf(preview) };
}

/** Every principal matched in `mapping` (the user's picks included), as overrides: a new mapping keeps them. */
export function matchedOverrides(mapping: MappingResult): [string, string][] {
  return mapping.principals.flatMap((m) => (m.status === 'matched' && m.principal ? [[m.oldPrincipalId, m.principal.id] as [string, string]] : []));
}

/**
 * The row `rowId` as the user's pick leaves it, previewed by a dry run of the restore: a role-assignment row alone, an
 * eligible one with the snapshot's other eligible rows removed (each keeps its own principal: `eligibleChoices`).
 */
export async function previewChosenRow(session: AzureSession, snapshot: Snapshot, mapping: MappingResult, rowId: string, l10n: Localize, signal: AbortSignal): Promise<RestoreRow | undefined> {
  const only = { ...mapping, rows: mapping.rows.filter((r) => r.assignment.name === rowId) };
  if (only.rows.length > 0) return restoreRowsOf(only, await restoreSnapshot(session, snapshot, only, l10n, { dryRun: true, signal }))[0];
  const eligible: Snapshot = {
    ...snapshot, roleAssignments: [], policyAssignments: null, keyVaults: null, identities: null,
    eligibleAssignments: snapshot.eligibleAssignments?.filter((e) => e.name === rowId) ?? null,
  };
  const preview = await restoreEverything(session, eligible, { ...mapping, rows: [] }, l10n, { dryRun: true, signal });
  return eligibleRowsOf(mapping, eligible, preview)[0];
}
