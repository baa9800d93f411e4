/**
 * Rows below a directory besides its own subscriptions: subscriptions seen there whose home directory this account
 * cannot list (Azure Lighthouse delegations, `managedByTenants`; or a home that needs its own sign-in) — shown with
 * why they cannot be planned from here, never dropped (core/homes.ts) — and, below a subscription, its directory
 * change request (changeRequests.ts).
 */
import * as vscode from 'vscode';
import { AzureError, isAzureError } from '../azure/errors';
import type { Subscription } from '../azure/models';
import { sortByHome, unreachableMessage } from '../core/homes';
import type { ChangeRequestNode, DelegatedNode, DirectoryNode, MovingNode } from './nodes';

export const ROW_CONTEXT = {
  delegated: 'azureTenantLink.subscription.delegated',
  requestPending: 'azureTenantLink.changeRequest.pending',
  requestEnded: 'azureTenantLink.changeRequest.ended',
  moveWatching: 'azureTenantLink.move.watching',
} as const;

/** One directory as the account reads it: what it is, and every subscription its listing returned (undefined while loading). */
export interface ListedDirectory {
  readonly node: DirectoryNode;
  readonly listed: readonly Subscription[] | Error | undefined;
}

/** The subscriptions seen in `dir` whose home the account cannot list, as rows (core's sortByHome decides). */
export function delegatedRows(dir: DirectoryNode, directories: readonly ListedDirectory[]): DelegatedNode[] {
  const listed = new Map<string, readonly Subscription[] | AzureError>();
  for (const d of directories) {
    const s = d.node.directory;
    if (!s.signedIn) listed.set(s.tenantId, new AzureError(s.error ?? '', { kind: 'notSignedIn', service: 'arm', tenantId: s.tenantId }));
    else if (Array.isArray(d.listed)) listed.set(s.tenantId, d.listed);
    else if (isAzureError(d.listed)) listed.set(s.tenantId, d.listed);
  }
  const byId = new Map(directories.map((d) => [d.node.directory.tenantId.toLowerCase(), d.node]));
  const nameOf = (tenantId: string): string => { const s = byId.get(tenantId.toLowerCase())?.directory; return s?.displayName ?? s?.defaultDomain ?? tenantId; };
  const { unreachable } = sortByHome(listed, (id) => byId.has(id.toLowerCase()));
  return unreachable
    .filter((u) => u.seenIn.some((t) => t.toLowerCase() === dir.directory.tenantId.toLowerCase()))
    .map((u) => ({
      kind: 'delegated', id: `${dir.id}/delegated/${u.subscription.subscriptionId}`, parent: dir, unreachable: u,
      why: unreachableMessage(u, dir.parent.account.session.account.label, vscode.l10n, nameOf),
      home: u.reason === 'homeNotSignedIn' ? byId.get(u.subscription.tenantId.toLowerCase()) : undefined,
    }));
}

