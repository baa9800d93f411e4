import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'tenantlink.azure-tenant-link';

describe('activation', () => {
  it('runs on the VS Code version the runner started', () => {
    console.log(`vscode.version = ${vscode.version}`);
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    const expected = process.env.TENANT_LINK_EXPECT_VSCODE;
    if (expected) assert.equal(vscode.version, expected);
  });

  it(`finds ${EXTENSION_ID} (the development copy)`, () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    const devPath = process.env.TENANT_LINK_DEV_PATH;
    if (devPath) assert.equal(path.resolve(ext.extensionUri.fsPath), path.resolve(devPath));
  });

  it('activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers azureTenantLink.refresh', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('azureTenantLink.refresh'), 'azureTenantLink.refresh is not among the registered commands');
  });

  it('sees the sandbox setting the runner wrote to the user settings', function () {
    if (!process.env.TENANT_LINK_EXPECT_VSCODE) this.skip(); // only the project's runner writes it
    assert.equal(vscode.workspace.getConfiguration('azureTenantLink').get('sandbox.startOnActivation'), true);
  });
});
