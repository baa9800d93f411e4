// Entry point of the wizard webview (built to dist/webview/main.js). Renders what the host sends; decides nothing.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { LitElement, css, html } from 'lit';
import { parseToWebview, type FromWebview, type WizardState } from '../protocol';
import './admins';
import { type SearchView } from './admins';
import './change';
import './choose';
import './done';
import './header';
import './parties';
import './guests';
import type { InviteGuestsView } from './guests';
import './rail';
import { INTENT_EVENT, baseStyles, type VsCodeApi } from './shared';
import { setL10n, t } from './strings';
import './visible';

export class WizardApp extends LitElement {
  static override properties = { state: { attribute: false }, search: { attribute: false }, restoreSearch: { attribute: false } };
  declare state: WizardState | undefined;
  declare search: SearchView | null;
  /** The latest answer for each restore row's picker, by row id. */
  declare restoreSearch: Record<string, SearchView>;

  constructor() {
    super();
    this.search = null;
    this.restoreSearch = {};
    // Step 3's restore summary links down to the guests section, below its long table.
    this.addEventListener('atl-to-guests', () => {
      this.renderRoot.querySelector<InviteGuestsView>('atl-invite-guests')?.reveal();
    });
  }

  static override styles = [
    baseStyles,
    css`
      :host {
        padding: 0.75em 1em 1.5em;
        max-width: 72em;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(10em, max-content) minmax(0, 1fr);
        gap: 1em 1.5em;
        margin-top: 0.75em;
      }
      main {
        min-width: 0;
      }
      .banner {
        display: flex;
        gap: 0.5em;
        align-items: flex-start;
        padding: 0.4em 0.6em;
        margin-bottom: 0.75em;
        border-radius: 3px;
        border: 1px solid var(--vscode-inputValidation-errorBorder);
        background: var(--vscode-inputValidation-errorBackground);
      }
      .busy {
        min-height: 1.6em;
      }
      @media (max-width: 640px) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
    `,
  ];

  /** Two identities, below the step they belong to (issue 10). */
  private renderParties(s: WizardState) {
    const p = s.parties;
    const name = s.header.target?.name ?? '';
    if (p === undefined) return null;
    if (s.activeStep === 'choose' && s.choose.typedTargetError !== null) return html`<atl-sign-in-another .data=${p} .targetName=${name}></atl-sign-in-another>`;
    if (s.activeStep === 'visible' && s.visible?.accountInTarget?.status === 'fail') return html`<atl-invite-owner .data=${p} .targetName=${name}></atl-invite-owner>`;
    if (s.activeStep === 'visible' && p.invitation !== null) return html`<atl-invite-owner .data=${p} .targetName=${name}></atl-invite-owner>`;
    // Step 2 only when someone else accepts, or there is a choice or a request (one account accepting itself: nothing to add).
    const twoParty = p.request !== null || p.acceptor === null || p.acceptor.label !== p.owner || p.acceptors.length > 1;
    if (s.activeStep === 'change' && s.change && s.change.block === null && twoParty) return html`<atl-two-party .data=${p} .change=${s.change} .targetName=${name}></atl-two-party>`;
    if (s.activeStep === 'admins') {
      return html`${p.ownerBack !== null ? html`<atl-owner-back .data=${p} .targetName=${name}></atl-owner-back>` : null}
        ${p.guests !== null ? html`<atl-invite-guests .data=${p.guests} .targetName=${name}></atl-invite-guests>` : null}`;
    }
    return null;
  }

  private renderStep(s: WizardState) {
    const target = s.header.target;
    switch (s.activeStep) {
      case 'choose':
        return html`<atl-choose .data=${s.choose} .steps=${s.steps}></atl-choose>`;
      case 'visible':
        return s.visible ? html`<atl-visible .data=${s.visible} .target=${target}></atl-visible>` : this.loading();
      case 'change':
        return s.change ? html`<atl-change .data=${s.change} .target=${target}></atl-change>` : this.loading();
      case 'admins':
        return s.admins
          ? html`<atl-admins .data=${s.admins} .targetName=${target?.name ?? ''} .search=${this.search} .restoreSearch=${this.restoreSearch}
              .guestsToInvite=${s.parties?.guests?.rows.filter((r) => r.status === 'planned').length ?? 0}></atl-admins>`
          : this.loading();
      case 'done':
        return s.done ? html`<atl-done .data=${s.done}></atl-done>` : this.loading();
    }
  }

