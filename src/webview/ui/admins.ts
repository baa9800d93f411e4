// Step 3 — add administrators in the new directory: search (or exact lookup), role, restore from the snapshot,
// per-row results in place, "Retry failed".
import { LitElement, css, html } from 'lit';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { isGuid, type AdminsStep, type AssignmentResult, type Person, type RestoreRow } from '../protocol';
import './restore-picker';
import './restore-repair';
import { baseStyles, intent, shortScope, statusWord } from './shared';
import { t, tn } from './strings';

export interface SearchView {
  query: string;
  results: Person[];
  error: string | null;
}
type ValueElement = HTMLElement & { value: string };
const SEARCH_DELAY_MS = 300;

function renderResult(r: AssignmentResult) {
  const word = t(`admins.result.${r.status}`);
  return html`<span data-result=${r.status}>${statusWord(r.status === 'failed' ? 'fail' : 'pass', r.reason !== undefined ? `${word} (${r.reason})` : word)}</span>`;
}
const MATCH_KIND = { matched: 'pass', ambiguous: 'warn', unmatched: 'unknown' } as const;

/** How many role assignments "Create" would make now: selected people + chosen restore rows without success. */
export function pendingCount(a: AdminsStep): number {
  const open = (r?: AssignmentResult) => r === undefined || r.status === 'failed';
  return a.selected.filter((p) => open(p.result)).length + (a.restore ?? []).filter((r) => (r.chosen !== null || r.followsIdentity === true) && open(r.result)).length;
}

/** The row's marks: eligible (PIM) or time-bound, with the end; permanent active rows have none. */
function marks(r: RestoreRow) {
  const end = r.endDateTime === null || r.endDateTime === undefined ? null : r.endDateTime.replace(/T.*$/, '');
  if (r.eligible === true) return html` <span class="mark" data-mark="eligible">${end === null ? t('admins.mark.eligible') : t('admins.mark.eligibleUntil', end)}</span>`;
  return end === null ? null : html` <span class="mark" data-mark="timeBound">${t('admins.mark.timeBound', end)}</span>`;
}

export class AdminsStepView extends LitElement {
  static override properties = {
    data: { attribute: false },
    targetName: { attribute: false },
    search: { attribute: false },
    restoreSearch: { attribute: false },
    guestsToInvite: { attribute: false },
    query: { state: true },
    lookup: { state: true },
  };
  declare data: AdminsStep;
  declare targetName: string;
  declare search: SearchView | null;
  declare restoreSearch: Record<string, SearchView>;
  /** Unmatched people the guests section below can invite (two identities): the summary links down to it. */
  declare guestsToInvite: number;
  declare query: string;
  declare lookup: string;
  private searchTimer: number | undefined;

  constructor() {
    super();
    this.targetName = '';
    this.search = null;
    this.restoreSearch = {};
    this.guestsToInvite = 0;
    this.query = '';
    this.lookup = '';
  }

