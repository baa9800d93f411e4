// Webview tier: the two-identities parts (issue 10) of the built UI in Chromium — the invitation under step 1, who
// accepts and the pending request under step 2 (with its countdown), Owner back under step 3 — fed `parties` slices
// as the host sends them, with the intents they post as the assertions.
import * as assert from 'node:assert/strict';
import type { GuestRow, PartiesState, WizardState } from '../../src/webview/protocol';
import { useWebviewPages, type WebviewPage } from './fixtures/page';
import * as S from './fixtures/states';

const RILEY = 'riley@fabrikamlabs.onmicrosoft.com';
const MEGAN = 'megan@contoso.com';
const MEGAN_KEY = '/sandbox/accounts/megan@contoso.com';

const parties: PartiesState = {
  owner: RILEY, scanning: false, inviters: [{ key: MEGAN_KEY, label: MEGAN }], acceptors: [{ key: MEGAN_KEY, label: MEGAN }],
  inviting: false, invitation: null, acceptor: { key: MEGAN_KEY, label: MEGAN }, request: null, ownerBack: null, guests: null,
};

const notInTarget: WizardState = {
  ...S.visibleNeedsSignIn,
  visible: { checking: false, account: RILEY, accountInTarget: { status: 'fail', title: 'Your account is not in Contoso Ltd', message: 'You aren\'t in the Office 365 directory yet.' }, tokenForTarget: null },
  parties,
};

