/** One wording for errors (tree, wizard, CLI) and the one place that tells a sign-in failure from any other. */
import assert from 'node:assert/strict';
import { oneLineError } from '../../../src/cli/main';
import { describeError, isMfaError } from '../../../src/core/describeError';
import { describeDirectories, describeDirectory } from '../../../src/core/directories';
import { english } from '../../../src/core/l10n';
import { sessionFor, tenantByName, useSandbox } from '../helpers';

describe('describeError over real sandbox failures', () => {
  const sandbox = useSandbox();

  it('names MFA (AADSTS50076) a sign-in problem, with the fix and who applies it', async () => {
    const session = sessionFor(sandbox());
    const e = await session.auth.getToken({ account: session.account, tenantId: tenantByName('Northwind Traders'), resource: 'arm' }).then(() => undefined, (err: unknown) => err);
    assert.ok(isMfaError(e));
    const d = describeError(e, english);
    assert.equal(d.mfa, true);
    assert.equal(d.needsSignIn, true);
    assert.equal(d.fix, 'Sign in to the directory, then try again.');
    assert.equal(d.owner, 'You');
    assert.doesNotMatch(d.message, /\n/);
    assert.match(oneLineError(e), /^AADSTS50076: .* Sign in with `az login --tenant [0-9a-f-]{36}`, or pass --account\.$/);
  });

  it('does not call a server error a sign-in problem, and says what a 403 needs', async () => {
    // Both Office 365 sources fail (subscribedSkus alone would leave /organization to decide).
    sandbox().setFaults({ rules: [{ match: '/(subscribedSkus|organization)', fault: 500, times: 'always' }] });
    const session = sessionFor(sandbox());
    const e = await session.graph(tenantByName('Contoso Ltd')).subscribedSkus().then(() => undefined, (err: unknown) => err);
    const d = describeError(e, english);
    assert.equal(d.needsSignIn, false);
    assert.equal(d.mfa, false);
    assert.equal(d.fix, undefined);
    sandbox().setFaults({});
    const forbidden = await session.graph(tenantByName('Tailspin Toys')).subscribedSkus().then(() => undefined, (err: unknown) => err);
    assert.equal(describeError(forbidden, english).fix, 'Needs: Organization.Read.All');
    assert.match(oneLineError(forbidden), / Needs: Organization\.Read\.All\.$/);
  });

  it('keeps a plain error to its first line', () => {
    assert.deepEqual(describeError(new Error('first\nsecond'), english), { message: 'first', needsSignIn: false, mfa: false });
  });
});

describe('directories: "needs sign-in" only for sign-in errors', () => {
  const sandbox = useSandbox();

  it('a Graph 500 leaves the directory signed in, unreadable, with the reason — not "needs sign-in"', async () => {
    // Both Office 365 sources fail (subscribedSkus alone would leave /organization to decide).
    sandbox().setFaults({ rules: [{ match: '/(subscribedSkus|organization)', fault: 500, times: 'always' }] });
    const seen: string[] = [];
    const dirs = await describeDirectories(sessionFor(sandbox()), english, { onDirectory: (d) => seen.push(d.tenantId) });
    const contoso = dirs.find((d) => d.tenantId === tenantByName('Contoso Ltd'));
    assert.ok(contoso);
    assert.equal(contoso.needsSignIn, false);
    assert.equal(contoso.signedIn, true);
    assert.equal(contoso.office365, null, 'unknown, never a guessed no');
    assert.ok(contoso.error, 'the reason is kept');
    assert.equal(seen.length, dirs.length, 'failures are reported as they arrive too');
    assert.equal(dirs.find((d) => d.tenantId === tenantByName('Northwind Traders'))?.needsSignIn, true, 'MFA still needs sign-in');
  });

  it('a token endpoint failure makes the directory unreadable, not one that needs sign-in', async () => {
    sandbox().setFaults({ rules: [{ match: '^/token', fault: 503, times: 'always' }] });
    const d = await describeDirectory(sessionFor(sandbox()), { tenantId: tenantByName('Contoso Ltd') }, english);
    assert.equal(d.needsSignIn, false);
    assert.equal(d.signedIn, false);
    assert.ok(d.error);
  });
});
