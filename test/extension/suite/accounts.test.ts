/**
 * Several accounts in the Directories view, inside a real VS Code on the sandbox the extension starts on activation:
 * two sandbox accounts at once, each with its directories and its role in each; signing out of one; signing back in.
 * (The editor's consent dialog before the sandbox's account picker cannot be answered in this tier, so an account is
 * chosen through the test hook that stands in for the picker; the UI tier clicks through the real dialog and picker.)
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RenderedNode } from '../../../src/extension';
import { api, sandboxStarted, waitFor } from '../helpers';

const RILEY = 'riley@fabrikamlabs.onmicrosoft.com';
const MEGAN = 'megan@contoso.com';
const PROVIDER = 'azureTenantLink.sandbox';

const accountRow = (tree: RenderedNode[], upn: string): RenderedNode | undefined => tree.find((n) => n.contextValue === 'azureTenantLink.account.sandbox' && n.label.startsWith(upn));

/** "<directory> | <description>" of every directory under the account, once each signed-in one says its role. */
async function directoriesWithRoles(upn: string): Promise<string[]> {
  const a = await api();
  return waitFor(`${upn}'s directories with their roles`, async () => {
    await a.whenTreeLoaded();
    const rows = accountRow(await a.renderTree(), upn)?.children?.filter((c) => c.contextValue?.startsWith('azureTenantLink.directory'));
    if (!rows?.length) return undefined;
    const signedIn = rows.filter((r) => r.contextValue === 'azureTenantLink.directory');
    return signedIn.every((r) => /·/.test(r.description ?? '')) ? rows.map((r) => `${r.label} | ${r.description ?? ''}`) : undefined;
  });
}

describe('Directories view: several accounts', function () {
  this.timeout(60_000);

  before(sandboxStarted);

  it('shows two sandbox accounts at once, each with its directories and its role in each', async () => {
    const a = await api();
    await a.pickSandboxAccount(MEGAN);
    const megan = await directoriesWithRoles(MEGAN);
    assert.ok(megan.some((d) => /^Contoso Ltd \| Global Administrator · contoso\.com/.test(d)), megan.join('\n'));
    assert.ok(megan.some((d) => /^Fabrikam Labs \| guest · /.test(d)), megan.join('\n'));
    const riley = await directoriesWithRoles(RILEY);
    assert.ok(riley.some((d) => /^Fabrikam Labs \| Global Administrator · fabrikamlabs\.onmicrosoft\.com/.test(d)), riley.join('\n'));
    assert.ok(riley.some((d) => /^Contoso Ltd \| member · contoso\.com\s+\[Office 365\]$/.test(d)), riley.join('\n'));
    // The directory that needs its own sign-in (MFA) is not given a guessed role.
    assert.ok(riley.some((d) => /^Northwind Traders \| .*sign in required/.test(d) && !/·/.test(d)), riley.join('\n'));
  });

  it('names the account row for a screen reader: who and what, not the tooltip', async () => {
    const a = await api();
    await a.whenTreeLoaded();
    const row = accountRow(await a.renderTree(), RILEY);
    assert.ok(row);
    assert.match(row.accessibilityLabel ?? '', /^Account riley@fabrikamlabs\.onmicrosoft\.com, Azure Sandbox/);
    assert.doesNotMatch(row.accessibilityLabel ?? '', /^Emulated Azure at/);
  });

  it('signs out of one account: its session ends, the other account stays with its directories', async () => {
    const a = await api();
    await directoriesWithRoles(MEGAN);
    const node = a.accountNode(MEGAN);
    assert.ok(node);
    await vscode.commands.executeCommand('azureTenantLink.signOut', node);
    const labels = await waitFor('Megan to leave the view', async () => {
      await a.whenTreeLoaded();
      const tree = await a.renderTree();
      return accountRow(tree, MEGAN) ? undefined : tree.map((n) => n.label);
    });
    assert.equal(labels.filter((l) => l.startsWith(RILEY)).length, 1, labels.join('\n'));
    assert.deepEqual((await vscode.authentication.getAccounts(PROVIDER)).map((x) => x.id), [RILEY]);
    assert.ok((await directoriesWithRoles(RILEY)).some((d) => d.startsWith('Fabrikam Labs')));
  });

  it('signs in with another account after a sign-out: it comes back with its roles', async () => {
    const a = await api();
    await a.pickSandboxAccount(MEGAN);
    const megan = await directoriesWithRoles(MEGAN);
    assert.ok(megan.some((d) => /^Contoso Ltd \| Global Administrator · contoso\.com/.test(d)), megan.join('\n'));
    assert.deepEqual((await vscode.authentication.getAccounts(PROVIDER)).map((x) => x.id).sort(), [MEGAN, RILEY]);
    // Leave the window as the other suites expect it: Riley alone.
    const node = a.accountNode(MEGAN);
    assert.ok(node);
    await vscode.commands.executeCommand('azureTenantLink.signOut', node);
    await waitFor('Megan to leave the view', async () => accountRow(await a.renderTree(), MEGAN) ? undefined : true);
  });

  it('signed out of every sandbox account, Stop then Start Sandbox leaves it signed out; Sign In brings Riley back', async () => {
    const a = await api();
    const node = a.accountNode(RILEY);
    assert.ok(node);
    await vscode.commands.executeCommand('azureTenantLink.signOut', node);
    await waitFor('Riley to leave the view', async () => accountRow(await a.renderTree(), RILEY) ? undefined : true);
    await vscode.commands.executeCommand('azureTenantLink.stopSandbox');
    await vscode.commands.executeCommand('azureTenantLink.startSandbox');
    await waitFor('the sandbox to run again', () => a.sandboxBaseUrl());
    assert.deepEqual((await vscode.authentication.getAccounts(PROVIDER)).map((x) => x.id), [], 'no silent sign-in after the user signed out');
    await a.whenTreeLoaded();
    assert.equal(accountRow(await a.renderTree(), RILEY), undefined);
    // Leave the window as the other suites expect it: Riley signed in (the hook stands in for the account picker).
    await a.pickSandboxAccount(RILEY);
    assert.ok((await directoriesWithRoles(RILEY)).some((d) => d.startsWith('Fabrikam Labs')));
  });
});
