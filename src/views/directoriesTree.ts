/**
 * The Directories view: account → directories (what each is: Office 365? signed in?) → subscriptions.
 * Directories load through core (`describeDirectories`, the same reading the CLI's `tenants` does) and each appears
 * as soon as it is known. Whether a directory "needs sign-in" is core's answer (`DirectorySummary.needsSignIn`, only
 * for sign-in errors); any other failure shows as an error item with the reason. Never a pop-up.
 */
import * as vscode from 'vscode';
import { isAzureError, type AzureError } from '../azure/errors';
import type { Subscription } from '../azure/models';
import { describeError } from '../core/describeError';
import { describeDirectories, describeDirectory, type DirectorySummary } from '../core/directories';
import { directoryCounts, type DirectoryCounts } from '../core/fleet';
import type { DirectoryFilter } from '../ids';
import { DirectoryStandings, withAccountDetails } from './accounts';
import { ChangeRequests } from './changeRequests';
import { changeRequestItem, delegatedItem, delegatedRows, movingItem, type ListedDirectory } from './subscriptionRows';
import { treeItem, type AccountNode, type DirectoryNode, type MessageNode, type SubscriptionNode, type TreeNode } from './nodes';
import type { AccountSource, MoveWatches, TreeAccount } from './ports';

/** Refreshes asked for within this window reach the view as one. */
const REFRESH_COALESCE_MS = 150;

interface DirectoryEntry {
  summary: DirectorySummary;
  /** Homed here; undefined while loading. */
  subscriptions?: Subscription[] | Error;
  /** Everything the directory's listing returned, delegated subscriptions included. */
  listed?: Subscription[];
  /** Its summary through Resource Graph, once read. */
  counts?: DirectoryCounts;
}

interface AccountEntry {
  loading: boolean;
  done?: Promise<void>;
  /** Reads that annotate loaded rows (change requests, counts): not part of "loading", awaited by loadAll. */
  annotations: Promise<void>[];
  error?: AzureError | Error;
  directories: Map<string, DirectoryEntry>;
  order: string[];
}