  static override styles = [
    baseStyles,
    css`
      /* A long guest UPN must not push the status column out of sight. */
      td vscode-single-select {
        width: 100%;
        max-width: 18em;
        min-width: 8em;
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 0.5em 1em;
        align-items: center;
      }
      .results {
        list-style: none;
        margin: 0.3em 0;
        padding: 0;
        min-height: 2em;
      }
      .chips {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4em;
        list-style: none;
        padding: 0;
        margin: 0.3em 0;
      }
      .chips li {
        display: inline-flex;
        align-items: center;
        gap: 0.3em;
        border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border));
        border-radius: 3px;
        padding: 0.1em 0.4em;
      }
      vscode-textfield {
        width: 100%;
        max-width: 32em;
      }
      .top .row {
        min-width: 0;
        max-width: 100%;
      }
      #role {
        width: 18em;
        min-width: 0;
      }
      td vscode-single-select {
        width: 100%;
        min-width: 0;
      }
      /* Fixed shares so the status and the picker stay in view at 600 px; long names wrap. */
      table.restore {
        min-width: 0;
        table-layout: fixed;
      }
      table.restore td {
        overflow-wrap: anywhere;
      }
      col.old {
        width: 27%;
      }
      col.role {
        width: 20%;
      }
      col.new {
        width: 35%;
      }
      col.status {
        width: 18%;
      }
      .mark {
        display: inline-block;
        font-size: 0.9em;
        border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border));
        border-radius: 3px;
        padding: 0 0.3em;
      }
    `,
  ];

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearTimeout(this.searchTimer);
  }

  private onQuery(value: string): void {
    this.query = value;
    window.clearTimeout(this.searchTimer);
    this.searchTimer = window.setTimeout(() => {
      intent(this, { type: 'searchUsers', query: value.trim().slice(0, 256) });
    }, SEARCH_DELAY_MS);
  }

  private toggle(p: Person, on: boolean): void {
    const ids = this.data.selected.map((s) => s.id).filter((id) => id !== p.id);
    if (on) ids.push(p.id);
    intent(this, { type: 'setSelectedUsers', ids: ids.filter(isGuid) });
  }

  private submitLookup(): void {
    const value = this.lookup.trim();
    if (value !== '') intent(this, { type: 'lookupUser', value: value.slice(0, 256) });
  }

  private renderFinder() {
    const d = this.data;
    if (!d.searchAllowed) {
      return html`<section data-lookup>
        <p class="muted">${t('admins.lookupHint', this.targetName)}</p>
        <div class="row">
          <vscode-textfield
            aria-label=${t('admins.lookupLabel')}
            placeholder=${t('admins.lookupLabel')}
            .value=${this.lookup}
            @input=${(e: Event) => { this.lookup = (e.target as ValueElement).value; }}
            @keydown=${(e: KeyboardEvent) => { if (e.key === 'Enter') this.submitLookup(); }}
          ></vscode-textfield>
          <vscode-button secondary data-action="lookup" @click=${() => { this.submitLookup(); }}>${t('admins.lookup')}</vscode-button>
        </div>
        ${d.lookupError !== null ? html`<p class="status-fail" role="alert">${d.lookupError}</p>` : null}
      </section>`;
    }
    const s = this.search !== null && this.search.query === this.query.trim() ? this.search : null;
    const selected = new Set(d.selected.map((p) => p.id));
    return html`<section data-search>
      <vscode-textfield
        type="search"
        aria-label=${t('admins.search', this.targetName)}
        placeholder=${t('admins.search', this.targetName)}
        .value=${this.query}
        @input=${(e: Event) => { this.onQuery((e.target as ValueElement).value); }}
        ><vscode-icon slot="content-before" name="search" aria-hidden="true"></vscode-icon
      ></vscode-textfield>
      <div role="status" aria-live="polite" class="muted">
        ${this.query.trim() !== '' && s === null ? t('admins.searching') : s !== null && s.results.length === 0 ? (s.error ?? t('admins.noResults')) : ''}
      </div>
      ${s !== null && s.results.length > 0
        ? html`<ul class="results">
            ${repeat(
              s.results,
              (p) => p.id,
              // The name is slotted only: with a `label` attribute as well, vscode-checkbox shows it twice until its
              // first re-render, which focus on mousedown triggers, so the text moved under the pointer and the first
              // click was lost. `live` keeps the box on the host's selection (one element per person: `repeat`).
              (p) => html`<li>
                <vscode-checkbox
                  data-person=${p.id}
                  .checked=${live(selected.has(p.id))}
                  @change=${(e: Event) => { this.toggle(p, (e.target as HTMLElement & { checked: boolean }).checked); }}
                  >${p.displayName}${p.detail !== null ? html` <span class="muted">(${p.detail})</span>` : null}</vscode-checkbox
                >
              </li>`,
            )}
          </ul>`
        : null}
    </section>`;
  }

  private renderSelected() {
    const d = this.data;
    return html`<section>
      <h3>${t('admins.selected')}</h3>
      ${d.selected.length === 0
        ? html`<p class="muted">${t('admins.noneSelected')}</p>`
        : html`<ul class="chips">
            ${d.selected.map(
              (p) => html`<li data-selected=${p.id}>
                <span>${p.displayName}</span>
                ${p.result !== undefined ? renderResult(p.result) : null}
                <vscode-icon
                  name="close"
                  action-icon
                  label=${t('admins.remove', p.displayName)}
                  @vsc-click=${() => { this.toggle(p, false); }}
                ></vscode-icon>
              </li>`,
            )}
          </ul>`}
    </section>`;
  }

  private renderRestoreRow(r: RestoreRow) {
    const oldName = r.oldPrincipalName ?? t('impact.deleted');
    return html`<tr data-restore=${r.id} data-match=${r.match}>
      <td class=${r.oldPrincipalName === null ? 'deleted-principal' : ''}>${oldName}</td>
      <td>${r.role} <span class="muted" title=${r.scope}>${shortScope(r.scope)}</span>${marks(r)}</td>
      <td>
        ${r.followsIdentity === true
          ? html`<span data-follows>${t('admins.followsIdentity')}</span>`
          : r.candidates.length === 0
          ? html`<span class="muted">—</span>`
          : html`<vscode-single-select
              aria-label=${t('admins.newFor', oldName)}
              @change=${(e: Event) => {
                const v = (e.target as ValueElement).value;
                intent(this, { type: 'chooseRestorePrincipal', rowId: r.id, principalId: isGuid(v) ? v : null });
              }}
            >
              <vscode-option value="" ?selected=${r.chosen === null}>${r.match === 'ambiguous' ? t('admins.choose') : t('admins.skip')}</vscode-option>
              ${r.candidates.map(
                (c) => html`<vscode-option value=${c.id} ?selected=${c.id === r.chosen}>${c.detail !== null ? `${c.displayName} (${c.detail})` : c.displayName}</vscode-option>`,
              )}
            </vscode-single-select>`}
        ${r.reason !== undefined && r.result === undefined ? html`<div class="muted" data-reason>${r.reason}</div>` : null}
        ${r.match !== 'matched' && r.result === undefined && r.followsIdentity !== true
          ? html`<atl-restore-picker .row=${r} .search=${this.restoreSearch[r.id] ?? null} .searchAllowed=${this.data.searchAllowed}></atl-restore-picker>`
          : null}
      </td>
      <td>
        ${r.result !== undefined ? renderResult(r.result) : r.followsIdentity === true ? statusWord('pass', t('admins.match.identity')) : statusWord(MATCH_KIND[r.match], t(`admins.match.${r.match}`))}
      </td>
    </tr>`;
  }

  private renderRestore(rows: RestoreRow[]) {
    const n = { matched: 0, ambiguous: 0, unmatched: 0 };
    for (const r of rows) n[r.followsIdentity === true ? 'matched' : r.match]++;
    return html`<section aria-labelledby="restore-h">
      <div class="section-head">
        <h3 id="restore-h">${t('admins.restore')}</h3>
        <span class="muted" data-restore-summary>${t('admins.restoreSummary', n.matched, n.ambiguous, n.unmatched)}</span>
        ${this.guestsToInvite > 0
          // The guests section sits below this (long) table: the link takes the user there (main.ts scrolls and focuses it).
          ? html`<a href="#guests-title" data-action="toGuests" @click=${(e: Event) => {
            e.preventDefault();
            this.dispatchEvent(new CustomEvent('atl-to-guests', { bubbles: true, composed: true }));
          }}>${tn('admins.toGuests', this.guestsToInvite, this.guestsToInvite)}</a>`
          : null}
      </div>
      <div class="scroll">
        <table class="restore">
          <colgroup><col class="old" /><col class="role" /><col class="new" /><col class="status" /></colgroup>
          <thead>
            <tr>
              <th scope="col">${t('admins.col.old')}</th>
              <th scope="col">${t('admins.col.role')}</th>
              <th scope="col">${t('admins.col.new')}</th>
              <th scope="col">${t('admins.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map((r) => this.renderRestoreRow(r))}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  override render() {
    const d = this.data;
    const n = pendingCount(d);
    // A failed row or repair (a ReadOnly lock, say) offers a retry but does not hold the user in step 3: Done lists it.
    const anyFailed = d.selected.some((p) => p.result?.status === 'failed') || (d.restore ?? []).some((r) => r.result?.status === 'failed') || (d.repair ?? []).some((x) => x.status === 'failed');
    // Everything chosen was tried: Finish leads to Done, which lists what failed; "Retry failed" stays beside it.
    const untried = d.selected.filter((p) => p.result === undefined).length + (d.restore ?? []).filter((r) => (r.chosen !== null || r.followsIdentity === true) && r.result === undefined).length;
    const attempted = d.selected.some((p) => p.result !== undefined) || (d.restore ?? []).some((r) => r.result !== undefined);
    const label = n === 0 ? t('admins.primary.none') : n === 1 ? t('admins.primary.one') : t('admins.primary.many', n);
    return html`<div class="top">
        <h2>${t('admins.title', this.targetName)}</h2>
        <div class="row">
          <vscode-label for="role">${t('admins.role')}</vscode-label>
          <vscode-single-select
            id="role"
            aria-label=${t('admins.role')}
            @change=${(e: Event) => {
              const v = (e.target as ValueElement).value;
              if (isGuid(v) && v !== d.roleDefinitionId) intent(this, { type: 'setRole', roleDefinitionId: v });
            }}
          >
            ${d.roles.map((r) => html`<vscode-option value=${r.id} ?selected=${r.id === d.roleDefinitionId}>${r.name}</vscode-option>`)}
          </vscode-single-select>
        </div>
      </div>
      ${this.renderFinder()} ${this.renderSelected()} ${d.restore !== null && d.restore.length > 0 ? this.renderRestore(d.restore) : null}
      <atl-restore-repair .repair=${d.repair ?? []} .manual=${d.manual} .rows=${d.restore ?? []} .creating=${d.creating}></atl-restore-repair>
      <div class="actions">
        ${d.creating ? html`<span class="row" role="status"><vscode-progress-ring aria-hidden="true"></vscode-progress-ring>${t('admins.creating')}</span>` : null}
        ${anyFailed && !d.creating
          ? html`<vscode-button secondary icon="refresh" data-action="retry-failed" @click=${() => { intent(this, { type: 'retryFailed' }); }}>${t('admins.retry')}</vscode-button>`
          : null}
        ${untried === 0 && attempted
          ? html`<vscode-button data-primary @click=${() => { intent(this, { type: 'openStep', step: 'done' }); }}>${t('admins.finish')}</vscode-button>`
          : html`<vscode-button data-primary ?disabled=${n === 0 || d.creating} @click=${() => { intent(this, { type: 'createAssignments' }); }}>${label}</vscode-button>`}
      </div>`;
  }
}
customElements.define('atl-admins', AdminsStepView);
