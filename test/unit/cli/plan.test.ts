import assert from 'node:assert/strict';
import { assignmentEffect } from '../../../src/core/impact';
import { english } from '../../../src/core/l10n';
import { CHECK_IDS } from '../../../src/core/checks';
import { isGuid } from '../../../src/azure/models';
import { scenario, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { isOneLine, runCli } from './run';

const FABRIKAM = tenantByName('Fabrikam Labs');
const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');

function keys(value: unknown): string[] {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), `expected an object, got ${JSON.stringify(value)}`);
  return Object.keys(value);
}

/** Checks one plan object against the issue-5 contract, field by field. */
function assertContract(plan: Record<string, unknown>): void {
  assert.deepEqual(keys(plan), ['subscription', 'target', 'checks', 'impact', 'canProceed', 'incomplete', 'warnings', 'readFrom']);
  assert.ok(plan.readFrom === 'arm' || plan.readFrom === 'resourceGraph');
  const sub = plan.subscription as Record<string, unknown>;
  assert.deepEqual(keys(sub), ['id', 'name', 'tenantId', 'state', 'quotaId']);
  assert.ok(isGuid(String(sub.id)) && isGuid(String(sub.tenantId)));
  assert.equal(typeof sub.name, 'string');
  assert.equal(typeof sub.state, 'string');
  const target = plan.target as Record<string, unknown>;
  assert.deepEqual(keys(target), ['tenantId', 'displayName', 'defaultDomain', 'office365']);
  assert.ok(isGuid(String(target.tenantId)));
  assert.ok(target.office365 === true || target.office365 === false || target.office365 === null);
  const checks = plan.checks as Record<string, unknown>[];
  assert.deepEqual(checks.map((c) => c.id), [...CHECK_IDS]);
  for (const c of checks) {
    assert.deepEqual(keys(c), ['id', 'status', 'message']);
    assert.ok(['pass', 'warn', 'fail', 'unknown'].includes(String(c.status)));
    assert.ok(typeof c.message === 'string' && c.message.length > 0);
  }
  const impact = plan.impact as Record<string, unknown[]>;
  // Grown after the issue-5 contract (nothing before changed): customRolesElsewhere; issue 11's endDateTime, repair and three groups (null = unreadable).
  assert.deepEqual(keys(impact), ['roleAssignments', 'customRoles', 'classicAdministrators', 'dependentResources', 'customRolesElsewhere', 'eligibleAssignments', 'policyAssignments', 'keyVaults']);
  for (const a of impact.roleAssignments as Record<string, unknown>[]) {
    assert.deepEqual(keys(a), ['id', 'scope', 'roleDefinitionId', 'roleName', 'principalId', 'principalType', 'principalName', 'principalStatus', 'removed', 'endDateTime']);
    assert.ok(a.endDateTime === null || (typeof a.endDateTime === 'string' && !Number.isNaN(Date.parse(a.endDateTime))));
    assert.match(String(a.id), /^\/.*\/providers\/Microsoft\.Authorization\/roleAssignments\/[0-9a-f-]{36}$/i);
    assert.ok(isGuid(String(a.roleDefinitionId)), 'roleDefinitionId is the bare GUID');
    assert.ok(isGuid(String(a.principalId)));
    assert.ok(a.principalName === null || typeof a.principalName === 'string');
    assert.ok(['found', 'deleted', 'unknown'].includes(String(a.principalStatus)));
    assert.equal(a.principalName !== null, a.principalStatus === 'found');
    assert.equal(typeof a.removed, 'boolean');
  }
  for (const r of impact.customRoles as Record<string, unknown>[]) {
    assert.deepEqual(keys(r), ['id', 'roleName']);
    assert.ok(isGuid(String(r.id)));
  }
  for (const c of impact.classicAdministrators as Record<string, unknown>[]) assert.deepEqual(keys(c), ['emailAddress', 'role']);
  for (const d of impact.dependentResources as Record<string, unknown>[]) {
    assert.deepEqual(keys(d), ['id', 'type', 'reason', 'repair']);
    assert.ok(['automatic', 'manual', 'none'].includes(String(d.repair)));
  }
  for (const e of (impact.eligibleAssignments ?? []) as Record<string, unknown>[]) {
    assert.deepEqual(keys(e), ['id', 'scope', 'roleDefinitionId', 'roleName', 'principalId', 'principalType', 'principalName', 'principalStatus', 'removed', 'endDateTime', 'startDateTime']);
  }
  for (const p of (impact.policyAssignments ?? []) as Record<string, unknown>[]) {
    assert.deepEqual(keys(p), ['id', 'name', 'scope', 'policyDefinitionId', 'identityType', 'principalId', 'removed']);
    assert.ok(['SystemAssigned', 'UserAssigned', 'None'].includes(String(p.identityType)));
  }
  for (const v of (impact.keyVaults ?? []) as Record<string, unknown>[]) {
    assert.deepEqual(keys(v), ['id', 'name', 'tenantId', 'accessPolicies', 'rbacAuthorization']);
    assert.equal(typeof v.accessPolicies, 'number');
  }
  assert.equal(plan.canProceed, checks.every((c) => c.status !== 'fail'));
  assert.equal(typeof plan.incomplete, 'boolean');
  assert.ok(Array.isArray(plan.warnings) && plan.warnings.every((w) => typeof w === 'string'));
}

