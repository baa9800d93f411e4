import assert from 'node:assert/strict';
import { AzureError } from '../../../src/azure/errors';
import { HttpLayer, redactUrl } from '../../../src/azure/http';
import { FAST_RETRY, RILEY, recordingLogger, scenario, sessionFor, tenantByName, useSandbox } from '../helpers';

describe('HTTP layer over the sandbox', () => {
  const sandbox = useSandbox();
  const fabrikam = tenantByName('Fabrikam Labs');

  it('retries a 429 after the Retry-After the service asked for, then succeeds', async () => {
    sandbox().setFaults({ rules: [{ match: '^/arm/subscriptions\\?', fault: 429, times: 1, retryAfterSeconds: 1 }] });
    const started = Date.now();
    const subs = await sessionFor(sandbox()).arm.listSubscriptions(fabrikam);
    const waited = Date.now() - started;
    assert.ok(subs.length > 0);
    assert.equal(sandbox().requestCount(/^\/arm\/subscriptions\?/, 'GET'), 2, 'one throttled attempt, one retry');
    assert.ok(waited >= 950, `waited ${waited} ms; Retry-After was 1 s`);
  });

  it('backs off and retries 503 and 504 without Retry-After', async () => {
    sandbox().setFaults({ rules: [{ match: '^/arm/tenants', fault: 503, times: 1 }, { match: '^/arm/tenants', fault: 504, times: 1 }] });
    const tenants = await sessionFor(sandbox()).arm.listTenants();
    assert.ok(tenants.some((t) => t.tenantId === fabrikam));
    assert.equal(sandbox().requestCount(/^\/arm\/tenants/), 3);
  });

  it('gives a typed throttled error when retries run out', async () => {
    sandbox().setFaults({ rules: [{ match: '^/arm/tenants', fault: 429, times: 'always', retryAfterSeconds: 0 }] });
    await assert.rejects(sessionFor(sandbox()).arm.listTenants(), (e: unknown) => e instanceof AzureError && e.kind === 'throttled' && e.status === 429);
    assert.equal(sandbox().requestCount(/^\/arm\/tenants/), 1 + 4, 'first attempt plus maxRetries');
  });

  for (const status of [408, 500, 502, 503, 504] as const) {
    it(`retries a ${status} on a GET, like Azure's own clients`, async () => {
      sandbox().setFaults({ rules: [{ match: '^/arm/tenants', fault: status, times: 1 }] });
      const tenants = await sessionFor(sandbox()).arm.listTenants();
      assert.ok(tenants.some((t) => t.tenantId === fabrikam));
      assert.equal(sandbox().requestCount(/^\/arm\/tenants/), 2);
    });
  }

  it('gives a typed server error naming the status when 500s go on', async () => {
    sandbox().setFaults({ rules: [{ match: '^/arm/tenants', fault: 500, times: 'always' }] });
    await assert.rejects(sessionFor(sandbox()).arm.listTenants(), (e: unknown) => e instanceof AzureError && e.kind === 'server' && e.status === 500);
    assert.equal(sandbox().requestCount(/^\/arm\/tenants/), 1 + 4, 'first attempt plus maxRetries');
  });

  it('does not repeat a POST that may have happened after a 500', async () => {
    sandbox().setFaults({ rules: [{ match: 'acceptChangeTenant', fault: 500, times: 1 }] });
    await assert.rejects(sessionFor(sandbox()).arm.acceptChangeTenant(fabrikam, '00000000-0000-4000-8000-000000000000'), (e: unknown) => e instanceof AzureError && e.kind === 'server');
    assert.equal(sandbox().requestCount(/acceptChangeTenant/, 'POST'), 1);
  });

  it('retries the token endpoint after a reset and a 500 (asking for a token again is harmless)', async () => {
    sandbox().setFaults({ rules: [{ match: '^/token', fault: 'reset', times: 1 }, { match: '^/token', fault: 500, times: 1 }] });
    const session = sessionFor(sandbox());
    const token = await session.auth.getToken({ account: session.account, tenantId: fabrikam, resource: 'arm' });
    assert.ok(token.token.length > 0);
    assert.equal(sandbox().requestCount(/^\/token/, 'POST'), 3);
  });

  it('retries Graph getByIds (a POST that only reads) after a reset', async () => {
    sandbox().setFaults({ rules: [{ match: 'getByIds', fault: 'reset', times: 1 }] });
    const objects = await sessionFor(sandbox()).graph(fabrikam).getByIds([scenario().tenants.find((t) => t.tenantId === fabrikam)?.users[0]?.id ?? '']);
    assert.equal(objects.length, 1);
    assert.equal(sandbox().requestCount(/getByIds/, 'POST'), 2);
  });

  it('says how long to wait when a Retry-After is too long to wait out', async () => {
    sandbox().setFaults({ rules: [{ match: '^/arm/tenants', fault: 429, times: 1, retryAfterSeconds: 600 }] });
    await assert.rejects(sessionFor(sandbox()).arm.listTenants(), (e: unknown) => e instanceof AzureError && e.kind === 'throttled' && e.retryAfterSeconds === 600 && /wait 10 min/.test(e.message));
    assert.equal(sandbox().requestCount(/^\/arm\/tenants/), 1, 'not sat out');
  });

  it('keeps an AADSTS description to its first line (no raw CR reaches a terminal)', async () => {
    const session = sessionFor(sandbox(), 'nobody@nowhere.example');
    await assert.rejects(session.auth.getToken({ account: session.account, tenantId: fabrikam, resource: 'arm' }), (e: unknown) => e instanceof AzureError && /^AADSTS\d+/.test(e.message) && !/[\r\n]/.test(e.message));
  });

  it('times an attempt out as a network error, and retries it when safe', async () => {
    sandbox().setFaults({ latencyMs: 300, rules: [] });
    const log = recordingLogger();
    const http = new HttpLayer({ logger: log, retry: { ...FAST_RETRY, maxRetries: 1, attemptTimeoutMs: 100 } });
    await assert.rejects(http.send({ service: 'arm', method: 'GET', url: `${sandbox().baseUrl}/arm/tenants` }), (e: unknown) => e instanceof AzureError && e.kind === 'network' && /No response within/.test(e.message));
    assert.equal(log.lines.filter((l) => l.startsWith('GET /arm/tenants')).length, 2, log.lines.join('\n'));
  });

  it('retries a reset connection for a GET', async () => {
    sandbox().setFaults({ rules: [{ match: '^/arm/tenants', fault: 'reset', times: 1 }] });
    const tenants = await sessionFor(sandbox()).arm.listTenants();
    assert.ok(tenants.length >= 3);
  });

  it('does not retry a POST whose connection was reset: it may have happened', async () => {
    sandbox().setFaults({ rules: [{ match: 'acceptChangeTenant', fault: 'reset', times: 1 }] });
    const arm = sessionFor(sandbox()).arm;
    await assert.rejects(arm.acceptChangeTenant(fabrikam, '00000000-0000-4000-8000-000000000000'), (e: unknown) => e instanceof AzureError && e.kind === 'network');
    assert.equal(sandbox().requestCount(/acceptChangeTenant/, 'POST'), 1);
  });

  it('retries a cut-off JSON body on a GET', async () => {
    sandbox().setFaults({ rules: [{ match: '^/arm/tenants', fault: 'malformed', times: 1 }] });
    const tenants = await sessionFor(sandbox()).arm.listTenants();
    assert.ok(tenants.some((t) => t.tenantId === fabrikam));
    assert.equal(sandbox().requestCount(/^\/arm\/tenants/), 2);
  });

  it('reports a body that stays malformed as malformed, not as data', async () => {
    sandbox().setFaults({ rules: [{ match: '^/arm/tenants', fault: 'malformed', times: 'always' }] });
    await assert.rejects(sessionFor(sandbox()).arm.listTenants(), (e: unknown) => e instanceof AzureError && e.kind === 'malformed');
  });

  it('cancels a request in flight', async () => {
    sandbox().setFaults({ latencyMs: 2000 });
    const controller = new AbortController();
    const pending = sessionFor(sandbox()).arm.listTenants(controller.signal);
    setTimeout(() => { controller.abort(); }, 50);
    await assert.rejects(pending, (e: unknown) => e instanceof AzureError && e.kind === 'cancelled');
  });

  it('logs method, path, status and duration — never the token', async () => {
    const log = recordingLogger();
    const session = sessionFor(sandbox(), RILEY, log);
    await session.arm.listSubscriptions(fabrikam);
    const token = (await session.auth.getToken({ account: session.account, tenantId: fabrikam, resource: 'arm' })).token;
    assert.ok(log.lines.some((l) => /^GET \/arm\/subscriptions\?api-version=2022-12-01 → 200 \(\d+ ms\)/.test(l)), log.lines.join('\n'));
    assert.ok(log.lines.every((l) => !l.includes(token) && !/bearer/i.test(l)));
  });

  it('redacts secrets in logged queries', () => {
    assert.equal(redactUrl('https://x/a?api-version=1&$skiptoken=abc&code=zz'), '/a?api-version=1&$skiptoken=***&code=***');
  });

  it('maps a connection refused to a network error', async () => {
    const http = new HttpLayer({ retry: { ...FAST_RETRY, maxRetries: 1 } });
    await assert.rejects(http.send({ service: 'arm', method: 'GET', url: 'http://127.0.0.1:1/arm/tenants' }), (e: unknown) => e instanceof AzureError && e.kind === 'network');
  });
});
