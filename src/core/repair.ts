/**
 * Repairs after the move (https://learn.microsoft.com/azure/role-based-access-control/transfer-subscription): system-
 * assigned identities are switched off and on again (a new principal in the new directory; its old grants are then
 * re-created for the new id by the normal restore, through `withNewPrincipals`), Key Vaults get the new `tenantId` and
 * their access policies re-created for the mapped principals, and user-assigned identities get step-by-step
 * instructions (re-creating them safely needs decisions only the user can make). Each step reads first, so a re-run
 * after a crash between two writes finishes the job without doing anything twice.
 */
import { isAzureError } from '../azure/errors';
import { addAccessPolicies, patchResource, GOVERNANCE_API, type AccessPolicyEntry } from '../azure/armGovernance';
import type { GenericResource } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { Localize } from './l10n';
import type { Candidate, MappingResult } from './mapping';
import type { SnapshotExtras } from './snapshotExtras';
import { reasonOf } from './util';
import { checkRestoreScope } from './restoreScope';

export type RepairStatus = 'created' | 'exists' | 'failed' | 'skipped' | 'planned';

/** api-versions for PATCHing the identity of common resource types (ARM needs the provider's own version). */
const IDENTITY_API: Readonly<Record<string, string>> = {
  'microsoft.web/sites': '2023-12-01',
  'microsoft.compute/virtualmachines': '2024-07-01',
  'microsoft.sql/servers': '2023-08-01',
  'microsoft.storage/storageaccounts': '2023-05-01',
  'microsoft.logic/workflows': '2019-05-01',
  'microsoft.automation/automationaccounts': '2023-11-01',
  'microsoft.datafactory/factories': '2018-06-01',
  'microsoft.cognitiveservices/accounts': '2024-10-01',
};

export interface IdentityRepair {
  readonly resourceId: string;
  readonly name: string;
  readonly oldPrincipalId: string;
  readonly newPrincipalId: string | null;
  readonly status: RepairStatus;
  readonly reason?: string;
}

export interface ManualStep {
  readonly resourceId: string;
  readonly name: string;
  readonly steps: readonly string[];
}

export interface RepairOptions {
  readonly dryRun: boolean;
  readonly signal?: AbortSignal;
  readonly run: <T>(task: () => Promise<T>) => Promise<T>;
  /** The snapshot's subscription: the file is untrusted, so every id it names must be in it (`checkRestoreScope`). */
  readonly subscriptionId: string;
}

const lockHint = (e: unknown, l10n: Localize): string =>
  isAzureError(e) && e.code === 'ScopeLocked' ? l10n.t('A ReadOnly lock blocks this repair: remove the lock, run the restore again, then put the lock back. ({0})', reasonOf(e)) : reasonOf(e);

