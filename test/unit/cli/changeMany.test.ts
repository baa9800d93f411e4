// Many moves in one run: snapshots of all first, the changes, tracking, a result line each, a state file that makes an
// interrupted run resumable (a killed process re-run moves nothing twice), and restore --all over the folder.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fleetScenario, fleetTarget, subId, tenantId, ADMIN } from '../../../scripts/lib/bench-scenarios.mjs';
import { movesStateFile, parseMovesState } from '../../../src/core/multiMove';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { runCli } from './run';

const TARGET = fleetTarget(2);
const SOURCE = tenantId(1);
const SUBS = Array.from({ length: 4 }, (_, s) => subId(1, s));
const moveArgs = (folder: string, count = 4): string[] => ['--account', ADMIN, 'change-directory', '--all-in', SOURCE, '--to', TARGET, '--confirm-count', String(count), '--snapshot-folder', folder, '--timeout', '5'];
const changeRequests = (sb: Sandbox, sub: string): number => sb.requestCount(new RegExp(`/subscriptions/${sub}/providers/Microsoft\\.Subscription/changeTenantRequest/default`, 'i'), 'PUT');

describe('CLI change-directory for many subscriptions', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let folder: string;
  beforeEach(async () => {
    sb = await startSandbox({ scenario: fleetScenario({ directories: 2, perDirectory: 4, extraPerSubscription: 3, users: 6 }) });
    folder = mkdtempSync(join(tmpdir(), 'atl-moves-'));
  });
  afterEach(async () => {
    await sb.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('snapshots all, moves all, a result line each, exit 0; restore --all restores every snapshot', async () => {
    const run = await runCli(sb, moveArgs(folder));
    assert.equal(run.code, 0, run.stderr + run.stdout);
    for (const sub of SUBS) assert.match(run.stdout, new RegExp(`\\(${sub}\\): moved`));
    assert.deepEqual(sb.state.moves.map((m) => m.subscriptionId).sort(), [...SUBS].sort());
    const state = parseMovesState(JSON.parse(readFileSync(movesStateFile(folder, TARGET), 'utf8')), 'state');
    assert.ok(state.entries.every((e) => e.status === 'moved' && e.snapshot !== null && existsSync(e.snapshot)));
    assert.equal(readdirSync(folder).filter((n) => n.endsWith('.json') && !n.startsWith('tenant-link-moves')).length, 4);

    const restore = await runCli(sb, ['--account', ADMIN, '--json', 'restore', '--all', folder, '--to', TARGET]);
    assert.equal(restore.code, 0, restore.stderr + restore.stdout);
    const rows = JSON.parse(restore.stdout) as { status: string; subscription: string; result: { totals: { created: number; exists: number; failed: number; skipped: number } } }[];
    assert.equal(rows.length, 4);
    assert.ok(rows.every((r) => r.status === 'restored'));
    // Each snapshot's 4 rows accounted for: the admin (a guest with a directory role in the target) is mapped and
    // holds Owner; the 3 users of the old directory have no account in the target and are skipped, never failed.
    assert.ok(rows.map((r) => r.result.totals).every((t) => t.failed === 0 && t.created + t.exists === 1 && t.skipped === 3), restore.stdout);
  });

  it('changes nothing when --confirm-count is not the number of subscriptions', async () => {
    const run = await runCli(sb, moveArgs(folder, 3));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--confirm-count is 3, but this moves 4 subscriptions/);
    assert.equal(sb.state.moves.length, 0);
    assert.equal(sb.state.changeRequests.size, 0);
  });

  it('changes nothing when one snapshot cannot be saved, and says so', async () => {
    sb.setFaults({ rules: [{ match: `/subscriptions/${SUBS[2] ?? ''}/providers/Microsoft\\.Authorization/roleAssignments\\?`, method: 'GET', fault: 500, times: 'always' }] });
    const run = await runCli(sb, moveArgs(folder));
    assert.equal(run.code, 1);
    assert.match(run.stdout, /Nothing was changed: 1 snapshot could not be saved/);
    assert.match(run.stdout, new RegExp(`\\(${SUBS[2] ?? ''}\\): failed — The snapshot could not be saved`));
    assert.equal(sb.state.moves.length, 0);
    assert.equal(sb.state.changeRequests.size, 0);
    // Fixed, the same command finishes the job.
    sb.setFaults({});
    const again = await runCli(sb, moveArgs(folder));
    assert.equal(again.code, 0, again.stdout);
    assert.equal(sb.state.moves.length, 4);
  });

  it('a run killed part-way is resumed by running it again: every subscription moved, none asked twice', async () => {
    sb.setFaults({ latencyMs: 60 });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--sandbox', sb.baseUrl, '--concurrency', '1', ...moveArgs(folder)], { stdio: 'ignore' });
    const stateFile = movesStateFile(folder, TARGET);
    // Kill it as soon as one subscription has moved and the others have not.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (sb.state.moves.length >= 1) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
      child.once('exit', () => { clearInterval(timer); reject(new Error('the CLI finished before it could be killed')); });
    });
    assert.ok(sb.state.moves.length < 4, `killed after ${sb.state.moves.length} moves`);
    assert.ok(existsSync(stateFile));
    sb.setFaults({});
    const run = await runCli(sb, moveArgs(folder));
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(sb.state.moves.map((m) => m.subscriptionId).sort(), [...SUBS].sort(), 'each moved exactly once');
    for (const sub of SUBS) assert.ok(changeRequests(sb, sub) <= 1, `one change request at most for ${sub}`);
    const state = parseMovesState(JSON.parse(readFileSync(stateFile, 'utf8')), 'state');
    assert.ok(state.entries.every((e) => e.status === 'moved'));
  });

  it('refuses a state file that is not one', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(movesStateFile(folder, TARGET), JSON.stringify({ format: 'azure-tenant-link/moves', version: 1, targetTenantId: TARGET, entries: [{ subscriptionId: '../../etc', status: 'moved' }] }));
    const run = await runCli(sb, moveArgs(folder));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /entries\[0\]/);
    assert.equal(sb.state.moves.length, 0);
  });
});
