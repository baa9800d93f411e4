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
import { DirectoriesTreeProvider, errorText } from './views/directoriesTree';
import type { SubscriptionNode, TreeNode } from './views/nodes';
import { parseSavedPanelState } from './webview/protocol';
import type { WizardController } from './webview/wizard';
import { PendingMoves } from './host/pendingMoves';

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
}

export interface RenderedNode {
  readonly label: string;
  readonly description?: string;
  readonly contextValue?: string;
  readonly children?: RenderedNode[];
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = Date.now();
  const log = new Log();
  const config = new Config();
  const services = new AzureServices(log, config);
  const tree = new DirectoriesTreeProvider(services, config.directoryFilter, (e) => {
    log.warn(`Background load: ${errorText(e)}`);
  });
  const view = vscode.window.createTreeView<TreeNode>(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const wizards = new Map<string, WizardController>();
  const WIZARD_VIEW_TYPE = 'azureTenantLink.wizard';

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
    async snapshotFolder() {
      const folder = config.snapshotFolder || join(context.globalStorageUri.fsPath, 'snapshots');
      await mkdir(folder, { recursive: true });
      return folder;
    },
    rememberSnapshot: (id, path) => context.globalState.update(snapshotKey(id), path),
    rememberedSnapshot: (id) => context.globalState.get<string>(snapshotKey(id)),
  };

  const pendingMoves = new PendingMoves(context.globalState, log, (move) => {
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

  /**
   * One wizard per subscription; created lazily (the webview host and the core load on first use). `targetTenantId`:
   * preset target; with `moved`, the subscription already lives there (step 3 is next). `panel`: one VS Code restored
   * after a reload.
   */
  async function wizardFor(node: SubscriptionNode, options: { targetTenantId?: string; moved?: boolean; panel?: vscode.WebviewPanel } = {}): Promise<WizardController> {
    const key = node.subscription.subscriptionId.toLowerCase();
    const existing = wizards.get(key);
    if (existing) return existing;
    const { WizardController } = await import('./webview/wizard');
    const wizard = new WizardController(context.extensionUri, { warn: (m) => { log.warn(m); }, error: (m, ...d) => { log.error(`${m} ${d.map(errorText).join(' ')}`); } }, {
      subscriptions: () => tree.knownSubscriptions(),
      directories: (s) => tree.directoryNodes(s.parent.parent),
      signInToDirectory: async (d) => { await vscode.commands.executeCommand('azureTenantLink.signInToDirectory', d); await tree.loadAll(); },
      revealInTree: async (n) => { await view.reveal(n, { select: true, focus: true, expand: true }); },
      snapshotFolder: () => app.snapshotFolder(),
      changeApiEnabled: () => config.changeDirectoryApi,
      watchMove: (session, s, t) => {
        pendingMoves.watch(session, { subscriptionId: s.subscription.subscriptionId, subscriptionName: s.subscription.displayName, sourceTenantId: s.subscription.tenantId, targetTenantId: t.tenantId, targetName: t.name, accountKey: s.parent.parent.id, since: new Date().toISOString() });
      },
      cancelMove: (id) => { pendingMoves.cancel(id); },
      moveProgress: (id) => pendingMoves.progress(id),
      onMoveProgress: (listener) => pendingMoves.onDidProgress((e) => { listener(e.subscriptionId, e.progress); }),
      rememberSnapshot: (id, path) => app.rememberSnapshot(id, path),
      rememberedSnapshot: (id) => app.rememberedSnapshot(id),
    }, node, options.targetTenantId, options.moved);
    wizards.set(key, wizard);
    wizard.onDidDispose(() => wizards.delete(key));
    context.subscriptions.push(wizard);
    if (options.panel) wizard.restore(options.panel);
    return wizard;
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
    vscode.window.registerWebviewPanelSerializer(WIZARD_VIEW_TYPE, {
      // After a reload: the UI saved { subscriptionId, targetTenantId } with vscode.setState.
      async deserializeWebviewPanel(panel, saved: unknown) {
        try {
          const state = parseSavedPanelState(saved);
          await ready;
          await tree.loadAll();
          const id = state?.subscriptionId.toLowerCase();
          const node = tree.knownSubscriptions().find((n) => n.subscription.subscriptionId.toLowerCase() === id);
          if (!node) {
            panel.dispose();
            return;
          }
          const pending = pendingMoves.persisted().find((m) => m.subscriptionId.toLowerCase() === id);
          const targetTenantId = pending?.targetTenantId ?? state?.targetTenantId;
          // A move seen while the window was closed: the subscription already answers in the saved target.
          const moved = targetTenantId !== undefined && targetTenantId.toLowerCase() === node.subscription.tenantId.toLowerCase();
          const wizard = await wizardFor(node, { targetTenantId, moved, panel });
          if (moved) await wizard.showAdministrators();
        } catch (e) {
          log.error(e instanceof Error ? e : String(e));
          panel.dispose();
        }
      },
    }),
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
    openWizards: () => [...wizards.keys()],
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
            children: expandable ? await render(child) : undefined,
          };
        }));
      };
      return render();
    },
    directoryNode: (tenantId: string) => tree.accounts().flatMap((a) => tree.directoryNodes(a)).find((d) => d.directory.tenantId === tenantId),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}

const snapshotKey = (subscriptionId: string): string => `azureTenantLink.snapshot.${subscriptionId.toLowerCase()}`;
