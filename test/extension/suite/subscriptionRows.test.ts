/**
 * The rows below the directories, inside a real VS Code against the sandbox the extension starts: subscriptions
 * delegated through Azure Lighthouse (the `delegated` scenario, loaded through the sandbox's control API and put back
 * afterwards), a directory change request below its subscription (made over ARM as the CLI or another window would),
 * and a directory change being watched (as after the portal hand-off, which leaves nothing in Azure to read).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RenderedNode } from '../../../src/extension';
import defaultScenario from '../../../src/sandbox/scenarios/default.json';
import delegatedScenario from '../../../src/sandbox/scenarios/delegated.json';
import { api, waitFor } from '../helpers';

const RILEY = 'riley@fabrikamlabs.onmicrosoft.com';
const FABRIKAM = '11111111-1111-4111-8111-111111111111';
const CONTOSO = '22222222-2222-4222-8222-222222222222';
const PRODUCTION = 'a1a1a1a1-0000-4000-8000-000000000001';
const REQUEST = `/arm/subscriptions/${PRODUCTION}/providers/Microsoft.Subscription/changeTenantRequest/default?api-version=2025-11-01-preview`;

async function call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: unknown }> {
  const base = (await api()).sandboxBaseUrl();
  assert.ok(base);
  const res = await fetch(`${base}${path}`, { method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) as unknown : undefined };
}

async function rileyArmToken(): Promise<string> {
  const r = await call('POST', '/token', { tenantId: FABRIKAM, resource: 'arm', account: RILEY });
  return (r.json as { access_token: string }).access_token;
}

/** Refreshes the view, waits for it to load, and returns a directory's row (Fabrikam Labs by default). */
async function fabrikamRow(name = 'Fabrikam Labs'): Promise<RenderedNode & { children: RenderedNode[] }> {
  const a = await api();
  await vscode.commands.executeCommand('azureTenantLink.refresh');
  await a.whenTreeLoaded();
  const account = (await a.renderTree()).find((n) => n.contextValue === 'azureTenantLink.account.sandbox');
  const row = account?.children?.find((c) => c.label === name);
  assert.ok(row?.children, `no ${name} in ${JSON.stringify(account?.children?.map((c) => c.label))}`);
  return { ...row, children: row.children };
}

async function fabrikamRows(): Promise<RenderedNode[]> {
  return (await fabrikamRow()).children;
}

describe('Directories view: delegated subscriptions and change requests', function () {
  this.timeout(60_000);

  before(async function () {
    const a = await api();
    if (!a.sandboxBaseUrl()) {
      if (!vscode.workspace.getConfiguration('azureTenantLink').get('sandbox.startOnActivation')) this.skip();
      await waitFor('the sandbox to start', () => a.sandboxBaseUrl());
    }
  });

  it('shows subscriptions seen in Fabrikam Labs but homed elsewhere, saying why they cannot be planned, with no wizard entry', async () => {
    assert.equal((await call('POST', '/_sandbox/scenario', delegatedScenario)).status, 200);
    try {
      const rows = await fabrikamRows();
      const adatum = rows.find((r) => r.label === 'Adatum Operations');
      const northwind = rows.find((r) => r.label === 'Northwind Analytics');
      assert.ok(adatum && northwind, rows.map((r) => `${r.label} | ${r.description ?? ''}`).join('\n'));
      assert.equal(adatum.description, 'delegated · its home directory is not reachable');
      assert.equal(northwind.description, 'home: Northwind Traders · sign in there to plan its move');
      for (const r of [adatum, northwind]) assert.equal(r.contextValue, 'azureTenantLink.subscription.delegated', 'not the subscription context: no Link… entry');
      assert.ok(rows.some((r) => r.label === 'Fabrikam Production' && r.contextValue === 'azureTenantLink.subscription'), 'its own subscriptions stay');
    } finally {
      assert.equal((await call('POST', '/_sandbox/scenario', defaultScenario)).status, 200);
    }
    const rows = await fabrikamRows();
    assert.ok(!rows.some((r) => r.contextValue === 'azureTenantLink.subscription.delegated'));
  });

  it('sums up each directory through Resource Graph (subscriptions · role assignments), and quietly shows the subscriptions alone when it is refused', async () => {
    const fabrikam = await fabrikamRow();
    const subs = fabrikam.children.filter((c) => c.contextValue === 'azureTenantLink.subscription').map((c) => c.label);
    const ids = defaultScenario.subscriptions.filter((s) => subs.includes(s.displayName)).map((s) => s.subscriptionId);
    const assignments = defaultScenario.roleAssignments.filter((a) => ids.some((id) => a.scope.toLowerCase().startsWith(`/subscriptions/${id}`))).length;
    assert.match(fabrikam.description ?? '', new RegExp(`  ${subs.length} subscriptions · ${assignments} role assignments$`));
    assert.doesNotMatch((await fabrikamRow('Contoso Ltd')).description ?? '', /subscription/, 'no summary where there is nothing to sum up');
    assert.equal((await call('POST', '/_sandbox/faults', { rules: [{ match: 'Microsoft.ResourceGraph', fault: 'reply', status: 403, times: 'always', body: { error: { code: 'AuthorizationFailed', message: 'No access to Resource Graph.' } } }] })).status, 200);
    try {
      const refused = await fabrikamRow();
      assert.match(refused.description ?? '', new RegExp(`  ${subs.length} subscriptions$`));
      assert.ok(!refused.children.some((c) => c.contextValue === 'azureTenantLink.message'), 'no error row for it');
    } finally {
      await call('POST', '/_sandbox/faults', {});
    }
  });

  it('shows a pending change request below its subscription with the target and the expiry; gone once cancelled', async () => {
    const token = await rileyArmToken();
    const put = await call('PUT', REQUEST, { properties: { destinationTenantId: CONTOSO } }, token);
    assert.equal(put.status, 200, JSON.stringify(put.json));
    try {
      const production = (await fabrikamRows()).find((r) => r.label === 'Fabrikam Production');
      assert.deepEqual(production?.children?.map((c) => [c.label, c.description, c.contextValue]), [
        ['Change requested → Contoso Ltd', 'expires in 23 h', 'azureTenantLink.changeRequest.pending'],
      ]);
      const dev = (await fabrikamRows()).find((r) => r.label === 'Fabrikam Dev/Test');
      assert.equal(dev?.children, undefined, 'no request, no row');
    } finally {
      await call('DELETE', REQUEST, undefined, token);
    }
    const production = (await fabrikamRows()).find((r) => r.label === 'Fabrikam Production');
    assert.equal(production?.children, undefined);
  });

  it('shows a directory change being watched below its subscription, and Stop Watching ends it', async () => {
    await fabrikamRows();
    assert.ok((await api()).watchMove(PRODUCTION, CONTOSO), 'Fabrikam Production is in the view');
    try {
      const production = (await fabrikamRows()).find((r) => r.label === 'Fabrikam Production');
      assert.deepEqual(production?.children?.map((c) => [c.label, c.description, c.contextValue]), [
        ['Moving to Contoso Ltd', 'watching for it in Contoso Ltd', 'azureTenantLink.move.watching'],
      ]);
      const contoso = await fabrikamRow('Contoso Ltd');
      assert.ok(!JSON.stringify(contoso.children).includes('Moving to'), 'only below the directory it leaves');
    } finally {
      await vscode.commands.executeCommand('azureTenantLink.stopWatching', PRODUCTION);
    }
    const production = (await fabrikamRows()).find((r) => r.label === 'Fabrikam Production');
    assert.equal(production?.children, undefined, 'no row once the watch is stopped');
  });
});
