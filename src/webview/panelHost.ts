// Host side of our webviews, in the style of vscode-codeql's AbstractWebview<To, From>:
//   - AbstractWebview<To, From>: owns one WebviewPanel (create / reveal / restore), the CSP'd HTML, the `ready`
//     handshake, and strict parsing + error handling of every inbound message.
//   - WizardWebview: the wizard's typed specialisation (protocol.ts). A controller extends it and implements
//     `getState()` and `onMessage(msg)`, and calls `postState()` whenever its state changes.
//   - PanelRegistry (panelRegistry.ts): one panel per key (e.g. per subscription id), keyed live.
//   - registerPanelSerializer: restores panels after a window reload.
// Nothing here holds or forwards tokens or secrets: the webview only ever sees WizardState.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { parseFromWebview, type FromWebview, type L10nMap, type ToWebview, type RestorePrincipalSearch, type WizardIntent, type WizardState } from './protocol';
import { renderHtml } from './html';
import { oneLogLine } from './logLine';
import { EN } from './uiStrings';

export { renderHtml };

export interface WebviewLogger {
  warn(msg: string): void;
  error(msg: string, ...details: unknown[]): void;
}

export interface WebviewOptions<From> {
  /** Registered view type (also used by the serializer), e.g. `azureTenantLink.wizard`. */
  viewType: string;
  title: string;
  extensionUri: vscode.Uri;
  logger: WebviewLogger;
  /** Strict validator for inbound messages; anything it rejects is dropped with one log line. */
  parse: (value: unknown) => From | undefined;
  /** The UI bundle under dist/webview and the custom element it renders into. */
  script?: string;
  rootTag?: string;
  viewColumn?: vscode.ViewColumn;
}

type Message = { type: string };

/** 128 bits from the OS CSPRNG, base64: the CSP nonce for one HTML document. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export abstract class AbstractWebview<To extends Message, From extends Message> implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly panelDisposables: vscode.Disposable[] = [];
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires when the panel is closed (by the user or `dispose()`). */
  readonly onDidDispose = this.disposeEmitter.event;

  protected constructor(protected readonly options: WebviewOptions<From>) {}

  /** Inbound, already validated. Called for every message, including the `ready` handshake. */
  protected abstract handleMessage(msg: From): Promise<void> | void;
  /** Whether `msg` is the UI's "I have loaded and can receive" message. */
  protected abstract isReadyMessage(msg: From): boolean;

  get isOpen(): boolean {
    return this.panel !== undefined;
  }
  get isReady(): boolean {
    return this.ready;
  }
  /** Open and showing (the active tab of its group, in a visible editor). */
  get isVisible(): boolean {
    return this.panel?.visible ?? false;
  }

  /** Creates the panel, or reveals it if it exists. Synchronous, so two calls can never create two panels. */
  reveal(): void {
    if (this.panel !== undefined) {
      this.panel.reveal(undefined, false);
      return;
    }
    const panel = vscode.window.createWebviewPanel(this.options.viewType, this.options.title, this.options.viewColumn ?? vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: false, // the state is re-sent on every `ready`
      localResourceRoots: [this.webviewRoot()],
      enableFindWidget: true,
    });
    this.attach(panel);
  }

  /** Takes over a panel VS Code restored after a reload (see registerPanelSerializer). */
  restore(panel: vscode.WebviewPanel): void {
    if (this.panel !== undefined) {
      panel.dispose();
      this.panel.reveal(undefined, false);
      return;
    }
    panel.webview.options = { enableScripts: true, localResourceRoots: [this.webviewRoot()] };
    this.attach(panel);
  }

  /** Posts only after the UI said `ready`; before that the message is dropped (the UI gets the full state on `ready`). */
  protected async postMessage(msg: To): Promise<boolean> {
    if (this.panel === undefined || !this.ready) return false;
    try {
      return await this.panel.webview.postMessage(msg);
    } catch (e) {
      this.options.logger.error(`Could not post "${msg.type}" to the ${this.options.viewType} webview`, e);
      return false;
    }
  }

  /** Resolves when the UI has loaded (or at once if it has); rejects never, but does not resolve if the panel closes first. */
  waitForReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  dispose(): void {
    this.panel?.dispose(); // triggers onDidDispose → cleanup
  }

  private webviewRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.options.extensionUri, 'dist', 'webview');
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    const root = this.webviewRoot();
    const webview = panel.webview;
    webview.html = renderHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, this.options.script ?? 'main.js')).toString(),
      codiconUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'codicon.css')).toString(),
      title: this.options.title,
      rootTag: this.options.rootTag ?? 'atl-wizard',
      lang: vscode.env.language,
    });
    this.panelDisposables.push(
      webview.onDidReceiveMessage((raw: unknown) => {
        void this.receive(raw);
      }),
      // Hidden webviews are destroyed (retainContextWhenHidden: false); the reloaded UI sends `ready` again.
      panel.onDidChangeViewState((e) => {
        if (!e.webviewPanel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        this.onPanelDisposed();
      }),
    );
  }

  private onPanelDisposed(): void {
    this.panel = undefined;
    this.ready = false;
    this.readyWaiters = [];
    for (const d of this.panelDisposables.splice(0)) d.dispose();
    this.disposeEmitter.fire();
  }

  /** Every inbound message: validate, then handle with errors caught and logged (never thrown into VS Code). */
  private async receive(raw: unknown): Promise<void> {
    const msg = this.options.parse(raw);
    if (msg === undefined) {
      this.options.logger.warn(`Dropped a malformed message from the ${this.options.viewType} webview (${describe(raw)}).`);
      return;
    }
    if (this.isReadyMessage(msg)) {
      this.ready = true;
      for (const resolve of this.readyWaiters.splice(0)) resolve();
    }
    try {
      await this.handleMessage(msg);
    } catch (e) {
      this.options.logger.error(`Handling "${msg.type}" from the ${this.options.viewType} webview failed`, e);
    }
  }
}

