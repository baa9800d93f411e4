/**
 * Step 3's per-row picker, host side, over the sandbox: an unmatched restore row's search asks the target directory
 * (users by name; groups and service principals only by object id or application id), a pick is taken only when that
 * search offered it, is read again from the target and previewed by a dry run, and the restore then writes it.
 * Sandbox snapshots go to their own `sandbox` folder.
 */
import assert from 'node:assert/strict';
import { sep } from 'node:path';
import { SANDBOX_SNAPSHOT_FOLDER } from '../../../src/core/snapshotFolder';
import type { RestoreRow } from '../../../src/webview/protocol';
import type { WizardController } from '../../../src/wizard/controller';
import { scenario, sessionFor, tenantByName, useSandbox } from '../helpers';
import { reopenedOnStep3, setUp, until, type Recorded } from './host';

const CONTOSO = tenantByName('Contoso Ltd');
const TEAM42_OLD = 'f1000000-0002-4000-8000-000000000001'; // Fabrikam Labs' "Team 42"
const TEAM42_NEW = 'c2000000-0002-4000-8000-000000000006'; // Contoso's "Team 42": another object, same name
const PLATFORM_OLD = 'f1000000-0002-4000-8000-000000000002';
const HR_PORTAL = { id: 'c2000000-0003-4000-8000-000000000001', appId: 'c2a00000-0000-4000-8000-000000000001' };

