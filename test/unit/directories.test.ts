import assert from 'node:assert/strict';
import { describeDirectories, listSubscriptions } from '../../src/core/directories';
import { english } from '../../src/core/l10n';
import { office365FromOrganization, office365FromSkus } from '../../src/core/office365';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import { MEGAN, RILEY, scenario, sessionFor, tenantByName, useSandbox } from './helpers';

function capture(env: Record<string, string | undefined> = {}): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (t) => { out += t; },
    stderr: (t) => { err += t; },
    stderrIsTTY: false,
    env,
    out: () => out,
    err: () => err,
  };
}

describe('Office 365 detection', () => {
  it('says yes for a live Exchange/SharePoint/Teams plan, no without, unknown without permission', () => {
    assert.equal(office365FromSkus([{ skuId: 'x', capabilityStatus: 'Enabled', servicePlans: [{ servicePlanName: 'EXCHANGE_S_ENTERPRISE', provisioningStatus: 'Success' }] }]).office365, true);
    assert.equal(office365FromSkus([{ skuId: 'x', capabilityStatus: 'Suspended', servicePlans: [{ servicePlanName: 'EXCHANGE_S_ENTERPRISE' }] }]).office365, false);
    assert.equal(office365FromSkus([{ skuId: 'x', capabilityStatus: 'Enabled', servicePlans: [{ servicePlanName: 'AAD_PREMIUM' }] }]).office365, false);
    assert.equal(office365FromOrganization({ id: 't', assignedPlans: null }).office365, null);
    assert.equal(office365FromOrganization({ id: 't', assignedPlans: [{ service: 'exchange', capabilityStatus: 'Enabled' }] }).office365, true);
  });
});

describe('directory overview over the sandbox', () => {
  const sandbox = useSandbox();

  it('describes every reachable directory: Office 365 or not, signed in or not', async () => {
    const seen: string[] = [];
    const dirs = await describeDirectories(sessionFor(sandbox()), english, { onDirectory: (d) => seen.push(d.tenantId) });
    const byName = new Map(dirs.map((d) => [d.displayName, d]));
    assert.equal(seen.length, dirs.length, 'each directory reported as it arrived');
    assert.equal(byName.get('Contoso Ltd')?.office365, true);
    assert.equal(byName.get('Fabrikam Labs')?.office365, false);
    const northwind = byName.get('Northwind Traders');
    assert.equal(northwind?.signedIn, false, 'Northwind needs its own sign-in (MFA)');
    assert.equal(northwind.office365, null, 'unknown, never a guessed no');
    // Tailspin grants no Organization.Read.All: unknown, not "no".
    assert.equal(byName.get('Tailspin Toys')?.office365, null);
  });

  it('lists subscriptions under their home directory, and keeps going when one directory fails', async () => {
    const result = await listSubscriptions(sessionFor(sandbox()));
    const reachable = new Set(scenario().tenants.filter((t) => t.users.some((u) => u.account === RILEY) && !t.requiresInteractiveSignIn).map((t) => t.tenantId));
    const expected = scenario().subscriptions.filter((s) => reachable.has(s.tenantId)).map((s) => s.subscriptionId).sort();
    assert.deepEqual(result.subscriptions.map((s) => s.subscriptionId).sort(), expected);
    assert.ok(result.failures.has(tenantByName('Northwind Traders')));
  });
});

describe('tenant-link CLI: tenants and subscriptions', () => {
  const sandbox = useSandbox();

  it('prints tenants as stable JSON', async () => {
    const io = capture();
    const code = await main(['--sandbox', sandbox().baseUrl, 'tenants', '--json'], io);
    assert.equal(code, 0, io.err());
    const rows = JSON.parse(io.out()) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(rows[0] ?? {}), ['tenantId', 'displayName', 'defaultDomain', 'office365', 'office365Sources', 'office365Reason', 'signedIn']);
    const contoso = rows.find((r) => r.displayName === 'Contoso Ltd');
    const northwind = rows.find((r) => r.displayName === 'Northwind Traders');
    assert.ok(contoso && northwind);
    assert.equal(contoso.office365, true);
    assert.deepEqual(contoso.office365Sources, ['subscribedSkus']);
    assert.equal(contoso.signedIn, true);
    assert.equal(northwind.signedIn, false, 'sign-in status in --json');
  });

  it('takes the sandbox from TENANT_LINK_SANDBOX and acts as --account', async () => {
    const io = capture({ TENANT_LINK_SANDBOX: sandbox().baseUrl });
    assert.equal(await main(['--account', MEGAN, 'tenants', '--json'], io), 0, io.err());
    const names = (JSON.parse(io.out()) as { displayName: string }[]).map((r) => r.displayName);
    assert.deepEqual(names, scenario().tenants.filter((t) => t.users.some((u) => u.account === MEGAN)).map((t) => t.displayName));
  });

  it('prints a table for people', async () => {
    const io = capture();
    assert.equal(await main(['--sandbox', sandbox().baseUrl, 'subscriptions', '--tenant', tenantByName('Fabrikam Labs')], io), 0, io.err());
    assert.match(io.out(), /^Subscription\s+Subscription ID\s+Directory\s+Directory \(tenant\) ID\s+State\s+Offer \(quotaId\)\n-+/);
    assert.match(io.out(), /Fabrikam Production\s+a1a1a1a1-0000-4000-8000-000000000001\s+Fabrikam Labs\s+/, 'the directory name beside its id');
  });

  it('lists subscriptions as JSON with the contract fields', async () => {
    const io = capture();
    assert.equal(await main(['--sandbox', sandbox().baseUrl, '--json', 'subscriptions'], io), 0, io.err());
    const rows = JSON.parse(io.out()) as Record<string, unknown>[];
    assert.ok(rows.length > 0);
    for (const r of rows) assert.deepEqual(Object.keys(r), ['subscriptionId', 'displayName', 'tenantId', 'state', 'quotaId', 'cannotPlan']);
    assert.ok(rows.every((r) => r.cannotPlan === null), 'every subscription of the default scenario can be planned');
    assert.match(io.err(), /skipped directory Northwind Traders \(33333333-3333-4333-8333-333333333333\): AADSTS50076/);
  });

  it('exits 2 with one line on usage errors', async () => {
    for (const argv of [['--sandbox', sandbox().baseUrl, 'subscriptions', '--tenant', 'not-a-guid'], ['frobnicate'], ['--nope'], ['--sandbox', 'https://example.com', 'tenants']]) {
      const io = capture();
      assert.equal(await main(argv, io), 2, argv.join(' '));
      assert.match(io.err().split('\n')[0] ?? '', /^tenant-link: /);
      assert.equal(io.out(), '');
    }
  });

  it('exits 1 with one clear line — no stack, no token — when Azure says no', async () => {
    const io = capture();
    const code = await main(['--sandbox', sandbox().baseUrl, 'subscriptions', '--tenant', tenantByName('Northwind Traders')], io);
    assert.equal(code, 1);
    const lines = io.err().trim().split('\n');
    assert.equal(lines.length, 1, io.err());
    assert.match(lines[0] ?? '', /AADSTS50076/);
    assert.doesNotMatch(io.err(), /\bat \w|eyJ/);
  });

  it('exits 1 when the sandbox is not there', async () => {
    const io = capture();
    assert.equal(await main(['--sandbox', 'http://127.0.0.1:1', 'tenants'], io), 1);
    assert.match(io.err(), /^tenant-link: Could not reach 127\.0\.0\.1:1/);
  });
});
