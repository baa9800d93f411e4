import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MEGAN, scenario, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { OWNER, oidOf, tenantOf, variant } from '../core/fixtures';
import { isOneLine, runCli } from './run';

const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'tenant-link-cli-'));
}

describe('CLI snapshot, restore, add-admin', () => {
  const sandbox = useSandbox();

  it('snapshot -o writes the JSON and CSV and prints where; restore --dry-run, restore, and a re-run that creates nothing', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'prod.json');
    const snap = await runCli(sandbox(), ['snapshot', '--subscription', PRODUCTION, '--to', 'contoso.com', '-o', file, '--json']);
    assert.equal(snap.code, 0, snap.stderr);
    const summary = JSON.parse(snap.stdout) as { jsonPath: string; csvPath: string; roleAssignments: number };
    assert.equal(summary.jsonPath, file);
    assert.equal(summary.csvPath, path.join(dir, 'prod.csv'));
    const expected = scenario().expectedCounts[PRODUCTION];
    assert.ok(expected);
    assert.equal(summary.roleAssignments, expected.subscription + expected.resourceGroup + expected.resource + expected.inherited);

    const early = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO], { account: MEGAN });
    assert.equal(early.code, 1);
    assert.ok(isOneLine(early.stderr), early.stderr);
    assert.match(early.stderr, /does not answer in directory .* yet: restore after the directory change has completed/);

    sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
    const dry = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO, '--dry-run', '--json'], { account: MEGAN });
    assert.equal(dry.code, 0, dry.stderr);
    const planned = JSON.parse(dry.stdout) as { dryRun: boolean; counts: { planned: number; created: number; exists: number } };
    assert.equal(planned.dryRun, true);
    assert.ok(planned.counts.planned > 0);
    assert.equal(planned.counts.created, 0);

    // The default scenario's ReadOnly lock on the web app blocks re-enabling its identity: exit 1, that row says why.
    const first = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO, '--json'], { account: MEGAN });
    assert.equal(first.code, 1, first.stderr);
    const done = JSON.parse(first.stdout) as { counts: { created: number; exists: number; failed: number }; totals: { failed: number }; identities: { name: string; status: string; reason?: string }[] };
    assert.equal(done.counts.failed, 0);
    assert.equal(done.totals.failed, 1);
    assert.match(done.identities.find((i) => i.status === 'failed')?.reason ?? '', /ReadOnly lock .*web-readonly.*ScopeLocked/);
    // Re-enabled identities map their old grants to the new principals: more rows than the dry run could plan.
    assert.ok(done.counts.created + done.counts.exists >= planned.counts.planned + planned.counts.exists);

    sandbox().state.data.extras.locks = sandbox().state.data.extras.locks.filter((l) => l.level !== 'ReadOnly');
    const retried = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO, '--json'], { account: MEGAN });
    assert.equal(retried.code, 0, retried.stdout);

    const again = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO], { account: MEGAN });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /\b0 created, \d+ already there, 0 failed/);
  });

  it('restore --map maps a principal explicitly', async () => {
    const s = scenario();
    const jamie = tenantOf(s, 'Fabrikam Labs').users.find((u) => u.displayName === 'Jamie Park');
    const adele = tenantOf(s, 'Contoso Ltd').users.find((u) => u.userPrincipalName === 'adele@contoso.com');
    assert.ok(jamie && adele);
    const file = path.join(await tempDir(), 's.json');
    assert.equal((await runCli(sandbox(), ['snapshot', '--subscription', PRODUCTION, '-o', file])).code, 0);
    sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
    sandbox().state.data.extras.locks = []; // the web app's ReadOnly lock would fail its identity's repair (tested above)
    const run = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO, '--map', `${jamie.id}=${adele.id}`, '--json'], { account: MEGAN });
    assert.equal(run.code, 0, run.stderr);
    const rows = (JSON.parse(run.stdout) as { assignments: { oldPrincipalId: string; principalId: string | null; status: string }[] }).assignments;
    const mapped = rows.filter((r) => r.oldPrincipalId === jamie.id);
    assert.ok(mapped.length > 0 && mapped.every((r) => r.principalId === adele.id && r.status === 'created'));
  });

  it('add-admin resolves users and assigns the role; a second run reports them as already there', async () => {
    sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
    const args = ['add-admin', '--subscription', PRODUCTION, '--user', 'adele@contoso.com', '--user', 'lee@contoso.com', '--role', 'Contributor'];
    const run = await runCli(sandbox(), [...args, '--json'], { account: MEGAN });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as { status: string }[]).map((r) => r.status), ['created', 'created']);
    const again = await runCli(sandbox(), args, { account: MEGAN });
    assert.equal(again.code, 0);
    assert.equal((again.stdout.match(/already there/g) ?? []).length, 2);
    const missing = await runCli(sandbox(), ['add-admin', '--subscription', PRODUCTION, '--user', 'nobody@contoso.com', '--role', OWNER], { account: MEGAN });
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /No user "nobody@contoso\.com"/);
  });

  it('bad input: one clear line and the right exit code', async () => {
    const dir = await tempDir();
    const notJson = path.join(dir, 'x.json');
    await fs.writeFile(notJson, 'hello');
    const cases: { args: string[]; code: number; text: RegExp }[] = [
      { args: ['restore', '--snapshot', path.join(dir, 'missing.json'), '--to', CONTOSO], code: 1, text: /Cannot read the snapshot file .*missing\.json: no such file/ },
      { args: ['restore', '--snapshot', notJson, '--to', CONTOSO], code: 1, text: /is not a snapshot: it is not valid JSON/ },
      { args: ['restore', '--snapshot', notJson, '--to', 'contoso'], code: 2, text: /--to must be a directory \(tenant\) ID/ },
      { args: ['restore', '--snapshot', notJson, '--to', CONTOSO, '--map', 'a=b'], code: 2, text: /--map needs <oldPrincipalId>=<newPrincipalId>/ },
      { args: ['restore', '--to', CONTOSO], code: 2, text: /--snapshot/ },
      { args: ['snapshot', '--subscription', 'nope'], code: 2, text: /No subscription is named "nope" \(names must match exactly\), and it is not a subscription ID/ },
      { args: ['snapshot', '--subscription', '00000000-0000-4000-8000-00000000dead'], code: 1, text: /was not found in any directory/ },
      { args: ['add-admin', '--subscription', PRODUCTION, '--role', 'Owner'], code: 2, text: /--user/ },
      { args: ['add-admin', '--subscription', PRODUCTION, '--user', 'x@y.com', '--role', 'Emperor'], code: 2, text: /No role named "Emperor"/ },
    ];
    for (const c of cases) {
      const run = await runCli(sandbox(), c.args);
      assert.equal(run.code, c.code, `${c.args.join(' ')}: ${run.stderr}`);
      assert.ok(isOneLine(run.stderr), `one line: ${JSON.stringify(run.stderr)}`);
      assert.match(run.stderr, c.text);
    }
  });
});

