// Two identities (issue 10), shown below the step they belong to: inviting the owner (step 1), who accepts and the
// pending request (step 2), giving the owner their role back (step 3). Renders the host's `parties` slice only.
import { LitElement, css, html } from 'lit';
import type { ChangeStep, PartiesState, PartyRequest } from '../protocol';
import { baseStyles, intent } from './shared';
import { t } from './strings';

interface ValueElement extends HTMLElement {
  value: string;
}

const partyStyles = css`
  section.parties {
    margin-top: 1em;
    padding-top: 0.5em;
    border-top: 1px solid var(--vscode-widget-border, transparent);
  }
  code.url {
    display: block;
    overflow-wrap: anywhere;
    margin: 0.4em 0;
  }
`;

/** What every part shows from: the host's slice and the target's name. */
class PartyElement extends LitElement {
  static override properties = { data: { attribute: false }, targetName: { attribute: false } };
  declare data: PartiesState;
  declare targetName: string;
  static override styles = [baseStyles, partyStyles];
}

/** Step 1: the owner is not in the target; invite them as an administrator signed in here, or get one. */
export class InviteOwnerView extends PartyElement {
  override render() {
    const d = this.data;
    const inv = d.invitation;
    return html`<section class="parties" data-invite aria-labelledby="invite-title">
      <h3 id="invite-title">${t('parties.invite.title', d.owner, this.targetName)}</h3>
      ${d.scanning ? html`<p class="muted" role="status">${t('parties.scanning', this.targetName)}</p>` : null}
      ${inv === null ? this.renderOffer() : inv.accepted
        ? html`<p data-invitation role="status">${t('parties.invite.accepted', d.owner, this.targetName)}</p>`
        : html`<div data-invitation>
            <p>${t('parties.invite.sent', inv.by, d.owner)}</p>
            <code class="url">${inv.redeemUrl}</code>
            <div class="actions">
              <vscode-button data-action="openInvitation" icon="link-external" @click=${() => { intent(this, { type: 'openInvitation' }); }}>${t('parties.invite.open')}</vscode-button>
              <vscode-button secondary data-action="copyInvitation" icon="copy" @click=${() => { intent(this, { type: 'copyInvitation' }); }}>${t('parties.invite.copy')}</vscode-button>
            </div>
          </div>`}
    </section>`;
  }

  private renderOffer() {
    const d = this.data;
    if (d.inviters.length > 0) {
      return html`<p class="muted">${t('parties.invite.why', d.owner, this.targetName)}</p>
        <div class="actions">
          ${d.inviters.map((a) => html`<vscode-button data-action="inviteOwner" data-account=${a.label} ?disabled=${d.inviting} icon="person-add"
            @click=${() => { intent(this, { type: 'inviteOwner', accountKey: a.key }); }}>${t('parties.invite.as', d.owner, this.targetName, a.label)}</vscode-button>`)}
        </div>`;
    }
    if (d.scanning) return null;
    return html`<p class="muted">${t('parties.invite.none', this.targetName)}</p>
      <div class="actions">
        <vscode-button data-action="signInAnotherAccount" icon="sign-in" @click=${() => { intent(this, { type: 'signInAnotherAccount' }); }}>${t('parties.signInAnother')}</vscode-button>
        <vscode-button secondary data-action="copyAdminMessage" icon="copy" @click=${() => { intent(this, { type: 'copyAdminMessage' }); }}>${t('parties.copyAdminMessage')}</vscode-button>
      </div>`;
  }
}
customElements.define('atl-invite-owner', InviteOwnerView);

/** Step 0: the typed directory is not reachable by the signed-in accounts; sign in with one of it. */
export class SignInAnotherView extends PartyElement {
  override render() {
    return html`<div class="actions" data-sign-in-another>
      <vscode-button secondary data-action="signInAnotherAccount" icon="sign-in" @click=${() => { intent(this, { type: 'signInAnotherAccount' }); }}>${t('parties.signInAnother')}</vscode-button>
    </div>`;
  }
}
customElements.define('atl-sign-in-another', SignInAnotherView);

/** "Expires in 23 h 59 min", from the request's `expiresOn` and the clock now. */
function expiry(r: PartyRequest, now: number): string {
  const minutes = r.expiresOn === null ? NaN : Math.max(0, Math.floor((Date.parse(r.expiresOn) - now) / 60_000));
  if (!Number.isFinite(minutes)) return '';
  return minutes >= 60 ? t('parties.request.expiresIn', Math.floor(minutes / 60), minutes % 60) : t('parties.request.expiresInMin', minutes);
}

