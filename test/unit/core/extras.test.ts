import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type AzureSession } from '../../../src/azure/session';
import { EXTRA_READS } from '../../../src/core/impactExtras';
import { english } from '../../../src/core/l10n';
import { mapPrincipals } from '../../../src/core/mapping';
import { findSubscription, planSubscription, toPlanJson } from '../../../src/core/plan';
import { restoreEverything, type FullRestoreResult } from '../../../src/core/restoreExtras';
import { readSnapshot, takeSnapshot, writeSnapshot, type Snapshot } from '../../../src/core/snapshot';
import type { Sandbox } from '../../../src/sandbox/server';
import { MEGAN, RILEY, scenario, sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { OWNER, tenantOf, variant } from './fixtures';

const FABRIKAM = tenantByName('Fabrikam Labs');
const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');
const SUB = `/subscriptions/${PRODUCTION}`;
const FAST = { retry: { baseDelayMs: 1, maxDelayMs: 4 } };
const WEB = `${SUB}/resourceGroups/rg-app-1/providers/Microsoft.Web/sites/app-fabrikam-web`;
const VAULT = `${SUB}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-fabrikam-prod`;
const LEE_READER = 'ab000001-0000-4000-8000-000000000019';

const under = (scope: string): boolean => scope.toLowerCase() === SUB || scope.toLowerCase().startsWith(`${SUB}/`);
const unlock = (sb: Sandbox): void => { sb.state.data.extras.locks = sb.state.data.extras.locks.filter((l) => l.level !== 'ReadOnly'); };

/** Moves Production to Contoso after a snapshot; Megan (a Contoso admin) restores. */
async function snapshotAndMove(sb: Sandbox): Promise<{ snapshot: Snapshot; megan: AzureSession }> {
  const riley = sessionFor(sb);
  const snapshot = await takeSnapshot(riley, await findSubscription(riley, PRODUCTION, english), english);
  sb.moveSubscription(PRODUCTION, CONTOSO, MEGAN);
  return { snapshot, megan: sessionFor(sb, MEGAN) };
}

async function restore(megan: AzureSession, snapshot: Snapshot, options: { acceptLongestEnd?: boolean } = {}): Promise<FullRestoreResult> {
  return restoreEverything(megan, snapshot, await mapPrincipals(megan, snapshot, CONTOSO, english), english, { ...FAST, ...options });
}

/** What the restore can write, as the sandbox holds it: role assignments, schedules, policy assignments, vaults, service principals. */
function written(sb: Sandbox): string {
  const d = sb.state.data;
  return JSON.stringify([d.roleAssignments.filter((a) => under(a.scope)), d.extras.pimSchedules, d.extras.policyAssignments, d.resources.filter((r) => under(r.id)), tenantOf(d, 'Contoso Ltd').servicePrincipals]);
}

describe('core issue 11: read and counted', () => {
  const sandbox = useSandbox();

  it('the impact holds eligible and time-bound assignments, policy assignments, vault access, identities, locks, deny assignments and delegations', async () => {
    const s = scenario();
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    const i = plan.impact;
    const eligible = s.extras.pimSchedules.filter((x) => x.kind === 'eligibility');
    assert.equal(i.eligibleAssignments?.length, eligible.length);
    const rows = i.eligibleAssignments;
    for (const e of eligible) {
      const row = rows.find((r) => r.principalId === e.principalId && r.roleDefinitionId === e.role);
      assert.ok(row, e.name);
      assert.equal(row.endDateTime, e.endDateTime);
      assert.equal(row.removed, true);
      assert.ok(row.principalName !== null && row.roleName !== e.role, 'named');
    }
    const timeBound = i.roleAssignments.filter((a) => a.endDateTime !== null);
    assert.deepEqual(timeBound.map((a) => a.name), [LEE_READER]);
    assert.equal(timeBound[0]?.endDateTime, s.extras.pimSchedules.find((x) => x.roleAssignmentName === LEE_READER)?.endDateTime);
    assert.deepEqual(i.policyAssignments?.map((p) => [p.name, p.identityType, p.principalId, p.removed]), [
      ['deploy-diagnostics', 'SystemAssigned', 'f1000000-0004-4000-8000-000000000007', true], ['allowed-locations', 'None', null, true]]);
    assert.equal(i.policyExemptions?.length, 1);
    assert.deepEqual(i.keyVaults?.map((v) => [v.name, v.tenantId, v.accessPolicies.length, v.rbacAuthorization]), [['kv-fabrikam-prod', FABRIKAM, 4, false]]);
    assert.ok(i.keyVaults.flatMap((v) => v.accessPolicies).some((p) => p.principalName === 'Riley Quinn'));
    assert.deepEqual(i.identities.map((x) => x.name).sort(), s.resources.filter((r) => under(r.id) && r.identity !== null).map((r) => r.id.split('/').pop()).sort());
    assert.deepEqual(i.locks?.map((l) => l.level).sort(), ['CanNotDelete', 'ReadOnly']);
    assert.equal(i.denyAssignments?.length, 1);
    assert.equal(i.delegations?.[0]?.managedByTenantName, 'Tailspin Toys');
    assert.deepEqual(i.unknown, []);
    const repair = Object.fromEntries(i.dependentResources.map((d) => [d.name, d.repair]));
    assert.deepEqual(repair, {
      'app-fabrikam-web': 'automatic', 'kv-fabrikam-prod': 'automatic', 'aks-fabrikam': 'none', 'sql-fabrikam': 'none', 'aks-fabrikam-agentpool': 'manual',
      'id-fabrikam-deploy': 'manual', 'vm-build-01': 'manual', stfabrikamdata: 'manual',
    });
    const json = toPlanJson(plan).impact;
    assert.equal(json.eligibleAssignments?.length, eligible.length);
    assert.equal(json.keyVaults?.[0]?.accessPolicies, 4);
    assert.equal(json.roleAssignments.find((a) => a.id.endsWith(LEE_READER))?.endDateTime, timeBound[0]?.endDateTime);
  });
});

describe('core issue 11: MySQL is unrecoverable only with Entra authentication', () => {
  const mysql = (name: string): string => `${SUB}/resourceGroups/rg-data/providers/Microsoft.DBforMySQL/flexibleServers/${name}`;
  const sandbox = useSandbox({ scenario: variant((s) => {
    for (const [name, auth] of [['mysql-entra', 'Enabled'], ['mysql-passwords', 'Disabled']] as const) {
      s.resources.push({ id: mysql(name), location: 'westeurope', kind: null, identity: null, properties: { authConfig: { activeDirectoryAuth: auth, passwordAuth: 'Enabled' } }, tags: {}, sku: null });
    }
  }) });

  it('lists the Entra one as unrecoverable and leaves the password-only one out', async () => {
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    const rows = plan.impact.dependentResources.filter((d) => /flexibleServers/i.test(d.id));
    assert.deepEqual(rows.map((d) => [d.name, d.recoverable, d.repair]), [['mysql-entra', false, 'none']]);
  });
});

describe('core issue 11: a read that is refused or fails is unknown, never zero', () => {
  const custom = 'c0ffee00-0000-4000-8000-000000000011';
  const denied = ['Microsoft.Authorization/roleEligibilityScheduleInstances/read', 'Microsoft.Authorization/roleAssignmentScheduleInstances/read', 'Microsoft.Authorization/policyAssignments/read',
    'Microsoft.Authorization/policyExemptions/read', 'Microsoft.Authorization/locks/read', 'Microsoft.Authorization/denyAssignments/read', 'Microsoft.ManagedServices/registrationAssignments/read'];
  const sandbox = useSandbox({ scenario: variant((s) => {
    s.customRoles.push({ id: custom, tenantId: FABRIKAM, roleName: 'Owner without governance reads', description: '', permissions: [{ actions: ['*'], notActions: denied, dataActions: [], notDataActions: [] }], assignableScopes: [SUB] });
    const rileyId = tenantOf(s, 'Fabrikam Labs').users.find((u) => u.account === RILEY)?.id;
    const owner = s.roleAssignments.find((a) => a.scope === SUB && a.role === OWNER && a.principalId === rileyId);
    assert.ok(owner);
    owner.role = custom;
    // Riley's other roles (Key Vault Administrator; Platform Engineers' Contributor and Reader) would grant the reads again.
    s.roleAssignments = s.roleAssignments.filter((a) => a === owner || a.principalId !== rileyId);
    for (const g of tenantOf(s, 'Fabrikam Labs').groups) g.members = g.members.filter((m) => m !== rileyId);
  }) });

  it('each refused read is null with the permission it needs; a failed vault read is null with the reason', async () => {
    sandbox().setFaults({ rules: [{ match: 'vaults/kv-fabrikam-prod\\?', method: 'GET', fault: 500, times: 'always' }] });
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    const i = plan.impact;
    for (const group of [i.eligibleAssignments, i.policyAssignments, i.policyExemptions, i.keyVaults, i.locks, i.denyAssignments, i.delegations]) assert.equal(group, null);
    assert.deepEqual(i.unknown.map((u) => u.read).sort(), [...EXTRA_READS].sort());
    for (const u of i.unknown.filter((x) => x.read !== 'keyVaults')) assert.ok(u.missing !== null && denied.includes(u.missing), u.read);
    assert.equal(i.unknown.find((u) => u.read === 'keyVaults')?.missing, null);
    assert.ok(i.notes.some((n) => /eligibleAssignments: unknown, the read was refused \(needs Microsoft\.Authorization\/roleEligibilityScheduleInstances\/read\)/.test(n)));
    assert.ok(i.roleAssignments.every((a) => a.endDateTime === null));
    const json = toPlanJson(plan).impact;
    assert.equal(json.eligibleAssignments, null);
    assert.equal(json.keyVaults, null);
    // The snapshot keeps the unknowns (a restore then has nothing to guess from).
    const riley = sessionFor(sandbox());
    const snapshot = await takeSnapshot(riley, await findSubscription(riley, PRODUCTION, english), english);
    assert.equal(snapshot.eligibleAssignments, null);
    assert.equal(snapshot.unknown.length, EXTRA_READS.length);
  });
});

describe('core issue 11: saved', () => {
  const sandbox = useSandbox();

  it('snapshot version 2 keeps every item with its principal details and reads back equal; a version-1 snapshot still loads', async () => {
    const riley = sessionFor(sandbox());
    const snapshot = await takeSnapshot(riley, await findSubscription(riley, PRODUCTION, english), english);
    assert.equal(snapshot.version, 2);
    assert.equal(snapshot.eligibleAssignments?.length, 3);
    assert.ok(snapshot.eligibleAssignments.every((e) => e.principal !== null && e.principal.displayName !== null));
    assert.equal(snapshot.roleAssignments.find((a) => a.name === LEE_READER)?.endDateTime?.slice(0, 10), '2027-05-31');
    assert.equal(snapshot.keyVaults?.[0]?.accessPolicies.find((p) => p.principal?.displayName === 'Riley Quinn')?.permissions.secrets?.length, 4);
    assert.equal(snapshot.policyAssignments?.[0]?.location, 'westeurope');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tenant-link-v2-'));
    const written = await writeSnapshot(dir, snapshot, english);
    assert.deepEqual(await readSnapshot(written.jsonPath, english), JSON.parse(await fs.readFile(written.jsonPath, 'utf8')));

    // Version 1: what this code wrote before issue 11.
    const v1 = JSON.parse(await fs.readFile(written.jsonPath, 'utf8')) as Record<string, unknown> & { roleAssignments: Record<string, unknown>[]; dependentResources: Record<string, unknown>[] };
    for (const k of ['eligibleAssignments', 'policyAssignments', 'policyExemptions', 'keyVaults', 'identities', 'locks', 'denyAssignments', 'delegations', 'unknown']) Reflect.deleteProperty(v1, k);
    for (const a of v1.roleAssignments) { delete a.startDateTime; delete a.endDateTime; }
    for (const d of v1.dependentResources) delete d.repair;
    v1.version = 1;
    const file = path.join(dir, 'v1.json');
    await fs.writeFile(file, JSON.stringify(v1));
    const old = await readSnapshot(file, english);
    assert.equal(old.version, 1);
    assert.equal(old.eligibleAssignments, null);
    assert.ok(old.roleAssignments.every((a) => a.endDateTime === null));
    assert.ok(old.dependentResources.every((d) => d.repair === (d.recoverable ? 'manual' : 'none')));
    sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
    const result = await restore(sessionFor(sandbox(), MEGAN), old);
    assert.equal(result.totals.failed, 0);
    assert.deepEqual([result.eligibleAssignments.length, result.policyAssignments.length, result.keyVaults.length, result.identities.length], [0, 0, 0, 0]);
  });
});

describe('core issue 11: restored after a move, and a re-run creates nothing', () => {
  const sandbox = useSandbox();

  it('every item comes back for the mapped principals, with the same end dates; a second run writes nothing', async () => {
    const { snapshot, megan } = await snapshotAndMove(sandbox());
    unlock(sandbox());
    const contoso = tenantOf(sandbox().state.data, 'Contoso Ltd');
    const contosoId = (upn: string): string => contoso.users.find((u) => u.userPrincipalName === upn)?.id ?? '';
    const result = await restore(megan, snapshot);
    assert.equal(result.totals.failed, 0, JSON.stringify(result, null, 1).slice(0, 2000));

    // Eligible as eligible (Megan permanent, Adele until her end); Jamie has nobody in Contoso.
    const eligible = sandbox().state.data.extras.pimSchedules.filter((s) => s.kind === 'eligibility');
    assert.deepEqual(eligible.map((e) => [e.principalId, e.endDateTime]).sort(), [[contosoId('megan@contoso.com'), null], [contosoId('adele@contoso.com'), '2027-06-30T00:00:00.000Z']].sort());
    assert.match(result.eligibleAssignments.find((e) => e.status === 'skipped')?.reason ?? '', /jamie/);
    // Time-bound as time-bound, same end, through PIM.
    const lee = sandbox().state.data.extras.pimSchedules.find((s) => s.kind === 'assignment');
    assert.equal(lee?.principalId, contosoId('lee@contoso.com'));
    assert.equal(lee.endDateTime, '2027-05-31T00:00:00.000Z');
    assert.ok(sandbox().state.data.roleAssignments.some((a) => a.name === lee.roleAssignmentName && a.principalId === lee.principalId));
    // The policy assignment with a new system identity in Contoso, and its grant for the new id.
    const policyIdentity = sandbox().state.data.extras.policyAssignments.find((p) => p.name === 'deploy-diagnostics')?.identity;
    assert.ok(policyIdentity);
    assert.equal(policyIdentity.tenantId, CONTOSO);
    assert.ok(sandbox().state.data.roleAssignments.some((a) => a.principalId === policyIdentity.principalId && a.scope === SUB && a.role === 'b24988ac-6180-42a0-ab88-20f7382dd24c'));
    // The web app's identity re-enabled, its old grants for the new id.
    const webIdentity = sandbox().state.data.resources.find((r) => r.id === WEB)?.identity;
    assert.ok(webIdentity && typeof webIdentity.principalId === 'string');
    const webId = webIdentity.principalId;
    assert.equal(webIdentity.tenantId, CONTOSO);
    assert.deepEqual(sandbox().state.data.roleAssignments.filter((a) => a.principalId === webId).map((a) => a.scope).sort(), [`${SUB}/resourceGroups/rg-data`, VAULT].sort());
    // The vault: new tenantId, access policies of the mapped principals only.
    const vault = sandbox().state.data.resources.find((r) => r.id === VAULT)?.properties;
    assert.ok(vault);
    assert.equal(vault.tenantId, CONTOSO);
    const policies = vault.accessPolicies as { tenantId: string; objectId: string }[];
    const rileyInContoso = contoso.users.find((u) => u.account === RILEY)?.id;
    assert.deepEqual(policies.map((p) => p.objectId).sort(), [rileyInContoso, webId].sort());
    assert.ok(policies.every((p) => p.tenantId === CONTOSO));
    assert.deepEqual(result.manualSteps.map((m) => [m.name, m.steps.length]).sort(), [['aks-fabrikam-agentpool', 4], ['id-fabrikam-deploy', 4]]);
    assert.match(result.manualSteps.find((m) => m.name === 'id-fabrikam-deploy')?.steps[1] ?? '', /Attach the new identity to vm-build-01, and detach id-fabrikam-deploy/);

    const before = written(sandbox());
    const again = await restore(megan, snapshot);
    assert.equal(again.totals.created, 0, JSON.stringify(again.totals));
    assert.equal(again.totals.failed, 0);
    assert.equal(written(sandbox()), before, 'nothing written twice');
  });

  it('a ReadOnly lock fails the repair it blocks (saying so); after the lock is gone "retry" finishes it', async () => {
    const { snapshot, megan } = await snapshotAndMove(sandbox());
    const first = await restore(megan, snapshot);
    const failed = first.identities.filter((i) => i.status === 'failed');
    assert.deepEqual(failed.map((i) => i.resourceId), [WEB]);
    assert.match(failed[0]?.reason ?? '', /ReadOnly lock .*web-readonly/);
    assert.ok(first.keyVaults[0]?.accessPolicies.some((p) => p.status === 'skipped' && p.oldName === 'app-fabrikam-web'), 'its vault access waits for the identity');
    unlock(sandbox());
    const second = await restore(megan, snapshot);
    assert.equal(second.totals.failed, 0);
    assert.equal(second.identities.find((i) => i.resourceId === WEB)?.status, 'created');
    assert.ok(second.keyVaults[0]?.accessPolicies.some((p) => p.status === 'created' && p.oldName === 'app-fabrikam-web'));
  });
});

describe('core issue 11: a crash between two writes, then a re-run', () => {
  const sandbox = useSandbox();

  it('the vault: tenantId set, access policies not yet added → the re-run adds them once', async () => {
    const { snapshot, megan } = await snapshotAndMove(sandbox());
    unlock(sandbox());
    sandbox().setFaults({ rules: [{ match: 'accessPolicies/add', method: 'PUT', fault: 500, times: 'always', retryAfterSeconds: 0 }] });
    const first = await restore(megan, snapshot);
    assert.equal(first.keyVaults[0]?.status, 'failed');
    assert.equal(sandbox().state.data.resources.find((r) => r.id === VAULT)?.properties.tenantId, CONTOSO, 'the first write happened');
    sandbox().setFaults({});
    const second = await restore(megan, snapshot);
    assert.equal(second.keyVaults[0]?.status, 'exists');
    const added = second.keyVaults.flatMap((v) => v.accessPolicies).filter((p) => p.status === 'created');
    assert.equal(added.length, 2);
    assert.equal((sandbox().state.data.resources.find((r) => r.id === VAULT)?.properties.accessPolicies as unknown[]).length, 2);
  });

  it('identities and policy assignments re-created, their grants not → the re-run grants the same new ids, creating no second identity', async () => {
    const { snapshot, megan } = await snapshotAndMove(sandbox());
    unlock(sandbox());
    sandbox().setFaults({ rules: [{ match: '/roleAssignments/', method: 'PUT', fault: 500, times: 'always' }] });
    const first = await restore(megan, snapshot);
    assert.ok(first.counts.failed > 0);
    const ids = Object.fromEntries(first.identities.filter((i) => i.status === 'created').map((i) => [i.resourceId, i.newPrincipalId]));
    const policyId = first.policyAssignments.find((p) => p.identityType === 'SystemAssigned')?.newPrincipalId;
    const sps = tenantOf(sandbox().state.data, 'Contoso Ltd').servicePrincipals.length;
    sandbox().setFaults({});
    const second = await restore(megan, snapshot);
    assert.equal(second.totals.failed, 0);
    assert.deepEqual(Object.fromEntries(second.identities.filter((i) => i.status === 'exists').map((i) => [i.resourceId, i.newPrincipalId])), ids);
    assert.equal(second.policyAssignments.find((p) => p.identityType === 'SystemAssigned')?.status, 'exists');
    assert.equal(tenantOf(sandbox().state.data, 'Contoso Ltd').servicePrincipals.length, sps, 'no identity created twice');
    assert.ok(sandbox().state.data.roleAssignments.some((a) => a.principalId === policyId));
  });

  it('a grant of an identity the user mapped to someone (--map) goes to that someone, not to the re-created identity', async () => {
    const { snapshot, megan } = await snapshotAndMove(sandbox());
    unlock(sandbox());
    const web = snapshot.identities?.find((i) => i.resourceId === WEB);
    const grant = snapshot.roleAssignments.find((a) => a.removed && a.principalId === web?.systemPrincipalId);
    assert.ok(web && grant, 'the web app\'s identity holds a role');
    const alex = tenantOf(sandbox().state.data, 'Contoso Ltd').users.find((u) => u.userPrincipalName === 'alexw@contoso.com')?.id;
    assert.ok(alex);
    const mapping = await mapPrincipals(megan, snapshot, CONTOSO, english, { overrides: new Map([[grant.principalId, alex]]) });
    const result = await restoreEverything(megan, snapshot, mapping, english, FAST);
    const created = result.identities.find((i) => i.resourceId === WEB);
    assert.ok(created?.newPrincipalId, 'the identity is re-created all the same');
    assert.equal(result.assignments.find((r) => r.oldAssignmentId === grant.id)?.principalId, alex);
    assert.ok(!sandbox().state.data.roleAssignments.some((a) => a.principalId === created.newPrincipalId && a.scope.toLowerCase() === grant.scope.toLowerCase() && a.role === grant.roleDefinitionId), 'not also to the identity');
  });

  it('a hostile snapshot: eligible rows, vaults, identities and policy assignments outside its subscription are refused, never sent', async () => {
    const { snapshot, megan } = await snapshotAndMove(sandbox());
    unlock(sandbox());
    const DEV = '/subscriptions/a1a1a1a1-0000-4000-8000-000000000002';
    const escape = `${SUB}/%2e%2e/%2e%2e${DEV}`;
    const [e1, e2, e3] = snapshot.eligibleAssignments ?? [];
    const vault = snapshot.keyVaults?.[0];
    const identity = snapshot.identities?.find((i) => i.resourceId === WEB);
    const policy = snapshot.policyAssignments?.[0];
    assert.ok(e1 && e2 && e3 && vault && identity && policy);
    // The file claims a Reader row while it carries Owner's GUID: the row is named as Azure names the GUID.
    const hostile: Snapshot = {
      ...snapshot,
      eligibleAssignments: [{ ...e1, scope: DEV }, { ...e2, scope: escape }, { ...e3, roleDefinitionId: OWNER, roleName: 'Reader' }],
      keyVaults: [{ ...vault, id: `${DEV}/resourceGroups/rg-devtest/providers/Microsoft.KeyVault/vaults/kv-other` }],
      identities: [{ ...identity, resourceId: `${DEV}/resourceGroups/rg-devtest/providers/Microsoft.Web/sites/app-fabrikam-dev` }],
      policyAssignments: [{ ...policy, id: `${escape}/providers/Microsoft.Authorization/policyAssignments/${policy.name}` }],
    };
    const mapping = await mapPrincipals(megan, hostile, CONTOSO, english);
    sandbox().clearRequestLog();
    for (const dryRun of [true, false]) {
      const result = await restoreEverything(megan, hostile, mapping, english, { ...FAST, dryRun });
      const refused: { readonly status: string; readonly reason?: string }[] = [...result.eligibleAssignments.filter((e) => e.oldId !== e3.id), ...result.keyVaults, ...result.identities, ...result.policyAssignments];
      assert.equal(refused.length, 5);
      for (const r of refused) {
        assert.equal(r.status, 'failed', JSON.stringify(r));
        assert.match(r.reason ?? '', /^refused: the scope .* (is not in subscription|has an encoded separator or dot)/);
      }
      assert.ok(result.keyVaults.every((v) => v.accessPolicies.every((p) => p.status === 'failed')));
      assert.equal(result.eligibleAssignments.find((e) => e.oldId === e3.id)?.roleName, 'Owner', 'not the name the file claims');
    }
    assert.equal(sandbox().requestCount(/a1a1a1a1-0000-4000-8000-000000000002|%2e%2e/i), 0, 'nothing was sent for them');
  });

  it('eligible rows and vault access policies whose principal lookup failed are failed (re-run), not skipped', async () => {
    const { snapshot, megan } = await snapshotAndMove(sandbox());
    unlock(sandbox());
    sandbox().setFaults({ rules: [{ match: '^/graph/', fault: 500, times: 'always', retryAfterSeconds: 0 }] });
    const mapping = await mapPrincipals(megan, snapshot, CONTOSO, english);
    sandbox().setFaults({});
    assert.ok(mapping.principals.some((p) => p.lookupFailed === true));
    const result = await restoreEverything(megan, snapshot, mapping, english, { ...FAST, dryRun: true });
    const failedLookup = new Set(mapping.principals.filter((p) => p.lookupFailed === true && p.principal === null).map((p) => p.oldPrincipalId));
    const eligible = result.eligibleAssignments.filter((e) => failedLookup.has(e.oldPrincipalId));
    const policies = result.keyVaults.flatMap((v) => v.accessPolicies).filter((p) => failedLookup.has(p.oldObjectId));
    assert.ok(eligible.length > 0 && policies.length > 0);
    assert.ok([...eligible, ...policies].every((x) => x.status === 'failed'), JSON.stringify([...eligible, ...policies]));
  });

  it('an identity switched off, the run stopped before switching it on → the re-run switches it on', async () => {
    const { snapshot, megan } = await snapshotAndMove(sandbox());
    unlock(sandbox());
    const web = sandbox().state.data.resources.find((r) => r.id === WEB);
    assert.ok(web);
    web.identity = null; // the first of the two writes (type None) happened, then the process died
    const result = await restore(megan, snapshot);
    const row = result.identities.find((i) => i.resourceId === WEB);
    assert.ok(row);
    assert.equal(row.status, 'created');
    const enabled = sandbox().state.data.resources.find((r) => r.id === WEB)?.identity;
    assert.equal(enabled?.principalId, row.newPrincipalId);
  });
});

describe('core issue 11: a role-management policy that forbids permanent eligibility', () => {
  const sandbox = useSandbox({ scenario: variant((s) => {
    s.extras.roleManagementPolicies.push({ name: 'bbbbbbbb-0000-4000-8000-000000000001', scope: SUB, role: OWNER, eligibilityExpirationRequired: true, eligibilityMaximumDuration: 'P180D' });
  }) });

  it('says so and offers the longest end; accepting it restores the eligibility until then', async () => {
    const { snapshot, megan } = await snapshotAndMove(sandbox());
    unlock(sandbox());
    const first = await restore(megan, snapshot);
    const owner = first.eligibleAssignments.find((e) => e.roleDefinitionId === OWNER);
    assert.equal(owner?.status, 'failed');
    assert.match(owner.reason ?? '', /forbids permanent eligibility \(ExpirationRule\); the longest it allows ends/);
    const offered = Date.parse(owner.longestAllowedEnd ?? '');
    assert.ok(Math.abs(offered - Date.now() - 180 * 86_400_000) < 120_000, owner.longestAllowedEnd);
    const second = await restore(megan, snapshot, { acceptLongestEnd: true });
    const accepted = second.eligibleAssignments.find((e) => e.roleDefinitionId === OWNER);
    assert.equal(accepted?.status, 'created');
    assert.match(accepted.reason ?? '', /allows no later end/);
    const schedule = sandbox().state.data.extras.pimSchedules.find((s) => s.kind === 'eligibility' && s.role === OWNER);
    assert.ok(schedule?.endDateTime !== null && Math.abs(Date.parse(schedule?.endDateTime ?? '') - offered) < 120_000);
  });
});
