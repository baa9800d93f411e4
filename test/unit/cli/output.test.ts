import assert from 'node:assert/strict';
import { AzureError } from '../../../src/azure/errors';
import { table, wrap } from '../../../src/cli/format';
import { oneLineError } from '../../../src/cli/main';
import { subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { runCli } from './run';

const PRODUCTION = subscriptionByName('Fabrikam Production');
const CONTOSO = tenantByName('Contoso Ltd');

describe('CLI output fits the terminal', () => {
  const sandbox = useSandbox();

  it('plan at COLUMNS=100 (stdout not a terminal): no line over 100, nothing cut off, --json keeps every value whole', async () => {
    const run = await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--to', CONTOSO], { env: { COLUMNS: '100' } });
    assert.equal(run.code, 0, run.stderr);
    const long = run.stdout.split('\n').filter((l) => l.length > 100);
    assert.deepEqual(long, [], `lines over 100 columns:\n${long.join('\n')}`);
    const json = JSON.parse((await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--to', CONTOSO, '--json'], { env: { COLUMNS: '100' } })).stdout) as { checks: { message: string }[] };
    const squeezed = run.stdout.replace(/\s+/g, '');
    for (const c of json.checks) assert.ok(squeezed.includes(c.message.replace(/\s+/g, '')), `wrapped, not cut: ${c.message}`);
    assert.ok(json.checks.some((c) => c.message.length > 60), 'the JSON has the long messages whole');
  });

  it('tenants and subscriptions fit 100 columns too; without a width nothing is wrapped', async () => {
    for (const args of [['tenants'], ['subscriptions']]) {
      const run = await runCli(sandbox(), args, { env: { COLUMNS: '100' } });
      assert.equal(run.code, 0, run.stderr);
      assert.ok(run.stdout.split('\n').every((l) => l.length <= 100), run.stdout);
    }
    const wide = await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--to', CONTOSO]);
    assert.ok(wide.stdout.split('\n').some((l) => l.length > 100), 'a pipe with no COLUMNS gets full-width lines');
  });

  it('table: the widest columns give way and long values wrap under their own column', () => {
    const rows = [{ a: 'short', b: 'a rather long message that has to wrap onto a second line to fit' }];
    const out = table(rows, [{ header: 'A', value: (r) => r.a }, { header: 'Message', value: (r) => r.b }], 40);
    const lines = out.trimEnd().split('\n');
    assert.ok(lines.every((l) => l.length <= 40), out);
    assert.ok(lines.length > 3, 'the message wrapped');
    assert.ok(lines.slice(3).every((l) => l.startsWith(' '.repeat(7))), 'continuation lines stay in the message column');
    assert.deepEqual(wrap('/subscriptions/a1a1a1a1-0000-4000-8000-000000000001/resourceGroups/rg', 30).every((l) => l.length <= 30), true);
  });
});

describe('CLI: a subscription name where an id is asked', () => {
  const sandbox = useSandbox();

  it('plan --subscription "Fabrikam Production" is the same plan as by id; no match and an inexact name are usage errors', async () => {
    const byName = await runCli(sandbox(), ['plan', '--subscription', 'Fabrikam Production', '--to', CONTOSO, '--json']);
    const byId = await runCli(sandbox(), ['plan', '--subscription', PRODUCTION, '--to', CONTOSO, '--json']);
    assert.equal(byName.code, 0, byName.stderr);
    assert.deepEqual(JSON.parse(byName.stdout), JSON.parse(byId.stdout));
    for (const name of ['fabrikam production', 'Fabrikam']) {
      const run = await runCli(sandbox(), ['plan', '--subscription', name, '--to', CONTOSO]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /No subscription is named .* \(names must match exactly\)/);
    }
  });

  it('an ambiguous name is an error listing the ids', async () => {
    const twin = { ...sandbox().state.data.subscriptions.find((s) => s.subscriptionId === subscriptionByName('Fabrikam Dev/Test')) };
    for (const s of sandbox().state.data.subscriptions) if (s.subscriptionId === twin.subscriptionId) s.displayName = 'Fabrikam Production';
    const run = await runCli(sandbox(), ['snapshot', '--subscription', 'Fabrikam Production', '-o', '/nonexistent/x.json']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`2 subscriptions are named "Fabrikam Production": give one of their IDs \\(.*${PRODUCTION}.*\\)`));
  });
});

describe('CLI: hints that fit the mode, usage errors in our own words', () => {
  const sandbox = useSandbox();

  it('a directory that needs its own sign-in: no az login hint in sandbox mode; on a real cloud, the directory\'s own id (no placeholder)', async () => {
    const run = await runCli(sandbox(), ['subscriptions', '--tenant', tenantByName('Northwind Traders')]);
    assert.equal(run.code, 1);
    assert.doesNotMatch(run.stderr, /az login|<id>/);
    const e = new AzureError('AADSTS50076: MFA needed.', { kind: 'notSignedIn', service: 'token', tenantId: '33333333-3333-4333-8333-333333333333' });
    assert.equal(oneLineError(e), 'AADSTS50076: MFA needed. Sign in with `az login --tenant 33333333-3333-4333-8333-333333333333`, or pass --account.');
    assert.equal(oneLineError(e, { sandbox: true }), 'AADSTS50076: MFA needed.');
    assert.doesNotMatch(oneLineError(new AzureError('x', { kind: 'notSignedIn', service: 'token' })), /<id>/);
  });

  it('usage errors never show the Node argument parser\'s text', async () => {
    for (const [args, text] of [[['--nope'], /^tenant-link: Unknown option --nope\. \(tenant-link --help/], [['subscriptions', '--tenant'], /^tenant-link: --tenant needs a value\./], [['tenants', '--json=yes'], /^tenant-link: --json takes no value\./]] as const) {
      const run = await runCli(sandbox(), args);
      assert.equal(run.code, 2);
      assert.match(run.stderr, text);
      assert.doesNotMatch(run.stderr, /positional|place it at the end|argument missing|<value>/);
    }
  });
});
