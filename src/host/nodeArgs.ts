/**
 * What a command was invoked on: our tree's subscription node, the Azure Resources extension's subscription node
 * (read defensively: its shape is not a public API — microsoft/vscode-azureresourcegroups, src/tree/azure/SubscriptionItem.ts), a bare subscription id — or nothing, in which
 * case the user picks from a QuickPick.
 */
import * as vscode from 'vscode';
import { isGuid } from '../azure/models';
import type { App, SubscriptionTarget } from './app';
import type { SubscriptionNode } from '../views/nodes';

export type { SubscriptionTarget };

/** A directory id from an Azure Resources "Accounts & Tenants" node (`TenantTreeItem`) or our own directory node. */
export function readTenantNode(arg: unknown): string | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const node = arg as Record<string, unknown>;
  const direct = node.tenantId;
  if (typeof direct === 'string' && isGuid(direct)) return direct;
  for (const key of ['tenant', 'directory'] as const) {
    const inner = node[key];
    if (typeof inner === 'object' && inner !== null) {
      const id = (inner as Record<string, unknown>).tenantId;
      if (typeof id === 'string' && isGuid(id)) return id;
    }
  }
  return undefined;
}

/** Subscription and tenant ids from an Azure Resources `SubscriptionItem` (or anything shaped like it). */
export function readAzureResourcesNode(arg: unknown): { subscriptionId: string; tenantId?: string; name?: string; accountId?: string } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const node = arg as Record<string, unknown>;
  const sub = typeof node.subscription === 'object' && node.subscription !== null ? (node.subscription as Record<string, unknown>) : undefined;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const fromSub = sub && str(sub.subscriptionId);
  if (fromSub && isGuid(fromSub)) {
    const account = typeof sub.account === 'object' && sub.account !== null ? (sub.account as Record<string, unknown>) : undefined;
    return {
      subscriptionId: fromSub,
      tenantId: str(sub.tenantId),
      name: str(sub.name) ?? str(sub.subscriptionDisplayName),
      accountId: account ? str(account.id) : undefined,
    };
  }
  const id = str(node.id);
  const m = id ? /\/tenants\/([^/]+)\/subscriptions\/([^/]+)$/i.exec(id) : null;
  if (m?.[1] && m[2] && isGuid(m[2])) return { subscriptionId: m[2], tenantId: m[1] };
  return undefined;
}

function isOurNode(v: unknown): v is SubscriptionNode {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'subscription' && 'subscription' in v && 'parent' in v;
}

export async function resolveSubscriptionArg(app: App, arg: unknown): Promise<SubscriptionTarget | undefined> {
  if (isOurNode(arg)) return fromNode(arg);
  const foreign = typeof arg === 'string' && isGuid(arg) ? { subscriptionId: arg } : readAzureResourcesNode(arg);
  await vscode.window.withProgress({ location: { viewId: 'azureTenantLink.directories' } }, () => app.tree.loadAll());
  const known = app.tree.knownSubscriptions();
  const tenant = foreign ? undefined : readTenantNode(arg);
  if (tenant) {
    // A directory was right-clicked: its own subscriptions, or — for a directory with none (typically the Office 365
    // one) — any subscription, with that directory preset as the target.
    const homed = known.filter((n) => n.subscription.tenantId === tenant);
    const picked = await pickSubscription(homed.length ? homed : known);
    return picked && !homed.length ? { ...picked, targetTenantId: tenant } : picked;
  }
  if (foreign) {
    const match = known.find((n) => n.subscription.subscriptionId.toLowerCase() === foreign.subscriptionId.toLowerCase() && (!foreign.accountId || n.parent.parent.account.session.account.id === foreign.accountId))
      ?? known.find((n) => n.subscription.subscriptionId.toLowerCase() === foreign.subscriptionId.toLowerCase());
    if (match) return fromNode(match);
    app.log.warn(`Subscription ${foreign.subscriptionId} from the invoking node is not among the signed-in subscriptions; asking instead.`);
  }
  return pickSubscription(known);
}

function fromNode(node: SubscriptionNode): SubscriptionTarget {
  const session = node.parent.parent.account.session;
  return { subscriptionId: node.subscription.subscriptionId, tenantId: node.subscription.tenantId, name: node.subscription.displayName, cloud: session.cloud, session, subscription: node.subscription };
}

async function pickSubscription(known: readonly SubscriptionNode[]): Promise<SubscriptionTarget | undefined> {
  if (known.length === 0) {
    const signIn = vscode.l10n.t('Sign In');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('No subscriptions found. Sign in to Azure, or try the sandbox.'), signIn, vscode.l10n.t('Start Sandbox'));
    if (choice) await vscode.commands.executeCommand(choice === signIn ? 'azureTenantLink.signIn' : 'azureTenantLink.startSandbox');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    known.map((n) => ({
      label: n.subscription.displayName,
      description: n.parent.directory.displayName ?? n.parent.directory.tenantId,
      detail: `${n.subscription.subscriptionId} · ${n.parent.parent.account.session.account.label}`,
      node: n,
    })),
    { title: vscode.l10n.t('Choose a subscription'), matchOnDescription: true, matchOnDetail: true },
  );
  return pick ? fromNode(pick.node) : undefined;
}
