import assert from 'node:assert/strict';
import { nextLinkDecision } from '../../../src/azure/paging';
import { GET_TENANTS, SUBSCRIBED_SKUS } from '../fixtures/microsoftExamples';
import { HttpLayer } from '../../../src/azure/http';
import { SandboxTokenAuth } from '../../../src/azure/sandboxAuth';
import { AzureSession } from '../../../src/azure/session';
import { RILEY, recordingLogger, sessionFor, tenantByName, useSandbox } from '../helpers';

describe('paging: a malformed nextLink ends the listing with a warning, never a request elsewhere', () => {
  const sandbox = useSandbox();
  const fabrikam = tenantByName('Fabrikam Labs');

  function replay(match: string, body: unknown): void {
    sandbox().setFaults({ rules: [{ match, fault: 'reply', body }] });
  }

  it('GetTenants.json as published ("nextLink": "..."): the three tenants are kept and nothing else is requested', async () => {
    replay('^/arm/tenants\\?', GET_TENANTS);
    const warnings: string[] = [];
    const http = new HttpLayer();
    const session = new AzureSession(http, new SandboxTokenAuth(http, sandbox().baseUrl, RILEY), { id: RILEY, label: RILEY }, { onWarning: (m) => warnings.push(m) });
    const tenants = await session.arm.listTenants();
    assert.deepEqual(tenants.map((t) => t.displayName), ['Test_Test_aad50', 'Contoso Corp.', 'TEST_TEST_RDV']);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /GET \/arm\/tenants: stopped paging .* not an absolute URL; the list may be incomplete/);
    const arm = sandbox().requestLog.filter((e) => e.path.startsWith('/arm'));
    assert.deepEqual(arm.map((e) => e.path), ['/arm/tenants'], 'no request to /arm/... or any other path');
  });

  for (const [label, link] of [
    ['a relative link', '/arm/tenants?api-version=2022-12-01&$skipToken=2'],
    ['garbage', '%%% not a url'],
    ['another host', 'https://attacker.example/arm/tenants?$skipToken=2'],
    ['a path outside the API', 'PLACEHOLDER/graph/v1.0/me'],
  ] as const) {
    it(`${label} as nextLink: rows kept, warning in the log, no second request`, async () => {
      const next = link.replace('PLACEHOLDER', sandbox().baseUrl);
      replay('^/arm/tenants\\?', { ...GET_TENANTS, nextLink: next });
      const log = recordingLogger();
      const tenants = await sessionFor(sandbox(), undefined, log).arm.listTenants();
      assert.equal(tenants.length, 3);
      assert.ok(log.lines.some((l) => /stopped paging/.test(l)), 'the default sink is the HTTP layer log');
      assert.equal(sandbox().requestCount(/^\/(arm|graph)\//), 1);
    });
  }

  it('Graph: subscribedSkus with a malformed @odata.nextLink keeps the SKUs read', async () => {
    replay('^/graph/v1.0/subscribedSkus', { ...SUBSCRIBED_SKUS, '@odata.nextLink': 'https://graph.microsoft.com/v1.0/subscribedSkus?$skiptoken=X' });
    const log = recordingLogger();
    const skus = await sessionFor(sandbox(), undefined, log).graph(fabrikam).subscribedSkus();
    assert.deepEqual(skus.map((s) => s.skuPartNumber), ['ENTERPRISEPREMIUM', 'CRMSTANDARD']);
    assert.ok(log.lines.some((l) => /GET \/subscribedSkus: stopped paging .*another host \(graph\.microsoft\.com\)/.test(l)));
    assert.equal(sandbox().requestCount(/^\/graph\//), 1);
  });

  it('a well-formed link on the same API is followed (real paging keeps working)', async () => {
    sandbox().setPageSize(1);
    const tenants = await sessionFor(sandbox()).arm.listTenants();
    assert.ok(tenants.length > 1);
    assert.equal(sandbox().requestCount(/^\/arm\/tenants/), tenants.length, 'one page per tenant');
  });

  it('nextLinkDecision: the rules in one table', () => {
    const base = 'http://127.0.0.1:7071/arm';
    const cur = 'http://127.0.0.1:7071/arm/tenants?api-version=1';
    assert.deepEqual(nextLinkDecision(undefined, base, cur, 'x'), { stop: 'end' });
    assert.deepEqual(nextLinkDecision(null, base, cur, 'x'), { stop: 'end' });
    assert.deepEqual(nextLinkDecision('http://127.0.0.1:7071/arm/tenants?$skipToken=2', base, cur, 'x'), { follow: 'http://127.0.0.1:7071/arm/tenants?$skipToken=2' });
    assert.equal('warning' in nextLinkDecision(cur, base, cur, 'x'), true, 'a link to the same page would loop');
    assert.equal('warning' in nextLinkDecision('http://127.0.0.1:7071/arm/../_sandbox/reset', base, cur, 'x'), true);
    assert.equal('warning' in nextLinkDecision('http://127.0.0.1:7072/arm/tenants', base, cur, 'x'), true, 'another port is another origin');
    assert.deepEqual(nextLinkDecision('https://management.azure.com/tenants?$skiptoken=a', 'https://management.azure.com', 'https://management.azure.com/tenants', 'x'), { follow: 'https://management.azure.com/tenants?$skiptoken=a' });
  });
});
