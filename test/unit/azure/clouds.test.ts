// The clouds the editor's Microsoft sign-in can be set to (`microsoft-sovereign-cloud.environment`): hosts, token
// scopes, portal links and Microsoft Graph hosts as Microsoft documents them —
// ARM hosts and audiences: Azure/ms-rest-azure-env `lib/azureEnvironment.ts`; Graph hosts per cloud (GCC High, DoD,
// 21Vianet) and portals: https://learn.microsoft.com/graph/deployments; the VSCODE_ scopes:
// https://code.visualstudio.com/api/references/vscode-api#authentication.
import assert from 'node:assert/strict';
import { CloudConfigurationError, cloudFromSettings, portalSubscriptionUrl, scopeFor, type Cloud } from '../../../src/azure/clouds';
import { scopesFor } from '../../../src/azure/scopes';

const TENANT = '22222222-2222-4222-8222-222222222222';
const SUB = 'a1a1a1a1-0000-4000-8000-000000000001';
const APP = '0c6f0f59-8f0e-4f4a-9d8e-1234567890ab';

interface Expected {
  readonly provider: string;
  readonly arm: string;
  readonly armScope: string;
  readonly graphScope: string;
  readonly portal: string;
}

function check(cloud: Cloud, e: Expected): void {
  assert.equal(cloud.authProviderId, e.provider);
  assert.equal(cloud.armUrl, e.arm);
  assert.equal(scopeFor(cloud, 'arm'), e.armScope);
  assert.equal(scopeFor(cloud, 'graph'), e.graphScope);
  assert.equal(portalSubscriptionUrl(cloud, TENANT, SUB), `${e.portal}/#@${TENANT}/resource/subscriptions/${SUB}/overview`);
  assert.deepEqual(scopesFor(cloud, { tenantId: TENANT, resource: 'arm' }), [e.armScope, `VSCODE_TENANT:${TENANT}`]);
  assert.deepEqual(scopesFor(cloud, { tenantId: TENANT, resource: 'graph' }, APP), [e.graphScope, `VSCODE_TENANT:${TENANT}`, `VSCODE_CLIENT_ID:${APP}`]);
}

describe('clouds: hosts, scopes, portal links and Graph hosts', () => {
  it('Azure (no sovereign cloud set) signs in with the microsoft provider', () => {
    for (const environment of [undefined, '']) {
      check(cloudFromSettings({ environment }), {
        provider: 'microsoft',
        arm: 'https://management.azure.com',
        armScope: 'https://management.core.windows.net/.default',
        graphScope: 'https://graph.microsoft.com/.default',
        portal: 'https://portal.azure.com',
      });
    }
  });

  it('Azure US Government: usgovcloudapi.net, GCC High Graph by default, DoD Graph through graphEndpoint', () => {
    const cloud = cloudFromSettings({ environment: 'USGovernment' });
    check(cloud, {
      provider: 'microsoft-sovereign-cloud',
      arm: 'https://management.usgovcloudapi.net',
      armScope: 'https://management.core.usgovcloudapi.net/.default',
      graphScope: 'https://graph.microsoft.us/.default',
      portal: 'https://portal.azure.us',
    });
    assert.equal(cloud.loginUrl, 'https://login.microsoftonline.us');
    const dod = cloudFromSettings({ environment: 'USGovernment', graphEndpoint: 'https://dod-graph.microsoft.us/' });
    assert.equal(dod.graphUrl, 'https://dod-graph.microsoft.us');
    assert.equal(scopeFor(dod, 'graph'), 'https://dod-graph.microsoft.us/.default');
    assert.equal(dod.armUrl, cloud.armUrl, 'the Graph override leaves ARM alone');
  });

  it('Azure operated by 21Vianet (China): chinacloudapi.cn, its own Graph host and portal', () => {
    const cloud = cloudFromSettings({ environment: 'ChinaCloud' });
    check(cloud, {
      provider: 'microsoft-sovereign-cloud',
      arm: 'https://management.chinacloudapi.cn',
      armScope: 'https://management.core.chinacloudapi.cn/.default',
      graphScope: 'https://microsoftgraph.chinacloudapi.cn/.default',
      portal: 'https://portal.azure.cn',
    });
    assert.equal(cloud.loginUrl, 'https://login.chinacloudapi.cn');
  });

  it('custom: every host from microsoft-sovereign-cloud.customEnvironment (trailing slashes trimmed)', () => {
    const cloud = cloudFromSettings({
      environment: 'custom',
      customEnvironment: {
        name: 'Contoso Stack',
        portalUrl: 'https://portal.stack.contoso.example/',
        resourceManagerEndpointUrl: 'https://arm.stack.contoso.example/',
        managementEndpointUrl: 'https://management.stack.contoso.example/',
        activeDirectoryEndpointUrl: 'https://login.stack.contoso.example/',
        microsoftGraphEndpointUrl: 'https://graph.stack.contoso.example/',
      },
    });
    check(cloud, {
      provider: 'microsoft-sovereign-cloud',
      arm: 'https://arm.stack.contoso.example',
      armScope: 'https://management.stack.contoso.example/.default',
      graphScope: 'https://graph.stack.contoso.example/.default',
      portal: 'https://portal.stack.contoso.example',
    });
    assert.equal(cloud.displayName, 'Contoso Stack');
    assert.equal(cloud.loginUrl, 'https://login.stack.contoso.example');
  });

  it('custom without a management endpoint asks for the ARM host itself as the audience', () => {
    const cloud = cloudFromSettings({ environment: 'custom', customEnvironment: { resourceManagerEndpointUrl: 'https://127.0.0.1:8443/arm' } });
    assert.equal(scopeFor(cloud, 'arm'), 'https://127.0.0.1:8443/arm/.default');
  });

  it('refuses a custom cloud that is not configured, or with a plain-http ARM endpoint, and an unknown environment', () => {
    assert.throws(() => cloudFromSettings({ environment: 'custom' }), CloudConfigurationError);
    assert.throws(() => cloudFromSettings({ environment: 'custom', customEnvironment: { resourceManagerEndpointUrl: 'http://arm.example' } }), /https resourceManagerEndpointUrl/);
    assert.throws(() => cloudFromSettings({ environment: 'GermanCloud' }), /Unknown value "GermanCloud"/);
  });

  it('asks for the home directory without VSCODE_TENANT, and sends VSCODE_CLIENT_ID only for Graph', () => {
    const cloud = cloudFromSettings({ environment: 'USGovernment' });
    assert.deepEqual(scopesFor(cloud, { tenantId: 'organizations', resource: 'arm' }, APP), ['https://management.core.usgovcloudapi.net/.default']);
    assert.deepEqual(scopesFor(cloud, { tenantId: TENANT, resource: 'arm' }, APP), ['https://management.core.usgovcloudapi.net/.default', `VSCODE_TENANT:${TENANT}`]);
    assert.deepEqual(scopesFor(cloud, { tenantId: TENANT, resource: 'graph' }), ['https://graph.microsoft.us/.default', `VSCODE_TENANT:${TENANT}`]);
  });
});
