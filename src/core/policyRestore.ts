/**
 * Azure Policy after the move: Microsoft deletes every policy assignment and exemption and cannot recover them
 * (https://learn.microsoft.com/azure/role-based-access-control/transfer-subscription: "create new policy assignments").
 * The restore re-creates each assignment of a built-in definition under its old name — with a new system identity
 * when it had one, whose old grants are then re-created for the new principal id (`withNewPrincipals`). A re-run finds
 * the assignment by name and only reads its identity.
 */
import { getPolicyAssignment, putPolicyAssignment } from '../azure/armGovernance';
import type { AzureSession } from '../azure/session';
import type { Localize } from './l10n';
import type { RepairOptions, RepairStatus } from './repair';
import type { SnapshotExtras } from './snapshotExtras';
import { reasonOf } from './util';
import { checkRestoreScope } from './restoreScope';

export interface PolicyAssignmentRestore {
  readonly id: string;
  readonly displayName: string;
  readonly identityType: string;
  readonly oldPrincipalId: string | null;
  readonly newPrincipalId: string | null;
  readonly status: RepairStatus;
  readonly reason?: string;
}

/** A built-in definition (`/providers/Microsoft.Authorization/policy[Set]Definitions/…`) survives the move; custom ones do not. */
const BUILT_IN = /^\/providers\/Microsoft\.Authorization\/policy(Set)?Definitions\/[^/]+$/i;
export const isBuiltInDefinition = (policyDefinitionId: string): boolean => BUILT_IN.test(policyDefinitionId);

export async function restorePolicyAssignments(session: AzureSession, extras: SnapshotExtras, tenantId: string, l10n: Localize, options: RepairOptions): Promise<PolicyAssignmentRestore[]> {
  return Promise.all((extras.policyAssignments ?? []).filter((p) => p.removed).map((p) => options.run(async (): Promise<PolicyAssignmentRestore> => {
    const base = { id: p.id, displayName: p.displayName, identityType: p.identityType, oldPrincipalId: p.principalId };
    // The file is untrusted: an assignment outside the snapshot's subscription (another one, a management group) is refused.
    const inside = checkRestoreScope(p.id, options.subscriptionId, l10n);
    if (!inside.ok) return { ...base, newPrincipalId: null, status: 'failed', reason: inside.reason };
    if (p.identityType === 'UserAssigned') {
      return { ...base, newPrincipalId: null, status: 'skipped', reason: l10n.t('it used a user-assigned identity: re-create that identity first, then assign the policy again with it') };
    }
    if (!isBuiltInDefinition(p.policyDefinitionId)) {
      return { ...base, newPrincipalId: null, status: 'skipped', reason: l10n.t('its definition {0} is custom and was deleted by the move: re-create the definition, then assign it again', p.policyDefinitionId) };
    }
    try {
      const found = await getPolicyAssignment(session.arm, tenantId, p.id, options.signal);
      if (found) return { ...base, newPrincipalId: found.identity?.principalId?.toLowerCase() ?? null, status: 'exists' };
      if (options.dryRun) return { ...base, newPrincipalId: null, status: 'planned' };
      const system = p.identityType === 'SystemAssigned';
      const created = await putPolicyAssignment(session.arm, tenantId, p.id, {
        ...(p.location === null ? {} : { location: p.location }), ...(system ? { identity: { type: 'SystemAssigned' } } : {}),
        properties: { displayName: p.displayName, policyDefinitionId: p.policyDefinitionId, parameters: p.parameters, enforcementMode: p.enforcementMode, notScopes: p.notScopes },
      }, options.signal);
      return { ...base, newPrincipalId: created.identity?.principalId?.toLowerCase() ?? null, status: 'created' };
    } catch (e) {
      if (options.signal?.aborted) throw e;
      return { ...base, newPrincipalId: null, status: 'failed', reason: reasonOf(e) };
    }
  })));
}
