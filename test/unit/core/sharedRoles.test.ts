import assert from 'node:assert/strict';
import { english } from '../../../src/core/l10n';
import { planSubscription, toPlanJson } from '../../../src/core/plan';
import { runCli } from '../cli/run';
import { MEGAN, scenario, sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';

const FABRIKAM = tenantByName('Fabrikam Labs');
const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');
const DEVTEST = subscriptionByName('Fabrikam Dev/Test');

describe('a custom role shared with a subscription that does not move', () => {
  const sandbox = useSandbox();
  /** The scenario's own truth: assignments in Dev/Test of a custom role that Production's move deletes. */
  const base = scenario();
  const shared = base.customRoles.filter((r) => r.assignableScopes.some((s) => s.toLowerCase().startsWith(`/subscriptions/${PRODUCTION}`)) && r.assignableScopes.some((s) => s.toLowerCase().startsWith(`/subscriptions/${DEVTEST}`)));
  const devTestUses = base.roleAssignments.filter((a) => a.scope.toLowerCase().startsWith(`/subscriptions/${DEVTEST}`) && shared.some((r) => r.id === a.role));

  it('the impact names every other subscription and assignment the deleted role reaches — and the move deletes exactly those', async () => {
    assert.ok(shared.length > 0 && devTestUses.length > 0, 'the default scenario shares "Fabrikam Deployment Operator" with Dev/Test');
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    const reach = plan.impact.customRoleReach;
    assert.deepEqual(reach.map((r) => r.roleName).sort(), shared.map((r) => r.roleName).sort());
    const elsewhere = reach.flatMap((r) => r.assignments);
    assert.deepEqual(elsewhere.map((a) => a.id.split('/').pop()).sort(), devTestUses.map((a) => a.name).sort());
    assert.ok(elsewhere.every((a) => a.subscriptionId === DEVTEST && a.subscriptionName === 'Fabrikam Dev/Test'));
    assert.ok(plan.impact.notes.some((n) => /Custom role "Fabrikam Deployment Operator" is also used in Fabrikam Dev\/Test: the move deletes the role, and with it 1 assignment there\./.test(n)), plan.impact.notes.join('\n'));

    // The sandbox follows the documented assumption (docs/sandbox.md): the role goes, and its assignments elsewhere with it.
    const before = sandbox().state.data.roleAssignments.length;
    sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
    const left = new Set(sandbox().state.data.roleAssignments.map((a) => a.name));
    assert.ok(sandbox().state.data.roleAssignments.length < before);
    for (const a of elsewhere) assert.ok(!left.has(a.id.split('/').pop() ?? ''), `${a.id} was deleted with the role`);
    assert.equal(sandbox().state.subscription(DEVTEST)?.tenantId, FABRIKAM, 'Dev/Test itself stays');
  });

  it('plan --json carries it as a new impact field; the existing fields are unchanged', async () => {
    const run = await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--to', CONTOSO, '--json']);
    const json = JSON.parse(run.stdout) as { impact: Record<string, unknown> };
    assert.deepEqual(Object.keys(json.impact).slice(0, 5), ['roleAssignments', 'customRoles', 'classicAdministrators', 'dependentResources', 'customRolesElsewhere']);
    const elsewhere = json.impact.customRolesElsewhere as { roleName: string; otherScopes: string[]; assignments: { subscriptionName: string }[]; unread: unknown[] }[];
    assert.equal(elsewhere.length, shared.length);
    assert.deepEqual(elsewhere[0]?.assignments.map((a) => a.subscriptionName), ['Fabrikam Dev/Test']);
    assert.match(run.stdout, /"otherScopes"/);
    const session = sessionFor(sandbox());
    assert.deepEqual(toPlanJson(await planSubscription(session, PRODUCTION, CONTOSO, english)).impact.customRolesElsewhere, elsewhere);
  });
});
