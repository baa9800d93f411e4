// Step 1 — make the target directory visible: is the account in it, can it get a token there.
import { LitElement, html } from 'lit';
import type { DirectoryRef, VisibleStep } from '../protocol';
import { baseStyles, intent, renderFinding } from './shared';
import { t } from './strings';

export class VisibleStepView extends LitElement {
  static override properties = { data: { attribute: false }, target: { attribute: false } };
  declare data: VisibleStep;
  declare target: DirectoryRef | null;

  static override styles = [baseStyles];

  override render() {
    const d = this.data;
    const name = this.target?.name ?? '';
    const findings = [d.accountInTarget, d.tokenForTarget];
    const allPass = findings.every((f) => f?.status === 'pass');
    const tenantId = this.target?.tenantId;
    return html`<h2>${t('visible.title', name)}</h2>
      ${d.account !== null ? html`<p class="muted">${t('visible.account', d.account)}</p>` : null}
      <section aria-busy=${d.checking ? 'true' : 'false'}>
        <div role="status" aria-live="polite">
          ${d.checking ? html`<div class="row"><vscode-progress-ring aria-hidden="true"></vscode-progress-ring>${t('visible.checking', name)}</div>` : null}
        </div>
        ${findings.map((f) => (f === null ? html`<span class="skeleton"></span>` : renderFinding(f)))}
      </section>
      <div class="actions">
        <vscode-button secondary data-action="recheck" ?disabled=${d.checking} @click=${() => { intent(this, { type: 'recheck' }); }}>${t('visible.recheck')}</vscode-button>
        ${allPass
          ? html`<vscode-button data-primary @click=${() => { intent(this, { type: 'openStep', step: 'change' }); }}>${t('visible.continue')}</vscode-button>`
          : html`<vscode-button
              data-primary
              icon="sign-in"
              ?disabled=${d.checking || tenantId === undefined}
              @click=${() => {
                if (tenantId !== undefined) intent(this, { type: 'signInToDirectory', tenantId });
              }}
              >${t('visible.signIn')}</vscode-button
            >`}
      </div>`;
  }
}
customElements.define('atl-visible', VisibleStepView);
