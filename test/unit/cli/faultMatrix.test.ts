/**
 * The fault matrix (issue 15), as a test: every command × {429, 500, 503, 504, reset, malformed} on the token
 * endpoint, ARM and Graph once → recovered with the same result; always → one clear line and a non-zero exit;
 * writes → 0 duplicates and 0 missing after a re-run. Zero latency and the tests' short back-off (`FAST_RETRY`
 * through the CLI's test-only `httpRetry`) keep it to seconds; production defaults are not touched.
 */
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FaultKind } from '../../../src/sandbox/faults';
import { MEGAN, RILEY, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { isOneLine, runCli, type CliRun } from './run';

const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');
const FAULTS: readonly FaultKind[] = [429, 500, 503, 504, 'reset', 'malformed'];
const TARGETS = { token: '^/token', arm: '^/arm/', graph: '^/graph/' } as const;

interface Command {
  readonly name: string;
  readonly account: string;
  /** Writes to Azure: checked for duplicates and gaps. */
  readonly writes: boolean;
  /** Brings the sandbox to the state the command starts from (after a reset). */
  readonly setup?: () => void;
  readonly args: (dir: string) => readonly string[];
  /** The part of a run that must not change under a recovered fault. */
  readonly result: (run: CliRun) => Promise<unknown>;
}

describe('CLI fault matrix', function () {
  this.timeout(120_000);
  const sandbox = useSandbox();
  let dir = '';
  let snapshotFile = '';

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tenant-link-faults-'));
    snapshotFile = path.join(dir, 'before-move.json');
    sandbox().reset();
    const taken = await runCli(sandbox(), ['snapshot', '--subscription', PRODUCTION, '-o', snapshotFile, '--json']);
    assert.equal(taken.code, 0, taken.stderr);
  });

  const stdout = (run: CliRun): Promise<unknown> => Promise.resolve(JSON.parse(run.stdout) as unknown);
  let n = 0;
  const commands: readonly Command[] = [
    { name: 'tenants', account: RILEY, writes: false, args: () => ['tenants', '--json'], result: stdout },
    { name: 'subscriptions', account: RILEY, writes: false, args: () => ['subscriptions', '--json'], result: stdout },
    { name: 'plan', account: RILEY, writes: false, args: () => ['plan', '--subscription', PRODUCTION, '--to', CONTOSO, '--json'], result: stdout },
    {
      name: 'snapshot', account: RILEY, writes: false,
      args: (d) => ['snapshot', '--subscription', PRODUCTION, '-o', path.join(d, `s${++n}.json`), '--json'],
      result: async (run) => {
        const { jsonPath, csvPath, ...summary } = JSON.parse(run.stdout) as { jsonPath: string; csvPath: string };
        const file = JSON.parse(await fs.readFile(jsonPath, 'utf8')) as Record<string, unknown>;
        delete file.createdAt; // the only field that differs between two runs
        return { summary, file, csv: await fs.readFile(csvPath, 'utf8') };
      },
    },
    {
      name: 'restore', account: MEGAN, writes: true,
      setup: () => {
        // The default scenario's ReadOnly lock fails one repair by design (tested in access.test.ts); here the
        // baseline must succeed, so that a fault is the only thing that can make a run fail.
        sandbox().state.data.extras.locks = sandbox().state.data.extras.locks.filter((l) => l.level !== 'ReadOnly');
        sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
      },
      args: () => ['restore', '--snapshot', snapshotFile, '--to', CONTOSO, '--json'],
      result: stdout,
    },
    {
      name: 'add-admin', account: RILEY, writes: true,
      args: () => ['add-admin', '--subscription', PRODUCTION, '--user', 'jamie@fabrikamlabs.onmicrosoft.com', '--user', 'casey@fabrikamlabs.onmicrosoft.com', '--role', 'Reader', '--json'],
      result: stdout,
    },
  ];

  /**
   * Ids Azure makes up on every run: a system-assigned identity switched on again gets a new principal id each time
   * (https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/managed-identities-faq), and so do
   * the role assignments re-granted to it. Two runs compare with those ids replaced by what they stand for.
   */
  let principalsAtStart = new Set<string>();
  const principalIds = (): string[] => sandbox().state.data.tenants.flatMap((t) => t.servicePrincipals.map((sp) => sp.id.toLowerCase()));
  const madeUpIds = (): Map<string, string> => {
    const data = sandbox().state.data;
    const labels = new Map<string, string>();
    for (const t of data.tenants) {
      for (const sp of t.servicePrincipals) {
        if (!principalsAtStart.has(sp.id.toLowerCase())) labels.set(sp.id.toLowerCase(), `new identity of ${sp.displayName} in ${t.displayName}`);
      }
    }
    for (const a of data.roleAssignments) {
      const holder = labels.get(a.principalId.toLowerCase());
      if (holder) labels.set(a.name.toLowerCase(), `assignment of ${a.role} at ${a.scope.toLowerCase()} to the ${holder}`);
    }
    return labels;
  };
  const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
  const stable = <T>(value: T, labels: ReadonlyMap<string, string>): T =>
    JSON.parse(JSON.stringify(value).replace(GUID, (g) => labels.get(g.toLowerCase()) ?? g)) as T;

  /** Every role assignment and custom role in the sandbox, as sorted keys (a duplicate shows twice). */
  const azureState = (): string[] => {
    const data = sandbox().state.data;
    return stable([
      ...data.roleAssignments.map((a) => `ra ${a.scope.toLowerCase()}|${a.role.toLowerCase()}|${a.principalId.toLowerCase()}`),
      ...data.customRoles.map((r) => `role ${r.id.toLowerCase()}|${r.roleName}`),
    ], madeUpIds()).sort();
  };

  const fresh = (c: Command): void => {
    sandbox().reset();
    sandbox().setFaults({});
    c.setup?.();
    principalsAtStart = new Set(principalIds());
  };
  const run = (c: Command): Promise<CliRun> => runCli(sandbox(), c.args(dir), { account: c.account });
  const resultOf = async (c: Command, r: CliRun): Promise<unknown> => stable(await c.result(r), madeUpIds());

  for (const c of commands) {
    it(`${c.name}: each fault once, on the token endpoint, ARM and Graph → recovered, the same result`, async () => {
      fresh(c);
      const clean = await run(c);
      assert.equal(clean.code, 0, `${c.name} baseline: ${clean.stderr}`);
      const expected = await resultOf(c, clean);
      const expectedState = azureState();
      for (const fault of FAULTS) {
        for (const [where, match] of Object.entries(TARGETS)) {
          fresh(c);
          sandbox().setFaults({ rules: [{ match, fault, times: 1, retryAfterSeconds: 0 }] });
          const faulted = await run(c);
          const label = `${c.name} × ${String(fault)} once on ${where}`;
          assert.equal(faulted.code, clean.code, `${label}: ${faulted.stderr}`);
          assert.deepEqual(await resultOf(c, faulted), expected, label);
          if (c.writes) assert.deepEqual(azureState(), expectedState, `${label}: 0 duplicates, 0 missing`);
        }
      }
    });

    it(`${c.name}: each fault always → one clear line and a non-zero exit${c.writes ? '; a re-run leaves 0 duplicates, 0 missing' : ''}`, async () => {
      fresh(c);
      await run(c);
      const expectedState = azureState();
      for (const fault of FAULTS) {
        fresh(c);
        // Writes fail part-way (their PUTs fail); reads fail at their first ARM call.
        sandbox().setFaults({ rules: [{ match: c.writes ? '/roleAssignments/' : '^/arm/', ...(c.writes ? { method: 'PUT' } : {}), fault, times: 'always', retryAfterSeconds: 0 }] });
        const failed = await run(c);
        const label = `${c.name} × ${String(fault)} always`;
        assert.notEqual(failed.code, 0, label);
        if (c.writes) {
          assert.equal(failed.code, 1, `${label}: rows failed`);
          sandbox().setFaults({});
          const again = await run(c);
          assert.equal(again.code, 0, `${label}, re-run: ${again.stderr}`);
          assert.deepEqual(azureState(), expectedState, `${label}, re-run: 0 duplicates, 0 missing`);
        } else {
          assert.ok(isOneLine(failed.stderr), `${label}: ${JSON.stringify(failed.stderr)}`);
          assert.equal(failed.stdout, '', `${label}: nothing on stdout`);
        }
      }
    });
  }

  it('change-directory × each fault always → one clear line and a non-zero exit; nothing moved', async () => {
    for (const fault of FAULTS) {
      sandbox().reset();
      sandbox().setFaults({ rules: [{ match: '^/arm/', fault, times: 'always', retryAfterSeconds: 0 }] });
      const failed = await runCli(sandbox(), ['change-directory', '--subscription', PRODUCTION, '--to', CONTOSO, '--confirm', 'Fabrikam Production', '--json']);
      assert.equal(failed.code, 1, String(fault));
      assert.ok(isOneLine(failed.stderr), `${String(fault)}: ${failed.stderr}`);
      assert.equal(sandbox().state.moves.length, 0);
    }
  });
});