describe('CLI change-directory', () => {
  const sandbox = useSandbox({
    scenario: variant((s) => {
      // Megan (Contoso Global Administrator, guest in Fabrikam) is also a direct Owner: she can initiate and accept.
      s.roleAssignments.push({ name: 'ab0000ff-0000-4000-8000-000000000002', scope: `/subscriptions/${PRODUCTION}`, role: OWNER, principalId: oidOf(s, 'Fabrikam Labs', MEGAN), principalType: 'User', description: null, condition: null, conditionVersion: null, createdOn: '2025-01-15T09:00:00Z', createdBy: null });
    }),
  });

  it('refuses without the exact subscription name, and changes nothing', async () => {
    for (const confirm of ['fabrikam production', 'Fabrikam', '']) {
      const run = await runCli(sandbox(), ['change-directory', '--subscription', PRODUCTION, '--to', CONTOSO, '--confirm', confirm], { account: MEGAN });
      assert.equal(run.code, 2, run.stderr);
      assert.ok(isOneLine(run.stderr), run.stderr);
      assert.match(run.stderr, /Refusing to change the directory: --confirm must be the subscription's exact name/);
    }
    const missing = await runCli(sandbox(), ['change-directory', '--subscription', PRODUCTION, '--to', CONTOSO], { account: MEGAN });
    assert.equal(missing.code, 2);
    assert.equal(sandbox().requestCount(/changeTenantRequest|acceptChangeTenant/), 0);
    assert.equal(sandbox().state.moves.length, 0);
  });

  it('requests, accepts (the account administers the target) and tracks until the subscription answers there', async () => {
    const run = await runCli(sandbox(), ['change-directory', '--subscription', PRODUCTION, '--to', CONTOSO, '--confirm', 'Fabrikam Production', '--json'], { account: MEGAN });
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { status: string; accepted: boolean; tracking: { status: string } | null; portalUrl: string };
    assert.equal(result.status, 'moved');
    assert.equal(result.accepted, true);
    assert.equal(result.tracking?.status, 'seen');
    assert.equal(sandbox().state.subscription(PRODUCTION)?.tenantId, CONTOSO);
  });

  it('only requests the change when the account cannot accept in the target, and exits 5 (waiting), not 0', async () => {
    const run = await runCli(sandbox(), ['change-directory', '--subscription', PRODUCTION, '--to', CONTOSO, '--confirm', 'Fabrikam Production']);
    assert.equal(run.code, 5, run.stderr);
    assert.doesNotMatch(run.stdout + run.stderr, /default sandbox account/);
    assert.match(run.stdout, /change requested/);
    assert.match(run.stdout, /Global Administrators must accept/);
    assert.equal(sandbox().state.moves.length, 0);
  });
});

describe('CLI issue 11: plan, snapshot and restore carry PIM, policy, Key Vault and identities', () => {
  const OWNER_ROLE = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
  const sandbox = useSandbox({ scenario: variant((s) => {
    s.extras.roleManagementPolicies.push({ name: 'bbbbbbbb-0000-4000-8000-000000000001', scope: `/subscriptions/${PRODUCTION}`, role: OWNER_ROLE, eligibilityExpirationRequired: true, eligibilityMaximumDuration: 'P90D' });
    s.extras.locks = [];
  }) });

  it('plan shows the new groups; snapshot counts them; restore exits 1 on the policy refusal and --accept-policy-end takes the longest end', async () => {
    const plan = await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--to', CONTOSO]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /The move deletes 3 eligible \(PIM\) assignments/);
    assert.match(plan.stdout, /Time-bound \(PIM\) role assignments: Lee Gu Reader until 2027-05-31/);
    assert.match(plan.stdout, /Deploy diagnostic settings to Log Analytics\s+subscription\s+SystemAssigned\s+yes/);
    assert.match(plan.stdout, /Key Vault kv-fabrikam-prod: 4 access policies/);
    const file = path.join(await tempDir(), 's.json');
    const snap = await runCli(sandbox(), ['snapshot', '--subscription', PRODUCTION, '-o', file]);
    assert.match(snap.stdout, /Also saved: 3 eligible assignments, 2 policy assignments, 1 key vaults/);
    sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
    const refused = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO], { account: MEGAN });
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /Owner at subscription, permanent \(policy allows until \S+: --accept-policy-end\)\s+failed\s+The role management policy forbids permanent eligibility/);
    const accepted = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO, '--accept-policy-end', '--json'], { account: MEGAN });
    assert.equal(accepted.code, 0, accepted.stdout.slice(0, 500));
    const owner = (JSON.parse(accepted.stdout) as { eligibleAssignments: { roleDefinitionId: string; status: string; endDateTime: string | null }[] }).eligibleAssignments.find((e) => e.roleDefinitionId === OWNER_ROLE);
    assert.equal(owner?.status, 'created');
    assert.ok(owner.endDateTime !== null && Date.parse(owner.endDateTime) - Date.now() <= 90 * 86_400_000 + 60_000);
  });
});
