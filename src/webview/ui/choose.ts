// Step 0 — choose the subscription and the target directory (reachable ones, Office 365 first; or typed).
import { LitElement, html } from 'lit';
import { isGuid, type ChooseStep, type DirectoryOption, type StepInfo } from '../protocol';
import { baseStyles, intent } from './shared';
import { t } from './strings';

type ValueElement = HTMLElement & { value: string };

export class ChooseStepView extends LitElement {
  static override properties = { data: { attribute: false }, steps: { attribute: false }, typed: { state: true } };
  declare data: ChooseStep;
  declare steps: StepInfo[];
  declare typed: string;

  constructor() {
    super();
    this.steps = [];
    this.typed = '';
  }

  static override styles = [baseStyles];

  private directoryLabel(d: DirectoryOption): string {
    const parts = [d.domain !== null ? `${d.name} (${d.domain})` : d.name];
    if (d.office365 === true) parts.push(t('header.office365'));
    else if (d.office365 === null) parts.push(t('header.office365Unknown'));
    if (d.isSource) parts.push(t('choose.current'));
    else if (!d.signedIn) parts.push(t('choose.signInRequired'));
    return parts.join(' · ');
  }

  private submitTyped(): void {
    const value = this.typed.trim();
    if (value !== '') intent(this, { type: 'typedTarget', value });
  }

  override render() {
    const d = this.data;
    // The host decides; a chosen target (and a visible step that is not blocked) is enough to go on.
    const nextReady = d.selectedTenantId !== null && this.steps.some((s) => s.id === 'visible' && s.status !== 'blocked');
    // The tree already knows an offer that cannot change directory (CSP, …): say so here, before any check runs.
    const selected = d.subscriptions?.find((s) => s.id === d.selectedSubscriptionId);
    return html`<h2>${t('choose.title')}</h2>
      <section>
        <vscode-label for="subscription">${t('choose.subscription')}</vscode-label>
        ${d.subscriptions === null
          ? html`<span class="skeleton" role="status">${t('choose.loadingSubscriptions')}</span>`
          : d.subscriptions.length === 0
            ? html`<p class="muted">${t('choose.noSubscriptions')}</p>`
            : html`<vscode-single-select
                id="subscription"
                combobox
                aria-label=${t('choose.subscription')}
                @change=${(e: Event) => {
                  const value = (e.target as ValueElement).value;
                  if (isGuid(value) && value !== d.selectedSubscriptionId) intent(this, { type: 'chooseSubscription', subscriptionId: value });
                }}
              >
                ${d.subscriptions.map(
                  (s) =>
                    html`<vscode-option value=${s.id} ?selected=${s.id === d.selectedSubscriptionId} description=${s.id}
                      >${s.name} · ${s.offer}${s.cannotMove !== undefined ? ` (${t('choose.cannotMove')})` : ''} · ${t('header.in', s.source.name)}</vscode-option
                    >`,
                )}
              </vscode-single-select>`}
        ${selected?.cannotMove !== undefined ? html`<p class="status-fail" role="alert" data-warning="cannot-move">${selected.cannotMove}</p>` : null}
      </section>
      <section>
        <vscode-label for="target">${t('choose.target')}</vscode-label>
        ${d.directories === null
          ? html`<span class="skeleton" role="status">${t('choose.loadingDirectories')}</span>`
          : html`<vscode-single-select
              id="target"
              aria-label=${t('choose.target')}
              @change=${(e: Event) => {
                const value = (e.target as ValueElement).value;
                if (isGuid(value) && value !== d.selectedTenantId) intent(this, { type: 'chooseTarget', tenantId: value });
              }}
            >
              ${d.selectedTenantId === null ? html`<vscode-option value="" selected>${t('admins.choose')}</vscode-option>` : null}
              ${d.directories.map(
                (dir) =>
                  html`<vscode-option value=${dir.tenantId} ?selected=${dir.tenantId === d.selectedTenantId} ?disabled=${dir.isSource} description=${dir.tenantId}
                    >${this.directoryLabel(dir)}</vscode-option
                  >`,
              )}
            </vscode-single-select>`}
        <p class="muted">${t('choose.targetHint')}</p>
        <vscode-label for="typed">${t('choose.typed')}</vscode-label>
        <div class="row">
          <vscode-textfield
            id="typed"
            placeholder=${t('choose.typedPlaceholder')}
            aria-label=${t('choose.typed')}
            maxlength="253"
            ?invalid=${d.typedTargetError !== null}
            .value=${this.typed}
            @input=${(e: Event) => {
              this.typed = (e.target as ValueElement).value;
            }}
            @keydown=${(e: KeyboardEvent) => {
              if (e.key === 'Enter') this.submitTyped();
            }}
          ></vscode-textfield>
          <vscode-button secondary data-action="use-typed" ?disabled=${this.typed.trim() === ''} @click=${() => { this.submitTyped(); }}>${t('choose.use')}</vscode-button>
        </div>
        ${d.typedTargetError !== null ? html`<p class="status-fail" role="alert">${d.typedTargetError}</p>` : null}
      </section>
      <div class="actions">
        <vscode-button data-primary ?disabled=${!nextReady} @click=${() => { intent(this, { type: 'openStep', step: 'visible' }); }}>${t('choose.continue')}</vscode-button>
      </div>`;
  }
}
customElements.define('atl-choose', ChooseStepView);
