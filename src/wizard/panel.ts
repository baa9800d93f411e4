/**
 * The wizard's webview panel: receives intents, hands them to the controller, posts the state. Nothing else.
 */
import * as vscode from 'vscode';
import { WIZARD_VIEW_TYPE } from '../ids';
import { WizardWebview, buildL10n, type WebviewLogger } from '../webview/panelHost';
import type { RestorePrincipalSearch, WizardState } from '../webview/protocol';
import type { WizardStart } from './context';
import { WizardController } from './controller';
import type { WizardIntent } from './events';
import type { WizardHost } from './ports';

/** The host's ports without the two the panel supplies itself. */
export type PanelPorts = Omit<WizardHost, 'postSearchResults' | 'postRestoreSearchResults' | 'log'>;

export class WizardPanel extends WizardWebview {
  readonly controller: WizardController;

  constructor(extensionUri: vscode.Uri, logger: WebviewLogger, start: WizardStart, ports: PanelPorts, onWorldChange: (listener: () => void) => vscode.Disposable) {
    super({
      viewType: WIZARD_VIEW_TYPE,
      title: vscode.l10n.t('Link {0}', start.subscription.subscription.displayName),
      extensionUri,
      logger,
      l10n: buildL10n((m, ...args) => vscode.l10n.t(m, ...args)),
    });
    this.controller = new WizardController(start, {
      ...ports,
      postSearchResults: (q, r, e) => this.postSearchResults(q, r, e),
      postRestoreSearchResults: (row, q, r, e) => this.postRestoreSearchResults(row, q, r, e),
      log: logger,
    }, () => { void this.postState(); });
    const subscription = onWorldChange(() => { void this.postState(); });
    this.onDidDispose(() => {
      this.controller.dispose();
      subscription.dispose();
    });
    void this.controller.dispatch({ type: 'start' });
  }

  /** The subscription the panel shows now (it changes when the user picks another in step 0). */
  get subscriptionId(): string {
    return this.controller.subscriptionId;
  }

  /** Shows the panel on step 3 (from the "now lives in" notification), once the move has been seen. */
  async showAdministrators(): Promise<void> {
    this.reveal();
    await this.controller.dispatch({ type: 'openStep', step: 'admins' });
  }

  protected getState(): WizardState {
    return this.controller.state();
  }

  protected onRestorePrincipalSearch(msg: RestorePrincipalSearch): Promise<void> {
    return this.controller.searchRestorePrincipal(msg.rowId, msg.query);
  }

  protected onMessage(msg: WizardIntent): Promise<void> {
    return this.controller.dispatch(msg);
  }
}
