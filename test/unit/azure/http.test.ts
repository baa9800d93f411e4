import assert from 'node:assert/strict';
import { AzureError } from '../../../src/azure/errors';
import { HttpLayer, redactUrl } from '../../../src/azure/http';
import { FAST_RETRY, RILEY, recordingLogger, sessionFor, tenantByName, useSandbox } from '../helpers';

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

  it('does not retry a 500 (not transient by contract) and names the status', async () => {
    sandbox().setFaults({ rules: [{ match: '^/arm/tenants', fault: 500, times: 1 }] });
    await assert.rejects(sessionFor(sandbox()).arm.listTenants(), (e: unknown) => e instanceof AzureError && e.kind === 'server' && e.status === 500);
    assert.equal(sandbox().requestCount(/^\/arm\/tenants/), 1);
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

  it('reports a malformed body as malformed, not as data', async () => {
    sandbox().setFaults({ rules: [{ match: '^/arm/tenants', fault: 'malformed', times: 1 }] });
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
