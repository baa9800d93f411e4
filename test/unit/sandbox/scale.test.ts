// The sandbox at enterprise scale: 500 subscriptions in 50 directories with 100,000 role assignments load and answer,
// and the indexes behind the answers stay right through writes, moves and changes made behind their back.
// (How fast it answers is the bench's business: `npm run bench`.)
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { enterpriseScenario, fleetScenario, fleetTarget, subId, tenantId, userId, ADMIN } from '../../../scripts/lib/bench-scenarios.mjs';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { AUTH, Client, RA_VERSION, SUB_VERSION } from './helpers';

const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';

describe('sandbox at scale', function () {
  this.timeout(120_000);

  it('loads 500 subscriptions in 50 directories with 100,000 role assignments, and answers from them', async () => {
    const sb = await startSandbox({ scenario: enterpriseScenario() });
    try {
      assert.equal(sb.state.data.subscriptions.length, 500);
      assert.equal(sb.state.data.roleAssignments.length, 100_000);
      const c = new Client(sb);
      const token = await c.token(tenantId(37), 'arm', ADMIN);
      const subs = await c.all(`/subscriptions?${SUB_VERSION}`, token);
      assert.deepEqual(subs.items.map((s) => (s as { subscriptionId: string }).subscriptionId).sort(), Array.from({ length: 10 }, (_, s) => subId(37, s)).sort());
      const ras = await c.all(`/subscriptions/${subId(37, 4)}${AUTH}/roleAssignments?${RA_VERSION}`, token);
      assert.equal(ras.items.length, 200);
      assert.equal(ras.pages, 2);
    } finally {
      await sb.close();
    }
  });

  describe('indexes', () => {
    let sb: Sandbox;
    let c: Client;
    const sub = subId(1, 2);
    const list = (filter?: string): string => `/subscriptions/${sub}${AUTH}/roleAssignments?${RA_VERSION}${filter === undefined ? '' : `&$filter=${encodeURIComponent(filter)}`}`;
    beforeEach(async () => {
      sb = await startSandbox({ scenario: fleetScenario({ directories: 3, perDirectory: 4, extraPerSubscription: 9, users: 20 }), pageSize: 5 });
      c = new Client(sb);
    });
    afterEach(async () => { await sb.close(); });

    it('a created and a deleted assignment show in the next list, page by page', async () => {
      const token = await c.token(tenantId(1), 'arm', ADMIN);
      assert.equal((await c.all(list(), token)).items.length, 10);
      const name = randomUUID();
      const put = await c.arm('PUT', `/subscriptions/${sub}${AUTH}/roleAssignments/${name}?${RA_VERSION}`, { token, body: { properties: { roleDefinitionId: `/subscriptions/${sub}${AUTH}/roleDefinitions/${READER}`, principalId: userId(1, 20), principalType: 'User' } } });
      assert.equal(put.status, 201, put.text);
      assert.equal((await c.all(list(), token)).items.length, 11);
      assert.equal((await c.all(list(`principalId eq '${userId(1, 20)}'`), token)).items.length, 1 + sb.state.data.roleAssignments.filter((a) => a.principalId === userId(1, 20) && a.scope.startsWith(`/subscriptions/${sub}`) && a.name !== name).length);
      const del = await c.arm('DELETE', `/subscriptions/${sub}${AUTH}/roleAssignments/${name}?${RA_VERSION}`, { token });
      assert.equal(del.status, 200);
      assert.equal((await c.all(list(), token)).items.length, 10);
    });

    it('notices a change made to the data behind its back (an assignment pushed, an Owner removed)', async () => {
      const token = await c.token(tenantId(1), 'arm', ADMIN);
      assert.equal((await c.all(list(), token)).items.length, 10);
      sb.state.data.roleAssignments.push({ name: randomUUID(), scope: `/subscriptions/${sub}/resourceGroups/rg-a`, role: READER, principalId: userId(1, 3), principalType: 'User', description: null, condition: null, conditionVersion: null, createdOn: '2026-01-01T00:00:00Z', createdBy: null });
      assert.equal((await c.all(list(), token)).items.length, 11);
      sb.state.data.roleAssignments = sb.state.data.roleAssignments.filter((a) => !(a.principalId === userId(1, 0) && a.scope === `/subscriptions/${sub}`));
      const denied = await c.arm('GET', list(), { token });
      assert.equal(denied.status, 403, 'the admin is no longer Owner there');
    });

    it('notices a user added to a directory behind its back (an invitation handler, say)', async () => {
      const token = await c.token(tenantId(1), 'arm', ADMIN);
      const newcomer = '0b000001-0000-4000-8000-0000000000ff';
      const body = { properties: { roleDefinitionId: `/subscriptions/${sub}${AUTH}/roleDefinitions/${READER}`, principalId: newcomer, principalType: 'User' } };
      const before = await c.arm('PUT', `/subscriptions/${sub}${AUTH}/roleAssignments/${randomUUID()}?${RA_VERSION}`, { token, body });
      assert.equal(before.status, 400, 'PrincipalNotFound before the user exists');
      const tenant = sb.state.tenant(tenantId(1));
      assert.ok(tenant);
      tenant.users.push({ ...tenant.users[1]!, id: newcomer, userPrincipalName: 'newcomer@bench1.onmicrosoft.com', account: null, replicationDelay: 0 });
      const after = await c.arm('PUT', `/subscriptions/${sub}${AUTH}/roleAssignments/${randomUUID()}?${RA_VERSION}`, { token, body });
      assert.equal(after.status, 201, after.text);
    });

    it('a moved subscription lists in its new directory only, with only the new Owner', async () => {
      sb.moveSubscription(sub, fleetTarget(3), ADMIN);
      const oldToken = await c.token(tenantId(1), 'arm', ADMIN);
      const newToken = await c.token(fleetTarget(3), 'arm', ADMIN);
      const oldList = await c.all(`/subscriptions?${SUB_VERSION}`, oldToken);
      const newList = await c.all(`/subscriptions?${SUB_VERSION}`, newToken);
      assert.equal(oldList.items.length, 3);
      assert.deepEqual(newList.items.map((s) => (s as { subscriptionId: string }).subscriptionId), [sub]);
      assert.equal((await c.all(list(), newToken)).items.length, 1);
    });
  });
});