export function delegatedItem(node: DelegatedNode): vscode.TreeItem {
  const s = node.unreachable.subscription;
  const item = new vscode.TreeItem(s.displayName, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const home = node.home?.directory;
  item.description = home
    ? vscode.l10n.t('home: {0} · sign in there to plan its move', home.displayName ?? home.tenantId)
    : node.unreachable.reason === 'notListedAtHome' ? vscode.l10n.t('delegated · no role in its home directory') : vscode.l10n.t('delegated · its home directory is not reachable');
  item.iconPath = new vscode.ThemeIcon(home ? 'lock' : 'remote-explorer');
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escapeMd(s.displayName)}**\n\n${escapeMd(node.why)}\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Subscription ID')}: \`${s.subscriptionId}\`\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Home directory (tenant) ID')}: \`${s.tenantId}\``);
  const managers = s.managedByTenants?.map((m) => m.tenantId) ?? [];
  if (managers.length) md.appendMarkdown(`\n\n${vscode.l10n.t('Managed by (Azure Lighthouse)')}: ${managers.map((t) => `\`${t}\``).join(', ')}`);
  item.tooltip = md;
  item.accessibilityInformation = { label: `${s.displayName}. ${node.why}` };
  item.contextValue = ROW_CONTEXT.delegated;
  if (node.home) item.command = { command: 'azureTenantLink.signInToDirectory', title: vscode.l10n.t('Sign In to Directory…'), arguments: [node.home] };
  return item;
}

export function changeRequestItem(node: ChangeRequestNode): vscode.TreeItem {
  const { row, targetName } = node;
  const r = row.request;
  const label = row.state === 'pending' ? vscode.l10n.t('Change requested → {0}', targetName)
    : row.state === 'expired' ? vscode.l10n.t('Change request to {0} expired', targetName)
      : row.state === 'accepted' ? vscode.l10n.t('Change to {0} accepted', targetName)
        : vscode.l10n.t('Change request to {0} cancelled', targetName);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = row.state === 'pending' ? expiresIn(r.expiresOn, row.now) : row.state === 'expired' && r.expiresOn !== null ? formatDate(r.expiresOn) : undefined;
  item.iconPath = new vscode.ThemeIcon(row.state === 'pending' ? 'watch' : row.state === 'expired' ? 'warning' : row.state === 'accepted' ? 'pass' : 'circle-slash');
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escapeMd(label)}**\n\n`);
  if (r.createdDate !== null) md.appendMarkdown(`${vscode.l10n.t('Requested')}: ${formatDate(r.createdDate)}${r.sourceOwnerEmail === null ? '' : ` · ${escapeMd(r.sourceOwnerEmail)}`}\n\n`);
  if (r.expiresOn !== null) md.appendMarkdown(`${vscode.l10n.t('Expires')}: ${formatDate(r.expiresOn)}\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Must be accepted by')}: ${r.destinationOwnerId === null ? vscode.l10n.t('a Global Administrator of {0}', escapeMd(targetName)) : `\`${r.destinationOwnerId}\``}\n\n`);
  md.appendMarkdown(row.state === 'pending' ? vscode.l10n.t('Nothing has moved yet. Cancel it from this row\'s menu.')
    : row.state === 'expired' ? vscode.l10n.t('Nothing moved. Request it again from the link wizard.')
      : row.state === 'cancelled' ? vscode.l10n.t('Cancelled. Nothing moved.') : vscode.l10n.t('Accepted: the subscription is moving to {0}.', escapeMd(targetName)));
  item.tooltip = md;
  item.contextValue = row.state === 'pending' ? ROW_CONTEXT.requestPending : ROW_CONTEXT.requestEnded;
  return item;
}

/**
 * A directory change being watched: "Moving to Contoso Ltd" while the extension checks for it (a portal hand-off shows
 * nothing in Azure until it is done, so without this row the tree would say nothing). Choosing it opens the link
 * wizard, which tracks it too (and says so when the watch gives up); "Stop Watching" is on its menu.
 */
export function movingItem(node: MovingNode): vscode.TreeItem {
  const { move, progress } = node;
  const label = vscode.l10n.t('Moving to {0}', move.targetName);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.description = vscode.l10n.t('watching for it in {0}', move.targetName);
  item.iconPath = new vscode.ThemeIcon('sync~spin');
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${escapeMd(label)}**\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Since')}: ${formatDate(move.since)}\n\n`);
  md.appendMarkdown(vscode.l10n.t('The subscription shows under {0} once Azure lists it there; checked {1} times so far.', escapeMd(move.targetName), progress.attempts));
  item.tooltip = md;
  item.accessibilityInformation = { label: `${label}. ${item.description}` };
  item.contextValue = ROW_CONTEXT.moveWatching;
  item.command = { command: 'azureTenantLink.linkSubscription', title: vscode.l10n.t('Link Subscription to Office 365 Directory…'), arguments: [node.parent] };
  return item;
}

/** "expires in 23 h" / "expires in 40 min". */
function expiresIn(expiresOn: string | null, now: number): string | undefined {
  const ms = expiresOn === null ? NaN : Date.parse(expiresOn) - now;
  if (!Number.isFinite(ms)) return undefined;
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  return minutes >= 60 ? vscode.l10n.t('expires in {0} h', Math.floor(minutes / 60)) : vscode.l10n.t('expires in {0} min', minutes);
}

function formatDate(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toLocaleString(vscode.env.language) : iso;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
