import assert from 'node:assert/strict';
import { english } from '../../../src/core/l10n';
import { PlanCache, planSubscription, resolveTarget, CoreError, subscriptionsIn, type DetailedPlan } from '../../../src/core/plan';
import { CHECK_IDS, type CheckId } from '../../../src/core/checks';
import { MEGAN, RILEY, scenario, sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { OWNER, assignmentAt, objectIds, oidOf, subscriptionOf, tenantOf, variant } from './fixtures';

const FABRIKAM = tenantByName('Fabrikam Labs');
const CONTOSO = tenantByName('Contoso Ltd');
const NORTHWIND = tenantByName('Northwind Traders');
const TAILSPIN = tenantByName('Tailspin Toys');
const PRODUCTION = subscriptionByName('Fabrikam Production');

function status(plan: DetailedPlan, id: CheckId): string {
  const c = plan.checks.find((x) => x.id === id);
  assert.ok(c, `check ${id} present`);
  return c.status;
}

function message(plan: DetailedPlan, id: CheckId): string {
  return plan.checks.find((x) => x.id === id)?.message ?? '';
}

describe('core plan: checks and impact over the sandbox', () => {
  const sandbox = useSandbox();

  it('plans the default move with every check passing, all eight ids in order', async () => {
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    assert.deepEqual(plan.checks.map((c) => c.id), [...CHECK_IDS]);
    assert.deepEqual(plan.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`), []);
    assert.equal(plan.canProceed, true);
    assert.equal(plan.target.office365, true);
    assert.equal(plan.target.displayName, 'Contoso Ltd');
    for (const c of plan.checks) assert.ok(c.title.length > 0 && c.message.length > 0);
  });

  it('impact counts equal the scenario expectedCounts for every subscription that has them', async () => {
    const s = scenario();
    const cache = new PlanCache(sessionFor(sandbox()));
    for (const [subId, expected] of Object.entries(s.expectedCounts)) {
      const sub = s.subscriptions.find((x) => x.subscriptionId === subId);
      assert.ok(sub);
      const plan = await planSubscription(cache.session, subId, CONTOSO, english, cache);
      const count = (kind: string): number => plan.impact.roleAssignments.filter((a) => a.scopeKind === kind).length;
      assert.deepEqual(
        { subscription: count('subscription'), resourceGroup: count('resourceGroup'), resource: count('resource'), inherited: count('inherited'), customRoles: plan.impact.customRoles.length },
        expected,
        sub.displayName,
      );
    }
  });

  it('marks inherited assignments removed: false and the rest removed: true', async () => {
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    const inherited = plan.impact.roleAssignments.filter((a) => a.scope.startsWith('/providers/Microsoft.Management/'));
    assert.ok(inherited.length > 0);
    assert.ok(inherited.every((a) => !a.removed && a.scopeKind === 'inherited'));
    assert.ok(plan.impact.roleAssignments.filter((a) => a.scopeKind !== 'inherited').every((a) => a.removed));
  });

  it('names principals, with null for those that no longer exist, and names every role', async () => {
    const s = scenario();
    const existing = objectIds(s, 'Fabrikam Labs');
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    const gone = plan.impact.roleAssignments.filter((a) => !existing.has(a.principalId) && a.principalType !== 'ForeignGroup');
    assert.ok(gone.length > 0, 'the scenario has deleted principals');
    assert.ok(gone.every((a) => a.principalName === null && a.principal === null));
    const named = plan.impact.roleAssignments.filter((a) => existing.has(a.principalId));
    assert.ok(named.every((a) => typeof a.principalName === 'string' && a.principalName.length > 0));
    const riley = named.find((a) => a.principalId === oidOf(s, 'Fabrikam Labs', RILEY) && a.roleDefinitionId === OWNER);
    assert.equal(riley?.roleName, 'Owner');
    assert.equal(riley.principalName, 'Riley Quinn');
    assert.ok(plan.impact.roleAssignments.every((a) => !/^[0-9a-f-]{36}$/.test(a.roleName)), 'every role has a name');
  });

  it('lists custom roles, classic administrators and dependent resources', async () => {
    const s = scenario();
    const sub = subscriptionOf(s, 'Fabrikam Production');
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    assert.deepEqual(plan.impact.customRoles.map((r) => r.roleName).sort(), s.customRoles.filter((r) => r.assignableScopes.some((x) => x.toLowerCase() === `/subscriptions/${PRODUCTION}`)).map((r) => r.roleName).sort());
    assert.ok(plan.impact.customRoles.every((r) => r.permissions.length > 0 && r.assignableScopes.length > 0));
    assert.deepEqual(plan.impact.classicAdministrators, sub.classicAdministrators);
    const dependents = plan.impact.dependentResources;
    const expectedIds = s.resources.filter((r) => r.id.includes(PRODUCTION) && (r.identity !== null || /ManagedIdentity|KeyVault|ContainerService|Sql\//.test(r.id) || r.properties.isHnsEnabled === true)).map((r) => r.id.toLowerCase()).sort();
    assert.deepEqual(dependents.map((d) => d.id.toLowerCase()).sort(), expectedIds);
    const aks = dependents.find((d) => d.type === 'Microsoft.ContainerService/managedClusters');
    assert.equal(aks?.recoverable, false);
    const kv = dependents.find((d) => d.type === 'Microsoft.KeyVault/vaults');
    assert.match(kv?.reason ?? '', new RegExp(`${FABRIKAM}.*4 access policies`));
    const sql = dependents.find((d) => d.type === 'Microsoft.Sql/servers');
    assert.equal(sql?.recoverable, false);
    assert.match(sql.reason, /Entra authentication/);
  });

  it('pages through more assignments than one page', async () => {
    sandbox().setPageSize(5);
    const expected = scenario().expectedCounts[PRODUCTION];
    assert.ok(expected);
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    const total = expected.subscription + expected.resourceGroup + expected.resource + expected.inherited;
    assert.equal(plan.impact.roleAssignments.length, total);
    assert.ok(sandbox().requestCount(new RegExp(`/subscriptions/${PRODUCTION}/providers/Microsoft.Authorization/roleAssignments\\?(?!.*filter)`), 'GET') >= Math.ceil(total / 5));
  });

  it('fetches shared lookups once when planning every subscription of a directory', async () => {
    const session = sessionFor(sandbox());
    const cache = new PlanCache(session);
    const subs = await subscriptionsIn(session, FABRIKAM, cache);
    assert.equal(subs.length, scenario().subscriptions.filter((x) => x.tenantId === FABRIKAM).length);
    sandbox().clearRequestLog();
    const plans = await Promise.all(subs.map((s) => planSubscription(session, s, CONTOSO, english, cache)));
    assert.equal(plans.length, subs.length);
    assert.equal(sandbox().requestCount(new RegExp(`roleDefinitions/${OWNER}`), 'GET'), 1, 'Owner role name read once');
    assert.equal(sandbox().requestCount(/^\/graph\/v1\.0\/me\?/, 'GET'), 1, 'the caller read once in the source directory');
    assert.equal(sandbox().requestCount(/^\/arm\/providers\/Microsoft\.Subscription\/policies\/default/, 'GET'), 2, 'each directory policy read once');
    assert.equal(sandbox().requestCount(/^\/arm\/tenants/, 'GET'), 1);
    assert.equal(sandbox().requestCount(/subscribedSkus/, 'GET'), 1);
    // Every principal is named, and the batches never ask for the same id twice: at most one batch per plan.
    assert.ok(sandbox().requestCount(/getByIds/, 'POST') <= subs.length);
  });

  it('offer: a CSP subscription fails with the failure-modes wording; Pay-As-You-Go passes', async () => {
    const plan = await planSubscription(sessionFor(sandbox()), subscriptionByName('Fabrikam Partner Plan'), CONTOSO, english);
    assert.equal(status(plan, 'offer-allows-move'), 'fail');
    assert.match(message(plan, 'offer-allows-move'), /This offer \(CSP.*\) can't change directory; use the partner or move the resources/);
    assert.equal(plan.canProceed, false);
  });

  it('state: PastDue warns (and can still proceed)', async () => {
    const plan = await planSubscription(sessionFor(sandbox()), subscriptionByName('Fabrikam Legacy'), CONTOSO, english);
    assert.equal(status(plan, 'subscription-active'), 'warn');
    assert.match(message(plan, 'subscription-active'), /Subscription is PastDue; reactivate or settle billing before moving/);
    assert.equal(plan.canProceed, true);
  });

  it('target-is-different fails when the target is the current directory', async () => {
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, FABRIKAM, english);
    assert.equal(status(plan, 'target-is-different'), 'fail');
    assert.equal(plan.canProceed, false);
  });

  it('caller-is-owner fails for a Reader, with the direct-Owner wording', async () => {
    const plan = await planSubscription(sessionFor(sandbox(), MEGAN), PRODUCTION, CONTOSO, english);
    assert.equal(status(plan, 'caller-is-owner'), 'fail');
    assert.match(message(plan, 'caller-is-owner'), /You need Owner on this subscription, assigned directly \(not through a group, PIM or a condition\)/);
  });

  it('account-in-target fails with the guest-invitation wording (AADSTS50020)', async () => {
    const plan = await planSubscription(sessionFor(sandbox(), MEGAN), PRODUCTION, TAILSPIN, english);
    assert.equal(status(plan, 'account-in-target'), 'fail');
    assert.match(message(plan, 'account-in-target'), /aren't in the .* directory yet: ask its administrator for a guest invitation/);
    assert.equal(status(plan, 'target-policy-allows-entering'), 'unknown');
    assert.equal(status(plan, 'target-is-office365'), 'unknown');
    assert.equal(plan.target.office365, null);
  });

  it('account-in-target fails with "sign in to the directory (MFA)" for AADSTS50076', async () => {
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, NORTHWIND, english);
    assert.equal(status(plan, 'account-in-target'), 'fail');
    assert.match(message(plan, 'account-in-target'), /requires MFA: sign in to the directory \(MFA\)/);
  });

  it('target policy blocking entry fails naming who can change it and where; target without Office 365 warns', async () => {
    const plan = await planSubscription(sessionFor(sandbox()), subscriptionByName('Tailspin Web'), FABRIKAM, english);
    assert.equal(status(plan, 'target-policy-allows-entering'), 'fail');
    assert.match(message(plan, 'target-policy-allows-entering'), /Fabrikam Labs blocks subscriptions entering .* unless you are exempted; a Global Administrator of Fabrikam Labs must allow it or exempt you \(Azure portal > Subscriptions > Manage policies\)/);
    assert.equal(status(plan, 'source-policy-allows-leaving'), 'fail', 'an unset policy blocks leaving since 2026-05-01');
    assert.equal(status(plan, 'target-is-office365'), 'warn');
    assert.equal(plan.target.office365, false);
  });

  it('target-is-office365 is unknown (not "no") when Graph will not tell', async () => {
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, TAILSPIN, english);
    assert.equal(status(plan, 'target-is-office365'), 'unknown');
    assert.match(message(plan, 'target-is-office365'), /Organization\.Read\.All/);
  });

  it('resolves a target given as a domain; an unknown domain is a typed error', async () => {
    const session = sessionFor(sandbox());
    const contoso = tenantOf(scenario(), 'Contoso Ltd');
    const t = await resolveTarget(session, contoso.domains[contoso.domains.length - 1]?.name ?? '', english);
    assert.equal(t.tenantId, CONTOSO);
    await assert.rejects(resolveTarget(session, 'nowhere.example', english), (e: unknown) => e instanceof CoreError && e.kind === 'notFound' && /nowhere\.example/.test(e.message));
    await assert.rejects(planSubscription(session, '00000000-0000-4000-8000-00000000dead', CONTOSO, english), (e: unknown) => e instanceof CoreError && e.kind === 'notFound');
  });
});

describe('core plan: checks that need a changed scenario', () => {
  const s0 = scenario();
  const rileyOid = oidOf(s0, 'Fabrikam Labs', RILEY);
  const subScope = `/subscriptions/${PRODUCTION}`;
  const platform = tenantOf(s0, 'Fabrikam Labs').groups.find((g) => g.members.includes(rileyOid));
  assert.ok(platform);

  const sandbox = useSandbox();
  afterEach(() => { sandbox().loadScenario(scenario()); });

  it('subscription-active fails for a Disabled subscription', async () => {
    sandbox().loadScenario(variant((s) => { subscriptionOf(s, 'Fabrikam Production').state = 'Disabled'; }));
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    assert.equal(status(plan, 'subscription-active'), 'fail');
    assert.match(message(plan, 'subscription-active'), /Subscription is Disabled; reactivate or settle billing before moving/);
  });

  it('caller-is-owner warns when Owner comes only through a group', async () => {
    sandbox().loadScenario(variant((s) => {
      const direct = assignmentAt(s, subScope, rileyOid, OWNER);
      direct.principalId = platform.id;
      direct.principalType = 'Group';
    }));
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    assert.equal(status(plan, 'caller-is-owner'), 'warn');
    assert.match(message(plan, 'caller-is-owner'), /only through a group/);
  });

  it('caller-is-owner fails when the Owner assignment has a condition', async () => {
    sandbox().loadScenario(variant((s) => {
      const direct = assignmentAt(s, subScope, rileyOid, OWNER);
      direct.condition = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'x'";
      direct.conditionVersion = '2.0';
    }));
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    assert.equal(status(plan, 'caller-is-owner'), 'fail');
    assert.match(message(plan, 'caller-is-owner'), /has a condition/);
  });

  it('source policy blocking leaving fails; the same policy with you exempted passes', async () => {
    sandbox().loadScenario(variant((s) => { tenantOf(s, 'Fabrikam Labs').policy = { blockSubscriptionsLeavingTenant: true, blockSubscriptionsIntoTenant: true, exemptedPrincipals: [] }; }));
    const blocked = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    assert.equal(status(blocked, 'source-policy-allows-leaving'), 'fail');
    assert.match(message(blocked, 'source-policy-allows-leaving'), /Fabrikam Labs blocks subscriptions leaving \(the default since 1 May 2026\) unless you are exempted; a Global Administrator of Fabrikam Labs must allow it or exempt you/);
    assert.equal(blocked.canProceed, false);

    sandbox().loadScenario(variant((s) => { tenantOf(s, 'Fabrikam Labs').policy = { blockSubscriptionsLeavingTenant: true, blockSubscriptionsIntoTenant: true, exemptedPrincipals: [rileyOid] }; }));
    const exempted = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    assert.equal(status(exempted, 'source-policy-allows-leaving'), 'pass');
    assert.match(message(exempted, 'source-policy-allows-leaving'), /you are exempted/);
  });

  it('a policy that cannot be read is unknown with why', async () => {
    sandbox().setFaults({ rules: [{ match: 'Microsoft\\.Subscription/policies/default', fault: 500, times: 'always' }] });
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english);
    assert.equal(status(plan, 'source-policy-allows-leaving'), 'unknown');
    assert.match(message(plan, 'source-policy-allows-leaving'), /Could not read Fabrikam Labs's subscription policy \(.+\)/);
    assert.equal(plan.canProceed, true, 'unknown is not a failure');
  });
});