  private loading() {
    return html`<span class="skeleton" role="status">${t('loading')}</span><span class="skeleton"></span><span class="skeleton"></span>`;
  }

  override render() {
    const s = this.state;
    if (s === undefined) {
      return html`<div role="status" aria-busy="true">${this.loading()}</div>`;
    }
    return html`<atl-header .header=${s.header}></atl-header>
      <div class="layout">
        <atl-steps-rail .steps=${s.steps} .active=${s.activeStep}></atl-steps-rail>
        <main aria-label=${t(`step.${s.activeStep}`)} data-step=${s.activeStep}>
          <div class="busy muted" role="status" aria-live="polite">
            ${s.busy !== null ? html`<span class="row"><vscode-progress-ring aria-hidden="true"></vscode-progress-ring>${s.busy}</span>` : null}
          </div>
          ${s.error !== null
            ? html`<div class="banner" role="alert" data-error>
                <vscode-icon name="error" class="status-fail" aria-hidden="true"></vscode-icon>
                <div>
                  <div>${s.error.message}</div>
                  ${s.error.fix !== undefined ? html`<div class="muted">${t('finding.fix', s.error.fix)}</div>` : null}
                  ${s.error.owner !== undefined ? html`<div class="muted">${t('finding.owner', s.error.owner)}</div>` : null}
                </div>
              </div>`
            : null}
          ${this.renderStep(s)} ${this.renderParties(s)}
        </main>
      </div>`;
  }
}
customElements.define('atl-wizard', WizardApp);

// --- Wiring --------------------------------------------------------------------------------------------------------

function start(): void {
  const vscode: VsCodeApi = acquireVsCodeApi();
  const post = (msg: FromWebview): void => {
    vscode.postMessage(msg);
  };
  const report = (message: string): void => {
    post({ type: 'unhandledError', message: message.slice(0, 4000) });
  };

  window.addEventListener('error', (e) => {
    report(e.error instanceof Error ? (e.error.stack ?? e.error.message) : e.message);
  });
  window.addEventListener('unhandledrejection', (e: PromiseRejectionEvent) => {
    report(e.reason instanceof Error ? (e.reason.stack ?? e.reason.message) : 'Unhandled promise rejection');
  });

  let app = document.querySelector('atl-wizard');
  if (app === null) {
    app = document.createElement('atl-wizard');
    document.body.append(app);
  }
  const root = app;
  document.title = t('appLabel');
  root.addEventListener(INTENT_EVENT, (e: Event) => {
    post((e as CustomEvent<FromWebview>).detail);
  });

  // What the host's panel serializer needs after a window reload (src/extension.ts).
  const remember = (state: { header: { subscription: { id: string } | null; target: { tenantId: string } | null } }): void => {
    const id = state.header.subscription?.id;
    const target = state.header.target?.tenantId;
    if (id !== undefined) vscode.setState?.(target === undefined ? { subscriptionId: id } : { subscriptionId: id, targetTenantId: target });
  };

  window.addEventListener('message', (event: MessageEvent) => {
    const msg = parseToWebview(event.data);
    if (msg === undefined) return; // malformed or not ours: ignore
    if (msg.type === 'init' || msg.type === 'state') remember(msg.state);
    switch (msg.type) {
      case 'init':
        setL10n(msg.l10n);
        document.title = t('appLabel');
        root.search = null;
        root.restoreSearch = {};
        root.state = msg.state;
        root.requestUpdate();
        break;
      case 'state':
        root.state = msg.state;
        break;
      case 'searchResults':
        root.search = { query: msg.query, results: msg.results, error: msg.error };
        break;
      case 'restoreSearchResults':
        root.restoreSearch = { ...root.restoreSearch, [msg.rowId]: { query: msg.query, results: msg.results, error: msg.error } };
        break;
    }
  });

  post({ type: 'ready' });
}

declare global {
  interface HTMLElementTagNameMap {
    'atl-wizard': WizardApp;
  }
}

start();
