// Step 3, two identities (issue 10): invite the unmatched users as guests, then their restore rows map to the new
// guests. Lists who would be invited (users with a mail address) and who stays for the user to map (groups, service
// principals, users without mail) with why; after the invitations, each row's result. Renders the host's slice only.
import { LitElement, css, html } from 'lit';
import type { GuestRow, GuestsState } from '../protocol';
import { baseStyles, intent } from './shared';
import { t, tn } from './strings';

const STATUS_WORD = {
  planned: 'guests.status.planned',
  invited: 'guests.status.invited',
  failed: 'guests.status.failed',
  kept: 'guests.status.kept',
} as const satisfies Readonly<Record<GuestRow['status'], string>>;

export class InviteGuestsView extends LitElement {
  static override properties = { data: { attribute: false }, targetName: { attribute: false } };
  declare data: GuestsState;
  declare targetName: string;
  static override styles = [baseStyles, css`
    section { margin-top: 1em; padding-top: 0.5em; border-top: 1px solid var(--vscode-widget-border, transparent); }
    ul { padding-left: 1.2em; }
    li { margin: 0.2em 0; overflow-wrap: anywhere; }
  `];

  /** Scrolls the section into view and moves the focus to its heading (the restore summary's link). */
  reveal(): void {
    const heading = this.renderRoot.querySelector<HTMLElement>('#guests-title');
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus();
  }

  override render() {
    const d = this.data;
    const toInvite = d.rows.filter((r) => r.status === 'planned').length;
    const sent = d.rows.some((r) => r.status === 'invited' || r.status === 'failed');
    return html`<section data-guests aria-labelledby="guests-title">
      <h3 id="guests-title" tabindex="-1">${t('guests.title')}</h3>
      <p class="muted">${t('guests.why', this.targetName, d.inviter)}</p>
      <ul>
        ${d.rows.map((r) => html`<li data-guest=${r.status}>
          <strong>${r.name ?? r.address ?? '—'}</strong>${r.address !== null && r.name !== null ? html` · ${r.address}` : null}
          · ${tn('guests.assignments', r.assignments, r.assignments)} —
          <span class=${r.status === 'failed' ? 'status-fail' : r.status === 'invited' ? 'status-pass' : ''}>${t(STATUS_WORD[r.status])}</span>${r.reason !== null ? html` (${r.reason})` : null}
        </li>`)}
      </ul>
      ${toInvite > 0 && !sent
        ? html`<vscode-button data-action="inviteUnmatched" icon="person-add" ?disabled=${d.working} @click=${() => { intent(this, { type: 'inviteUnmatched' }); }}>${tn('guests.invite', toInvite, toInvite)}</vscode-button>`
        : null}
      ${d.working ? html`<p class="muted" role="status">${t('guests.working', this.targetName)}</p>` : null}
    </section>`;
  }
}
customElements.define('atl-invite-guests', InviteGuestsView);

declare global {
  interface HTMLElementTagNameMap {
    'atl-invite-guests': InviteGuestsView;
  }
}
