/**
 * Composes the app. Activation only registers things: the sandbox, azureauth and the webview host are loaded when
 * first needed.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { App } from './host/app';
import { registerCommands } from './host/commands';
import { Config, SECTION, SETTINGS } from './host/config';
import { Log } from './host/log';
import type { SubscriptionTarget } from './host/nodeArgs';
import { AzureServices } from './host/services';
import { SignedOutAccounts } from './host/signedOut';
import { WIZARD_VIEW_TYPE } from './ids';
import { sandboxCloud, scopeFor } from './azure/clouds';
import { DirectoriesTreeProvider, errorText } from './views/directoriesTree';
import type { SubscriptionNode, TreeNode } from './views/nodes';
import { registerPanelSerializer } from './webview/panelHost';
import { PanelRegistry } from './webview/panelRegistry';
import { parseSavedPanelState } from './webview/protocol';
import type { WizardSubscription, WizardWorld } from './wizard/context';
import type { WizardPanel } from './wizard/panel';
import { PendingMoves } from './host/pendingMoves';
import { snapshotFolderFor } from './core/snapshotFolder';

export const VIEW_ID = 'azureTenantLink.directories';

/** What `activate` returns: read-only hooks the extension tests use to look inside. */
export interface ExtensionApi {
  readonly sandboxBaseUrl: () => string | undefined;
  readonly whenTreeLoaded: () => Promise<void>;
  readonly openWizards: () => readonly string[];
  /** The Directories view as VS Code gets it (tree items, expanded), for assertions. */
  readonly renderTree: () => Promise<RenderedNode[]>;
  /** A directory node by tenant id (first account that reaches it), to invoke commands on. */
  readonly directoryNode: (tenantId: string) => TreeNode | undefined;
  /** An account node by its label (after `whenTreeLoaded`), to invoke commands on. */
  readonly accountNode: (label: string) => TreeNode | undefined;
  /**
   * Signs a sandbox account in as choosing it in the sandbox's account picker does (the editor's consent dialog before
   * that picker cannot be answered in this tier; the UI tier answers it).
   */
  readonly pickSandboxAccount: (upn: string) => Promise<void>;
  /**
   * Starts watching a subscription's move into `targetTenantId` as the wizard does after the portal hand-off (nothing
   * is moved); false when the subscription is not in the view.
   */
  readonly watchMove: (subscriptionId: string, targetTenantId: string) => boolean;
}

