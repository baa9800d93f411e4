/**
 * Every command in one table (style-anchors "Commands in one typed table"): the `azureTenantLink.` prefix is added in
 * one place, and every handler runs inside the same error handling — cancellation is quiet, anything else shows a
 * short message and logs the stack.
 */
import * as vscode from 'vscode';
import { isCancellation } from '../azure/errors';
import { portalSubscriptionUrl } from '../azure/clouds';
import type { DirectoryFilter } from './config';
import type { App } from './app';
import type { DirectoryNode, MovingNode, SubscriptionNode } from '../views/nodes';
import { signInCommand, signInWith, signInWithAnotherAccountCommand, signOutCommand } from './accountCommands';
import { resolveSubscriptionArg, type SubscriptionTarget } from './nodeArgs';

export type CommandHandler = (app: App, ...args: unknown[]) => unknown;

const isMovingNode = (v: unknown): v is MovingNode => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'moving';

export const COMMANDS = {
  signIn: (app, arg) => signInCommand(app, arg),
  signInWithAnotherAccount: (app, arg) => signInWithAnotherAccountCommand(app, arg),
  signOut: (app, arg) => signOutCommand(app, arg),
  signInToDirectory: async (app, arg) => {
    const node = isDirectoryNode(arg) ? arg : await pickDirectory(app, true);
    if (!node) return;
    const auth = node.parent.account.session.auth;
    const account = await auth.signIn({ tenantId: node.directory.tenantId, account: node.parent.account.session.account });
    if (account) app.tree.refreshDirectory(node);
  },
  refresh: (app) => {
    app.tree.refresh();
  },
  filter: async (app) => {
    const items: (vscode.QuickPickItem & { value: DirectoryFilter })[] = [
      { label: vscode.l10n.t('All directories'), value: 'all' },
      { label: vscode.l10n.t('Only Office 365 directories'), description: vscode.l10n.t('and those not known to be or not'), value: 'office365' },
      { label: vscode.l10n.t('Only directories with subscriptions'), value: 'withSubscriptions' },
    ];
    const current = app.config.directoryFilter;
    for (const i of items) if (i.value === current) i.description = [i.description, vscode.l10n.t('current')].filter(Boolean).join(' · ');
    const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Filter directories') });
    if (!pick) return;
    await app.config.setDirectoryFilter(pick.value);
    app.tree.setFilter(pick.value);
  },
  startSandbox: async (app) => {
    if (app.services.sandbox && !(await app.services.accountSessions()).some((a) => a.isSandbox)) {
      // Running, but signed out of it ("Try the sandbox" after a sign-out): sign in, with its account picker.
      await signInWith(app, app.services.signInAuth());
      return;
    }
    const host = await app.services.startSandbox({ scenarioPath: app.config.sandboxScenario, latencyMs: app.config.sandboxLatencyMs, signIn: true });
    app.tree.refresh();
    void vscode.window.showInformationMessage(vscode.l10n.t('Azure Sandbox is running at {0}. Nothing you do there touches a real subscription.', host.baseUrl));
  },
  stopSandbox: async (app) => {
    if (await app.services.stopSandbox()) app.tree.refresh();
  },
  openInPortal: async (app, arg) => {
    const target = await resolveSubscriptionArg(app, arg);
    if (!target) return;
    const url = portalSubscriptionUrl(target.cloud, target.tenantId, target.subscriptionId);
    await vscode.env.openExternal(vscode.Uri.parse(url));
  },
  copySubscriptionId: async (app, arg) => {
    const target = await resolveSubscriptionArg(app, arg);
    if (!target) return;
    await vscode.env.clipboard.writeText(target.subscriptionId);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied subscription ID {0}', target.subscriptionId), 3000);
  },
  saveSnapshot: async (app, arg) => {
    const target = await resolveSubscriptionArg(app, arg);
    if (!target) return;
    const { saveSnapshotCommand } = await import('./accessCommands');
    await saveSnapshotCommand(app, target);
  },
  addAdministrators: async (app, arg) => {
    const target = await resolveSubscriptionArg(app, arg);
    if (!target) return;
    const { addAdministratorsCommand } = await import('./accessCommands');
    await addAdministratorsCommand(app, target);
  },
  linkSubscription: async (app, arg) => {
    const target = await resolveSubscriptionArg(app, arg);
    if (!target) return;
    await app.openWizard(target);
  },
  cancelChangeRequest: async (app, arg) => {
    const { cancelChangeRequestCommand } = await import('./requestCommands');
    await cancelChangeRequestCommand(app, arg);
  },
  stopWatching: (app: App, arg: unknown) => {
    // From the row's menu (a watched move below its subscription), or a subscription id.
    const id = isMovingNode(arg) ? arg.parent.subscription.subscriptionId : typeof arg === 'string' ? arg : undefined;
    if (id === undefined || !app.stopWatching(id)) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No directory change is being watched for that subscription.'));
    }
    return Promise.resolve();
  },
} satisfies Record<string, CommandHandler>;

export type CommandName = keyof typeof COMMANDS;

export function commandId(name: CommandName): string {
  return `azureTenantLink.${name}`;
}

export function registerCommands(app: App): vscode.Disposable[] {
  return (Object.entries(COMMANDS) as [CommandName, CommandHandler][]).map(([name, handler]) =>
    vscode.commands.registerCommand(commandId(name), async (...args: unknown[]) => {
      try {
        return await handler(app, ...args);
      } catch (e) {
        if (isCancellation(e)) {
          app.log.info(`${commandId(name)} cancelled`);
          return undefined;
        }
        app.log.error(e instanceof Error ? e : String(e));
        void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
        return undefined;
      }
    }),
  );
}

function isDirectoryNode(v: unknown): v is DirectoryNode {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'directory';
}

export function isSubscriptionNode(v: unknown): v is SubscriptionNode {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'subscription';
}

async function pickDirectory(app: App, needingSignIn: boolean): Promise<DirectoryNode | undefined> {
  await app.tree.getChildren();
  const nodes = app.tree.accounts().flatMap((a) => app.tree.directoryNodes(a)).filter((d) => !needingSignIn || !d.directory.signedIn);
  if (nodes.length === 0) {
    void vscode.window.showInformationMessage(needingSignIn ? vscode.l10n.t('Every directory you can reach is already signed in.') : vscode.l10n.t('No directories found. Sign in first.'));
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    nodes.map((n) => ({ label: n.directory.displayName ?? n.directory.tenantId, description: n.directory.defaultDomain ?? '', detail: `${n.directory.tenantId} · ${n.parent.account.session.account.label}`, node: n })),
    { title: vscode.l10n.t('Sign in to directory'), placeHolder: vscode.l10n.t('Choose a directory that needs its own sign-in') },
  );
  return pick?.node;
}

export type { SubscriptionTarget };
