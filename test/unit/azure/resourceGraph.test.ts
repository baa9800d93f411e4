// Azure Resource Graph: the client (paging with $skipToken, batches under 300 subscriptions, the user quota, 429 with
// Retry-After) against the sandbox's query subset (and its refusal of anything else), and fleet plans that use it.
import assert from 'node:assert/strict';
import { fleetScenario, fleetTarget, subId, tenantId, ADMIN } from '../../../scripts/lib/bench-scenarios.mjs';
import { isAzureError } from '../../../src/azure/errors';
import { RESOURCE_GRAPH_API } from '../../../src/azure/resourceGraph';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { runCli } from '../cli/run';
import { RILEY, sessionFor, subscriptionByName, tenantByName } from '../helpers';

const QUERY_PATH = /\/providers\/Microsoft\.ResourceGraph\/resources/i;

async function post(sb: Sandbox, body: unknown, tenant = tenantId(0)): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const token = sb.getToken({ tenantId: tenant, resource: 'arm', account: ADMIN });
  const r = await fetch(`${sb.armUrl}/providers/Microsoft.ResourceGraph/resources?api-version=${RESOURCE_GRAPH_API}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, headers: r.headers, body: (await r.json()) as Record<string, unknown> };
}

describe('Azure Resource Graph', function () {
  this.timeout(60_000);
  let sb: Sandbox;
  afterEach(async () => { await sb.close(); });

  describe('sandbox query subset', () => {
    beforeEach(async () => {
      sb = await startSandbox({ scenario: fleetScenario({ directories: 1, perDirectory: 3, extraPerSubscription: 4, users: 10, vaults: true }) });
    });

    it('answers the subset: where on type / subscriptionId with =~ and in~, project, order by, pages with $skipToken', async () => {
      const subs = [subId(0, 0), subId(0, 1), subId(0, 2)];
      const query = `authorizationresources | where type =~ 'microsoft.authorization/roleassignments' and subscriptionId in~ ('${subId(0, 0)}', '${subId(0, 2).toUpperCase()}') | project id, name, properties | order by id desc`;
      const first = await post(sb, { subscriptions: subs, query, options: { $top: 6, resultFormat: 'objectArray' } });
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.totalRecords, 10);
      assert.equal(first.body.count, 6);
      assert.equal(first.body.resultTruncated, 'false');
      assert.equal(typeof first.body.$skipToken, 'string');
      assert.ok(Number(first.headers.get('x-ms-user-quota-remaining')) >= 0);
      assert.match(first.headers.get('x-ms-user-quota-resets-after') ?? '', /^\d\d:\d\d:\d\d$/);
      const second = await post(sb, { subscriptions: subs, query, options: { $top: 6, $skipToken: first.body.$skipToken } });
      assert.equal(second.body.count, 4);
      assert.equal(second.body.$skipToken, undefined);
      const ids = [...(first.body.data as { id: string }[]), ...(second.body.data as { id: string }[])].map((r) => r.id);
      assert.deepEqual(ids, [...ids].sort().reverse(), 'ordered by id, descending');
      assert.ok(ids.every((id) => !id.includes(subId(0, 1))), 'subscription 1 filtered out');
      assert.deepEqual(Object.keys((first.body.data as object[])[0] ?? {}), ['id', 'name', 'properties']);
      const vaults = await post(sb, { subscriptions: subs, query: "resources | where type in~ ('microsoft.keyvault/vaults', 'microsoft.sql/servers') | project id, type, properties" });
      assert.equal(vaults.body.count, 3);
    });

    it('without id in project it does not page: resultTruncated "true", no $skipToken', async () => {
      const r = await post(sb, { subscriptions: [subId(0, 0), subId(0, 1), subId(0, 2)], query: 'authorizationresources | project name', options: { $top: 5 } });
      assert.equal(r.status, 200);
      assert.equal(r.body.resultTruncated, 'true');
      assert.equal(r.body.$skipToken, undefined);
    });

    it('refuses any other query with Resource Graph\'s error body', async () => {
      for (const query of ["Resources | where name contains 'test'", 'resources | summarize count() by type', 'resourcecontainers', "resources | where type == 'x'"]) {
        const r = await post(sb, { subscriptions: [subId(0, 0)], query });
        assert.equal(r.status, 400, query);
        const error = r.body.error as { code: string; message: string; details: { code: string }[] };
        assert.equal(error.code, 'BadRequest');
        assert.match(error.message, /correlationId = /);
        assert.equal(error.details[0]?.code, 'InvalidQuery');
      }
    });

    it('answers 429 RateLimiting past the quota, with the quota headers', async () => {
      sb.state.resourceGraphQuota.set({ queries: 2, windowSeconds: 60 });
      const body = { subscriptions: [subId(0, 0)], query: 'resources | project id' };
      assert.equal((await post(sb, body)).status, 200);
      const last = await post(sb, body);
      assert.equal(last.headers.get('x-ms-user-quota-remaining'), '0');
      const refused = await post(sb, body);
      assert.equal(refused.status, 429);
      assert.equal((refused.body.error as { code: string }).code, 'RateLimiting');
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
    });
  });

  describe('client', () => {
    it('reads every page (1,000 rows each, $skipToken) and every batch of under 300 subscriptions', async () => {
      sb = await startSandbox({ scenario: fleetScenario({ directories: 1, perDirectory: 301, extraPerSubscription: 4, users: 10 }) });
      const session = sessionFor(sb, ADMIN);
      const ids = Array.from({ length: 301 }, (_, s) => subId(0, s));
      const rows = (await session.resourceGraph.authorization(tenantId(0), ids)).roleAssignments;
      assert.equal(rows.length, 301 * 5);
      assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, 'no row twice');
      // 299 subscriptions × 5 = 1,495 rows: 2 pages; then 2 subscriptions: 1 page.
      assert.equal(sb.requestCount(QUERY_PATH, 'POST'), 3);
      const arm = await session.arm.listRoleAssignments(tenantId(0), subId(0, 7));
      assert.deepEqual(rows.filter((r) => r.id.includes(subId(0, 7))).map((r) => r.id).sort(), arm.map((a) => a.id).sort());
    });

    it('waits out a 429 with Retry-After, and an exhausted quota before asking again', async () => {
      sb = await startSandbox({ scenario: fleetScenario({ directories: 1, perDirectory: 3, extraPerSubscription: 400, users: 50 }) });
      const session = sessionFor(sb, ADMIN);
      const ids = [subId(0, 0), subId(0, 1), subId(0, 2)];
      sb.setFaults({ rules: [{ match: 'ResourceGraph', fault: 429, retryAfterSeconds: 1 }] });
      let started = Date.now();
      assert.equal((await session.resourceGraph.authorization(tenantId(0), ids)).roleAssignments.length, 3 * 401);
      assert.ok(Date.now() - started >= 900, 'waited for Retry-After');
      assert.deepEqual(sb.requestLog.filter((e) => QUERY_PATH.test(e.path)).map((e) => e.status), [429, 200, 200]);
      sb.clearRequestLog();
      sb.state.resourceGraphQuota.set({ queries: 1, windowSeconds: 1 });
      started = Date.now();
      assert.equal((await session.resourceGraph.authorization(tenantId(0), ids)).roleAssignments.length, 3 * 401);
      assert.deepEqual(sb.requestLog.filter((e) => QUERY_PATH.test(e.path)).map((e) => e.status), [200, 200], 'no 429: it waited for the quota to reset');
      assert.ok(Date.now() - started >= 500);
    });

    it('a refused query is a typed error', async () => {
      sb = await startSandbox({ scenario: fleetScenario({ directories: 1, perDirectory: 1 }) });
      const session = sessionFor(sb, ADMIN);
      await assert.rejects(session.resourceGraph.query(tenantId(0), [subId(0, 0)], () => 'resources | take 5'), (e: unknown) => isAzureError(e) && /BadRequest|Query is invalid/.test(`${e.code ?? ''} ${e.message}`));
    });
  });

  describe('fleet plan', () => {
    it('plan --all-in reads Resource Graph (readFrom) and deletes the same assignments a plan of one subscription reads from ARM', async () => {
      sb = await startSandbox({ scenario: fleetScenario({ directories: 2, perDirectory: 4, extraPerSubscription: 6, users: 10, vaults: true }) });
      const fleet = await runCli(sb, ['--account', ADMIN, 'plan', '--all-in', tenantId(1), '--to', fleetTarget(2), '--json']);
      assert.equal(fleet.code, 0, fleet.stderr);
      const plans = JSON.parse(fleet.stdout) as { subscription: { id: string }; readFrom: string; impact: { roleAssignments: { id: string; removed: boolean }[]; dependentResources: { id: string }[] } }[];
      assert.equal(plans.length, 4);
      assert.ok(plans.every((p) => p.readFrom === 'resourceGraph'));
      assert.equal(sb.requestCount(/roleAssignments\?api-version=[^&]*$/, 'GET'), 0, 'no unfiltered role-assignment list per subscription');
      const one = await runCli(sb, ['--account', ADMIN, 'plan', '--subscription', subId(1, 2), '--to', fleetTarget(2), '--json']);
      const single = JSON.parse(one.stdout) as (typeof plans)[number];
      assert.equal(single.readFrom, 'arm');
      const fromFleet = plans.find((p) => p.subscription.id === subId(1, 2));
      assert.deepEqual(fromFleet?.impact.roleAssignments.map((r) => r.id).sort(), single.impact.roleAssignments.filter((r) => r.removed).map((r) => r.id).sort());
      assert.deepEqual(fromFleet.impact.dependentResources.map((r) => r.id), single.impact.dependentResources.map((r) => r.id));
      const all = await runCli(sb, ['--account', ADMIN, 'plan', '--all', '--to', fleetTarget(2), '--json']);
      assert.equal((JSON.parse(all.stdout) as unknown[]).length, 8);
    });

    it('reads classic administrators, policy assignments and exemptions through Resource Graph too: what ARM gives one subscription, without a list per subscription', async () => {
      sb = await startSandbox();
      const fabrikam = tenantByName('Fabrikam Labs');
      const production = subscriptionByName('Fabrikam Production');
      const to = tenantByName('Contoso Ltd');
      type Plan = { subscription: { id: string }; readFrom: string; impact: { classicAdministrators: unknown[]; policyAssignments: { id: string; removed: boolean; principalId: string | null }[] | null } };
      const fleet = await runCli(sb, ['plan', '--all-in', fabrikam, '--to', to, '--json'], { account: RILEY });
      const fromFleet = (JSON.parse(fleet.stdout) as Plan[]).find((p) => p.subscription.id === production);
      assert.equal(fromFleet?.readFrom, 'resourceGraph', fleet.stderr);
      for (const list of ['classicAdministrators', 'policyAssignments', 'policyExemptions']) {
        assert.equal(sb.requestCount(new RegExp(`/subscriptions/[^/]+/providers/Microsoft\\.Authorization/${list}\\?`, 'i'), 'GET'), 0, `no ${list} list per subscription`);
      }
      const one = await runCli(sb, ['plan', '--subscription', production, '--to', to, '--json'], { account: RILEY });
      const single = JSON.parse(one.stdout) as Plan;
      assert.equal(single.readFrom, 'arm');
      assert.ok(single.impact.classicAdministrators.length > 0 && (single.impact.policyAssignments?.length ?? 0) > 0, 'the scenario has both');
      const sorted = (list: readonly unknown[] | null | undefined): string[] => (list ?? []).map((x) => JSON.stringify(x)).sort();
      assert.deepEqual(sorted(fromFleet.impact.classicAdministrators), sorted(single.impact.classicAdministrators));
      assert.deepEqual(sorted(fromFleet.impact.policyAssignments), sorted(single.impact.policyAssignments?.filter((p) => p.removed)), 'the same policy assignments, identities included (inherited ones are not in a subscription\'s rows)');
    });

    it('falls back to ARM in a directory where Resource Graph fails, and says so', async () => {
      sb = await startSandbox({ scenario: fleetScenario({ directories: 1, perDirectory: 2, extraPerSubscription: 2, users: 4 }) });
      sb.setFaults({ rules: [{ match: 'ResourceGraph', fault: 500, times: 'always' }] });
      const run = await runCli(sb, ['--account', ADMIN, 'plan', '--all-in', tenantId(0), '--to', fleetTarget(1)]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Resource Graph could not be read .*read through Azure Resource Manager instead/);
    });
  });
});