describe('CLI plan', () => {
  const sandbox = useSandbox();

  it('prints one contract object for one subscription and exits 0 when it can proceed', async () => {
    const run = await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--to', CONTOSO, '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'no progress when stderr is not a terminal');
    const plan = JSON.parse(run.stdout) as Record<string, unknown>;
    assertContract(plan);
    const expected = scenario().expectedCounts[PRODUCTION];
    assert.ok(expected);
    const rows = (plan.impact as { roleAssignments: { removed: boolean }[] }).roleAssignments;
    assert.equal(rows.filter((r) => r.removed).length, expected.subscription + expected.resourceGroup + expected.resource);
    assert.equal(rows.filter((r) => !r.removed).length, expected.inherited);
  });

  it('takes the target as a domain', async () => {
    const run = await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--to', 'contoso.com', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { target: { tenantId: string } }).target.tenantId, CONTOSO);
  });

  it('--all-in prints an array, one per subscription of the directory, and exits 3 when one cannot proceed', async () => {
    const run = await runCli(sandbox(), ['plan', '--all-in', FABRIKAM, '--to', CONTOSO, '--json']);
    assert.equal(run.code, 3, run.stderr);
    const plans = JSON.parse(run.stdout) as Record<string, unknown>[];
    assert.ok(Array.isArray(plans));
    const expected = scenario().subscriptions.filter((s) => s.tenantId === FABRIKAM).map((s) => s.subscriptionId).sort();
    assert.deepEqual(plans.map((p) => (p.subscription as { id: string }).id).sort(), expected);
    plans.forEach(assertContract);
    const csp = plans.find((p) => (p.subscription as { id: string }).id === subscriptionByName('Fabrikam Partner Plan'));
    assert.equal(csp?.canProceed, false);
  });

  it('--all plans every subscription it can reach through Resource Graph, and names a directory it could not read', async () => {
    const run = await runCli(sandbox(), ['plan', '--all', '--to', CONTOSO, '--json']);
    assert.ok(run.code === 0 || run.code === 3, run.stderr);
    const plans = JSON.parse(run.stdout) as Record<string, unknown>[];
    plans.forEach(assertContract);
    assert.ok(plans.length > 0 && plans.every((p) => p.readFrom === 'resourceGraph'));
    const mfa = scenario().tenants.find((t) => t.requiresInteractiveSignIn);
    assert.ok(mfa);
    assert.match(run.stderr, new RegExp(`skipped directory ${mfa.tenantId}`));
  });

  it('prints an array when several --subscription are given', async () => {
    const run = await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--subscription', subscriptionByName('Fabrikam Dev/Test'), '--to', CONTOSO, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const plans = JSON.parse(run.stdout) as unknown[];
    assert.equal(plans.length, 2);
  });

  it('prints a table with checks and the impact by default', async () => {
    const run = await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--to', CONTOSO]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Fabrikam Production .* → Contoso Ltd \(contoso\.com\)/);
    assert.match(run.stdout, /✔ pass\s+caller-is-owner/);
    assert.match(run.stdout, /\(deleted principal\)/);
  });

  it('words inherited assignments one way: they stop applying (never "kept")', async () => {
    const run = await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--to', CONTOSO]);
    const inherited = run.stdout.split('\n').filter((l) => /Tenant Root Group|managementGroups/.test(l));
    assert.ok(inherited.length > 0, run.stdout);
    for (const line of inherited) assert.match(line, /stops applying \(inherited\)$/, line);
    assert.match(run.stdout, /\d+ inherited \(management-group\) assignments? stops? applying\./);
    assert.doesNotMatch(run.stdout, /\bkept\b/);
    assert.equal(assignmentEffect({ removed: false }, english), 'stops applying (inherited)');
    assert.equal(assignmentEffect({ removed: true }, english), 'deleted');
  });

  it('shows progress on stderr only when it is a terminal, and keeps stdout the result', async () => {
    const run = await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--to', CONTOSO, '--json'], { tty: true });
    assert.equal(run.code, 0);
    assert.match(run.stderr, /Planning…/);
    assertContract(JSON.parse(run.stdout) as Record<string, unknown>);
  });

  it('bad input: one clear line and the right exit code', async () => {
    const cases: { args: string[]; code: number; text: RegExp }[] = [
      { args: ['plan', '--subscription', 'not-a-guid', '--to', CONTOSO], code: 2, text: /No subscription is named "not-a-guid" \(names must match exactly\), and it is not a subscription ID \(a GUID\)/ },
      { args: ['plan', '--to', CONTOSO], code: 2, text: /--subscription <id>.*--all-in <tenantId> or --all/ },
      { args: ['plan', '--subscription', PRODUCTION], code: 2, text: /--to/ },
      { args: ['plan', '--subscription', PRODUCTION, '--to', 'not a domain!'], code: 2, text: /--to must be a directory \(tenant\) ID or a domain/ },
      { args: ['plan', '--all-in', 'x', '--to', CONTOSO], code: 2, text: /--all-in must be a directory \(tenant\) ID/ },
      { args: ['plan', '--subscription', '00000000-0000-4000-8000-00000000dead', '--to', CONTOSO], code: 1, text: /Subscription 00000000-0000-4000-8000-00000000dead was not found in any directory/ },
      { args: ['plan', '--subscription', PRODUCTION, '--to', 'nowhere.example'], code: 1, text: /No directory with the domain "nowhere\.example"/ },
      { args: ['plan', '--subscription', PRODUCTION, '--to', CONTOSO, '--concurrency', '0'], code: 2, text: /--concurrency/ },
    ];
    for (const c of cases) {
      const run = await runCli(sandbox(), c.args);
      assert.equal(run.code, c.code, `${c.args.join(' ')}: ${run.stderr}`);
      assert.ok(isOneLine(run.stderr), `one line: ${JSON.stringify(run.stderr)}`);
      assert.match(run.stderr, c.text);
      assert.equal(run.stdout, '');
    }
  });
});
