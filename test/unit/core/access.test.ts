import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { english } from '../../../src/core/l10n';
import { findSubscription } from '../../../src/core/plan';
import { readSnapshot, snapshotFileName, takeSnapshot, writeSnapshot, type Snapshot } from '../../../src/core/snapshot';
import { guestUpnToAddress, mapPrincipals, type MappingResult } from '../../../src/core/mapping';
import { addAdministrators, restoreSnapshot, restoredAssignmentName, ADMIN_ROLES } from '../../../src/core/restore';
import { type AzureSession } from '../../../src/azure/session';
import { MEGAN, scenario, sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { OWNER, tenantOf, variant } from './fixtures';

const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');
const FAST = { retry: { baseDelayMs: 1, maxDelayMs: 4 } };

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'tenant-link-test-'));
}

/** Role assignments at or below the subscription in the sandbox's live state. */
function assignmentsUnder(sandbox: { state: { data: { roleAssignments: { scope: string; principalId: string; role: string }[] } } }, subId: string) {
  return sandbox.state.data.roleAssignments.filter((a) => a.scope.toLowerCase().startsWith(`/subscriptions/${subId}`));
}

describe('core snapshot', () => {
  const sandbox = useSandbox();

  it('takes a versioned snapshot with principal details and full custom roles, writes JSON + CSV atomically (0600) and reads it back', async () => {
    const session = sessionFor(sandbox());
    const sub = await findSubscription(session, PRODUCTION, english);
    const snapshot = await takeSnapshot(session, sub, english, { now: () => new Date('2026-11-26T05:20:00.123Z') });
    assert.equal(snapshot.format, 'azure-tenant-link/snapshot');
    assert.equal(snapshot.version, 2);
    assert.equal(snapshot.cloud, 'sandbox');
    assert.equal(snapshotFileName(snapshot), 'fabrikam-production-2026-11-26T05-20-00Z.json');
    const expected = scenario().expectedCounts[PRODUCTION];
    assert.ok(expected);
    assert.equal(snapshot.roleAssignments.length, expected.subscription + expected.resourceGroup + expected.resource + expected.inherited);
    assert.equal(snapshot.customRoles.length, expected.customRoles);
    assert.ok(snapshot.customRoles.every((r) => r.permissions.length > 0 && r.assignableScopes.length > 0));
    const guest = snapshot.roleAssignments.find((a) => a.principal?.userPrincipalName?.includes('#EXT#'));
    assert.ok(guest?.principal?.mail, 'guests keep UPN and mail');

    const dir = await tempDir();
    const written = await writeSnapshot(dir, snapshot, english);
    assert.equal(path.basename(written.jsonPath), snapshotFileName(snapshot));
    assert.deepEqual((await fs.readdir(dir)).sort(), [path.basename(written.csvPath), path.basename(written.jsonPath)].sort(), 'no temp files left');
    if (process.platform !== 'win32') assert.equal((await fs.stat(written.jsonPath)).mode & 0o777, 0o600);
    const text = await fs.readFile(written.jsonPath, 'utf8');
    const token = await session.auth.getToken({ account: session.account, tenantId: sub.tenantId, resource: 'arm' });
    assert.ok(!text.includes(token.token) && !text.includes('eyJ'), 'no token in the snapshot');
    assert.deepEqual(await readSnapshot(written.jsonPath, english), JSON.parse(text));
    const csv = (await fs.readFile(written.csvPath, 'utf8')).trim().split('\r\n');
    assert.equal(csv.length, snapshot.roleAssignments.length + 1);
    assert.match(csv[0] ?? '', /^principal,principalType,signInName,role,scope/);
    assert.ok(csv.some((l) => l.startsWith('(deleted principal)')));

    // A second snapshot in the same second never replaces the first: it gets its own name.
    const again = await writeSnapshot(dir, { ...snapshot, notes: ['second'] }, english);
    assert.notEqual(again.jsonPath, written.jsonPath);
    assert.deepEqual((await readSnapshot(again.jsonPath, english)).notes, ['second']);
    assert.deepEqual((await readSnapshot(written.jsonPath, english)).notes, snapshot.notes, 'the first is untouched');
    assert.equal((await fs.readdir(dir)).length, 4);
  });

  it('rejects bad snapshot files with one clear message each', async () => {
    const dir = await tempDir();
    const good = await takeSnapshot(sessionFor(sandbox()), await findSubscription(sessionFor(sandbox()), PRODUCTION, english), english);
    const write = async (name: string, content: string): Promise<string> => {
      const p = path.join(dir, name);
      await fs.writeFile(p, content);
      return p;
    };
    const without = (key: string): string => JSON.stringify(Object.fromEntries(Object.entries(good).filter(([k]) => k !== key)));
    const cases: [string, RegExp][] = [
      [path.join(dir, 'missing.json'), /Cannot read the snapshot file .*missing\.json: no such file/],
      [dir, /Cannot read the snapshot file .*: it is a directory/],
      [await write('garbage.json', '{not json'), /is not a snapshot: it is not valid JSON/],
      [await write('format.json', JSON.stringify({ ...good, format: 'something-else' })), /is not an Azure Tenant Link snapshot \(format is "something-else"/],
      [await write('version.json', JSON.stringify({ ...good, version: 3 })), /has snapshot version 3; .* reads versions 1 to 2/],
      [await write('nosub.json', without('subscription')), /subscription is missing/],
      [await write('badrow.json', JSON.stringify({ ...good, roleAssignments: [{ ...good.roleAssignments[0], principalId: 'x' }] })), /roleAssignments\[0\]\.principalId must be a GUID/],
      [await write('badscope.json', JSON.stringify({ ...good, roleAssignments: [{ ...good.roleAssignments[0], scope: '/subscriptions/../x' }] })), /roleAssignments\[0\]\.scope must be an Azure scope/],
    ];
    for (const [file, message] of cases) {
      await assert.rejects(readSnapshot(file, english), (e: unknown) => e instanceof Error && e.name === 'SnapshotError' && message.test(e.message) && !e.message.includes('\n'), file);
    }
  });
});

describe('core mapping', () => {
  it('decodes guest UPNs back to the address', () => {
    assert.equal(guestUpnToAddress('megan_contoso.com#EXT#@fabrikamlabs.onmicrosoft.com'), 'megan@contoso.com');
    assert.equal(guestUpnToAddress('john_doe_contoso.com#EXT#@fabrikam.onmicrosoft.com'), 'john_doe@contoso.com');
    assert.equal(guestUpnToAddress('Riley_FabrikamLabs.onmicrosoft.com#EXT#@contoso.onmicrosoft.com'), 'Riley@FabrikamLabs.onmicrosoft.com');
    assert.equal(guestUpnToAddress('megan@contoso.com'), undefined);
  });

  describe('over the sandbox', () => {
    const base = scenario();
    const contoso = tenantOf(base, 'Contoso Ltd');
    const fabrikam = tenantOf(base, 'Fabrikam Labs');
    const team42 = contoso.groups.find((g) => g.displayName === 'Team 42');
    assert.ok(team42);
    const sandbox = useSandbox({ scenario: variant((s) => {
      // A second "Team 42"-like ambiguity: two groups named "Ops On-Call" in the target.
      const t = tenantOf(s, 'Contoso Ltd');
      t.groups.push({ ...team42, id: 'c2000000-0002-4000-8000-0000000000a1', displayName: 'Ops On-Call', members: [] });
      t.groups.push({ ...team42, id: 'c2000000-0002-4000-8000-0000000000a2', displayName: 'Ops On-Call', members: [] });
    }) });

    let snapshot: Snapshot;
    beforeEach(async () => {
      const session = sessionFor(sandbox());
      snapshot = await takeSnapshot(session, await findSubscription(session, PRODUCTION, english), english);
    });

    function mappingOf(result: MappingResult, oldId: string) {
      const m = result.principals.find((p) => p.oldPrincipalId === oldId);
      assert.ok(m, `mapping for ${oldId}`);
      return m;
    }

    it('maps users by UPN, guests through #EXT#, members by mail; groups, SPs and deleted principals unmatched', async () => {
      const result = await mapPrincipals(sessionFor(sandbox()), snapshot, CONTOSO, english);
      const byAccount = (t: typeof fabrikam, upn: string): string => t.users.find((u) => u.account === upn)?.id ?? '';
      // Megan is a guest in Fabrikam (megan_contoso.com#EXT#…) and a member of Contoso.
      const megan = mappingOf(result, byAccount(fabrikam, MEGAN));
      assert.equal(megan.status, 'matched');
      assert.equal(megan.principal?.id, byAccount(contoso, MEGAN));
      assert.match(megan.reason, /guest UPN/);
      // Riley is a member of Fabrikam and a guest of Contoso (found by mail).
      const riley = mappingOf(result, byAccount(fabrikam, 'riley@fabrikamlabs.onmicrosoft.com'));
      assert.equal(riley.status, 'matched');
      assert.equal(riley.principal?.id, byAccount(contoso, 'riley@fabrikamlabs.onmicrosoft.com'));
      // "Team 42" of Fabrikam is not "Team 42" of Contoso: never matched (nor proposed) by display name.
      const oldTeam = fabrikam.groups.find((g) => g.displayName === 'Team 42');
      const team = mappingOf(result, oldTeam?.id ?? '');
      assert.equal(team.status, 'unmatched');
      assert.equal(team.principal, null);
      assert.deepEqual(team.candidates, []);
      assert.notEqual(team42.id, oldTeam?.id);
      assert.match(team.reason, /a group of another directory is another object, even with the same name/);
      const groups = result.principals.filter((p) => p.oldPrincipalType === 'Group');
      assert.ok(groups.length >= 2 && groups.every((g) => g.status === 'unmatched' && g.principal === null), 'no group is matched automatically');
      assert.ok(!result.rows.some((r) => r.mapping.principal?.type === 'Group'), 'no restore row grants a group');
      for (const p of result.principals.filter((x) => x.oldPrincipalType === 'ServicePrincipal' && x.oldName !== null)) {
        assert.equal(p.status, 'unmatched');
        assert.match(p.reason, /re-create|re-enable/);
      }
      const dead = result.principals.filter((p) => p.oldName === null && p.oldPrincipalType !== 'ForeignGroup');
      assert.ok(dead.length > 0 && dead.every((p) => p.status === 'unmatched' && /no longer existed/.test(p.reason)));
      assert.ok(result.rows.every((r) => r.assignment.removed), 'inherited assignments are not mapped');
    });

    it('applies explicit overrides first, and says when an override names nothing', async () => {
      const jamie = fabrikam.users.find((u) => u.displayName === 'Jamie Park');
      const adele = contoso.users.find((u) => u.userPrincipalName === 'adele@contoso.com');
      assert.ok(jamie && adele);
      const overrides = new Map([[jamie.id, adele.id], [fabrikam.groups[0]?.id ?? '', '00000000-0000-4000-8000-0000000000ff']]);
      const result = await mapPrincipals(sessionFor(sandbox()), snapshot, CONTOSO, english, { overrides });
      assert.equal(mappingOf(result, jamie.id).principal?.id, adele.id);
      assert.equal(mappingOf(result, jamie.id).reason, 'mapped explicitly');
      const bad = mappingOf(result, fabrikam.groups[0]?.id ?? '');
      assert.equal(bad.status, 'unmatched');
      assert.match(bad.reason, /not in the target directory/);
    });
  });
});

describe('core restore and add-admin', () => {
  const sandbox = useSandbox();
  let snapshot: Snapshot;
  let megan: AzureSession;

  beforeEach(async () => {
    const riley = sessionFor(sandbox());
    snapshot = await takeSnapshot(riley, await findSubscription(riley, PRODUCTION, english), english);
    sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
    megan = sessionFor(sandbox(), MEGAN);
  });

  it('dry run plans without writing; the restore creates custom roles and assignments; a re-run creates nothing new', async () => {
    const mapping = await mapPrincipals(megan, snapshot, CONTOSO, english);
    const matched = mapping.rows.filter((r) => r.mapping.status === 'matched').length;
    assert.ok(matched > 0);
    const before = assignmentsUnder(sandbox(), PRODUCTION).length;
    const dry = await restoreSnapshot(megan, snapshot, mapping, english, { dryRun: true, ...FAST });
    assert.equal(dry.counts.planned + dry.counts.exists, matched);
    assert.equal(dry.counts.created, 0);
    assert.ok(dry.customRoles.every((r) => r.status === 'planned'));
    assert.equal(sandbox().requestCount(/roleAssignments\/|roleDefinitions\//, 'PUT'), 0, 'the dry run writes nothing');
    assert.equal(assignmentsUnder(sandbox(), PRODUCTION).length, before);

    const first = await restoreSnapshot(megan, snapshot, mapping, english, FAST);
    assert.deepEqual(first.customRoles.map((r) => r.status), snapshot.customRoles.map(() => 'created'));
    assert.equal(first.counts.failed, 0, JSON.stringify(first.assignments.filter((r) => r.status === 'failed')));
    assert.equal(first.counts.created + first.counts.exists, matched);
    assert.equal(first.counts.skipped, mapping.rows.length - matched);
    const after = assignmentsUnder(sandbox(), PRODUCTION).length;
    assert.equal(after, before + first.counts.created);
    assert.ok(first.assignments.filter((r) => r.status === 'skipped').every((r) => (r.reason ?? '').length > 0));

    sandbox().clearRequestLog();
    const again = await restoreSnapshot(megan, snapshot, await mapPrincipals(megan, snapshot, CONTOSO, english), english, FAST);
    assert.equal(again.counts.created, 0);
    assert.equal(again.counts.exists, matched);
    assert.ok(again.customRoles.every((r) => r.status === 'exists'));
    assert.equal(assignmentsUnder(sandbox(), PRODUCTION).length, after, 'no duplicates');
    assert.equal(sandbox().requestCount(/roleAssignments\//, 'PUT'), 0);
  });

  it('never takes a custom role on its name alone: one of the same name with other permissions fails its rows; the same permissions are used', async () => {
    // A custom role's row, mapped by the user to Alex Wilber (Contoso).
    const used = snapshot.roleAssignments.find((a) => a.removed && snapshot.customRoles.some((r) => r.id === a.roleDefinitionId));
    const cost = snapshot.customRoles.find((r) => r.id === used?.roleDefinitionId);
    assert.ok(used && cost);
    const mapping = await mapPrincipals(megan, snapshot, CONTOSO, english, { overrides: new Map([[used.principalId, 'c2000000-0001-4000-8000-000000000003']]) });
    const sub = `/subscriptions/${PRODUCTION}`;
    const impostor = 'dd000000-0000-4000-8000-000000000001';
    await megan.arm.putRoleDefinition(CONTOSO, sub, impostor, { roleName: cost.roleName, description: 'not the same', type: 'CustomRole', permissions: [{ actions: ['*'], notActions: [], dataActions: [], notDataActions: [] }], assignableScopes: [sub] });
    const result = await restoreSnapshot(megan, snapshot, mapping, english, FAST);
    const role = result.customRoles.find((r) => r.oldId === cost.id);
    assert.equal(role?.status, 'failed');
    assert.match(role.reason ?? '', new RegExp(`another custom role named "${cost.roleName}" is in the directory, with other permissions`));
    const rows = result.assignments.filter((r) => r.principalId !== null && mapping.rows.some((m) => m.assignment.id === r.oldAssignmentId && m.assignment.roleDefinitionId === cost.id));
    assert.ok(rows.length > 0, 'the scenario assigns it to someone mapped');
    assert.ok(rows.every((r) => r.status === 'failed'));
    assert.equal(sandbox().state.data.roleAssignments.filter((a) => a.role.endsWith(impostor)).length, 0, 'nobody got the impostor');

    // The same permissions (in another order and case): the role the directory has is the snapshot's, and is used.
    const perms = cost.permissions.map((p) => ({ ...p, actions: [...(p.actions ?? [])].reverse().map((a) => a.toUpperCase()) }));
    await megan.arm.putRoleDefinition(CONTOSO, sub, impostor, { roleName: cost.roleName, description: 'same', type: 'CustomRole', permissions: perms, assignableScopes: [sub] });
    const again = await restoreSnapshot(megan, snapshot, mapping, english, FAST);
    const same = again.customRoles.find((r) => r.oldId === cost.id);
    assert.deepEqual([same?.status, same?.newId], ['exists', impostor]);
    assert.ok(again.assignments.filter((r) => rows.some((x) => x.oldAssignmentId === r.oldAssignmentId)).every((r) => r.status === 'created' && r.roleDefinitionId === impostor));
  });

  it('a crash between two writes, then a re-run, completes without duplicates', async () => {
    const mapping = await mapPrincipals(megan, snapshot, CONTOSO, english);
    const matched = mapping.rows.filter((r) => r.mapping.status === 'matched').length;
    const before = assignmentsUnder(sandbox(), PRODUCTION).length;
    const controller = new AbortController();
    await assert.rejects(
      restoreSnapshot(megan, snapshot, mapping, english, { ...FAST, concurrency: 1, signal: controller.signal, onRow: (r) => { if (r.status === 'created') controller.abort(); } }),
      (e: unknown) => e instanceof Error && /cancel/i.test(e.message),
    );
    const partial = assignmentsUnder(sandbox(), PRODUCTION).length;
    assert.ok(partial > before && partial < before + matched, `stopped part-way (${partial - before} of ${matched})`);
    const rerun = await restoreSnapshot(megan, snapshot, mapping, english, FAST);
    assert.equal(rerun.counts.failed, 0);
    assert.equal(rerun.counts.created + rerun.counts.exists, matched);
    assert.equal(assignmentsUnder(sandbox(), PRODUCTION).length, before + matched, 'every assignment exactly once');
  });

  it('a connection reset on one PUT fails that row only; the re-run creates just that one', async () => {
    const mapping = await mapPrincipals(megan, snapshot, CONTOSO, english);
    const rows = mapping.rows.filter((r) => r.mapping.status === 'matched' && !snapshot.customRoles.some((c) => c.id === r.assignment.roleDefinitionId));
    const second = rows[1];
    assert.ok(second?.mapping.principal);
    const name = restoredAssignmentName(second.assignment.id, second.mapping.principal.id, second.assignment.roleDefinitionId);
    sandbox().setFaults({ rules: [{ match: `roleAssignments/${name}`, method: 'PUT', fault: 'reset', times: 'always' }] });
    const first = await restoreSnapshot(megan, snapshot, mapping, english, FAST);
    assert.equal(first.counts.failed, 1);
    assert.equal(first.assignments.find((r) => r.status === 'failed')?.assignmentName, name);
    sandbox().setFaults({});
    const rerun = await restoreSnapshot(megan, snapshot, mapping, english, FAST);
    assert.equal(rerun.counts.created, 1);
    assert.equal(rerun.counts.failed, 0);
    const keys = assignmentsUnder(sandbox(), PRODUCTION).map((a) => `${a.scope.toLowerCase()}|${a.role}|${a.principalId}`);
    assert.equal(new Set(keys).size, keys.length, 'no duplicates');
  });

  it('adds administrators by UPN and object id, retries PrincipalNotFound with back-off, and is idempotent', async () => {
    const contoso = tenantOf(scenario(), 'Contoso Ltd');
    const ravi = contoso.users.find((u) => u.replicationDelay > 0);
    const adele = contoso.users.find((u) => u.userPrincipalName === 'adele@contoso.com');
    assert.ok(ravi && adele);
    const waits: number[] = [];
    const sleep = (ms: number): Promise<void> => { waits.push(ms); return Promise.resolve(); };
    const owner = ADMIN_ROLES.find((r) => r.name === 'Owner')?.id ?? OWNER;
    const results = await addAdministrators(megan, PRODUCTION, CONTOSO, [ravi.userPrincipalName, adele.id, 'nobody@contoso.com'], owner, english, { retry: { attempts: 5, baseDelayMs: 10, maxDelayMs: 100 }, sleep });
    const byUser = new Map(results.map((r) => [r.user, r]));
    assert.equal(byUser.get(ravi.userPrincipalName)?.status, 'created');
    assert.deepEqual(waits, [10, 20].slice(0, ravi.replicationDelay), 'exponential back-off per PrincipalNotFound');
    assert.equal(byUser.get(adele.id)?.status, 'created');
    assert.equal(byUser.get('nobody@contoso.com')?.status, 'failed');
    assert.match(byUser.get('nobody@contoso.com')?.reason ?? '', /No user "nobody@contoso\.com"/);
    const again = await addAdministrators(megan, PRODUCTION, CONTOSO, [ravi.userPrincipalName, adele.id], owner, english, FAST);
    assert.deepEqual(again.map((r) => r.status), ['exists', 'exists']);
  });

  it('gives up on PrincipalNotFound after the configured attempts with the failure-modes wording', async () => {
    const contoso = tenantOf(scenario(), 'Contoso Ltd');
    const ravi = contoso.users.find((u) => u.replicationDelay > 1);
    assert.ok(ravi);
    const [result] = await addAdministrators(megan, PRODUCTION, CONTOSO, [ravi.id], OWNER, english, { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    assert.equal(result?.status, 'failed');
    assert.match(result.reason ?? '', /Retry: principal not replicated yet \(PrincipalNotFound\)/);
  });
});
