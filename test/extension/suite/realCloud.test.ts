/**
 * The real-cloud mode (scripts/run-extension-tests.mjs --real-cloud): the built-in sandbox is off and
 * `microsoft-sovereign-cloud.environment` is `custom`, pointed at the sandbox served over TLS. Tokens come from the
 * `microsoft-sovereign-cloud` provider — here the test stand-in (test/fixtures/sign-in-stand-in), in real life VS Code's
 * Microsoft sign-in — through VSCodeAuthAdapter; directories through azureauth; ARM, Graph and portal hosts from the
 * custom environment. The stand-in records every scope list it is asked for, so the scopes are asserted exactly.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi, RenderedNode } from '../../../src/extension';
import { api, waitFor } from '../helpers';

const PROVIDER = 'microsoft-sovereign-cloud';
const RILEY = 'riley@fabrikamlabs.onmicrosoft.com';
const MEGAN = 'megan@contoso.com';
const FABRIKAM = '11111111-1111-4111-8111-111111111111';
const CONTOSO = '22222222-2222-4222-8222-222222222222';
const NORTHWIND = '33333333-3333-4333-8333-333333333333';
const PRODUCTION = 'a1a1a1a1-0000-4000-8000-000000000001';
const CLIENT_ID = '0c6f0f59-8f0e-4f4a-9d8e-1234567890ab';

interface Requested {
  readonly op: string;
  readonly scopes: readonly string[];
  readonly account?: string;
  readonly granted: boolean;
}

function customEnvironment(): { resourceManagerEndpointUrl: string; managementEndpointUrl: string; microsoftGraphEndpointUrl: string } {
  const env = vscode.workspace.getConfiguration(PROVIDER).get<{ resourceManagerEndpointUrl: string; managementEndpointUrl: string; microsoftGraphEndpointUrl: string }>('customEnvironment');
  assert.ok(env, 'the runner sets microsoft-sovereign-cloud.customEnvironment');
  return env;
}

const trim = (u: string): string => u.replace(/\/+$/, '');
const armScope = (): string => `${trim(customEnvironment().managementEndpointUrl)}/.default`;
const graphScope = (): string => `${trim(customEnvironment().microsoftGraphEndpointUrl)}/.default`;

async function requests(): Promise<Requested[]> {
  return vscode.commands.executeCommand<Requested[]>('signInStandIn.requests');
}

const has = (list: readonly Requested[], scopes: readonly string[]): boolean =>
  list.some((r) => r.scopes.length === scopes.length && r.scopes.every((s, i) => s === scopes[i]));

function directory(account: RenderedNode, name: string): RenderedNode {
  const d = account.children?.find((c) => c.label === name);
  assert.ok(d, `no directory ${name} under ${account.label}: ${JSON.stringify(account.children?.map((c) => c.label))}`);
  return d;
}

/** Signs Riley in through the provider (no UI: "signed in earlier") and waits for the view to show the account. */
async function signedInTree(): Promise<{ a: ExtensionApi; account: RenderedNode }> {
  const a = await api();
  await vscode.commands.executeCommand('signInStandIn.signIn', RILEY);
  const account = await waitFor('the account in the Directories view', async () => {
    await a.whenTreeLoaded();
    const tree = await a.renderTree();
    const node = tree.find((n) => n.contextValue === 'azureTenantLink.account');
    return node?.children?.some((c) => c.label === 'Contoso Ltd') ? node : undefined;
  }, 20_000);
  return { a, account };
}

