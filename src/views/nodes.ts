/** Tree node objects: small, each knows its own `TreeItem` and children (style-anchors A "ResourceGroupsItem"). */
import * as vscode from 'vscode';
import type { Subscription } from '../azure/models';
import { immovableOffer, offerName } from '../core/checks';
import type { DirectorySummary } from '../core/directories';
import type { DirectoryCounts } from '../core/fleet';
import { countsDescription, countsTooltip } from './directorySummary';
import type { TreeAccount } from './ports';
import type { UnreachableSubscription } from '../core/homes';
import type { ChangeRequestRow } from './changeRequests';
import type { PendingMove, TrackProgress } from '../core/changeDirectory';

export const CONTEXT = {
  account: 'azureTenantLink.account',
  sandboxAccount: 'azureTenantLink.account.sandbox',
  directory: 'azureTenantLink.directory',
  directoryNeedsSignIn: 'azureTenantLink.directory.needsSignIn',
  subscription: 'azureTenantLink.subscription',
  message: 'azureTenantLink.message',
} as const;

export interface AccountNode {
  readonly kind: 'account';
  readonly id: string;
  readonly account: TreeAccount;
}

export interface DirectoryNode {
  readonly kind: 'directory';
  readonly id: string;
  readonly parent: AccountNode;
  readonly directory: DirectorySummary;
  /** Subscriptions and role assignments under them, once counted (directorySummary.ts). */
  readonly counts?: DirectoryCounts;
}

export interface SubscriptionNode {
  readonly kind: 'subscription';
  readonly id: string;
  readonly parent: DirectoryNode;
  readonly subscription: Subscription;
}

export interface MessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly parent?: AccountNode | DirectoryNode;
  readonly label: string;
  readonly icon: string;
  readonly tooltip?: string;
  readonly command?: vscode.Command;
}

/** A subscription seen in `parent` whose home this account cannot list (rows: subscriptionRows.ts). */
export interface DelegatedNode {
  readonly kind: 'delegated';
  readonly id: string;
  readonly parent: DirectoryNode;
  readonly unreachable: UnreachableSubscription;
  /** Why, for people (core's wording). */
  readonly why: string;
  /** The home directory's node when it is one of the account's directories that needs its own sign-in. */
  readonly home?: DirectoryNode;
}

/** A subscription's directory change request (pending, expired, accepted, or cancelled here). */
export interface ChangeRequestNode {
  readonly kind: 'changeRequest';
  readonly id: string;
  readonly parent: SubscriptionNode;
  readonly row: ChangeRequestRow;
  /** The target directory's name (its id when the account cannot see it). */
  readonly targetName: string;
}

/** A subscription's directory change being watched, until Azure lists it in its new directory or the watch ends. */
export interface MovingNode {
  readonly kind: 'moving';
  readonly id: string;
  readonly parent: SubscriptionNode;
  readonly move: PendingMove;
  readonly progress: TrackProgress;
}

/** The nodes this file words; the rows below subscriptions are worded in subscriptionRows.ts. */
export type BaseNode = AccountNode | DirectoryNode | SubscriptionNode | MessageNode;
export type TreeNode = BaseNode | DelegatedNode | ChangeRequestNode | MovingNode;


/** The same rule the pre-flight check applies. */
export function canMove(quotaId: string | undefined): boolean {
  return immovableOffer(quotaId) === undefined;
}

