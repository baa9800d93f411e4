// The extension tier's stand-in for VS Code's Microsoft sign-in (test/fixtures/sign-in-stand-in): its scope parsing
// follows VS Code's documentation, and it never ships.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScopes } from '../fixtures/sign-in-stand-in/scopes';

const T = '22222222-2222-4222-8222-222222222222';

describe('sign-in stand-in (tests only)', () => {
  it('reads VSCODE_TENANT, VSCODE_CLIENT_ID and the resource as VS Code\'s Microsoft sign-in documents them', () => {
    assert.deepEqual(parseScopes(['https://management.core.windows.net//.default']), { tenantId: 'organizations', resource: 'arm', clientId: undefined });
    assert.deepEqual(parseScopes(['https://management.core.usgovcloudapi.net/.default', `VSCODE_TENANT:${T}`]), { tenantId: T, resource: 'arm', clientId: undefined });
    assert.deepEqual(parseScopes(['https://graph.microsoft.com/.default', `VSCODE_TENANT:${T}`, 'VSCODE_CLIENT_ID:app']), { tenantId: T, resource: 'graph', clientId: 'app' });
    assert.equal(parseScopes(['https://dod-graph.microsoft.us/User.Read']).resource, 'graph');
    assert.equal(parseScopes(['https://microsoftgraph.chinacloudapi.cn/.default']).resource, 'graph');
    assert.equal(parseScopes(['https://127.0.0.1:8443/graph/.default']).resource, 'graph');
    assert.equal(parseScopes(['https://127.0.0.1:8443/arm/.default']).resource, 'arm');
    assert.equal(parseScopes(['User.Read', 'offline_access']).resource, 'graph', 'a bare scope is Graph\'s');
    assert.equal(parseScopes(['openid', 'profile']).resource, 'graph', 'only OIDC scopes: User.Read is added');
    assert.equal(parseScopes(['VSCODE_TENANT:']).tenantId, 'organizations');
  });

  it('refuses a list that mixes resources (one token covers one resource)', () => {
    assert.equal(parseScopes(['https://management.azure.com/.default', 'https://graph.microsoft.com/.default']).resource, undefined);
  });

  it('is never in the vsix: .vscodeignore is an allow-list that lets no test file in', () => {
    const lines = readFileSync(join(__dirname, '..', '..', '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    assert.equal(lines[0], '**', 'everything is excluded first');
    const allowed = lines.filter((l) => l.startsWith('!'));
    assert.ok(allowed.length > 0);
    for (const l of allowed) assert.doesNotMatch(l, /^!(\*\*\/?)?(test|dist\/test)\b|^!dist\/\*\*/, l);
  });
});