/** A short, safe description of a rejected message for the log: its type (if a short word) and its keys, never values. */
function describe(raw: unknown): string {
  if (typeof raw !== 'object' || raw === null) return typeof raw;
  const type = (raw as { type?: unknown }).type;
  const typeText = typeof type === 'string' && /^[A-Za-z]{1,40}$/.test(type) ? `type "${type}"` : 'no valid type';
  const keys = Object.keys(raw).slice(0, 8).map((k) => k.replace(/[^A-Za-z0-9_$]/g, '?').slice(0, 30));
  return `${typeText}; keys: ${keys.join(', ')}`;
}

/**
 * The wizard's host base: src/wizard/panel.ts extends it, returns the controller's state from `getState()` and hands
 * every intent to the controller in `onMessage(msg)`.
 */
export abstract class WizardWebview extends AbstractWebview<ToWebview, FromWebview> {
  protected constructor(options: Omit<WebviewOptions<FromWebview>, 'parse'> & { l10n?: L10nMap }) {
    super({ ...options, parse: parseFromWebview });
    this.l10n = options.l10n ?? {};
  }
  private readonly l10n: L10nMap;

  /** The complete state the UI renders. Must contain no secrets: it is posted to the webview as is. */
  protected abstract getState(): WizardState;
  /** Every user intent (already validated), except `ready` and `unhandledError`, which the base handles. */
  protected abstract onMessage(msg: WizardIntent): Promise<void> | void;

  /** Sends the current state; a no-op until the UI is ready (it then gets `init` with the state). */
  async postState(): Promise<void> {
    await this.postMessage({ type: 'state', state: this.getState() });
  }

  /**
   * Find a new principal for one restore row (`msg.query`: a name when the directory may be searched, a UPN, or an
   * object id) and answer with `postRestoreSearchResults` (src/wizard/restoreSearch.ts does it for the wizard).
   */
  protected abstract onRestorePrincipalSearch(msg: RestorePrincipalSearch): Promise<void>;

  /** Results of a `searchRestorePrincipal` intent, tagged with its row and query so the UI can drop stale answers. */
  async postRestoreSearchResults(rowId: string, query: string, results: Extract<ToWebview, { type: 'restoreSearchResults' }>['results'], error: string | null = null): Promise<void> {
    await this.postMessage({ type: 'restoreSearchResults', rowId, query, results, error });
  }

  /** Results of a `searchUsers` intent, tagged with the query so the UI can drop stale answers. */
  async postSearchResults(query: string, results: Extract<ToWebview, { type: 'searchResults' }>['results'], error: string | null = null): Promise<void> {
    await this.postMessage({ type: 'searchResults', query, results, error });
  }

  protected isReadyMessage(msg: FromWebview): boolean {
    return msg.type === 'ready';
  }

  protected async handleMessage(msg: FromWebview): Promise<void> {
    switch (msg.type) {
      case 'ready':
        await this.postMessage({ type: 'init', state: this.getState(), l10n: this.l10n });
        return;
      case 'unhandledError':
        // Text from the webview is untrusted: one line, no control or bidi characters, bounded — no forged log lines.
        this.options.logger.error(`Error in the ${this.options.viewType} webview: ${oneLogLine(msg.message)}`);
        return;
      case 'searchRestorePrincipal':
        await this.onRestorePrincipalSearch(msg);
        return;
      default:
        await this.onMessage(msg);
    }
  }
}

/**
 * Restores `viewType` panels after a window reload. `restore` gets the panel and whatever the UI saved with
 * `vscode.setState` (unknown: validate it); it should create the controller and call `registry.adopt(…)` or
 * `webview.restore(panel)`, or dispose the panel when there is nothing to restore. Errors are logged and the
 * panel is closed rather than left blank.
 */
export function registerPanelSerializer(
  viewType: string,
  logger: WebviewLogger,
  restore: (panel: vscode.WebviewPanel, savedState: unknown) => Promise<void> | void,
): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, savedState: unknown): Promise<void> {
      try {
        await restore(panel, savedState);
      } catch (e) {
        logger.error(`Could not restore the ${viewType} panel`, e);
        panel.dispose();
      }
    },
  });
}

/**
 * The translated UI strings for the `init` message: `translate` is `vscode.l10n.t`. Placeholders are passed
 * back as themselves (`{0}` → `{0}`) so the UI fills them in.
 */
export function buildL10n(translate: (message: string, ...args: string[]) => string): L10nMap {
  const out: L10nMap = {};
  for (const [key, english] of Object.entries(EN)) {
    const placeholders = Math.max(-1, ...[...english.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1]))) + 1;
    out[key] = translate(english, ...Array.from({ length: placeholders }, (_, i) => `{${i}}`));
  }
  return out;
}
