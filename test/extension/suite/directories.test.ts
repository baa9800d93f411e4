/**
 * The Directories view and the commands on it, inside a real VS Code, against the sandbox the extension starts on
 * activation (the runner sets azureTenantLink.sandbox.startOnActivation). Expectations come from the sandbox's
 * default scenario, which the extension host reads from the running sandbox.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RenderedNode } from '../../../src/extension';
import { EXTENSION_ID, api, sandboxStarted, waitFor } from '../helpers';

const CONTOSO = '22222222-2222-4222-8222-222222222222';
const NORTHWIND = '33333333-3333-4333-8333-333333333333';
const PRODUCTION = 'a1a1a1a1-0000-4000-8000-000000000001';

function sandboxAccount(tree: RenderedNode[]): RenderedNode {
  const account = tree.find((n) => n.contextValue === 'azureTenantLink.account.sandbox');
  assert.ok(account, `no sandbox account in ${JSON.stringify(tree.map((n) => n.label))}`);
  return account;
}

function directory(account: RenderedNode, name: string): RenderedNode {
  const d = account.children?.find((c) => c.label === name);
  assert.ok(d, `no directory ${name} under ${account.label}: ${JSON.stringify(account.children?.map((c) => c.label))}`);
  return d;
}

describe('Directories view (sandbox)', function () {
  this.timeout(60_000);

  before(sandboxStarted);

  afterEach(async () => {
    await vscode.workspace.getConfiguration('azureTenantLink').update('directoryFilter', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows the sandbox account → directories → subscriptions', async () => {
    const a = await api();
    await a.whenTreeLoaded();
    const account = sandboxAccount(await a.renderTree());
    assert.match(account.label, /riley@fabrikamlabs\.onmicrosoft\.com/);
    assert.match(account.label, /Sandbox/);
    const fabrikam = directory(account, 'Fabrikam Labs');
    assert.match(fabrikam.description ?? '', /fabrikamlabs\.onmicrosoft\.com/);
    const subs = fabrikam.children?.map((c) => `${c.label} | ${c.description ?? ''}`) ?? [];
    assert.ok(subs.includes('Fabrikam Production | Enabled · Pay-As-You-Go'), subs.join('\n'));
    assert.ok(subs.some((s) => /^Fabrikam Partner Plan \| Enabled · CSP\s+\(can't change directory\)$/.test(s)), subs.join('\n'));
  });

  it('marks the Office 365 directory and the one that needs its own sign-in', async () => {
    const a = await api();
    await a.whenTreeLoaded();
    const account = sandboxAccount(await a.renderTree());
    assert.match(directory(account, 'Contoso Ltd').description ?? '', /\[Office 365\]/);
    assert.doesNotMatch(directory(account, 'Tailspin Toys').description ?? '', /\[Office 365\]/);
    assert.match(directory(account, 'Tailspin Toys').description ?? '', /\[Office 365\?\]/, 'not known: never shown as no');
    const northwind = directory(account, 'Northwind Traders');
    assert.equal(northwind.contextValue, 'azureTenantLink.directory.needsSignIn');
    assert.match(northwind.description ?? '', /sign in required/);
  });

  it('filters to Office 365 directories, keeping the ones not known to be or not (unknown is not no)', async () => {
    const a = await api();
    await a.whenTreeLoaded();
    await vscode.workspace.getConfiguration('azureTenantLink').update('directoryFilter', 'office365', vscode.ConfigurationTarget.Global);
    const names = await waitFor('the filter to apply', async () => {
      const labels = sandboxAccount(await a.renderTree()).children?.map((c) => c.label) ?? [];
      return labels.includes('Fabrikam Labs') ? undefined : labels;
    });
    // Whether Northwind (needs its own sign-in) and Tailspin (Graph will not say) are Office 365 is not known: they stay.
    assert.deepEqual(names, ['Contoso Ltd', 'Northwind Traders', 'Tailspin Toys']);
  });

  it('asks before signing in to a directory that needs its own sign-in (the answer is a UI-tier test)', async () => {
    const a = await api();
    await a.whenTreeLoaded();
    const node = a.directoryNode(NORTHWIND);
    assert.ok(node && node.kind === 'directory' && !node.directory.signedIn);
    // Inside extension tests VS Code refuses dialogs, so the consent prompt surfaces as a refusal: proof that the
    // interactive path (VSCODE_TENANT session, createIfNone) was taken rather than a silent one.
    await assert.rejects(
      Promise.resolve(vscode.authentication.getSession('azureTenantLink.sandbox', ['https://management.core.windows.net/.default', `VSCODE_TENANT:${NORTHWIND}`], { createIfNone: true, account: { id: 'riley@fabrikamlabs.onmicrosoft.com', label: 'riley@fabrikamlabs.onmicrosoft.com' } })),
      /wants to sign in using Azure Sandbox/,
    );
    const silent = await vscode.authentication.getSession('azureTenantLink.sandbox', ['https://management.core.windows.net/.default', `VSCODE_TENANT:${NORTHWIND}`], { silent: true });
    assert.equal(silent, undefined, 'no silent session for an MFA directory');
  });

  it('opens the link wizard with the subscription chosen from an Azure Resources subscription node', async () => {
    const a = await api();
    await a.whenTreeLoaded();
    // The shape Azure Resources passes for `azureextensionui.azureSubscription` (read defensively by the extension).
    const azureResourcesNode = {
      id: `/accounts/riley/tenants/11111111-1111-4111-8111-111111111111/subscriptions/${PRODUCTION}`,
      subscription: { subscriptionId: PRODUCTION, tenantId: '11111111-1111-4111-8111-111111111111', name: 'Fabrikam Production' },
    };
    await vscode.commands.executeCommand('azureTenantLink.linkSubscription', azureResourcesNode);
    assert.deepEqual(a.openWizards(), [PRODUCTION]);
    const tab = await waitFor('the wizard tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /Fabrikam Production/.test(t.label)));
    assert.ok(tab.input instanceof vscode.TabInputWebview, `tab input ${JSON.stringify(tab.input)}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('saves an access snapshot of a subscription that parses and holds every role assignment', async () => {
    const a = await api();
    await a.whenTreeLoaded();
    const folder = mkdtempSync(join(tmpdir(), 'atl-snapshots-'));
    const settings = vscode.workspace.getConfiguration('azureTenantLink');
    await settings.update('snapshotFolder', folder, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('azureTenantLink.saveSnapshot', PRODUCTION);
      // A sandbox snapshot goes to the folder's `sandbox` subfolder, never beside a real cloud's.
      assert.deepEqual(readdirSync(folder), ['sandbox']);
      const saved = join(folder, 'sandbox');
      const files = readdirSync(saved);
      const json = files.find((f) => f.endsWith('.json'));
      assert.ok(json, `snapshot files: ${files.join(', ')}`);
      assert.ok(files.some((f) => f.endsWith('.csv')), 'a CSV for people beside it');
      const snapshot = JSON.parse(readFileSync(join(saved, json), 'utf8')) as { format: string; subscription: { id: string }; roleAssignments: unknown[] };
      assert.equal(snapshot.format, 'azure-tenant-link/snapshot');
      assert.equal(snapshot.subscription.id, PRODUCTION);
      assert.equal(snapshot.roleAssignments.length, 39 + 12 + 2 + 2, 'the default scenario (its expectedCounts): subscription, resource-group, resource and inherited assignments');
      assert.doesNotMatch(readFileSync(join(saved, json), 'utf8'), /eyJ[\w-]+\.eyJ/, 'no token in the file');
    } finally {
      await settings.update('snapshotFolder', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const contributed = (ext?.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
  });

  it('knows the Office 365 directory by id', async () => {
    const a = await api();
    await a.whenTreeLoaded();
    const node = a.directoryNode(CONTOSO);
    assert.ok(node && node.kind === 'directory' && node.directory.office365 === true);
  });
});