export interface RenderedNode {
  readonly label: string;
  readonly description?: string;
  readonly contextValue?: string;
  /** What a screen reader announces (VS Code: `accessibilityInformation.label`, else a plain-text tooltip, else the label). */
  readonly accessibilityLabel?: string;
  readonly children?: RenderedNode[];
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = Date.now();
  const log = new Log();
  const config = new Config();
  const services = new AzureServices(log, config, new SignedOutAccounts(context.globalState));
  const tree = new DirectoriesTreeProvider(services, config.directoryFilter, (e) => {
    log.warn(`Background load: ${errorText(e)}`);
  });
  const view = vscode.window.createTreeView<TreeNode>(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  // One wizard per subscription, found by the subscription it shows now (step 0 may switch it).
  const wizards = new PanelRegistry<WizardPanel>((w) => w.subscriptionId.toLowerCase());

  const app: App = {
    context,
    log,
    config,
    services,
    tree,
    async openWizard(target: SubscriptionTarget) {
      const node = tree.knownSubscriptions().find((n) => n.subscription.subscriptionId === target.subscriptionId && n.parent.parent.account.session === target.session)
        ?? tree.knownSubscriptions().find((n) => n.subscription.subscriptionId === target.subscriptionId);
      if (!node) throw new Error(vscode.l10n.t('Subscription {0} is not loaded in the Directories view yet.', target.subscriptionId));
      (await wizardFor(node, { targetTenantId: target.targetTenantId })).reveal();
    },
    async snapshotFolder(cloud) {
      const folder = snapshotFolderFor(config.snapshotFolder || join(context.globalStorageUri.fsPath, 'snapshots'), cloud);
      await mkdir(folder, { recursive: true });
      return folder;
    },
    rememberSnapshot: (id, path) => context.globalState.update(snapshotKey(id), path),
    rememberedSnapshot: (id) => context.globalState.get<string>(snapshotKey(id)),
    stopWatching: (id) => pendingMoves.cancel(id),
  };

  const pendingMoves: PendingMoves = new PendingMoves(context.globalState, log, (move) => {
    tree.refresh();
    // A wizard in view already says so, with its own Continue: no second voice.
    if (wizards.get(move.subscriptionId.toLowerCase())?.isVisible) return;
    const next = vscode.l10n.t('Add administrators');
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} now lives in {1}.', move.subscriptionName, move.targetName), next).then(async (choice) => {
      if (choice !== next) return;
      await tree.loadAll();
      const node = tree.knownSubscriptions().find((n) => n.subscription.subscriptionId.toLowerCase() === move.subscriptionId.toLowerCase());
      if (node) await (await wizardFor(node, { targetTenantId: move.targetTenantId, moved: true })).showAdministrators();
    });
  });

  const logger = { warn: (m: string) => { log.warn(m); }, error: (m: string, ...d: unknown[]) => { log.error(`${m} ${d.map(errorText).join(' ')}`); } };
  const wizardSubscription = (n: SubscriptionNode): WizardSubscription => ({ subscription: n.subscription, source: n.parent.directory, accountKey: n.parent.parent.id, session: n.parent.parent.account.session });
  const directoryNode = (accountKey: string, tenantId: string) => tree.accounts().filter((a) => a.id === accountKey).flatMap((a) => tree.directoryNodes(a)).find((d) => d.directory.tenantId === tenantId);
  /** What every wizard reads of the outside; `self` is the asking panel (for the one-panel-per-subscription rule). */
  const world = (self: () => WizardPanel | undefined): WizardWorld => ({
    l10n: vscode.l10n,
    subscriptions: tree.knownSubscriptions().map(wizardSubscription),
    directories: (accountKey) => tree.accounts().filter((a) => a.id === accountKey).flatMap((a) => tree.directoryNodes(a)).map((d) => d.directory),
    move: (id) => {
      const r = pendingMoves.record(id);
      return r ? { targetTenantId: r.move.targetTenantId, progress: r.progress } : undefined;
    },
    heldElsewhere: (id) => {
      const holder = wizards.get(id.toLowerCase());
      return holder !== undefined && holder !== self();
    },
    accounts: () => tree.accounts().map((a) => ({ accountKey: a.id, session: a.account.session })),
  });

  /**
   * One wizard per subscription; created lazily (the webview host and the core load on first use). `targetTenantId`:
   * preset target; with `moved`, the subscription already lives there (step 3 is next). `panel`: one VS Code restored
   * after a reload.
   */
  async function wizardFor(node: SubscriptionNode, options: { targetTenantId?: string; moved?: boolean; panel?: vscode.WebviewPanel } = {}): Promise<WizardPanel> {
    const { WizardPanel } = await import('./wizard/panel');
    const { confirm } = await import('./wizard/dialogs');
    const key = node.subscription.subscriptionId.toLowerCase();
    const create = (): WizardPanel => {
      const self: WizardPanel = new WizardPanel(context.extensionUri, logger, { subscription: wizardSubscription(node), targetTenantId: options.targetTenantId, moved: options.moved, changeApi: config.changeDirectoryApi }, {
        world: () => world(() => self),
        confirm,
        signInToDirectory: async (accountKey, tenantId) => {
          const d = directoryNode(accountKey, tenantId);
          if (d) await vscode.commands.executeCommand('azureTenantLink.signInToDirectory', d);
          await tree.loadAll();
        },
        revealInTree: async (what) => {
          const n = what.subscriptionId !== undefined
            ? tree.knownSubscriptions().find((x) => x.parent.parent.id === what.accountKey && x.subscription.subscriptionId === what.subscriptionId)
            : directoryNode(what.accountKey, what.tenantId ?? '');
          if (n) await view.reveal(n, { select: true, focus: true, expand: true });
        },
        revealWizard: (id) => { wizards.get(id.toLowerCase())?.reveal(); },
        snapshotFolder: (cloud) => app.snapshotFolder(cloud),
        rememberSnapshot: (id, path) => app.rememberSnapshot(id, path),
        rememberedSnapshot: (id) => app.rememberedSnapshot(id),
        moves: { watch: (session, move) => { pendingMoves.watch(session, move); }, cancel: (id) => { pendingMoves.cancel(id); } },
        openExternal: async (url) => { await vscode.env.openExternal(vscode.Uri.parse(url)); },
        copyText: async (text) => {
          await vscode.env.clipboard.writeText(text);
          void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the request text'), 3000);
        },
        showFile: async (path) => { await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: !path.endsWith('.md') }); },
        refreshAccounts: () => tree.loadAll(),
      }, (listener) => pendingMoves.onDidProgress(listener));
      context.subscriptions.push(self);
      return self;
    };
    return options.panel ? wizards.adopt(key, create, options.panel) : wizards.open(key, create);
  }

  /** Moves an earlier window was waiting for: resume once the accounts are known. */
  const resumeMoves = async (): Promise<void> => {
    const moves = pendingMoves.persisted();
    if (!moves.length) return;
    await tree.loadAll();
    for (const move of moves) {
      const account = tree.accounts().find((a) => a.id === move.accountKey);
      if (account) pendingMoves.watch(account.account.session, move);
      else log.warn(`Not resuming the watch for ${move.subscriptionName}: account ${move.accountKey} is not signed in.`);
    }
  };

  void vscode.commands.executeCommand('setContext', 'azureTenantLink.sandboxRunning', false);
  // The sandbox (when it starts with the window), then the moves an earlier window was waiting for. Panels restored
  // after a reload wait for both: their subscription must be in the tree, and a pending move's tracking running.
  const ready: Promise<void> = (config.sandboxOnStartup
    ? services.startSandbox({ scenarioPath: config.sandboxScenario, latencyMs: config.sandboxLatencyMs, signIn: true }).then(
      () => { tree.refresh(); },
      (e: unknown) => {
        log.error(e instanceof Error ? e : String(e));
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not start the Azure Sandbox: {0}', errorText(e)));
      },
    )
    : Promise.resolve()
  ).then(resumeMoves).catch((e: unknown) => { log.error(e instanceof Error ? e : String(e)); });

  context.subscriptions.push(
    log,
    pendingMoves,
    tree.watchMoves(pendingMoves),
    // After a reload: the UI saved { subscriptionId, targetTenantId } with vscode.setState.
    registerPanelSerializer(WIZARD_VIEW_TYPE, logger, async (panel, saved) => {
      const state = parseSavedPanelState(saved);
      await ready;
      await tree.loadAll();
      const id = state?.subscriptionId.toLowerCase();
      const node = tree.knownSubscriptions().find((n) => n.subscription.subscriptionId.toLowerCase() === id);
      if (!node) {
        panel.dispose();
        return;
      }
      const targetTenantId = pendingMoves.record(node.subscription.subscriptionId)?.move.targetTenantId ?? pendingMoves.persisted().find((m) => m.subscriptionId.toLowerCase() === id)?.targetTenantId ?? state?.targetTenantId;
      // A move seen while the window was closed: the subscription already answers in the saved target.
      const moved = targetTenantId !== undefined && targetTenantId.toLowerCase() === node.subscription.tenantId.toLowerCase();
      const wizard = await wizardFor(node, { targetTenantId, moved, panel });
      if (moved) await wizard.showAdministrators();
    }),
    { dispose: () => { wizards.dispose(); } },
    services,
    tree,
    view,
    ...registerCommands(app),
    services.onDidChange(() => { tree.refresh(); }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.${SETTINGS.directoryFilter}`)) tree.setFilter(config.directoryFilter);
      // A running sandbox follows its scenario and latency settings (restarted, signed in as before).
      if (services.sandbox && (e.affectsConfiguration(`${SECTION}.${SETTINGS.sandboxScenario}`) || e.affectsConfiguration(`${SECTION}.${SETTINGS.sandboxLatency}`))) {
        void (async () => {
          await services.stopSandbox();
          await services.startSandbox({ scenarioPath: config.sandboxScenario, latencyMs: config.sandboxLatencyMs, signIn: true });
          tree.refresh();
        })().catch((err: unknown) => {
          log.error(err instanceof Error ? err : String(err));
          void vscode.window.showErrorMessage(vscode.l10n.t('Could not start the Azure Sandbox: {0}', errorText(err)));
        });
      }
    }),
  );

  const ext = context.extension.packageJSON as { version?: string };
  log.info(`Azure Tenant Link ${ext.version ?? ''} activated in ${Date.now() - started} ms on VS Code ${vscode.version}; cloud ${services.realCloud().displayName}; sandbox on start-up: ${config.sandboxOnStartup}`);

  return {
    sandboxBaseUrl: () => services.sandbox?.baseUrl,
    whenTreeLoaded: () => tree.loadAll(),
    openWizards: () => wizards.keys(),
    renderTree: async () => {
      const render = async (node?: TreeNode): Promise<RenderedNode[]> => {
        const children = await tree.getChildren(node);
        return Promise.all(children.map(async (child) => {
          const item = tree.getTreeItem(child);
          const label = typeof item.label === 'string' ? item.label : item.label?.label ?? '';
          const expandable = item.collapsibleState !== vscode.TreeItemCollapsibleState.None;
          return {
            label,
            description: typeof item.description === 'string' ? item.description : undefined,
            contextValue: item.contextValue,
            accessibilityLabel: item.accessibilityInformation?.label ?? (typeof item.tooltip === 'string' ? item.tooltip : undefined),
            children: expandable ? await render(child) : undefined,
          };
        }));
      };
      return render();
    },
    directoryNode: (tenantId: string) => tree.accounts().flatMap((a) => tree.directoryNodes(a)).find((d) => d.directory.tenantId === tenantId),
    accountNode: (label: string) => tree.accounts().find((a) => a.account.session.account.label === label),
    pickSandboxAccount: async (upn: string) => {
      const host = services.sandbox;
      if (!host) throw new Error('The sandbox is not running.');
      await host.provider.createSession([scopeFor(sandboxCloud(host.baseUrl), 'arm')], { account: { id: upn, label: upn } });
    },
    watchMove: (subscriptionId: string, targetTenantId: string) => {
      const node = tree.knownSubscriptions().find((n) => n.subscription.subscriptionId.toLowerCase() === subscriptionId.toLowerCase());
      if (!node) return false;
      const target = directoryNode(node.parent.parent.id, targetTenantId)?.directory;
      const s = node.subscription;
      pendingMoves.watch(node.parent.parent.account.session, {
        subscriptionId: s.subscriptionId, subscriptionName: s.displayName, sourceTenantId: s.tenantId, targetTenantId,
        targetName: target?.displayName ?? target?.defaultDomain ?? targetTenantId, accountKey: node.parent.parent.id, since: new Date().toISOString(),
      });
      return true;
    },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

const snapshotKey = (subscriptionId: string): string => `azureTenantLink.snapshot.${subscriptionId.toLowerCase()}`;