/** Switches each system-assigned identity off and on in the new directory; the result names the new principal id. */
export async function repairSystemIdentities(session: AzureSession, extras: SnapshotExtras, tenantId: string, l10n: Localize, options: RepairOptions): Promise<IdentityRepair[]> {
  const wanted = (extras.identities ?? []).filter((i) => i.systemPrincipalId !== null);
  return Promise.all(wanted.map((i) => options.run(async (): Promise<IdentityRepair> => {
    const base = { resourceId: i.resourceId, name: i.name, oldPrincipalId: i.systemPrincipalId ?? '' };
    const inside = checkRestoreScope(i.resourceId, options.subscriptionId, l10n);
    if (!inside.ok) return { ...base, newPrincipalId: null, status: 'failed', reason: inside.reason };
    const api = IDENTITY_API[i.type.toLowerCase()];
    if (api === undefined) {
      return { ...base, newPrincipalId: null, status: 'skipped', reason: l10n.t('{0} has no repair here: turn its system-assigned identity off and on in the portal, then grant its roles again.', i.type) };
    }
    try {
      const current = await session.arm.getResource(tenantId, i.resourceId, api, options.signal);
      const type = current.identity?.type ?? '';
      const pid = current.identity?.principalId?.toLowerCase();
      if (/systemassigned/i.test(type) && pid !== undefined && pid !== i.systemPrincipalId && current.identity?.tenantId?.toLowerCase() === tenantId) {
        return { ...base, newPrincipalId: pid, status: 'exists' };
      }
      if (options.dryRun) return { ...base, newPrincipalId: null, status: 'planned' };
      const users = current.identity?.userAssignedIdentities ?? {};
      const keepUsers = Object.keys(users).length > 0 ? { userAssignedIdentities: Object.fromEntries(Object.keys(users).map((k) => [k, {}])) } : {};
      if (/systemassigned/i.test(type)) {
        await patchResource(session.arm, tenantId, i.resourceId, api, { identity: { type: Object.keys(keepUsers).length > 0 ? 'UserAssigned' : 'None', ...keepUsers } }, options.signal);
      }
      const enabled: GenericResource = await patchResource(session.arm, tenantId, i.resourceId, api, { identity: { type: Object.keys(keepUsers).length > 0 ? 'SystemAssigned, UserAssigned' : 'SystemAssigned', ...keepUsers } }, options.signal);
      const newId = enabled.identity?.principalId?.toLowerCase() ?? null;
      return newId === null
        ? { ...base, newPrincipalId: null, status: 'failed', reason: l10n.t('the identity was switched on but Azure returned no principal id; run the restore again') }
        : { ...base, newPrincipalId: newId, status: 'created' };
    } catch (e) {
      if (options.signal?.aborted) throw e;
      return { ...base, newPrincipalId: null, status: 'failed', reason: lockHint(e, l10n) };
    }
  })));
}

/** What to do by hand for each user-assigned identity (Microsoft: "delete, re-create, and attach"): those attached to a resource and those listed alone. */
export function userAssignedSteps(extras: SnapshotExtras & { readonly dependentResources: readonly { readonly id: string; readonly type: string }[] }, l10n: Localize): ManualStep[] {
  const byIdentity = new Map<string, string[]>();
  for (const d of extras.dependentResources) if (d.type.toLowerCase() === 'microsoft.managedidentity/userassignedidentities') byIdentity.set(d.id.toLowerCase(), []);
  for (const r of extras.identities ?? []) for (const u of r.userAssigned) byIdentity.set(u.toLowerCase(), [...(byIdentity.get(u.toLowerCase()) ?? []), r.name]);
  return [...byIdentity].map(([id, users]) => {
    const name = id.split('/').pop() ?? id;
    return {
      resourceId: id, name,
      steps: [
        l10n.t('Create a new user-assigned identity beside {0} (same resource group and region).', name),
        users.length > 0 ? l10n.t('Attach the new identity to {0}, and detach {1}.', users.join(', '), name) : l10n.t('Attach the new identity wherever {0} was used (no resource of this subscription lists it).', name),
        l10n.t('Grant the new identity the roles {0} had (listed in the snapshot under its principal id).', name),
        l10n.t('Update any configuration that names the old client id, then delete {0}.', name),
      ],
    };
  });
}

// ---------- Key Vault ----------

export interface AccessPolicyRepair {
  readonly oldObjectId: string;
  readonly oldName: string | null;
  readonly objectId: string | null;
  readonly status: RepairStatus;
  readonly reason?: string;
}

export interface VaultRepair {
  readonly id: string;
  readonly name: string;
  /** Setting `tenantId` (and removing the old directory's access policies). */
  readonly status: RepairStatus;
  readonly reason?: string;
  readonly accessPolicies: readonly AccessPolicyRepair[];
}

/** The new principal for an old object id: the mapping's (a pick or a match), else a re-created identity (`extra`). */
export function principalLookup(mapping: MappingResult, extra: ReadonlyMap<string, Candidate>): (oldId: string) => { readonly principal: Candidate | null; readonly reason: string; readonly lookupFailed?: boolean } {
  return (oldId) => {
    // The user's own mapping first (`--map`); a re-created identity only where nothing was chosen.
    const m = mapping.principals.find((p) => p.oldPrincipalId === oldId);
    if (m?.principal) return { principal: m.principal, reason: m.reason };
    const re = extra.get(oldId);
    if (re) return { principal: re, reason: '' };
    return { principal: null, reason: m?.reason ?? '', ...(m?.lookupFailed === true ? { lookupFailed: true } : {}) };
  };
}

