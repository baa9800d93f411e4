/**
 * `restore --all <folder>`: each snapshot restored exactly as `restore --snapshot` would (the full restore: eligible
 * assignments, Key Vault access, policy assignments, identities), per-item tables and a result line each, the worst
 * snapshot's exit code; files that are not snapshots (a FIFO, an oversized file, other JSON) skipped with the reason.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Scenario } from '../../../src/sandbox/scenario';
import { MEGAN, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { variant } from '../core/fixtures';
import { runCli } from './run';

const CONTOSO = tenantByName('Contoso Ltd');
const FABRIKAM = tenantByName('Fabrikam Labs');
const PRODUCTION = subscriptionByName('Fabrikam Production');
const DEV = subscriptionByName('Fabrikam Dev/Test');
const OWNER_ROLE = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

/** Dev/Test gets Production's eligible assignments and a Key Vault with its access policies; no ReadOnly lock. */
function twoLikeProduction(s: Scenario): void {
  s.extras.locks = [];
  const prod = `/subscriptions/${PRODUCTION}`;
  const dev = `/subscriptions/${DEV}`;
  const eligible = s.extras.pimSchedules.filter((p) => p.kind === 'eligibility' && p.scope.startsWith(prod));
  s.extras.pimSchedules.push(...eligible.map((p, i) => ({ ...p, name: `e2000002-0000-4000-8000-00000000000${i + 1}`, scope: `${dev}${p.scope.slice(prod.length)}`.replace('/resourceGroups/rg-data', '/resourceGroups/rg-devtest') })));
  const vault = s.resources.find((r) => /\/vaults\/kv-fabrikam-prod$/.test(r.id));
  assert.ok(vault);
  s.resources.push({ ...structuredClone(vault), id: `${dev}/resourceGroups/rg-devtest/providers/Microsoft.KeyVault/vaults/kv-fabrikam-dev` });
}

interface FolderRow {
  file: string;
  subscriptionId: string | null;
  status: string;
  reason: string | null;
  result: { incomplete: boolean; warnings: string[]; totals: { created: number; failed: number }; assignments: { status: string }[]; eligibleAssignments: { status: string }[]; keyVaults: { status: string }[] } | null;
}

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'tenant-link-restore-all-'));
}

