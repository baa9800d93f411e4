// Step 3's Repair group and what is left by hand: system-assigned identities re-enabled (their grants follow the new
// principal id), policy assignments re-created, Key Vaults' tenantId and access policies; user-assigned identities as
// steps; and, when a role-management policy refused an eligible end, the offer of the longest end it allows.
import { LitElement, css, html } from 'lit';
import type { ManualSteps, RepairItem, RepairStatus, RestoreRow } from '../protocol';
import { baseStyles, intent, statusWord } from './shared';
import { t } from './strings';

const KIND: Record<RepairStatus, 'pass' | 'fail' | 'warn' | 'unknown'> = { created: 'pass', exists: 'pass', failed: 'fail', skipped: 'warn', planned: 'unknown' };

export class RestoreRepair extends LitElement {
  static override properties = { repair: { attribute: false }, manual: { attribute: false }, rows: { attribute: false }, creating: { attribute: false } };
  declare repair: RepairItem[];
  declare manual: ManualSteps[];
  declare rows: RestoreRow[];
  declare creating: boolean;

  constructor() {
    super();
    this.repair = [];
    this.manual = [];
    this.rows = [];
    this.creating = false;
  }

  static override styles = [
    baseStyles,
    css`
      table {
        table-layout: fixed;
        min-width: 0;
      }
      td {
        overflow-wrap: anywhere;
        vertical-align: top;
      }
      col.what {
        width: 55%;
      }
      col.status {
        width: 45%;
      }
      ol {
        margin: 0.2em 0 0.6em;
        padding-inline-start: 1.5em;
      }
      .offer {
        border-inline-start: 3px solid var(--vscode-list-warningForeground, var(--vscode-editorWarning-foreground));
        padding: 0.3em 0.6em;
        margin: 0.5em 0;
      }
    `,
  ];

  private what(x: RepairItem): string {
    switch (x.kind) {
      case 'identity':
        return t('repair.identity', x.name);
      case 'policyAssignment':
        return t('repair.policyAssignment', x.name);
      case 'keyVault':
        return t('repair.keyVault', x.name);
      case 'accessPolicy':
        return t('repair.accessPolicy', x.detail ?? '', x.name);
    }
  }

  private renderOffer() {
    const refused = this.rows.filter((r) => r.longestAllowedEnd !== undefined && r.result?.status === 'failed');
    if (refused.length === 0) return null;
    const first = refused[0]?.longestAllowedEnd ?? '';
    return html`<div class="offer" role="status" data-policy-offer>
      <p>${refused.some((r) => r.endDateTime === null || r.endDateTime === undefined) ? t('repair.offer.permanent', refused.length, first) : t('repair.offer.end', refused.length, first)}</p>
      <vscode-button secondary data-action="accept-longest-end" ?disabled=${this.creating} @click=${() => { intent(this, { type: 'acceptLongestEnd' }); }}
        >${t('repair.offer.accept')}</vscode-button
      >
    </div>`;
  }

  override render() {
    return html`${this.renderOffer()}
      ${this.repair.length > 0
        ? html`<section aria-labelledby="repair-h" data-repair-group>
            <div class="section-head">
              <h3 id="repair-h">${t('repair.title')}</h3>
              <span class="muted">${t('repair.hint')}</span>
            </div>
            <table>
              <colgroup><col class="what" /><col class="status" /></colgroup>
              <thead>
                <tr><th scope="col">${t('repair.col.what')}</th><th scope="col">${t('admins.col.status')}</th></tr>
              </thead>
              <tbody>
                ${this.repair.map(
                  (x) => html`<tr data-repair-item=${x.kind} data-status=${x.status}>
                    <td title=${x.id}>${this.what(x)}${x.detail !== null && x.kind !== 'accessPolicy' ? html`<div class="muted">${t('repair.newPrincipal', x.detail)}</div>` : null}</td>
                    <td>${statusWord(KIND[x.status], t(`repair.status.${x.status}`))}${x.reason !== undefined ? html`<div class="muted">${x.reason}</div>` : null}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </section>`
        : null}
      ${this.manual.length > 0
        ? html`<section aria-labelledby="manual-h" data-manual>
            <h3 id="manual-h">${t('repair.manual')}</h3>
            ${this.manual.map(
              (m) => html`<p><strong>${m.name}</strong></p>
                <ol>
                  ${m.steps.map((s) => html`<li>${s}</li>`)}
                </ol>`,
            )}
          </section>`
        : null}`;
  }
}
customElements.define('atl-restore-repair', RestoreRepair);