/** Sets each vault's `tenantId` to the new directory (removing the old access policies), then re-creates them for the mapped principals. */
export async function repairVaults(session: AzureSession, extras: SnapshotExtras, tenantId: string, lookup: ReturnType<typeof principalLookup>, l10n: Localize, options: RepairOptions): Promise<VaultRepair[]> {
  return Promise.all((extras.keyVaults ?? []).map((v) => options.run(async (): Promise<VaultRepair> => {
    const rows = v.accessPolicies.map((p) => ({ p, ...lookup(p.principalId) }));
    // A lookup that failed is not a verdict about the principal: failed (re-run), not skipped.
    const skipped = (p: (typeof rows)[number]): AccessPolicyRepair => ({ oldObjectId: p.p.principalId, oldName: p.p.principal?.displayName ?? null, objectId: null, status: p.lookupFailed === true ? 'failed' : 'skipped', reason: p.reason || l10n.t('the principal was not mapped') });
    const inside = checkRestoreScope(v.id, options.subscriptionId, l10n);
    if (!inside.ok) {
      return { id: v.id, name: v.name, status: 'failed', reason: inside.reason, accessPolicies: rows.map((r) => ({ oldObjectId: r.p.principalId, oldName: r.p.principal?.displayName ?? null, objectId: null, status: 'failed', reason: inside.reason })) };
    }
    try {
      const current = await session.arm.getResource(tenantId, v.id, GOVERNANCE_API.keyVault, options.signal);
      const moved = typeof current.properties?.tenantId === 'string' && current.properties.tenantId.toLowerCase() === tenantId;
      const present = new Set((Array.isArray(current.properties?.accessPolicies) ? current.properties.accessPolicies : []).map((x: unknown) => (typeof x === 'object' && x !== null ? String((x as Record<string, unknown>).objectId).toLowerCase() : '')));
      const tenantStatus: RepairStatus = moved ? 'exists' : options.dryRun ? 'planned' : 'created';
      if (!moved && !options.dryRun) {
        // One write: the new directory and no access policies of the old one (Microsoft's "remove all existing entries").
        await patchResource(session.arm, tenantId, v.id, GOVERNANCE_API.keyVault, { properties: { tenantId, ...(v.rbacAuthorization ? {} : { accessPolicies: [] }) } }, options.signal);
      }
      if (v.rbacAuthorization) return { id: v.id, name: v.name, status: tenantStatus, reason: l10n.t('RBAC authorization: its role assignments are restored with the others'), accessPolicies: [] };
      const toAdd: AccessPolicyEntry[] = [];
      const policyRows = rows.map((r): AccessPolicyRepair => {
        if (r.principal === null) return skipped(r);
        const base = { oldObjectId: r.p.principalId, oldName: r.p.principal?.displayName ?? null, objectId: r.principal.id };
        if (moved && present.has(r.principal.id)) return { ...base, status: 'exists' };
        if (options.dryRun) return { ...base, status: 'planned' };
        toAdd.push({ tenantId, objectId: r.principal.id, ...(r.p.applicationId === null ? {} : { applicationId: r.p.applicationId }), permissions: r.p.permissions });
        return { ...base, status: 'created' };
      });
      if (toAdd.length > 0) await addAccessPolicies(session.arm, tenantId, v.id, toAdd, options.signal);
      return { id: v.id, name: v.name, status: tenantStatus, accessPolicies: policyRows };
    } catch (e) {
      if (options.signal?.aborted) throw e;
      const reason = lockHint(e, l10n);
      return { id: v.id, name: v.name, status: 'failed', reason, accessPolicies: rows.map((r) => (r.principal === null ? skipped(r) : { oldObjectId: r.p.principalId, oldName: r.p.principal?.displayName ?? null, objectId: r.principal.id, status: 'failed', reason })) };
    }
  })));
}