describe('CLI restore --all', () => {
  const sandbox = useSandbox({ scenario: variant(twoLikeProduction) });

  /** Snapshots of Production and Dev/Test in a new folder, both then moved to Contoso (accepted by Megan). */
  async function movedPair(): Promise<string> {
    const dir = await tempDir();
    for (const [sub, name] of [[PRODUCTION, 'prod.json'], [DEV, 'dev.json']] as const) {
      const snap = await runCli(sandbox(), ['snapshot', '--subscription', sub, '-o', path.join(dir, name)]);
      assert.equal(snap.code, 0, snap.stderr);
      assert.match(snap.stdout, /Also saved: 3 eligible assignments, \d+ policy assignments, 1 key vaults/);
    }
    sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
    sandbox().moveSubscription(DEV, CONTOSO, MEGAN);
    return dir;
  }

  const eligibleIn = (sub: string): number => sandbox().state.data.extras.pimSchedules.filter((p) => p.kind === 'eligibility' && p.scope.startsWith(`/subscriptions/${sub}`)).length;
  const vaultIn = (sub: string): { tenantId: string; accessPolicies: { tenantId: string }[] } => {
    const v = sandbox().state.data.resources.find((r) => r.id.startsWith(`/subscriptions/${sub}/`) && /\/vaults\//.test(r.id));
    assert.ok(v);
    return v.properties as { tenantId: string; accessPolicies: { tenantId: string }[] };
  };

  it('restores eligible assignments and Key Vault access of every snapshot, as restore --snapshot does; --dry-run writes nothing', async () => {
    const dir = await movedPair();
    assert.equal(eligibleIn(PRODUCTION) + eligibleIn(DEV), 0, 'the move deleted the eligible assignments');
    assert.equal(vaultIn(DEV).tenantId, FABRIKAM);

    const dry = await runCli(sandbox(), ['restore', '--all', dir, '--to', CONTOSO, '--dry-run'], { account: MEGAN });
    assert.equal(dry.code, 0, dry.stderr + dry.stdout);
    assert.match(dry.stdout, /Dry run for Fabrikam Production: nothing was written\./);
    assert.match(dry.stdout, /Fabrikam Dev\/Test \(dev\.json\): dry run — \d+ to create/);
    assert.equal(eligibleIn(PRODUCTION) + eligibleIn(DEV), 0);
    assert.equal(vaultIn(DEV).tenantId, FABRIKAM);

    const run = await runCli(sandbox(), ['restore', '--all', dir, '--to', CONTOSO], { account: MEGAN });
    assert.equal(run.code, 0, run.stderr + run.stdout);
    // The per-item tables of each snapshot, then a result line each.
    assert.match(run.stdout, /Restore of Fabrikam Production:/);
    assert.match(run.stdout, /Restore of Fabrikam Dev\/Test:/);
    assert.equal(run.stdout.match(/Eligible \(PIM\) assignments:/g)?.length, 2);
    assert.equal(run.stdout.match(/Key Vault access policies:/g)?.length, 2);
    assert.match(run.stdout, /Fabrikam Production \(prod\.json\): restored — \d+ created, \d+ already there, 0 failed/);
    assert.match(run.stdout, /Fabrikam Dev\/Test \(dev\.json\): restored — \d+ created, \d+ already there, 0 failed/);
    // Megan's and Adele's eligible assignments; Jamie has no account in Contoso (skipped, with the reason).
    assert.equal(run.stdout.match(/Jamie Park → \?\s+Reader at subscription.*skipped\s+no user with the UPN or mail/g)?.length, 2);
    for (const sub of [PRODUCTION, DEV]) {
      assert.equal(eligibleIn(sub), 2, `eligible assignments of ${sub}`);
      const vault = vaultIn(sub);
      assert.equal(vault.tenantId, CONTOSO);
      assert.ok(vault.accessPolicies.length > 0 && vault.accessPolicies.every((p) => p.tenantId === CONTOSO), JSON.stringify(vault.accessPolicies));
    }

    const again = await runCli(sandbox(), ['--json', 'restore', '--all', dir, '--to', CONTOSO], { account: MEGAN });
    assert.equal(again.code, 0, again.stderr);
    const rows = JSON.parse(again.stdout) as FolderRow[];
    assert.deepEqual(rows.map((r) => [path.basename(r.file), r.subscriptionId, r.status]), [['dev.json', DEV, 'restored'], ['prod.json', PRODUCTION, 'restored']]);
    // A re-run writes no assignment, eligible assignment or vault again. (The custom role assignable in both
    // subscriptions is not counted here: each snapshot's restore writes it with its own subscription as the
    // assignable scope — core/restore.ts, the same for two single restores.)
    for (const r of rows) {
      assert.ok(r.result);
      assert.deepEqual([...r.result.assignments, ...r.result.eligibleAssignments, ...r.result.keyVaults].filter((x) => x.status === 'created'), []);
      assert.equal(r.result.eligibleAssignments.filter((e) => e.status === 'exists').length, 2);
    }
  });

  it('a row that fails makes exit 1 and says so; --accept-policy-end is passed to each snapshot\'s restore', async () => {
    sandbox().state.data.extras.roleManagementPolicies.push({ name: 'bbbbbbbb-0000-4000-8000-000000000002', scope: `/subscriptions/${DEV}`, role: OWNER_ROLE, eligibilityExpirationRequired: true, eligibilityMaximumDuration: 'P90D' });
    const dir = await movedPair();
    const refused = await runCli(sandbox(), ['restore', '--all', dir, '--to', CONTOSO], { account: MEGAN });
    assert.equal(refused.code, 1, refused.stderr + refused.stdout);
    assert.match(refused.stdout, /Owner at subscription, permanent \(policy allows until \S+: --accept-policy-end\)\s+failed/);
    assert.match(refused.stdout, /Fabrikam Dev\/Test \(dev\.json\): failed — \d+ created, \d+ already there, 1 failed/);
    assert.match(refused.stdout, /Fabrikam Production \(prod\.json\): restored/);
    const accepted = await runCli(sandbox(), ['restore', '--all', dir, '--to', CONTOSO, '--accept-policy-end'], { account: MEGAN });
    assert.equal(accepted.code, 0, accepted.stdout.slice(-2000));
    assert.equal(eligibleIn(DEV), 2);
  });

  it('skips a FIFO, an oversized file and other JSON with the reason and restores the rest; an incomplete snapshot is exit 4, a damaged one exit 1', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = await movedPair();
    // Production's snapshot marked incomplete (as one whose principals could not all be named would be).
    const prodFile = path.join(dir, 'prod.json');
    const prod = JSON.parse(await fs.readFile(prodFile, 'utf8')) as { complete: boolean; notes: string[] };
    prod.complete = false;
    prod.notes = ['Principal names: not readable.'];
    await fs.writeFile(prodFile, JSON.stringify(prod));
    execFileSync('mkfifo', [path.join(dir, 'a-fifo.json')]);
    await fs.writeFile(path.join(dir, 'big.json'), ' '.repeat(17 * 1024 * 1024));
    await fs.writeFile(path.join(dir, 'settings.json'), JSON.stringify({ editor: { tabSize: 2 } }));
    await fs.mkdir(path.join(dir, 'folder.json'));

    const run = await runCli(sandbox(), ['restore', '--all', dir, '--to', CONTOSO], { account: MEGAN });
    assert.equal(run.code, 4, run.stderr + run.stdout);
    assert.match(run.stdout, /a-fifo\.json: skipped — .*not a regular file/);
    assert.match(run.stdout, /big\.json: skipped — .*larger than 16 MB/);
    assert.match(run.stdout, /settings\.json: skipped — .*is not an Azure Tenant Link snapshot/);
    assert.match(run.stdout, /folder\.json: skipped — .*it is a directory/);
    assert.match(run.stdout, /Fabrikam Production \(prod\.json\): incomplete — .*The snapshot is marked incomplete: Principal names: not readable\./);
    assert.match(run.stdout, /Warning: The snapshot is marked incomplete/);
    assert.match(run.stdout, /Fabrikam Dev\/Test \(dev\.json\): restored/);
    for (const sub of [PRODUCTION, DEV]) assert.equal(eligibleIn(sub), 2, `restored despite the other files: ${sub}`);

    const asJson = await runCli(sandbox(), ['--json', 'restore', '--all', dir, '--to', CONTOSO], { account: MEGAN });
    assert.equal(asJson.code, 4);
    const rows = JSON.parse(asJson.stdout) as FolderRow[];
    assert.deepEqual(rows.map((r) => [path.basename(r.file), r.status]), [
      ['a-fifo.json', 'skipped'], ['big.json', 'skipped'], ['dev.json', 'restored'], ['folder.json', 'skipped'], ['prod.json', 'incomplete'], ['settings.json', 'skipped'],
    ]);
    assert.equal(rows.find((r) => r.status === 'incomplete')?.result?.incomplete, true);

    // A file that says it is a snapshot but is not a valid one is damaged undo data: a failure, never skipped.
    await fs.writeFile(path.join(dir, 'damaged.json'), JSON.stringify({ format: 'azure-tenant-link/snapshot', version: 2 }));
    const damaged = await runCli(sandbox(), ['restore', '--all', dir, '--to', CONTOSO], { account: MEGAN });
    assert.equal(damaged.code, 1);
    assert.match(damaged.stdout, /damaged\.json: failed — .*damaged\.json/);
    assert.match(damaged.stdout, /Fabrikam Dev\/Test \(dev\.json\): restored/);
  });

  it('a folder without snapshots, and a subscription not moved yet, are failures; bad options are usage errors', async () => {
    const empty = await tempDir();
    await fs.writeFile(path.join(empty, 'settings.json'), '{}');
    const none = await runCli(sandbox(), ['restore', '--all', empty, '--to', CONTOSO], { account: MEGAN });
    assert.equal(none.code, 1);
    assert.match(none.stdout, /settings\.json: skipped/);
    assert.match(none.stderr, /No snapshots in .* \(1 file skipped: not snapshots\)/);

    const dir = await tempDir();
    const snap = await runCli(sandbox(), ['snapshot', '--subscription', PRODUCTION, '-o', path.join(dir, 'prod.json')]);
    assert.equal(snap.code, 0, snap.stderr);
    const early = await runCli(sandbox(), ['restore', '--all', dir, '--to', CONTOSO], { account: MEGAN });
    assert.equal(early.code, 1);
    assert.match(early.stdout, /Fabrikam Production \(prod\.json\): failed — .*does not answer in directory .* yet/);

    for (const args of [['--snapshot', path.join(dir, 'prod.json')], ['--map', 'a=b'], ['--to', 'contoso']]) {
      const bad = await runCli(sandbox(), ['restore', '--all', dir, '--to', CONTOSO, ...args], { account: MEGAN });
      assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.stderr}`);
    }
    assert.equal((await runCli(sandbox(), ['restore', '--all', '--to', CONTOSO])).code, 2);
  });
});
