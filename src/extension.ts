/**
 * Composes the app. Activation only registers things: the sandbox, azureauth and the webview host are loaded when
 * first needed.
 */
import * as vscode from 'vscode';
import type { App } from './host/app';
import { registerCommands } from './host/commands';
import { Config, SECTION, SETTINGS } from './host/config';
import { Log } from './host/log';
import type { SubscriptionTarget } from './host/nodeArgs';
import { AzureServices } from './host/services';
import { DirectoriesTreeProvider, errorText } from './views/directoriesTree';
import type { TreeNode } from './views/nodes';
import type { WizardController } from './webview/wizard';

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

  const app: App = {
    context,
    log,
    config,
    services,
    tree,
    async openWizard(target: SubscriptionTarget) {
      const existing = wizards.get(target.subscriptionId);
      if (existing) {
        existing.reveal();
        return;
      }
      const { WizardController } = await import('./webview/wizard');
      const node = tree.knownSubscriptions().find((n) => n.subscription.subscriptionId === target.subscriptionId && n.parent.parent.account.session === target.session)
        ?? tree.knownSubscriptions().find((n) => n.subscription.subscriptionId === target.subscriptionId);
      if (!node) throw new Error(vscode.l10n.t('Subscription {0} is not loaded in the Directories view yet.', target.subscriptionId));
      const wizard = new WizardController(context.extensionUri, { warn: (m) => { log.warn(m); }, error: (m, ...d) => { log.error(`${m} ${d.map(errorText).join(' ')}`); } }, {
        subscriptions: () => tree.knownSubscriptions(),
        directories: (s) => tree.directoryNodes(s.parent.parent),
        signInToDirectory: async (d) => { await vscode.commands.executeCommand('azureTenantLink.signInToDirectory', d); },
        revealInTree: async (n) => { await view.reveal(n, { select: true, focus: true, expand: true }); },
      }, node, target.targetTenantId);
      wizards.set(target.subscriptionId, wizard);
      wizard.onDidDispose(() => wizards.delete(target.subscriptionId));
      context.subscriptions.push(wizard);
      wizard.reveal();
    },
  };

  context.subscriptions.push(
    log,
    services,
    tree,
    view,
    ...registerCommands(app),
    services.onDidChange(() => { tree.refresh(); }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.${SETTINGS.directoryFilter}`)) tree.setFilter(config.directoryFilter);
    }),
  );

  void vscode.commands.executeCommand('setContext', 'azureTenantLink.sandboxRunning', false);
  if (config.sandboxOnStartup) {
    services.startSandbox({ scenarioPath: config.sandboxScenario, latencyMs: config.sandboxLatencyMs, signIn: true }).then(
      () => { tree.refresh(); },
      (e: unknown) => {
        log.error(e instanceof Error ? e : String(e));
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not start the Azure Sandbox: {0}', errorText(e)));
      },
    );
  }

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