describe('wizard webview: two identities', function () {
  this.timeout(30000);
  let w: WebviewPage;
  useWebviewPages((page) => { w = page; });
  const posted = async () => (await w.posted()).filter((m) => m.type !== 'ready');

  it('step 1: invites the owner as the signed-in administrator, then shows and opens the redemption link', async () => {
    await w.init(notInTarget);
    const invite = w.page.locator('[data-action="inviteOwner"]');
    assert.equal((await invite.textContent())?.trim(), `Invite ${RILEY} to Contoso Ltd as ${MEGAN}`);
    await invite.click();
    const url = 'https://invitations.microsoft.com/redeem/?tenant=a1b2&ticket=xyz';
    await w.send({ type: 'state', state: { ...notInTarget, parties: { ...parties, invitation: { by: MEGAN, redeemUrl: url, accepted: false } } } });
    await w.page.locator('[data-invitation] code.url').filter({ hasText: url }).waitFor();
    await w.page.locator('[data-action="openInvitation"]').click();
    await w.page.locator('[data-action="copyInvitation"]').click();
    assert.deepEqual(await posted(), [{ type: 'inviteOwner', accountKey: MEGAN_KEY }, { type: 'openInvitation' }, { type: 'copyInvitation' }]);
  });

  it('step 1 with no one who may invite: sign in another account, or copy the message for the administrator', async () => {
    await w.init({ ...notInTarget, parties: { ...parties, inviters: [], acceptors: [], acceptor: null } });
    assert.equal(await w.page.locator('[data-action="inviteOwner"]').count(), 0);
    await w.page.locator('atl-invite-owner [data-action="signInAnotherAccount"]').click();
    await w.page.locator('[data-action="copyAdminMessage"]').click();
    assert.deepEqual(await posted(), [{ type: 'signInAnotherAccount' }, { type: 'copyAdminMessage' }]);
  });

  it('step 2: names who accepts, takes a typed address, and shows the pending request with its countdown, copy and cancel', async () => {
    await w.init({ ...S.changeSaved, parties });
    await w.page.locator('[data-chosen]').filter({ hasText: `Accepts: ${MEGAN}` }).waitFor();
    assert.equal(await w.page.locator('[data-action="chooseAcceptor"]').getAttribute('aria-pressed'), 'true');
    await w.page.locator('atl-two-party vscode-textfield input').fill('adele@contoso.com');
    await w.page.locator('[data-action="typedAcceptor"]').click();
    const expiresOn = new Date(Date.now() + (23 * 60 + 30) * 60_000 + 30_000).toISOString();
    await w.send({ type: 'state', state: { ...S.changeSaved, parties: { ...parties, acceptor: { key: null, label: 'adele@contoso.com' }, request: { acceptor: 'adele-id', expiresOn, state: 'pending' } } } });
    await w.page.locator('[data-request="pending"]').filter({ hasText: 'adele@contoso.com must accept the request' }).waitFor();
    assert.equal((await w.page.locator('[data-expiry]').textContent())?.trim(), 'Expires in 23 h 30 min');
    assert.equal(await w.page.locator('[data-action="acceptRequest"]').count(), 0, 'not signed in here: no accept button');
    await w.page.locator('[data-action="copyAcceptorRequest"]').click();
    await w.page.locator('[data-action="cancelRequest"]').click();
    assert.deepEqual(await posted(), [{ type: 'typedAcceptor', address: 'adele@contoso.com' }, { type: 'copyAcceptorRequest' }, { type: 'cancelRequest' }]);
  });

  it('step 2: a signed-in acceptor who declined the modal can accept later', async () => {
    await w.init({ ...S.changeSaved, parties: { ...parties, request: { acceptor: 'megan-id', expiresOn: new Date(Date.now() + 20 * 60_000 + 30_000).toISOString(), state: 'pending' } } });
    assert.equal((await w.page.locator('[data-expiry]').textContent())?.trim(), 'Expires in 20 min');
    await w.page.locator('[data-action="acceptRequest"]').filter({ hasText: `Accept as ${MEGAN}` }).click();
    assert.deepEqual(await posted(), [{ type: 'acceptRequest' }]);
  });

  it('step 3: offers Owner back for the owner\'s account in the new directory, and shows the result', async () => {
    const back = (status: NonNullable<PartiesState['ownerBack']>['status']): WizardState => ({ ...S.adminsReady, parties: { ...parties, ownerBack: { label: 'riley_fabrikamlabs.onmicrosoft.com#EXT#@contoso.onmicrosoft.com', status, reason: null } } });
    await w.init(back('offered'));
    await w.page.locator('[data-owner-back="offered"]').filter({ hasText: 'riley_fabrikamlabs.onmicrosoft.com#EXT#@contoso.onmicrosoft.com' }).waitFor();
    await w.page.locator('[data-action="giveOwnerBack"]').click();
    assert.deepEqual(await posted(), [{ type: 'giveOwnerBack' }]);
    await w.send({ type: 'state', state: back('created') });
    await w.page.locator('[data-owner-back="created"]').filter({ hasText: `Owner given back to ${RILEY}.` }).waitFor();
    assert.equal(await w.page.locator('[data-action="giveOwnerBack"]').count(), 0);
  });

  it('step 3: lists who can be invited as guests and who stays to map, posts the invitation, then shows each result', async () => {
    const rows = (sent: boolean): GuestRow[] => [
      { name: 'Jamie Park', address: 'jamie@fabrikamlabs.onmicrosoft.com', type: 'User', assignments: 2, status: sent ? 'invited' : 'planned', reason: null },
      { name: 'Team 42', address: null, type: 'Group', assignments: 1, status: 'kept', reason: 'a group of another directory is another object, even with the same name' },
    ];
    const guests = (sent: boolean): WizardState => ({ ...S.adminsReady, parties: { ...parties, guests: { inviter: MEGAN, working: false, rows: rows(sent) } } });
    await w.init(guests(false));
    await w.page.locator('[data-guests]').filter({ hasText: `${MEGAN} can invite each as a guest` }).waitFor();
    // The restore table is long: its summary links down to the guests section, which takes the focus.
    await w.page.locator('[data-action="toGuests"]').filter({ hasText: '1 of them can be invited as a guest ↓' }).click();
    // The focused element, through the shadow roots (a string: this file is type-checked without the DOM library).
    await w.page.waitForFunction(`(() => { let el = document.activeElement; while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement; return el && el.id === 'guests-title'; })()`);
    assert.equal(await posted().then((m) => m.length), 0, 'the link only scrolls: nothing is posted');
    assert.match(((await w.page.locator('[data-guest="kept"]').textContent()) ?? '').replace(/\s+/g, ' '), /Team 42 · 1 role assignment — not invited: map it yourself \(a group of another directory/);
    await w.page.locator('[data-action="inviteUnmatched"]').filter({ hasText: 'Invite 1 user as a guest…' }).click();
    assert.deepEqual(await posted(), [{ type: 'inviteUnmatched' }]);
    await w.send({ type: 'state', state: guests(true) });
    await w.page.locator('[data-guest="invited"]').filter({ hasText: 'invited — mapped to the new guest' }).waitFor();
    assert.equal(await w.page.locator('[data-action="inviteUnmatched"]').count(), 0, 'nothing left to invite');
    assert.equal(await w.page.locator('[data-action="toGuests"]').count(), 0, 'no link once nobody is left to invite');
  });
});
