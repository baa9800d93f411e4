// The header: the move as a sentence with an arrow; both ends reveal in the Directories tree.
import { LitElement, css, html } from 'lit';
import type { Header } from '../protocol';
import { baseStyles, intent } from './shared';
import { t } from './strings';

export class WizardHeader extends LitElement {
  static override properties = { header: { attribute: false } };
  declare header: Header | undefined;

  static override styles = [
    baseStyles,
    css`
      header {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: flex-start;
        gap: 0.5em 1em;
        padding-bottom: 0.6em;
        border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border));
      }
      .move {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.25em 0.6em;
        font-size: 1.15em;
        font-weight: 600;
      }
      .arrow {
        color: var(--vscode-descriptionForeground);
      }
      .tools {
        display: flex;
        gap: 0.4em;
        flex-wrap: wrap;
      }
    `,
  ];

  override render() {
    const h = this.header;
    const sub = h?.subscription ?? null;
    const target = h?.target ?? null;
    const o365 =
      target === null
        ? null
        : target.office365 === true
          ? html`<vscode-badge variant="default">${t('header.office365')}</vscode-badge>`
          : target.office365 === false
            ? html`<span class="muted">(${t('header.notOffice365')})</span>`
            : html`<span class="muted">(${t('header.office365Unknown')})</span>`;
    const targetText = target === null ? t('header.noTarget') : target.domain !== null ? `${target.name} (${target.domain})` : target.name;
    const sentence = t(sub?.moved === true ? 'header.sentenceMoved' : 'header.sentence', sub?.name ?? t('header.noSubscription'), sub?.source.name ?? '—', targetText);
    return html`<header>
      <div>
        <h1 class="sr-only">${sentence}</h1>
        <div class="move">
          ${sub
            ? html`<button class="link" data-action="reveal-subscription" title=${t('header.revealSubscription')} @click=${() => { intent(this, { type: 'revealInTree', what: 'subscription' }); }}>${sub.name}</button>`
            : html`<span class="muted">${t('header.noSubscription')}</span>`}
          <vscode-icon class="arrow" name="arrow-right" aria-hidden="true"></vscode-icon>
          ${target
            ? html`<button class="link" data-action="reveal-target" title=${t('header.revealTarget')} @click=${() => { intent(this, { type: 'revealInTree', what: 'target' }); }}>${targetText}</button>`
            : html`<span class="muted">${t('header.noTarget')}</span>`}
          ${o365}
        </div>
        ${sub ? html`<div class="muted" data-header-in>${sub.offer} · ${t('header.in', sub.current.name)}</div>` : null}
      </div>
      <div class="tools">
        ${sub
          ? html`<vscode-button secondary icon="link-external" data-action="open-in-portal" @click=${() => { intent(this, { type: 'openLink', link: 'subscriptionInPortal' }); }}
              >${t('header.openPortal')}</vscode-button
            >`
          : null}
        ${sub
          ? html`<vscode-button secondary icon="output" data-action="report" @click=${() => { intent(this, { type: 'exportReport' }); }}>${t('header.report')}</vscode-button>`
          : null}
      </div>
    </header>`;
  }
}
customElements.define('atl-header', WizardHeader);
