/**
 * Undo data you can trust (issue 15): complete or failed, never silently partial; restore writes only inside the
 * snapshot's subscription; undo data is never overwritten; input files are bounded. Over the sandbox's fault
 * injection, with hostile snapshot files, on a FIFO and after a killed write.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { english } from '../../../src/core/l10n';
import { readSnapshot, requireComplete, SnapshotError } from '../../../src/core/snapshot';
import { MEGAN, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { OWNER } from '../core/fixtures';
import { isOneLine, runCli } from './run';

const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');
const DEV = subscriptionByName('Fabrikam Dev/Test');
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f58ad3d4ad';

async function tempDir(): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), 'tenant-link-undo-'));
}

interface Summary {
  readonly jsonPath: string;
  readonly csvPath: string;
  readonly roleAssignments: number;
  readonly incomplete: boolean;
  readonly warnings: readonly string[];
}

describe('CLI: undo data you can trust', () => {
  const sandbox = useSandbox();

  async function snapshotTo(file: string, extra: readonly string[] = []): Promise<{ code: number; summary: Summary; stderr: string }> {
    const run = await runCli(sandbox(), ['snapshot', '--subscription', PRODUCTION, '-o', file, '--json', ...extra]);
    return { code: run.code, summary: JSON.parse(run.stdout || '{}') as Summary, stderr: run.stderr };
  }

  describe('complete or failed, never silently partial', () => {
    it('a snapshot whose principals Graph would not name is written marked incomplete, exits 4, and calls them unknown — never deleted', async () => {
      sandbox().setFaults({ rules: [{ match: '^/graph/', fault: 500, times: 'always' }] });
      const file = path.join(await tempDir(), 's.json');
      const { code, summary, stderr } = await snapshotTo(file);
      assert.equal(code, 4, stderr);
      assert.equal(summary.incomplete, true);
      assert.ok(summary.warnings.some((w) => /Principal names: not readable/.test(w)), summary.warnings.join('\n'));
      assert.ok(isOneLine(stderr) && /INCOMPLETE/.test(stderr), stderr);
      const snapshot = await readSnapshot(file, english);
      assert.equal(snapshot.complete, false);
      assert.ok(snapshot.roleAssignments.every((a) => a.principalStatus === 'unknown' && a.principal === null));
      const csv = await fs.readFile(summary.csvPath, 'utf8');
      assert.ok(!csv.includes('(deleted principal)') && csv.includes('(unknown: lookup failed)'));
      // The wizard's rule (core): an incomplete snapshot is not called saved.
      assert.throws(() => { requireComplete(snapshot, english); }, (e: unknown) => e instanceof SnapshotError && /incomplete/.test(e.message));
    });

    it('a snapshot that could not read what a restore re-creates (eligible assignments, time-bound ends) is incomplete; a lock read it could not make is not', async () => {
      const dir = await tempDir();
      for (const read of ['roleEligibilityScheduleInstances', 'roleAssignmentScheduleInstances']) {
        sandbox().setFaults({ rules: [{ match: read, fault: 500, times: 'always', retryAfterSeconds: 0 }] });
        const { code, summary, stderr } = await snapshotTo(path.join(dir, `${read}.json`));
        assert.equal(code, 4, stderr);
        assert.equal(summary.incomplete, true, read);
        const snapshot = await readSnapshot(summary.jsonPath, english);
        assert.equal(snapshot.complete, false);
        assert.throws(() => { requireComplete(snapshot, english); }, /incomplete/);
      }
      sandbox().setFaults({ rules: [{ match: '/locks\\?', fault: 500, times: 'always', retryAfterSeconds: 0 }] });
      const locks = await snapshotTo(path.join(dir, 'locks.json'));
      assert.equal(locks.code, 0, locks.stderr);
      assert.ok(locks.summary.warnings.some((w) => /locks: unknown/.test(w)), locks.summary.warnings.join('\n'));
      sandbox().setFaults({});
    });

    it('one Graph 500 while naming principals is retried: the same complete snapshot as without it', async () => {
      const dir = await tempDir();
      const clean = await snapshotTo(path.join(dir, 'clean.json'));
      sandbox().setFaults({ rules: [{ match: 'getByIds', fault: 500, times: 1 }] });
      const faulted = await snapshotTo(path.join(dir, 'faulted.json'));
      assert.equal(faulted.code, 0, faulted.stderr);
      assert.equal(faulted.summary.incomplete, false);
      const [a, b] = await Promise.all([readSnapshot(clean.summary.jsonPath, english), readSnapshot(faulted.summary.jsonPath, english)]);
      assert.deepEqual({ ...b, createdAt: a.createdAt }, a);
      assert.equal(a.complete, true);
      assert.ok(a.roleAssignments.some((r) => r.principalStatus === 'deleted'), 'the scenario has deleted principals, called so');
    });

    it('plan under a Graph outage: principals unknown (not "(deleted principal)"), incomplete in --json, exit 4', async () => {
      sandbox().setFaults({ rules: [{ match: '^/graph/.*getByIds', fault: 503, times: 'always', retryAfterSeconds: 0 }] });
      const run = await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--to', CONTOSO, '--json']);
      assert.equal(run.code, 4, run.stderr);
      const plan = JSON.parse(run.stdout) as { incomplete: boolean; warnings: string[]; impact: { roleAssignments: { principalStatus: string }[] } };
      assert.equal(plan.incomplete, true);
      assert.ok(plan.warnings.length > 0);
      assert.ok(plan.impact.roleAssignments.every((a) => a.principalStatus === 'unknown'));
      const human = await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--to', CONTOSO]);
      assert.equal(human.code, 4);
      assert.ok(!human.stdout.includes('(deleted principal)') && human.stdout.includes('(unknown: lookup failed)'));
    });

    it('restore while Graph fails: the rows failed (not skipped), incomplete, non-zero exit', async () => {
      const file = path.join(await tempDir(), 's.json');
      assert.equal((await snapshotTo(file)).code, 0);
      sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
      sandbox().setFaults({ rules: [{ match: '^/graph/', fault: 503, times: 'always', retryAfterSeconds: 0 }] });
      const run = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO, '--json'], { account: MEGAN });
      assert.equal(run.code, 1, run.stderr);
      const result = JSON.parse(run.stdout) as {
        incomplete: boolean; counts: { created: number; failed: number }; assignments: { status: string; principalId: string | null }[];
        identities: { newPrincipalId: string | null }[]; policyAssignments: { newPrincipalId: string | null }[];
      };
      assert.equal(result.incomplete, true);
      // Only the grants of identities switched on again (of resources and of re-created policy assignments) are
      // written: their new principal ids come from ARM, not Graph. No row whose principal needed Graph is created.
      const fromArm = new Set([...result.identities, ...result.policyAssignments].map((i) => i.newPrincipalId).filter((id) => id !== null));
      assert.ok(fromArm.size > 0, 'the identities were switched on again (ARM works)');
      const created = result.assignments.filter((a) => a.status === 'created');
      assert.deepEqual(created.filter((a) => a.principalId === null || !fromArm.has(a.principalId)), []);
      assert.equal(result.counts.created, created.length);
      // Rows whose principal could not be looked up are failures; only principals the snapshot saw deleted are skipped.
      assert.ok(result.counts.failed > 0);
    });

    it('subscriptions exits 4 when a directory could not be listed (the list is partial)', async () => {
      sandbox().setFaults({ rules: [{ match: '^/arm/subscriptions\\?', fault: 500, times: 'always' }] });
      const run = await runCli(sandbox(), ['subscriptions', '--json']);
      assert.equal(run.code, 4, run.stderr);
      assert.match(run.stderr, /skipped directory/);
    });
  });

  describe('restore validates every row against the snapshot\'s subscription', () => {
    it('refuses scopes outside the subscription, however spelled, and names roles as Azure does now', async () => {
      const file = path.join(await tempDir(), 's.json');
      assert.equal((await snapshotTo(file)).code, 0);
      const snapshot = JSON.parse(await fs.readFile(file, 'utf8')) as { roleAssignments: { id: string; scope: string; roleName: string; roleDefinitionId: string; removed: boolean; principal: unknown }[] };
      const sub = `/subscriptions/${PRODUCTION}`;
      const hostile = [`${sub}/%2e%2e/${DEV}`, `${sub}/%2E%2E%2F${DEV}`, `/subscriptions/${DEV}`, '/', `${sub}/../${DEV}`.replace('..', '.'), `${sub}\\..\\${DEV}`, `${sub}//resourceGroups/x`, `${sub}x`];
      const rows = snapshot.roleAssignments.filter((a) => a.removed && a.principal !== null);
      assert.ok(rows.length > hostile.length);
      hostile.forEach((scope, i) => { const row = rows[i]; if (row) row.scope = scope; });
      // A row that says Contributor while carrying Owner's GUID.
      const liar = rows[hostile.length];
      assert.ok(liar);
      liar.roleName = 'Contributor';
      liar.roleDefinitionId = OWNER;
      await fs.writeFile(file, JSON.stringify(snapshot));

      sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
      sandbox().clearRequestLog();
      const run = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO, '--json'], { account: MEGAN });
      assert.equal(run.code, 1, 'refused rows are failures');
      const result = JSON.parse(run.stdout) as { assignments: { oldAssignmentId: string; scope: string; status: string; reason?: string; roleName: string; roleDefinitionId: string }[] };
      const refused = result.assignments.filter((r) => r.status === 'failed' && /^refused: the scope/.test(r.reason ?? ''));
      assert.equal(refused.length, hostile.length, JSON.stringify(result.assignments.filter((r) => r.status === 'failed'), null, 1));
      const written = sandbox().requestLog.filter((e) => e.method === 'PUT');
      assert.ok(written.length > 0);
      assert.ok(written.every((e) => e.path.toLowerCase().startsWith(`/arm${sub}/`)), written.map((e) => e.path).join('\n'));
      const shown = result.assignments.find((r) => r.roleDefinitionId === OWNER && r.oldAssignmentId === liar.id);
      assert.equal(shown?.roleName, 'Owner', 'the role as resolved now, not as the file says');
      assert.ok(result.assignments.every((r) => r.roleDefinitionId !== CONTRIBUTOR || r.roleName === 'Contributor'));
    });
  });

  describe('undo data is never overwritten; input is bounded', () => {
    it('-o to an existing file fails (exit 1, one line) unless --force; -o a.csv writes a.csv', async () => {
      const dir = await tempDir();
      const file = path.join(dir, 'a.json');
      await fs.writeFile(file, 'precious');
      const refused = await runCli(sandbox(), ['snapshot', '--subscription', PRODUCTION, '-o', file]);
      assert.equal(refused.code, 1);
      assert.ok(isOneLine(refused.stderr) && /already exists.*--force/.test(refused.stderr), refused.stderr);
      assert.equal(await fs.readFile(file, 'utf8'), 'precious');
      assert.deepEqual(await fs.readdir(dir), ['a.json'], 'nothing else written');
      const forced = await snapshotTo(file, ['--force']);
      assert.equal(forced.code, 0, forced.stderr);
      assert.equal((await readSnapshot(file, english)).subscription.id, PRODUCTION);

      const csv = path.join(dir, 'b.csv');
      const viaCsv = await snapshotTo(csv);
      assert.equal(viaCsv.summary.csvPath, csv);
      assert.equal(viaCsv.summary.jsonPath, path.join(dir, 'b.json'));
      assert.ok(!(await fs.readdir(dir)).includes('b.csv.csv'));
    });

    it('an unwritable -o names the file, never a temporary name', async () => {
      const dir = await tempDir();
      const notAFolder = path.join(dir, 'plain-file');
      await fs.writeFile(notAFolder, '');
      const target = path.join(notAFolder, 's.json'); // its "folder" is a file: no one can write there, root included
      const run = await runCli(sandbox(), ['snapshot', '--subscription', PRODUCTION, '-o', target]);
      assert.equal(run.code, 1);
      assert.ok(isOneLine(run.stderr) && run.stderr.includes(target) && !run.stderr.includes('.tmp'), run.stderr);
    });

    it('removes the temporary file a killed write left behind, and leaves a live one alone', async () => {
      const dir = await tempDir();
      // A process that wrote a temporary file and was killed before its rename: its pid is gone.
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      const pid = child.pid ?? 0;
      child.kill('SIGKILL');
      await new Promise((resolve) => child.on('exit', resolve));
      const orphan = path.join(dir, `.s.json.${pid}-0123456789ab.tmp`);
      const live = path.join(dir, `.s.json.${process.pid}-0123456789ab.tmp`);
      await fs.writeFile(orphan, '{"half":');
      await fs.writeFile(live, '{"in progress":');
      assert.equal((await snapshotTo(path.join(dir, 's.json'))).code, 0);
      assert.deepEqual((await fs.readdir(dir)).sort(), [path.basename(live), 's.csv', 's.json'].sort());
    });

    it('reads a snapshot with a UTF-8 BOM; refuses a FIFO at once and a file over the size cap', async function () {
      const dir = await tempDir();
      const file = path.join(dir, 's.json');
      assert.equal((await snapshotTo(file)).code, 0);
      await fs.writeFile(file, '\uFEFF' + (await fs.readFile(file, 'utf8')));
      assert.equal((await readSnapshot(file, english)).subscription.id, PRODUCTION);

      const big = path.join(dir, 'big.json');
      await fs.writeFile(big, '['.repeat(17 * 1024 * 1024));
      const tooBig = await runCli(sandbox(), ['restore', '--snapshot', big, '--to', CONTOSO]);
      assert.equal(tooBig.code, 1);
      assert.ok(isOneLine(tooBig.stderr) && /larger than 16 MB/.test(tooBig.stderr), tooBig.stderr);

      const deep = path.join(dir, 'deep.json');
      await fs.writeFile(deep, '['.repeat(8 * 1024 * 1024) + ']'.repeat(8 * 1024 * 1024 - 1));
      const nested = await runCli(sandbox(), ['restore', '--snapshot', deep, '--to', CONTOSO]);
      assert.equal(nested.code, 1);
      assert.ok(isOneLine(nested.stderr) && /nested too deeply/.test(nested.stderr), nested.stderr);

      if (process.platform === 'win32') this.skip();
      const fifo = path.join(dir, 'fifo');
      execFileSync('mkfifo', [fifo]);
      const run = await runCli(sandbox(), ['restore', '--snapshot', fifo, '--to', CONTOSO]);
      assert.equal(run.code, 1);
      assert.ok(isOneLine(run.stderr) && /not a regular file/.test(run.stderr), run.stderr);
    });

    it('strips control and bidi characters from every terminal line (a name with escape sequences)', async () => {
      const file = path.join(await tempDir(), 's.json');
      assert.equal((await snapshotTo(file)).code, 0);
      const snapshot = JSON.parse(await fs.readFile(file, 'utf8')) as { subscription: { name: string }; roleAssignments: { roleName: string; removed: boolean; principal: { displayName: string | null } | null }[] };
      snapshot.subscription.name = 'Prod\u001b[2J\u202eevil\u0085';
      const first = snapshot.roleAssignments.find((a) => a.removed && a.principal !== null);
      assert.ok(first?.principal);
      first.roleName = 'Reader\r\u2066x';
      first.principal.displayName = 'Ann\u202egnp.exe\u001b]0;title\u0007';
      await fs.writeFile(file, JSON.stringify(snapshot));
      sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
      const run = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO, '--dry-run'], { account: MEGAN });
      assert.equal(run.code, 0, run.stderr);
      // eslint-disable-next-line no-control-regex
      const unsafe = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
      assert.ok(!unsafe.test(run.stdout) && !unsafe.test(run.stderr), JSON.stringify(run.stdout.slice(0, 200)));
      assert.match(run.stdout, /Prod \[2J evil/);
      // --json keeps the data (escaped, so a terminal shows it inert) and scripts read it back unchanged.
      const asJson = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO, '--dry-run', '--json'], { account: MEGAN });
      assert.ok(!unsafe.test(asJson.stdout.replace(/\n/g, '')), 'no raw control or bidi characters in --json either');
      assert.ok(asJson.stdout.includes('\\u202e'));
    });
  });
});
