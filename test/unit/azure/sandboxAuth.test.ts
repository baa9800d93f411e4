// Tokens from the sandbox's token endpoint: fetched once per account, directory and resource, even when many
// requests ask at the same moment (a fleet plan asks for the same directory's token once per subscription).
import assert from 'node:assert/strict';
import { HttpLayer } from '../../../src/azure/http';
import { SandboxTokenAuth } from '../../../src/azure/sandboxAuth';
import { RILEY, tenantByName, useSandbox } from '../helpers';

describe('sandbox token adapter', () => {
  const sandbox = useSandbox();

  it('shares one token request among callers that ask at once', async () => {
    const auth = new SandboxTokenAuth(new HttpLayer(), sandbox().baseUrl, RILEY);
    const account = { id: RILEY, label: RILEY };
    const tenantId = tenantByName('Fabrikam Labs');
    const tokens = await Promise.all(Array.from({ length: 20 }, () => auth.getToken({ account, tenantId, resource: 'arm' })));
    assert.equal(new Set(tokens.map((t) => t.token)).size, 1);
    assert.equal(sandbox().requestCount(/^\/token/, 'POST'), 1);
    await auth.getToken({ account, tenantId, resource: 'graph' });
    assert.equal(sandbox().requestCount(/^\/token/, 'POST'), 2);
  });

  it("reuses the default account's first token for its home directory, named or as 'organizations'", async () => {
    const auth = new SandboxTokenAuth(new HttpLayer(), sandbox().baseUrl);
    const [account] = await auth.getAccounts();
    assert.equal(account?.id, RILEY);
    assert.equal(sandbox().requestCount(/^\/token/, 'POST'), 1);
    const home = await auth.getToken({ account: { id: RILEY, label: RILEY }, tenantId: tenantByName('Fabrikam Labs'), resource: 'arm' });
    const organizations = await auth.getToken({ account: { id: RILEY, label: RILEY }, tenantId: 'organizations', resource: 'arm' });
    assert.equal(home.token, organizations.token);
    assert.equal(sandbox().requestCount(/^\/token/, 'POST'), 1, 'no second request for the home directory');
    await auth.getToken({ account: { id: RILEY, label: RILEY }, tenantId: tenantByName('Contoso Ltd'), resource: 'arm' });
    assert.equal(sandbox().requestCount(/^\/token/, 'POST'), 2, 'another directory asks');
  });
});
