/**
 * A hostile snapshot file fed to step 3 through the controller, over the sandbox: the dry-run preview refuses or
 * flags exactly what `tenant-link restore` refuses (same rows, same words), nothing is written while previewing, and a
 * refused row cannot be chosen or restored. A file that cannot be used at all (a principal id that is not a GUID, a
 * file over the size cap, a snapshot of another subscription) is refused with the reason, and nothing is mapped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { english } from '../../../src/core/l10n';
import { takeSnapshot } from '../../../src/core/snapshot';
import { WizardController } from '../../../src/wizard/controller';
import { runCli } from '../cli/run';
import { RILEY, sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { setUp } from './host';

const FABRIKAM = tenantByName('Fabrikam Labs');
const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');
const DEV_TEST = subscriptionByName('Fabrikam Dev/Test');

interface RawAssignment { id: string; name: string; scope: string; principalId: string; principalType: string; removed: boolean; principal: unknown }
interface RawSnapshot { subscription: { id: string }; roleAssignments: RawAssignment[] }
interface CliRestore { assignments: { oldAssignmentId: string; status: string; reason?: string; principalId: string | null }[] }

describe('wizard step 3: a hostile snapshot in the dry-run preview', () => {
  const sandbox = useSandbox();
  const folder = mkdtempSync(join(tmpdir(), 'atl-hostile-'));

  /** Production's snapshot as JSON (taken before the move), then Production moved into Contoso. */
  async function snapshotThenMove(): Promise<RawSnapshot> {
    const session = sessionFor(sandbox());
    const taken = await takeSnapshot(session, await session.arm.getSubscription(FABRIKAM, PRODUCTION), english);
    sandbox().moveSubscription(PRODUCTION, CONTOSO, RILEY);
    return JSON.parse(JSON.stringify(taken)) as RawSnapshot;
  }

  /** A wizard reopened on step 3 with `file` as the snapshot remembered for Production. */
  async function step3With(file: string): Promise<{ wizard: WizardController; warnings: string[] }> {
    const { host, recorded, subscription } = await setUp(sessionFor(sandbox()), () => true);
    recorded.remembered.set(PRODUCTION, file);
    const wizard = new WizardController({ subscription, targetTenantId: CONTOSO, moved: true, changeApi: false }, host, () => undefined);
    await wizard.dispatch({ type: 'openStep', step: 'admins' });
    return { wizard, warnings: recorded.warnings };
  }

  /** Requests that change something (anything but reads; getByIds and the token endpoint only read). */
  const writes = (): string[] => sandbox().requestLog.filter((e) => e.method !== 'GET' && !/getByIds$|\/token$/.test(e.path)).map((e) => `${e.method} ${e.path}`);

  it('refuses rows of another subscription and malformed scopes exactly as restore does, writing nothing', async () => {
    const raw = await snapshotThenMove();
    const users = raw.roleAssignments.filter((a) => a.removed && a.principalType === 'User' && a.principal !== null);
    const sub = `/subscriptions/${PRODUCTION}`;
    const hostileScopes = [`/subscriptions/${DEV_TEST}/resourceGroups/rg-elsewhere`, `${sub}//resourceGroups/x`, `${sub}/resourceGroups/a/%2e%2e/%2e%2e/${DEV_TEST}`];
    const hostile = hostileScopes.map((scope, i) => {
      const row = users[i];
      assert.ok(row, 'enough matched user rows');
      row.scope = scope;
      return row;
    });
    const file = join(folder, 'rows.json');
    writeFileSync(file, JSON.stringify(raw));

    sandbox().clearRequestLog();
    const { wizard } = await step3With(file);
    const rows = wizard.state().admins?.restore ?? [];
    assert.ok(rows.length > hostile.length, JSON.stringify([wizard.state().error, wizard.state().busy]));
    assert.deepEqual(writes(), [], 'previewing writes nothing');

    const cli = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO, '--dry-run', '--json'], { account: RILEY });
    const restore = (JSON.parse(cli.stdout) as CliRestore).assignments;
    const refusedBy = (list: readonly { id: string; reason?: string }[]): string[] => list.filter((r) => /^refused: /.test(r.reason ?? '')).map((r) => `${r.id}: ${r.reason ?? ''}`).sort();
    const restoreRefused = refusedBy(restore.filter((r) => r.status === 'failed').map((r) => ({ id: r.oldAssignmentId.split('/').at(-1) ?? '', ...(r.reason === undefined ? {} : { reason: r.reason }) })));
    assert.equal(restoreRefused.length, hostile.length, cli.stdout);
    assert.deepEqual(refusedBy(rows), restoreRefused, 'the preview refuses the same rows, in the same words');
    for (const h of hostile) {
      const shown = rows.find((r) => r.id === h.name);
      assert.equal(shown?.chosen, null, `${h.scope} is not pre-selected`);
      assert.deepEqual(shown.candidates, [], `${h.scope} offers no one to choose`);
    }

    // A forged pick of the principal the restore would have used, then Restore: the refused rows stay unwritten.
    const [first] = hostile;
    const wouldBe = restore.find((r) => r.oldAssignmentId === first?.id)?.principalId;
    assert.ok(first && typeof wouldBe === 'string');
    await wizard.dispatch({ type: 'chooseRestorePrincipal', rowId: first.name, principalId: wouldBe });
    assert.equal(wizard.state().admins?.restore?.find((r) => r.id === first.name)?.chosen, null);
    await wizard.dispatch({ type: 'createAssignments' });
    const after = wizard.state().admins?.restore ?? [];
    assert.ok(after.some((r) => r.result?.status === 'created'), 'the other rows were restored');
    for (const h of hostile) assert.equal(after.find((r) => r.id === h.name)?.result, undefined, `${h.scope} was not attempted`);
    const written = writes().filter((w) => w.startsWith('PUT '));
    assert.ok(written.length > 0);
    assert.ok(written.every((w) => w.toLowerCase().startsWith(`put /arm${sub}/`) && !w.includes('//', 5) && !/%2e|\.\./i.test(w)), written.join('\n'));
    wizard.dispose();
  });

  it('refuses a whole file it cannot use, with the reason restore gives, and maps nothing', async () => {
    const raw = await snapshotThenMove();
    const victim = raw.roleAssignments.find((a) => a.removed);
    assert.ok(victim);
    const notGuid = join(folder, 'not-a-guid.json');
    writeFileSync(notGuid, JSON.stringify({ ...raw, roleAssignments: raw.roleAssignments.map((a) => (a === victim ? { ...a, principalId: 'everyone' } : a)) }));
    const huge = join(folder, 'huge.json');
    writeFileSync(huge, JSON.stringify(raw).padEnd(17 * 1024 * 1024, ' '));
    const otherSubscription = join(folder, 'dev-test.json');
    writeFileSync(otherSubscription, JSON.stringify({ ...raw, subscription: { ...raw.subscription, id: DEV_TEST } }));

    for (const [file, why] of [[notGuid, /principalId must be a GUID/], [huge, /larger than 16 MB/]] as const) {
      const cli = await runCli(sandbox(), ['restore', '--snapshot', file, '--to', CONTOSO, '--dry-run'], { account: RILEY });
      assert.notEqual(cli.code, 0);
      const restoreSays = cli.stderr.replace(/^tenant-link: /, '').trim();
      assert.match(restoreSays, why);
      sandbox().clearRequestLog();
      const { wizard, warnings } = await step3With(file);
      const state = wizard.state();
      assert.equal(state.admins?.restore, null, 'no rows from a refused file');
      assert.equal(state.error?.message, `The snapshot saved for this subscription cannot be used: ${restoreSays}`);
      assert.equal(state.busy, null);
      assert.ok(warnings.some((w) => w.includes(file)));
      assert.deepEqual(writes(), []);
      assert.equal(sandbox().requestCount(/getByIds|roleAssignments/), 0, 'nothing was mapped or previewed');
      wizard.dispose();
    }

    const { wizard } = await step3With(otherSubscription);
    assert.equal(wizard.state().admins?.restore, null);
    assert.equal(wizard.state().error?.message, `The snapshot saved for this subscription cannot be used: ${otherSubscription} is a snapshot of subscription ${DEV_TEST}.`);
    wizard.dispose();
  });
});