describe('wizard step 3: the per-row restore search (host side)', () => {
  const sandbox = useSandbox();

  /** Production snapshotted, then moved into Contoso; a wizard reopened on step 3 with that remembered snapshot. */
  async function onStep3(): Promise<{ wizard: WizardController; recorded: Recorded; row: () => RestoreRow }> {
    const { wizard, recorded } = await reopenedOnStep3(sandbox());
    const rows = wizard.state().admins?.restore ?? [];
    assert.ok(rows.length > 0, 'the remembered snapshot is mapped');
    const team42 = rows.find((r) => r.oldPrincipalId === TEAM42_OLD);
    assert.ok(team42);
    return { wizard, recorded, row: () => wizard.state().admins?.restore?.find((r) => r.id === team42.id) ?? team42 };
  }

  it('keeps sandbox snapshots in a "sandbox" folder of their own', async () => {
    const session = sessionFor(sandbox());
    const { host, folder } = await setUp(session, () => true);
    const sandboxFolder = await host.snapshotFolder(session.cloud.name);
    assert.equal(sandboxFolder, `${folder}${sep}${SANDBOX_SNAPSHOT_FOLDER}`);
    assert.equal(await host.snapshotFolder('AzureCloud'), folder, 'a real cloud\'s stay where they were');
  });

  it('finds a group only by its object id, never by its name; the pick is previewed, then restored', async () => {
    const { wizard, recorded, row } = await onStep3();
    assert.equal(row().match, 'unmatched');
    assert.equal(row().chosen, null);

    await wizard.searchRestorePrincipal(row().id, 'Team 42');
    const byName = recorded.restoreSearches.at(-1);
    assert.equal(byName?.query, 'Team 42');
    assert.ok(byName.results.every((p) => p.type === 'User'), 'a name finds users only');
    assert.ok(!byName.results.some((p) => p.id === TEAM42_NEW), 'never the group with the same name');
    assert.match(byName.error ?? '', /only by their object id or application id, never by name/);

    await wizard.searchRestorePrincipal(row().id, TEAM42_NEW.toUpperCase());
    const byId = recorded.restoreSearches.at(-1);
    assert.deepEqual(byId?.results.map((p) => [p.id, p.type, p.displayName]), [[TEAM42_NEW, 'Group', 'Team 42']]);
    assert.equal(byId.error, null);

    const before = sandbox().state.data.roleAssignments.length;
    await wizard.dispatch({ type: 'chooseRestorePrincipal', rowId: row().id, principalId: TEAM42_NEW });
    assert.equal(wizard.state().error, null);
    assert.equal(row().chosen, TEAM42_NEW);
    assert.ok(row().candidates.some((c) => c.id === TEAM42_NEW && c.type === 'Group'));
    assert.equal(row().role, 'Contributor', 'the dry run names the role');
    assert.equal(sandbox().state.data.roleAssignments.length, before, 'choosing writes nothing');

    await wizard.dispatch({ type: 'createAssignments' });
    assert.equal(row().result?.status, 'created', JSON.stringify(row().result));
    const written = sandbox().state.data.roleAssignments.filter((a) => a.principalId === TEAM42_NEW && a.scope.toLowerCase() === row().scope.toLowerCase());
    assert.equal(written.length, 1, 'the chosen group got the row\'s role at its scope');
    wizard.dispose();
  });

  it('refuses a pick its search did not offer, and finds nothing of another directory', async () => {
    const { wizard, recorded, row } = await onStep3();
    const before = sandbox().state.data.roleAssignments.length;
    // Never searched for: a hostile or stale webview message.
    await wizard.dispatch({ type: 'chooseRestorePrincipal', rowId: row().id, principalId: TEAM42_NEW });
    assert.match(wizard.state().error?.message ?? '', /from the results of this row's search/);
    assert.equal(row().chosen, null);
    assert.ok(recorded.warnings.some((w) => w.includes('did not offer')));

    // The old directory's objects are not in the target.
    await wizard.searchRestorePrincipal(row().id, PLATFORM_OLD);
    assert.deepEqual(recorded.restoreSearches.at(-1)?.results, []);
    assert.match(recorded.restoreSearches.at(-1)?.error ?? '', /No user, group or service principal with that object id or application id in Contoso Ltd/);

    // Offered for one search, then replaced by another: the first answer's results can no longer be picked.
    await wizard.searchRestorePrincipal(row().id, TEAM42_NEW);
    await wizard.searchRestorePrincipal(row().id, HR_PORTAL.appId);
    await wizard.dispatch({ type: 'chooseRestorePrincipal', rowId: row().id, principalId: TEAM42_NEW });
    assert.equal(row().chosen, null);

    // Offered, then deleted from the target before the pick: read again, it maps nothing.
    await wizard.searchRestorePrincipal(row().id, TEAM42_NEW);
    const contoso = sandbox().state.data.tenants.find((t) => t.tenantId === CONTOSO);
    assert.ok(contoso);
    contoso.groups = contoso.groups.filter((g) => g.id !== TEAM42_NEW);
    sandbox().state.touch();
    await wizard.dispatch({ type: 'chooseRestorePrincipal', rowId: row().id, principalId: TEAM42_NEW });
    assert.match(wizard.state().error?.message ?? '', new RegExp(`the mapped object ${TEAM42_NEW} is not in the target directory`));
    assert.equal(row().chosen, null);
    assert.equal(sandbox().state.data.roleAssignments.length, before);
    wizard.dispose();
  });

  it('finds a service principal by its application id', async () => {
    const { wizard, recorded, row } = await onStep3();
    await wizard.searchRestorePrincipal(row().id, HR_PORTAL.appId);
    assert.deepEqual(recorded.restoreSearches.at(-1)?.results.map((p) => [p.id, p.type, p.detail]), [[HR_PORTAL.id, 'ServicePrincipal', HR_PORTAL.appId]]);
    wizard.dispose();
  });

  it('answers only the newest search of a row: a burst asks once, a slow answer in flight is aborted and never sent', async () => {
    const { wizard, recorded, row } = await onStep3();
    const id = row().id;
    const searches = (): number => sandbox().requestCount(/\/graph\/v1\.0\/users\?/, 'GET');

    const asked = searches();
    await Promise.all([wizard.searchRestorePrincipal(id, 'a'), wizard.searchRestorePrincipal(id, 'al'), wizard.searchRestorePrincipal(id, 'meg')]);
    assert.deepEqual(recorded.restoreSearches.map((s) => s.query), ['meg'], 'only the last of a burst is answered');
    assert.equal(searches() - asked, 1, 'and Graph is asked once');

    sandbox().setFaults({ latencyMs: 400, rules: [] });
    const slow = wizard.searchRestorePrincipal(id, 'adele');
    await new Promise((r) => setTimeout(r, 200)); // past the debounce: the slow search waits on Graph
    sandbox().setFaults({ latencyMs: 0, rules: [] });
    await Promise.all([slow, wizard.searchRestorePrincipal(id, 'megan')]);
    assert.deepEqual(recorded.restoreSearches.map((s) => s.query), ['meg', 'megan'], 'the slow answer never overwrites the newer one');
    await until('the slow search to reach the sandbox', () => searches() - asked === 3);
    wizard.dispose();
  });

  it('a row with a custom role: the confirmation lists the custom role it creates first, and only that one is created', async () => {
    const { wizard, recorded } = await reopenedOnStep3(sandbox());
    const snapshotRoles = scenario().customRoles;
    const row = wizard.state().admins?.restore?.find((r) => r.eligible !== true && snapshotRoles.some((c) => c.id === r.roleDefinitionId));
    const custom = snapshotRoles.find((c) => c.id === row?.roleDefinitionId);
    assert.ok(row && custom, 'the snapshot assigns a custom role');
    const alex = 'c2000000-0001-4000-8000-000000000003';
    await wizard.searchRestorePrincipal(row.id, alex);
    await wizard.dispatch({ type: 'chooseRestorePrincipal', rowId: row.id, principalId: alex });
    // Only this row: the others are left unchosen.
    for (const r of wizard.state().admins?.restore ?? []) if (r.id !== row.id && r.chosen !== null) await wizard.dispatch({ type: 'chooseRestorePrincipal', rowId: r.id, principalId: null });
    await wizard.dispatch({ type: 'createAssignments' });
    const asked = recorded.confirmations.at(-1);
    assert.ok(asked?.kind === 'createAssignments');
    assert.deepEqual(asked.writes.filter((w) => w.startsWith('Create the custom role')), [`Create the custom role ${custom.roleName}, with the permissions the snapshot gives it`]);
    const created = sandbox().state.data.customRoles.filter((c) => c.tenantId === CONTOSO).map((c) => c.roleName);
    assert.deepEqual(created, [custom.roleName], 'not the roles no chosen row uses');
    wizard.dispose();
  });
});
