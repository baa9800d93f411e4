import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import twoIdentities from '../../../src/sandbox/scenarios/two-identities.json';
import { MEGAN, RILEY, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { OWNER } from '../core/fixtures';
import { isOneLine, runCli } from './run';

const CONTOSO = tenantByName('Contoso Ltd');
const FABRIKAM = tenantByName('Fabrikam Labs');
const PRODUCTION = subscriptionByName('Fabrikam Production');
const CT = 'api-version=2025-11-01-preview';

describe('CLI: two identities on the two-identities scenario', () => {
  const sandbox = useSandbox({ scenario: twoIdentities });
  const as = (account: string, args: readonly string[]) => runCli(sandbox(), args, { account });
  const owners = (): string[] => sandbox().state.data.roleAssignments
    .filter((a) => a.scope.toLowerCase() === `/subscriptions/${PRODUCTION}` && a.role === OWNER).map((a) => a.principalId);

  it('runs the whole two-person procedure by commands alone', async () => {
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'tenant-link-two-')), 'prod.json');
    const snap = await as(RILEY, ['snapshot', '--subscription', PRODUCTION, '-o', file]);
    assert.equal(snap.code, 0, snap.stderr);

    // Step 1: Megan invites Riley; Riley opens the redemption URL.
    const invite = await as(MEGAN, ['invite', '--to', 'contoso.com', '--user', RILEY, '--json']);
    assert.equal(invite.code, 0, invite.stderr);
    const inv = JSON.parse(invite.stdout) as { address: string; tenantId: string; userId: string; status: string; redeemUrl: string; invitedBy: string };
    assert.deepEqual([inv.address, inv.tenantId, inv.status, inv.invitedBy], [RILEY, CONTOSO, 'PendingAcceptance', MEGAN]);
    const text = await as(MEGAN, ['invite', '--to', CONTOSO, '--user', RILEY]);
    assert.match(text.stdout, new RegExp(`Send them this link to accept: ${inv.redeemUrl.replace(/[.?]/g, '\\$&')}`));
    assert.equal((await fetch(inv.redeemUrl)).status, 200);

    // Step 2: Riley initiates naming Megan, Megan accepts.
    const change = await as(RILEY, ['change-directory', '--subscription', PRODUCTION, '--to', CONTOSO, '--confirm', 'Fabrikam Production', '--accept-as', MEGAN, '--timeout', '30', '--json']);
    assert.equal(change.code, 0, change.stderr);
    const moved = JSON.parse(change.stdout) as { status: string; acceptedBy: string; note: string };
    assert.deepEqual([moved.status, moved.acceptedBy], ['moved', MEGAN]);
    assert.match(moved.note, /restore and add administrators with --account megan@contoso\.com/);

    // Step 3 as the initiator: refused, naming the acceptor.
    const early = await as(RILEY, ['restore', '--snapshot', file, '--to', CONTOSO]);
    assert.equal(early.code, 2);
    assert.ok(isOneLine(early.stderr), early.stderr);
    assert.match(early.stderr, /the move was accepted by megan@contoso\.com, and only that account holds Owner there now/);

    // Step 3 as Megan: the dry run lists the invitations and writes nothing.
    const before = sandbox().state.tenant(CONTOSO)?.users.length;
    const dry = await as(MEGAN, ['restore', '--snapshot', file, '--to', CONTOSO, '--invite-unmatched', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    const plan = JSON.parse(dry.stdout) as { invitations: { status: string; address: string | null; oldPrincipalType: string }[]; counts: { created: number } };
    const planned = plan.invitations.filter((i) => i.status === 'planned');
    assert.ok(planned.length > 0);
    assert.ok(planned.every((i) => i.oldPrincipalType === 'User' && i.address !== null));
    assert.ok(plan.invitations.some((i) => i.status === 'kept' && i.oldPrincipalType !== 'User'), 'groups / service principals stay for the user');
    assert.equal(plan.counts.created, 0);
    assert.equal(sandbox().state.tenant(CONTOSO)?.users.length, before);

    // The scenario's ReadOnly lock refuses the repair of the identity under it, as Azure does: exit 1, the lock named,
    // everything else done.
    type Restored = { invitations: { status: string; userId: string | null }[]; counts: { created: number; failed: number }; identities: { status: string; reason?: string }[] };
    const locked = await as(MEGAN, ['restore', '--snapshot', file, '--to', CONTOSO, '--invite-unmatched', '--json']);
    assert.equal(locked.code, 1, locked.stderr);
    const done = JSON.parse(locked.stdout) as Restored;
    assert.equal(done.invitations.filter((i) => i.status === 'invited').length, planned.length);
    assert.ok(done.counts.created > 0);
    assert.ok(done.identities.some((i) => i.status === 'failed' && /lock/i.test(i.reason ?? '')), locked.stdout);
    // The owner removes the lock (in the portal); the re-run finishes what is left and fails nothing.
    sandbox().state.data.extras.locks = sandbox().state.data.extras.locks.filter((l) => l.level !== 'ReadOnly');
    const restore = await as(MEGAN, ['restore', '--snapshot', file, '--to', CONTOSO, '--invite-unmatched', '--json']);
    assert.equal(restore.code, 0, restore.stderr);
    assert.equal((JSON.parse(restore.stdout) as Restored).counts.failed, 0);

    // Riley has Owner back through his guest account, and the assignments exist in the sandbox.
    assert.ok(owners().includes(inv.userId), 'Owner for Riley\'s guest account');
    const invited = new Set(done.invitations.flatMap((i) => (i.userId === null ? [] : [i.userId])));
    assert.ok(sandbox().state.data.roleAssignments.some((a) => invited.has(a.principalId)));
    const subs = await as(RILEY, ['subscriptions', '--tenant', CONTOSO, '--json']);
    assert.equal(subs.code, 0, subs.stderr);
    assert.ok((JSON.parse(subs.stdout) as { subscriptionId: string }[]).some((s) => s.subscriptionId === PRODUCTION));
    const rerun = await as(MEGAN, ['restore', '--snapshot', file, '--to', CONTOSO, '--invite-unmatched', '--json']);
    assert.equal((JSON.parse(rerun.stdout) as { counts: { created: number } }).counts.created, 0, 're-running creates nothing');
  });

  it('lists a pending request with who must accept and its expiry, and cancels it (twice is fine)', async () => {
    const token = sandbox().getToken({ tenantId: FABRIKAM, resource: 'arm', account: RILEY });
    const put = await fetch(`${sandbox().armUrl}/subscriptions/${PRODUCTION}/providers/Microsoft.Subscription/changeTenantRequest/default?${CT}`, {
      method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ properties: { destinationTenantId: CONTOSO, destinationOwnerId: MEGAN } }),
    });
    assert.equal(put.status, 200);
    const list = await as(RILEY, ['requests', '--json']);
    assert.equal(list.code, 0, list.stderr);
    const rows = JSON.parse(list.stdout) as { subscriptionId: string; destinationOwner: string | null; state: string; expiresInSeconds: number }[];
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0]?.subscriptionId, rows[0]?.state], [PRODUCTION, 'pending']);
    assert.ok((rows[0]?.expiresInSeconds ?? 0) > 23 * 3600);
    const table = await as(RILEY, ['requests', '--subscription', PRODUCTION]);
    assert.match(table.stdout, /Fabrikam Production .*pending\s+in 2[34] h/);
    const cancel = await as(RILEY, ['cancel-request', '--subscription', PRODUCTION]);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.match(cancel.stdout, /^Cancelled the change directory request for Fabrikam Production/);
    const again = await as(RILEY, ['cancel-request', '--subscription', PRODUCTION, '--json']);
    assert.deepEqual(JSON.parse(again.stdout), { subscriptionId: PRODUCTION, cancelled: false, destinationTenantId: null });
    assert.equal((await as(RILEY, ['requests'])).stdout, 'No change directory requests.\n');
  });

  it('answers each bad input with one clear line and the right exit code', async () => {
    const cases: [string, readonly string[], number, RegExp][] = [
      [MEGAN, ['invite', '--to', 'nowhere.example.com', '--user', RILEY], 2, /Unknown directory "nowhere\.example\.com"/],
      [MEGAN, ['invite', '--to', '99999999-9999-4999-8999-999999999999', '--user', RILEY], 2, /Unknown directory "9{8}-.*megan@contoso\.com is not a member/],
      [MEGAN, ['invite', '--to', CONTOSO, '--user', 'not an address'], 2, /--user must be an address/],
      [MEGAN, ['invite', '--to', CONTOSO], 2, /invite needs --user/],
      ['alexw@contoso.com', ['invite', '--to', CONTOSO, '--user', RILEY], 1, /alexw@contoso\.com may not invite guests .*Insufficient privileges to complete the operation/],
      [MEGAN, ['invite', '--to', CONTOSO, '--user', 'adele@contoso.com'], 1, /Entra refused to invite adele@contoso\.com .*already exists in the directory/],
      [RILEY, ['change-directory', '--subscription', PRODUCTION, '--to', CONTOSO, '--confirm', 'Fabrikam Production', '--accept-as', 'nobody@contoso.com'], 2, /--accept-as nobody@contoso\.com is not signed in to 2{8}-[^:]+: AADSTS50034: The user account nobody@contoso\.com does not exist in the directory\. To sign/],
      [RILEY, ['change-directory', '--subscription', PRODUCTION, '--to', CONTOSO, '--confirm', 'Fabrikam Production', '--accept-as', RILEY], 2, /--accept-as riley@fabrikamlabs\.onmicrosoft\.com is not signed in to 2{8}-[^:]+: AADSTS50020/],
      [RILEY, ['requests', '--subscription', 'nope'], 2, /--subscription must be a subscription ID/],
      [RILEY, ['cancel-request'], 2, /--subscription <id\|name> is required/],
      [RILEY, ['cancel-request', '--subscription', '99999999-9999-4999-8999-999999999999'], 1, /was not found in any directory/],
    ];
    for (const [account, args, code, message] of cases) {
      const run = await as(account, args);
      assert.equal(run.code, code, `${args.join(' ')}: ${run.stderr}`);
      assert.ok(isOneLine(run.stderr), `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message, args.join(' '));
      assert.equal(run.stdout, '', args.join(' '));
    }
    assert.equal(sandbox().state.changeRequests.size, 0, 'a refused --accept-as sends no request');
  });
});