export class DirectoriesTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private accountNodes: AccountNode[] | undefined;
  private readonly entries = new Map<string, AccountEntry>();
  private generation = 0;
  private pendingRefresh: ReturnType<typeof setTimeout> | undefined;
  private filter: DirectoryFilter;
  /** What each account is in each directory (accounts.ts). */
  private readonly standings: DirectoryStandings;
  /** Change requests below their subscriptions. */
  readonly requests: ChangeRequests;
  /** Directory changes being watched (watchMoves). */
  private moves: MoveWatches | undefined;

  constructor(
    private readonly services: AccountSource,
    filter: DirectoryFilter,
    private readonly onError: (e: unknown) => void,
  ) {
    this.filter = filter;
    this.standings = new DirectoryStandings((accountId) => {
      const account = this.accountNodes?.find((a) => a.id === accountId);
      if (account) this.fireAccount(account);
    }, onError);
    this.requests = new ChangeRequests(() => { for (const a of this.accountNodes ?? []) this.fireAccount(a); }, onError);
  }

  /** Shows each watched directory change below its subscription, redrawn as the watch goes on. */
  watchMoves(moves: MoveWatches): vscode.Disposable {
    this.moves = moves;
    return moves.onDidProgress(() => { for (const a of this.accountNodes ?? []) this.fireAccount(a); });
  }

  setFilter(filter: DirectoryFilter): void {
    this.filter = filter;
    this.emitter.fire(undefined);
  }

  /**
   * Forgets everything and reloads. The state resets at once; the view hears of it once per burst: start-up fires
   * several refreshes within a second (sandbox started, its session granted, the editor's session event), and a second
   * refresh that reaches the view while it is still fetching the first's children makes VS Code ask for a node the
   * extension host no longer has ("No tree item with id … found") and leave that node empty (seen on VS Code 1.139).
   */
  refresh(): void {
    this.generation++;
    this.accountNodes = undefined;
    this.entries.clear();
    this.standings.clear();
    this.requests.clear();
    if (this.pendingRefresh !== undefined) return;
    this.pendingRefresh = setTimeout(() => {
      this.pendingRefresh = undefined;
      this.emitter.fire(undefined);
    }, REFRESH_COALESCE_MS);
  }

  /** Reload one directory (after "Sign in to directory"). */
  refreshDirectory(node: DirectoryNode): void {
    const entry = this.entries.get(node.parent.id);
    if (!entry) {
      this.refresh();
      return;
    }
    const d = node.directory;
    const tenant = { tenantId: d.tenantId, displayName: d.displayName ?? undefined, defaultDomain: d.defaultDomain ?? undefined, domains: d.domains, tenantCategory: d.category ?? undefined };
    const generation = this.generation;
    void describeDirectory(node.parent.account.session, tenant, vscode.l10n).then(
      (summary) => this.directoryRead(node.parent, entry, summary, generation),
      (e: unknown) => { this.onError(e); },
    );
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'delegated') return delegatedItem(node);
    if (node.kind === 'changeRequest') return changeRequestItem(node);
    if (node.kind === 'moving') return movingItem(node);
    const item = withAccountDetails(treeItem(node), node, this.standings);
    if (node.kind === 'subscription' && this.requestChildren(node).length > 0) item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'account' ? undefined : node.parent;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      if (!node) return await this.roots();
      if (node.kind === 'account') return this.directoryChildren(node);
      if (node.kind === 'directory') return this.subscriptionChildren(node);
      if (node.kind === 'subscription') return this.requestChildren(node);
      return [];
    } catch (e) {
      this.onError(e);
      return [message(`error:${node?.id ?? 'root'}`, vscode.l10n.t('Could not load: {0}', errorText(e)), 'error', node?.kind === 'account' || node?.kind === 'directory' ? node : undefined)];
    }
  }

  /** All subscription nodes known so far (for QuickPicks). */
  knownSubscriptions(): SubscriptionNode[] {
    const out: SubscriptionNode[] = [];
    for (const account of this.accountNodes ?? []) {
      for (const dir of this.directoryNodes(account)) {
        const subs = this.entries.get(account.id)?.directories.get(dir.directory.tenantId)?.subscriptions;
        if (Array.isArray(subs)) out.push(...subs.map((s) => subscriptionNode(dir, s)));
      }
    }
    return out;
  }

  accounts(): readonly AccountNode[] {
    return this.accountNodes ?? [];
  }

  directoryNodes(account: AccountNode): DirectoryNode[] {
    const entry = this.entries.get(account.id);
    if (!entry) return [];
    return entry.order.flatMap((id) => {
      const d = entry.directories.get(id);
      return d ? [{ kind: 'directory' as const, id: `${account.id}/tenants/${id}`, parent: account, directory: d.summary, ...(d.counts ? { counts: d.counts } : {}) }] : [];
    });
  }

  private async roots(): Promise<AccountNode[]> {
    if (this.accountNodes) return this.accountNodes;
    const generation = this.generation;
    const sessions = await this.services.accountSessions();
    const nodes: AccountNode[] = sessions.map((account) => ({ kind: 'account', id: accountId(account), account }));
    // A refresh while the accounts were being read makes this answer stale: the view asks again.
    if (generation === this.generation) this.accountNodes = nodes;
    await vscode.commands.executeCommand('setContext', 'azureTenantLink.signedIn', nodes.length > 0);
    return nodes;
  }

  /**
   * Tells the view an account's children changed, naming the node object the view holds now (the one `roots()` last
   * gave it); while a refresh is on its way the view asks for everything anyway, so nothing is fired.
   */
  private fireAccount(account: AccountNode): void {
    const current = this.accountNodes?.find((a) => a.id === account.id);
    if (current !== undefined && this.pendingRefresh === undefined) this.emitter.fire(current);
  }

  private directoryChildren(account: AccountNode): TreeNode[] {
    let entry = this.entries.get(account.id);
    if (!entry) {
      entry = this.startAccount(account);
    }
    const visible = this.directoryNodes(account).filter((d) => this.passesFilter(account, d));
    const out: TreeNode[] = visible;
    if (entry.loading) out.push(message(`${account.id}/loading`, vscode.l10n.t('Loading directories…'), 'loading~spin', account));
    else if (isAzureError(entry.error, 'notSignedIn')) out.push(message(`${account.id}/signIn`, vscode.l10n.t('Sign in to use this account'), 'sign-in', account, { command: 'azureTenantLink.signIn', title: vscode.l10n.t('Sign In'), arguments: [account] }));
    else if (entry.error) out.push(message(`${account.id}/error`, vscode.l10n.t('Could not list directories: {0}', errorText(entry.error)), 'error', account, { command: 'azureTenantLink.refresh', title: vscode.l10n.t('Refresh') }));
    else if (entry.order.length === 0) out.push(message(`${account.id}/empty`, vscode.l10n.t('No directories for this account'), 'info', account));
    else if (visible.length === 0) out.push(message(`${account.id}/filtered`, vscode.l10n.t('No directory matches the filter'), 'filter', account, { command: 'azureTenantLink.filter', title: vscode.l10n.t('Filter') }));
    return out;
  }

  private startAccount(account: AccountNode): AccountEntry {
    const entry: AccountEntry = { loading: true, directories: new Map(), order: [], annotations: [] };
    this.entries.set(account.id, entry);
    entry.done = this.loadAccount(account, entry, this.generation);
    return entry;
  }

  /** Loads every account's directories and subscriptions (for QuickPicks and node lookups). */
  async loadAll(): Promise<void> {
    for (;;) {
      const generation = this.generation;
      const accounts = await this.roots();
      const entries = accounts.map((a) => this.entries.get(a.id) ?? this.startAccount(a));
      await Promise.all(entries.map((e) => e.done ?? Promise.resolve()));
      await Promise.all(entries.flatMap((e) => e.annotations));
      if (generation === this.generation) return; // else a refresh came meanwhile: load what it asks for
    }
  }

  private passesFilter(account: AccountNode, node: DirectoryNode): boolean {
    // Keeps the ones not known to be Office 365 or not (unknown is not no).
    if (this.filter === 'office365') return node.directory.office365 !== false;
    if (this.filter === 'withSubscriptions') {
      const subs = this.entries.get(account.id)?.directories.get(node.directory.tenantId)?.subscriptions;
      return Array.isArray(subs) && subs.length > 0;
    }
    return true;
  }

  private subscriptionChildren(node: DirectoryNode): TreeNode[] {
    const entry = this.entries.get(node.parent.id)?.directories.get(node.directory.tenantId);
    const subs = entry?.subscriptions;
    const unreadable = entry?.summary.error !== undefined && !entry.summary.needsSignIn
      ? [message(`${node.id}/unreadable`, vscode.l10n.t('Could not read this directory: {0}', entry.summary.error), 'error', node, { command: 'azureTenantLink.refresh', title: vscode.l10n.t('Refresh') })]
      : [];
    if (subs === undefined && unreadable.length && !entry?.summary.signedIn) return unreadable;
    if (subs === undefined) return [message(`${node.id}/loading`, vscode.l10n.t('Loading subscriptions…'), 'loading~spin', node)];
    if (subs instanceof Error) return [...unreadable, message(`${node.id}/error`, vscode.l10n.t('Could not list subscriptions: {0}', errorText(subs)), 'error', node)];
    const delegated = delegatedRows(node, this.listedDirectories(node.parent));
    if (subs.length === 0 && delegated.length === 0) return [...unreadable, message(`${node.id}/empty`, vscode.l10n.t('No subscriptions in this directory'), 'info', node)];
    return [...unreadable, ...subs.map((s) => subscriptionNode(node, s)), ...delegated];
  }

  private listedDirectories(account: AccountNode): ListedDirectory[] {
    const entry = this.entries.get(account.id);
    return this.directoryNodes(account).map((node) => {
      const d = entry?.directories.get(node.directory.tenantId);
      return { node, listed: d?.subscriptions instanceof Error ? d.subscriptions : d?.listed };
    });
  }

  /** Below a subscription: its change request, and the directory change being watched (while it is). */
  private requestChildren(node: SubscriptionNode): TreeNode[] {
    const rows: TreeNode[] = [];
    const row = this.requests.row(node.subscription.subscriptionId);
    if (row) {
      const target = this.accounts().flatMap((a) => this.directoryNodes(a)).find((d) => d.directory.tenantId.toLowerCase() === row.request.destinationTenantId)?.directory;
      rows.push({ kind: 'changeRequest', id: `${node.id}/changeRequest`, parent: node, row, targetName: target?.displayName ?? target?.defaultDomain ?? row.request.destinationTenantId });
    }
    const watched = this.moves?.record(node.subscription.subscriptionId);
    // Only below the directory the subscription is moving out of: once Azure lists it in the target, it shows there.
    if (watched?.progress.status === 'waiting'
      && watched.move.sourceTenantId.toLowerCase() === node.parent.directory.tenantId.toLowerCase()) {
      rows.push({ kind: 'moving', id: `${node.id}/moving`, parent: node, move: watched.move, progress: watched.progress });
    }
    return rows;
  }

  private async loadAccount(account: AccountNode, entry: AccountEntry, generation: number): Promise<void> {
    const subscriptionLoads: Promise<void>[] = [];
    try {
      await describeDirectories(account.account.session, vscode.l10n, {
        onListed: (tenants) => {
          if (generation === this.generation) entry.order.push(...tenants.map((t) => t.tenantId));
        },
        onDirectory: (summary) => { subscriptionLoads.push(this.directoryRead(account, entry, summary, generation)); },
      });
      await Promise.all(subscriptionLoads);
    } catch (e) {
      if (generation !== this.generation) return;
      this.onError(e);
      entry.error = e instanceof Error ? e : new Error(String(e));
    } finally {
      if (generation === this.generation) {
        entry.loading = false;
        this.fireAccount(account);
      }
    }
  }

  /** One directory described: shown at once, then its subscriptions (when the account can read there). */
  private async directoryRead(account: AccountNode, entry: AccountEntry, summary: DirectorySummary, generation: number): Promise<void> {
    if (generation !== this.generation) return;
    if (summary.error !== undefined) this.onError(new Error(`${summary.displayName ?? summary.tenantId}: ${summary.error}`));
    const dir: DirectoryEntry = { summary };
    entry.directories.set(summary.tenantId, dir);
    this.fireAccount(account);
    if (!summary.signedIn) return;
    const standing = this.standings.load(account, summary.tenantId); // the account's role there, beside the subscriptions
    const session = account.account.session;
    try {
      dir.listed = await session.arm.listSubscriptions(summary.tenantId);
      dir.subscriptions = dir.listed.filter((s) => s.tenantId === summary.tenantId);
    } catch (e) {
      this.onError(e);
      dir.subscriptions = e instanceof Error ? e : new Error(String(e));
    }
    await standing;
    if (generation !== this.generation) return;
    this.fireAccount(account);
    const homed = dir.subscriptions;
    if (Array.isArray(homed)) entry.annotations.push(this.annotate(account, dir, homed, generation));
  }

  /** After a directory's subscriptions: their change requests, and the directory's counts through Resource Graph. */
  private async annotate(account: AccountNode, dir: DirectoryEntry, homed: readonly Subscription[], generation: number): Promise<void> {
    const session = account.account.session;
    const { tenantId, displayName } = dir.summary;
    await Promise.all([
      this.requests.load(session, homed, () => generation === this.generation),
      directoryCounts(session, tenantId, homed).then((counts) => {
        if (counts.unavailable !== undefined) this.onError(new Error(`${displayName ?? tenantId}: Resource Graph: ${counts.unavailable}`));
        if (generation !== this.generation) return;
        dir.counts = counts;
        this.fireAccount(account);
      }, (e: unknown) => { this.onError(e); }),
    ]);
  }

  dispose(): void {
    this.requests.dispose();
    if (this.pendingRefresh !== undefined) clearTimeout(this.pendingRefresh);
    this.emitter.dispose();
  }
}

function accountId(a: TreeAccount): string {
  return `/${a.isSandbox ? 'sandbox' : a.session.cloud.name}/accounts/${a.session.account.id}`;
}

function subscriptionNode(parent: DirectoryNode, s: Subscription): SubscriptionNode {
  return { kind: 'subscription', id: `${parent.id}/subscriptions/${s.subscriptionId}`, parent, subscription: s };
}

function message(id: string, label: string, icon: string, parent?: AccountNode | DirectoryNode, command?: vscode.Command): MessageNode {
  return { kind: 'message', id, label, icon, parent, command };
}

/** One line for an error item or a log line (core's wording, `describeError`). */
export function errorText(e: unknown): string {
  return describeError(e, vscode.l10n).message;
}
