import * as assert from 'node:assert/strict';
import { parseScenario, ScenarioError, startSandbox } from '../../../src/sandbox/server';
import { Client, FABRIKAM, scenario, SUB_VERSION, useSandbox } from './helpers';

describe('sandbox faults and control API', () => {
  const { c, sb } = useSandbox();

  it('answers 429 with Retry-After for the next N matching requests, then recovers; the log counts the round trips', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    sb().setFaults({ rules: [{ match: '^/arm/subscriptions\\?', fault: 429, times: 2, retryAfterSeconds: 3 }] });
    const first = await c().arm('GET', `/subscriptions?${SUB_VERSION}`, { token });
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '3');
    assert.equal(first.body.error.code, 'TooManyRequests');
    assert.equal((await c().arm('GET', `/subscriptions?${SUB_VERSION}`, { token })).status, 429);
    assert.equal((await c().arm('GET', `/subscriptions?${SUB_VERSION}`, { token })).status, 200);
    assert.equal(sb().requestCount(/^\/arm\/subscriptions\?/, 'GET'), 3);
    assert.deepEqual(sb().requestLog.filter((e) => e.path === '/arm/subscriptions').map((e) => e.status), [429, 429, 200]);
    const log = await c().raw('GET', '/_sandbox/requests');
    assert.equal((log.body.value as unknown[]).length, sb().requestLog.length);
  });

  it('resets the connection and sends truncated JSON when told to', async () => {
    sb().setFaults({ rules: [{ match: '^/token', fault: 'reset' }, { match: '^/token', fault: 'malformed' }] });
    await assert.rejects(c().raw('POST', '/token', { body: { tenantId: FABRIKAM, resource: 'arm' } }));
    const malformed = await c().raw('POST', '/token', { body: { tenantId: FABRIKAM, resource: 'arm' } });
    assert.equal(malformed.status, 200);
    assert.equal(malformed.body, undefined, 'body is not valid JSON');
    assert.ok(malformed.text.startsWith('{"access_token"'));
    assert.equal((await c().raw('POST', '/token', { body: { tenantId: FABRIKAM, resource: 'arm' } })).status, 200);
    assert.equal(sb().requestLog[0]?.fault, 'reset');
  });

  it('takes faults and latency over the control API (out-of-process clients)', async () => {
    const set = await c().raw('POST', '/_sandbox/faults', { body: { latencyMs: 60, rules: [{ match: 'graph', fault: 503, times: 'always' }] } });
    assert.equal(set.status, 200);
    const started = Date.now();
    const token = await c().token(FABRIKAM, 'graph');
    assert.ok(Date.now() - started >= 55, 'latency applied');
    assert.equal((await c().graph('GET', '/me', { token })).status, 503);
    assert.equal((await c().graph('GET', '/me', { token })).status, 503);
    const bad = await c().raw('POST', '/_sandbox/faults', { body: { rules: [{ match: '(', fault: 500 }] } });
    assert.equal(bad.status, 400);
    await c().raw('POST', '/_sandbox/faults', { body: {} });
    assert.equal((await c().graph('GET', '/me', { token })).status, 200);
  });

  it('serves health, state, page size, reset and scenario loading', async () => {
    assert.deepEqual((await c().raw('GET', '/_sandbox/health')).body, { ok: true });
    const state = await c().raw('GET', '/_sandbox/state');
    assert.equal(state.body.scenario.name, 'default');
    assert.equal((await c().raw('POST', '/_sandbox/page-size', { body: { pageSize: 1 } })).body.pageSize, 1);
    const token = await c().token(FABRIKAM, 'arm');
    const page = await c().arm('GET', `/tenants?${SUB_VERSION}`, { token });
    assert.equal(page.body.value.length, 1);
    assert.ok(page.body.nextLink);
    sb().state.data.subscriptions = [];
    assert.equal((await c().raw('POST', '/_sandbox/reset')).status, 200);
    assert.equal(sb().state.data.subscriptions.length, scenario.subscriptions.length);
    const broken = await c().raw('POST', '/_sandbox/scenario', { body: { ...structuredClone(scenario), defaultAccount: 'ghost@example.com' } });
    assert.equal(broken.status, 400);
    assert.equal(broken.body.error.code, 'InvalidScenario');
    assert.match(broken.body.error.message as string, /defaultAccount 'ghost@example.com'/);
    const small = { ...structuredClone(scenario), name: 'small', subscriptions: scenario.subscriptions.slice(0, 0), roleAssignments: [], resources: [], customRoles: [], expectedCounts: {} };
    assert.equal((await c().raw('POST', '/_sandbox/scenario', { body: small })).body.name, 'small');
  });

  it('validates scenarios with messages that name the path', () => {
    const bad = structuredClone(scenario) as unknown as { tenants: { tenantId: string }[] };
    const first = bad.tenants[0];
    assert.ok(first !== undefined);
    first.tenantId = 'not-a-guid';
    assert.throws(() => parseScenario(bad), (e: unknown) => e instanceof ScenarioError && /scenario\.tenants\[0\]\.tenantId must be a GUID/.test(e.message));
    assert.throws(() => parseScenario({ ...scenario, expectedCounts: { [scenario.subscriptions[0]?.subscriptionId ?? '']: { subscription: 1 } } }), /expectedCounts/);
  });

  it('starts on a chosen port and binds 127.0.0.1 only', async () => {
    const first = await startSandbox({ faults: { rules: [{ match: '.', fault: 500 }] } });
    try {
      assert.match(first.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      const r = await new Client(first).raw('POST', '/token', { body: { tenantId: FABRIKAM, resource: 'arm' } });
      assert.equal(r.status, 500);
    } finally {
      await first.close();
    }
  });
});