describe('real cloud: the editor\'s Microsoft sign-in (custom cloud) against the TLS sandbox', function () {
  this.timeout(60_000);

  before(() => {
    assert.equal(vscode.workspace.getConfiguration(PROVIDER).get('environment'), 'custom');
    assert.match(customEnvironment().resourceManagerEndpointUrl, /^https:\/\/127\.0\.0\.1:\d+\/arm\/?$/);
  });

  afterEach(async () => {
    await vscode.workspace.getConfiguration('azureTenantLink').update('graphClientId', undefined, vscode.ConfigurationTarget.Global);
  });

  it('runs with the built-in sandbox off and the Microsoft sign-in stand-in as the provider', async () => {
    const a = await api();
    assert.equal(a.sandboxBaseUrl(), undefined);
    assert.ok(vscode.extensions.getExtension('test.microsoft-sign-in-stand-in'), 'the stand-in is installed');
    assert.equal(vscode.extensions.getExtension('vscode.microsoft-authentication'), undefined, 'the built-in Microsoft sign-in is kept out');
  });

  it('fills the Directories view: account, directories (azureauth), Office 365 mark, MFA directory, subscriptions', async () => {
    const { account } = await signedInTree();
    assert.match(account.label, /riley@fabrikamlabs\.onmicrosoft\.com/);
    assert.doesNotMatch(account.label, /Azure Sandbox$/, 'not the built-in sandbox account');
    assert.match(directory(account, 'Contoso Ltd').description ?? '', /\[Office 365\]/);
    const northwind = directory(account, 'Northwind Traders');
    assert.equal(northwind.contextValue, 'azureTenantLink.directory.needsSignIn');
    assert.match(northwind.description ?? '', /sign in required/);
    const subs = directory(account, 'Fabrikam Labs').children?.map((c) => c.label) ?? [];
    assert.ok(subs.includes('Fabrikam Production'), subs.join(', '));
  });

  it('asks for the custom cloud\'s ARM and Graph scopes, VSCODE_TENANT per directory, and no VSCODE_CLIENT_ID', async () => {
    await signedInTree();
    const asked = await requests();
    assert.ok(asked.length > 0, 'the provider was asked');
    for (const r of asked) {
      const resources = r.scopes.filter((s) => !s.startsWith('VSCODE_'));
      assert.equal(resources.length, 1, `one resource per token: ${r.scopes.join(' ')}`);
      assert.ok([armScope(), graphScope()].includes(resources[0] ?? ''), `a scope of the custom cloud: ${r.scopes.join(' ')}`);
      assert.ok(!r.scopes.some((s) => s.startsWith('VSCODE_CLIENT_ID:')), `no VSCODE_CLIENT_ID without azureTenantLink.graphClientId: ${r.scopes.join(' ')}`);
    }
    for (const tenant of [FABRIKAM, CONTOSO, NORTHWIND]) assert.ok(has(asked, [armScope(), `VSCODE_TENANT:${tenant}`]), `ARM for ${tenant}`);
    assert.ok(has(asked, [graphScope(), `VSCODE_TENANT:${CONTOSO}`]), 'Graph for the Office 365 check in Contoso');
    assert.ok(asked.some((r) => !r.granted && r.scopes.includes(`VSCODE_TENANT:${NORTHWIND}`)), 'the MFA directory got no silent session');
  });

  it('adds VSCODE_CLIENT_ID to Graph scopes only, once azureTenantLink.graphClientId is set', async () => {
    const { a } = await signedInTree();
    await vscode.commands.executeCommand('signInStandIn.clearRequests');
    await vscode.workspace.getConfiguration('azureTenantLink').update('graphClientId', CLIENT_ID, vscode.ConfigurationTarget.Global);
    const graph = await waitFor('Graph requests with the client id', async () => {
      await a.whenTreeLoaded();
      const g = (await requests()).filter((r) => r.scopes[0] === graphScope());
      return g.length > 0 ? g : undefined;
    });
    for (const r of graph) assert.ok(r.scopes.includes(`VSCODE_CLIENT_ID:${CLIENT_ID}`), r.scopes.join(' '));
    const arm = (await requests()).filter((r) => r.scopes[0] === armScope());
    assert.ok(arm.length > 0, 'ARM was asked again after the setting changed');
    for (const r of arm) assert.ok(!r.scopes.some((s) => s.startsWith('VSCODE_CLIENT_ID:')), r.scopes.join(' '));
  });

  it('gives no silent session for the MFA directory and asks before signing in to it (the answer is a UI-tier test)', async () => {
    await signedInTree();
    const scopes = [armScope(), `VSCODE_TENANT:${NORTHWIND}`];
    const silent = await vscode.authentication.getSession(PROVIDER, scopes, { silent: true });
    assert.equal(silent, undefined);
    await assert.rejects(
      Promise.resolve(vscode.authentication.getSession(PROVIDER, scopes, { createIfNone: true, account: { id: RILEY, label: RILEY } })),
      /wants to sign in using Microsoft Sovereign Cloud/,
    );
  });

  it('shows several accounts of the provider at once, each with its own directories', async () => {
    const { a } = await signedInTree();
    await vscode.commands.executeCommand('signInStandIn.signIn', MEGAN);
    const megan = await waitFor('Megan\'s account in the Directories view', async () => {
      await a.whenTreeLoaded();
      const node = (await a.renderTree()).find((n) => n.contextValue === 'azureTenantLink.account' && n.label.includes(MEGAN));
      return node?.children?.length ? node : undefined;
    }, 20_000);
    assert.deepEqual(megan.children?.map((c) => c.label).sort(), ['Contoso Ltd', 'Fabrikam Labs']);
    const accounts = (await a.renderTree()).filter((n) => n.contextValue === 'azureTenantLink.account').map((n) => n.label);
    assert.ok(accounts.some((l) => l.includes(RILEY)), accounts.join(', '));
    const asked = await requests();
    assert.ok(asked.some((r) => r.account === MEGAN && r.granted), 'tokens were asked for Megan by account');
  });

  it('saves an access snapshot over the real-cloud path', async () => {
    await signedInTree();
    const folder = mkdtempSync(join(tmpdir(), 'atl-real-cloud-'));
    const settings = vscode.workspace.getConfiguration('azureTenantLink');
    await settings.update('snapshotFolder', folder, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('azureTenantLink.saveSnapshot', PRODUCTION);
      const json = readdirSync(folder).find((f) => f.endsWith('.json'));
      assert.ok(json, readdirSync(folder).join(', '));
      const snapshot = JSON.parse(readFileSync(join(folder, json), 'utf8')) as { subscription: { id: string }; roleAssignments: unknown[] };
      assert.equal(snapshot.subscription.id, PRODUCTION);
      assert.equal(snapshot.roleAssignments.length, 39 + 12 + 2 + 2);
    } finally {
      await settings.update('snapshotFolder', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  // Last: the sign-out is remembered (the editor cannot be asked, without a dialog, to sign Megan in here again).
  it('signs out of one Microsoft account: the view stops using it, the editor keeps its sign-in, Riley stays', async () => {
    const { a } = await signedInTree();
    await vscode.commands.executeCommand('signInStandIn.signIn', MEGAN);
    const meganRow = (tree: RenderedNode[]): RenderedNode | undefined => tree.find((n) => n.contextValue === 'azureTenantLink.account' && n.label.includes(MEGAN));
    await waitFor('Megan\'s account in the Directories view', async () => { await a.whenTreeLoaded(); return meganRow(await a.renderTree()); }, 20_000);
    await vscode.commands.executeCommand('azureTenantLink.signOut', a.accountNode(MEGAN));
    const accounts = await waitFor('Megan to leave the view', async () => {
      await a.whenTreeLoaded();
      const tree = await a.renderTree();
      return meganRow(tree) ? undefined : tree.filter((n) => n.contextValue === 'azureTenantLink.account').map((n) => n.label);
    }, 20_000);
    assert.ok(accounts.some((l) => l.includes(RILEY)), accounts.join(', '));
    assert.ok((await vscode.authentication.getAccounts(PROVIDER)).some((x) => x.label === MEGAN), 'the editor still has Megan\'s sign-in');
    await vscode.commands.executeCommand('azureTenantLink.refresh');
    await a.whenTreeLoaded();
    assert.equal(meganRow(await a.renderTree()), undefined, 'a refresh does not bring the signed-out account back');
  });
});