export function treeItem(node: BaseNode): vscode.TreeItem {
  switch (node.kind) {
    case 'account': {
      const { session, isSandbox } = node.account;
      const item = new vscode.TreeItem(
        isSandbox ? vscode.l10n.t('{0} (Azure Sandbox — rehearsal)', session.account.label) : session.account.label,
        vscode.TreeItemCollapsibleState.Expanded,
      );
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon(isSandbox ? 'beaker' : 'account');
      item.description = isSandbox ? undefined : session.cloud.displayName;
      item.tooltip = isSandbox ? vscode.l10n.t('Emulated Azure at {0}. Nothing here touches a real subscription.', session.cloud.armUrl) : session.cloud.displayName;
      item.contextValue = isSandbox ? CONTEXT.sandboxAccount : CONTEXT.account;
      return item;
    }
    case 'directory': {
      const d = node.directory;
      const name = d.displayName ?? d.defaultDomain ?? d.tenantId;
      const unreadable = d.error !== undefined && !d.needsSignIn;
      const item = new vscode.TreeItem(name, d.needsSignIn ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.id;
      const tags: string[] = [];
      // Unknown is not no: a directory whose licences could not be read says so.
      if (d.office365 === true) tags.push(vscode.l10n.t('Office 365'));
      else if (d.office365 === null && !d.needsSignIn && !unreadable) tags.push(vscode.l10n.t('Office 365?'));
      if (d.needsSignIn) tags.push(vscode.l10n.t('sign in required'));
      if (unreadable) tags.push(vscode.l10n.t('could not be read'));
      item.description = [d.defaultDomain ?? '', ...tags.map((t) => `[${t}]`), node.counts ? countsDescription(node.counts) : ''].filter(Boolean).join('  ');
      item.iconPath = new vscode.ThemeIcon(d.needsSignIn ? 'lock' : unreadable ? 'error' : d.office365 === true ? 'organization' : 'folder-library');
      const md = new vscode.MarkdownString(undefined, true);
      md.appendMarkdown(`**${escapeMd(name)}**\n\n`);
      md.appendMarkdown(`${vscode.l10n.t('Tenant ID')}: \`${d.tenantId}\`\n\n`);
      if (d.domains.length) md.appendMarkdown(`${vscode.l10n.t('Verified domains')}: ${d.domains.map(escapeMd).join(', ')}\n\n`);
      md.appendMarkdown(`${vscode.l10n.t('Office 365')}: ${d.office365 === null ? vscode.l10n.t('unknown') : d.office365 ? vscode.l10n.t('yes') : vscode.l10n.t('no')} — ${escapeMd(d.office365Reason)}\n\n`);
      const countsLine = node.counts ? countsTooltip(node.counts) : '';
      if (countsLine) md.appendMarkdown(`${escapeMd(countsLine)}\n\n`);
      md.appendMarkdown(d.needsSignIn ? vscode.l10n.t('Not signed in: this directory needs its own sign-in (MFA, conditional access or a guest invitation).') : d.signedIn ? vscode.l10n.t('Signed in') : vscode.l10n.t('Could not read this directory: {0}', escapeMd(d.error ?? '')));
      item.tooltip = md;
      item.contextValue = d.needsSignIn ? CONTEXT.directoryNeedsSignIn : CONTEXT.directory;
      return item;
    }
    case 'subscription': {
      const s = node.subscription;
      const quotaId = s.subscriptionPolicies?.quotaId;
      const item = new vscode.TreeItem(s.displayName, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = `${s.state} · ${offerName(quotaId, vscode.l10n)}${canMove(quotaId) ? '' : `  (${vscode.l10n.t("can't change directory")})`}`;
      item.iconPath = new vscode.ThemeIcon('key');
      const md = new vscode.MarkdownString();
      md.appendMarkdown(`**${escapeMd(s.displayName)}**\n\n`);
      md.appendMarkdown(`${vscode.l10n.t('Subscription ID')}: \`${s.subscriptionId}\`\n\n`);
      md.appendMarkdown(`${vscode.l10n.t('Directory (tenant) ID')}: \`${s.tenantId}\`\n\n`);
      md.appendMarkdown(`${vscode.l10n.t('State')}: ${escapeMd(s.state)}\n\n`);
      md.appendMarkdown(`${vscode.l10n.t('Offer (quotaId)')}: \`${quotaId ?? '—'}\``);
      item.tooltip = md;
      item.contextValue = CONTEXT.subscription;
      return item;
    }
    case 'message': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.tooltip = node.tooltip;
      item.command = node.command;
      item.contextValue = CONTEXT.message;
      return item;
    }
  }
}

export function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