/** Step 2 with two parties: who accepts, and the request while it waits for them (countdown, copy, cancel). */
export class TwoPartyView extends PartyElement {
  static override properties = { ...PartyElement.properties, change: { attribute: false }, typed: { state: true } };
  declare change: ChangeStep;
  declare typed: string;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.typed = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The countdown moves on its own; the host is not asked.
    this.timer = setInterval(() => { this.requestUpdate(); }, 30_000);
  }

  override disconnectedCallback(): void {
    clearInterval(this.timer);
    super.disconnectedCallback();
  }

  override render() {
    const r = this.data.request;
    return r !== null && r.state !== 'cancelled' && r.state !== 'expired' ? this.renderRequest(r) : this.renderChooser(r);
  }

  private renderChooser(last: PartyRequest | null) {
    const d = this.data;
    if (this.change.status !== 'idle' && this.change.status !== 'failed' && this.change.status !== 'cancelled') return null;
    const chosen = d.acceptor;
    return html`<section class="parties" data-acceptor aria-labelledby="acceptor-title">
      <h3 id="acceptor-title">${t('parties.acceptor.title')}</h3>
      ${last !== null ? html`<p class="muted" role="status">${last.state === 'expired' ? t('parties.request.expired') : t('parties.request.cancelled')}</p>` : null}
      <p class="muted">${t('parties.acceptor.why', this.targetName)}</p>
      ${chosen !== null ? html`<p data-chosen><strong>${t('parties.acceptor.chosen', chosen.label)}</strong></p>` : null}
      ${d.acceptors.length === 0 && !d.scanning ? html`<p class="muted">${t('parties.acceptor.none', this.targetName)}</p>` : null}
      <div class="actions" role="group" aria-label=${t('parties.acceptor.title')}>
        ${d.acceptors.map((a) => html`<vscode-button ?secondary=${chosen?.key !== a.key} data-action="chooseAcceptor" data-account=${a.label} aria-pressed=${chosen?.key === a.key ? 'true' : 'false'}
          @click=${() => { intent(this, { type: 'chooseAcceptor', accountKey: a.key }); }}>${a.label}</vscode-button>`)}
        <vscode-button secondary data-action="signInAnotherAccount" icon="sign-in" @click=${() => { intent(this, { type: 'signInAnotherAccount' }); }}>${t('parties.signInAnother')}</vscode-button>
      </div>
      <div class="row">
        <vscode-textfield aria-label=${t('parties.acceptor.typed')} placeholder=${t('parties.acceptor.typed')} .value=${this.typed}
          @input=${(e: Event) => { this.typed = (e.target as ValueElement).value; }}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') this.useTyped(); }}></vscode-textfield>
        <vscode-button secondary data-action="typedAcceptor" ?disabled=${this.typed.trim() === ''} @click=${() => { this.useTyped(); }}>${t('parties.acceptor.use')}</vscode-button>
      </div>
      ${this.change.mode === 'portal' && chosen !== null ? html`<p class="muted" data-portal-acceptor>${t('parties.portal.acceptor', chosen.label)}</p>` : null}
    </section>`;
  }

  private useTyped(): void {
    const address = this.typed.trim();
    if (address !== '') intent(this, { type: 'typedAcceptor', address: address.slice(0, 256) });
  }

  private renderRequest(r: PartyRequest) {
    const d = this.data;
    const who = d.acceptor?.label ?? null;
    const signedIn = d.acceptor?.key !== null && d.acceptor?.key !== undefined && d.acceptors.some((a) => a.key === d.acceptor?.key);
    return html`<section class="parties" data-request=${r.state} aria-labelledby="request-title">
      <h3 id="request-title">${t('parties.request.title')}</h3>
      ${r.state === 'accepted'
        ? html`<p role="status">${t('parties.request.accepted')}</p>`
        : html`<p>${who !== null ? t('parties.request.mustAccept', who) : t('parties.request.anyAdmin', this.targetName)}</p>
          <p class="muted" data-expiry role="timer">${expiry(r, Date.now())}</p>
          <div class="actions">
            ${signedIn && who !== null ? html`<vscode-button data-action="acceptRequest" @click=${() => { intent(this, { type: 'acceptRequest' }); }}>${t('parties.request.accept', who)}</vscode-button>` : null}
            <vscode-button secondary data-action="copyAcceptorRequest" icon="copy" @click=${() => { intent(this, { type: 'copyAcceptorRequest' }); }}>${t('parties.request.copy')}</vscode-button>
            <vscode-button secondary data-action="recheck" @click=${() => { intent(this, { type: 'recheck' }); }}>${t('visible.recheck')}</vscode-button>
            <vscode-button secondary data-action="cancelRequest" icon="close" @click=${() => { intent(this, { type: 'cancelRequest' }); }}>${t('parties.request.cancel')}</vscode-button>
          </div>`}
    </section>`;
  }
}
customElements.define('atl-two-party', TwoPartyView);

/** Step 3 as the acceptor: give the owner Owner back, through their account in the new directory. */
export class OwnerBackView extends PartyElement {
  override render() {
    const d = this.data;
    const back = d.ownerBack;
    if (back === null) return null;
    const result = back.status === 'created' ? t('parties.ownerBack.created', d.owner)
      : back.status === 'exists' ? t('parties.ownerBack.exists', d.owner)
        : back.status === 'failed' ? t('parties.ownerBack.failed', back.reason ?? '') : null;
    return html`<section class="parties" data-owner-back=${back.status} aria-labelledby="owner-back-title">
      <h3 id="owner-back-title">${t('parties.ownerBack.title', d.owner)}</h3>
      <p class="muted">${t('parties.ownerBack.why', d.owner, this.targetName, back.label)}</p>
      ${result !== null ? html`<p role="status" class=${back.status === 'failed' ? 'status-fail' : ''}>${result}</p>` : null}
      ${back.status === 'offered' || back.status === 'failed' || back.status === 'working'
        ? html`<vscode-button data-action="giveOwnerBack" ?disabled=${back.status === 'working'} @click=${() => { intent(this, { type: 'giveOwnerBack' }); }}>${t('parties.ownerBack.give')}</vscode-button>`
        : null}
    </section>`;
  }
}
customElements.define('atl-owner-back', OwnerBackView);

declare global {
  interface HTMLElementTagNameMap {
    'atl-invite-owner': InviteOwnerView;
    'atl-sign-in-another': SignInAnotherView;
    'atl-two-party': TwoPartyView;
    'atl-owner-back': OwnerBackView;
  }
}
