// Done — summary, links, export report.
import { LitElement, html } from 'lit';
import type { DoneStep } from '../protocol';
import { baseStyles, intent } from './shared';
import { t, tn } from './strings';

export class DoneStepView extends LitElement {
  static override properties = { data: { attribute: false } };
  declare data: DoneStep;
  static override styles = [baseStyles];

  override render() {
    const d = this.data;
    return html`<h2>${t('done.title')}</h2>
      <p role="status" data-done-summary>${tn('done.summary', d.deleted, d.deleted, d.created, d.failed)}</p>
      <ul>
        ${d.links.map(
          (link) =>
            html`<li><button class="link" data-link=${link} @click=${() => { intent(this, { type: 'openLink', link }); }}>${t(`done.link.${link}`)}</button></li>`,
        )}
      </ul>
      ${d.reportPath !== null ? html`<p class="muted">${t('done.exported', d.reportPath)}</p>` : null}
      <div class="actions">
        <vscode-button data-primary icon="output" @click=${() => { intent(this, { type: 'exportReport' }); }}>${t('done.export')}</vscode-button>
      </div>`;
  }
}
customElements.define('atl-done', DoneStepView);
