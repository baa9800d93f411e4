// The picker in an unmatched (or ambiguous) restore row: why the row has no match, and a way to choose someone —
// search by name where the directory may be searched, or an exact UPN or object id — as the CLI's `--map` allows.
// The host answers each search for its row (`restoreSearchResults`); only the user's explicit pick is posted.
import { LitElement, css, html } from 'lit';
import type { Person, RestoreRow } from '../protocol';
import type { SearchView } from './admins';
import { baseStyles, intent } from './shared';
import { t } from './strings';

type ValueElement = HTMLElement & { value: string };

export class RestorePicker extends LitElement {
  static override properties = {
    row: { attribute: false },
    search: { attribute: false },
    searchAllowed: { attribute: false },
    query: { state: true },
    sent: { state: true },
  };
  declare row: RestoreRow;
  declare search: SearchView | null;
  declare searchAllowed: boolean;
  declare query: string;
  /** The query last sent for this row: only its answer is shown. */
  declare sent: string | null;

  constructor() {
    super();
    this.search = null;
    this.searchAllowed = false;
    this.query = '';
    this.sent = null;
  }

  static override styles = [
    baseStyles,
    css`
      details {
        margin-top: 0.2em;
      }
      .find {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3em;
        margin: 0.3em 0;
      }
      vscode-textfield {
        flex: 1 1 8em;
        min-width: 0;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
      }
      li {
        padding: 0.1em 0;
      }
    `,
  ];

  private submit(): void {
    const query = this.query.trim().slice(0, 256);
    if (query === '') return;
    this.sent = query;
    intent(this, { type: 'searchRestorePrincipal', rowId: this.row.id, query });
  }

  private renderAnswer() {
    if (this.sent === null) return null;
    const s = this.search !== null && this.search.query === this.sent ? this.search : null;
    if (s === null) return html`<div class="muted" role="status">${t('admins.searching')}</div>`;
    if (s.results.length === 0) return html`<div class=${s.error !== null ? 'status-fail' : 'muted'} role="status">${s.error ?? t('admins.noResults')}</div>`;
    return html`<ul data-pick-results>
      ${s.results.map(
        (p: Person) => html`<li>
          <button class="link" data-pick=${p.id} @click=${() => { intent(this, { type: 'chooseRestorePrincipal', rowId: this.row.id, principalId: p.id }); }}>
            ${p.displayName}${p.detail !== null ? ` (${p.detail})` : ''}
          </button>
          <span class="muted">· ${t(`principal.${p.type}`)}</span>
        </li>`,
      )}
    </ul>`;
  }

  override render() {
    const label = this.searchAllowed ? t('admins.pick.search') : t('admins.pick.exact');
    return html`<details data-picker>
      <summary>${t('admins.pick.open')}</summary>
      <div class="find">
        <vscode-textfield
          aria-label=${label}
          placeholder=${label}
          .value=${this.query}
          @input=${(e: Event) => { this.query = (e.target as ValueElement).value; }}
          @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') this.submit(); }}
        ></vscode-textfield>
        <vscode-button secondary data-action="pick-find" @click=${() => { this.submit(); }}>${t('admins.lookup')}</vscode-button>
      </div>
      ${this.renderAnswer()}
    </details>`;
  }
}
customElements.define('atl-restore-picker', RestorePicker);
