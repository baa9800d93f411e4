/**
 * The Directories view's account rows and what each account is in each directory: its standing (member or guest, and
 * Global Administrator / User Administrator / Guest Inviter) read through core when a signed-in directory's row is
 * first shown, "role unknown" with the reason when the read is refused. Also the rows' words for people who hear
 * them: an account row names who and what (without this, VS Code reads a plain-text tooltip in place of the label).
 */
import * as vscode from 'vscode';
import { describeCategory, describeStanding, readStanding, type DirectoryStanding } from '../core/accountRoles';
import { escapeMd, type AccountNode, type DirectoryNode, type TreeNode } from './nodes';

type Standing = { readonly state: 'loading' } | { readonly state: 'read'; readonly standing: DirectoryStanding };

/**
 * Standings per account and directory, read with the directory's load (so "tree loaded" includes them), once per
 * refresh. `changed(accountId)` tells the tree an account's rows have more to say; a read finishing after `clear()` is
 * dropped.
 */
export class DirectoryStandings {
  private readonly known = new Map<string, Standing>();
  private generation = 0;

  constructor(
    private readonly changed: (accountId: string) => void,
    private readonly onError: (e: unknown) => void,
  ) {}

  clear(): void {
    this.generation++;
    this.known.clear();
  }

  /** The account's standing in the directory: undefined where it is not read (not signed in there), "loading" until read. */
  get(node: DirectoryNode): Standing | undefined {
    if (!node.directory.signedIn) return undefined;
    return this.known.get(key(node.parent.id, node.directory.tenantId)) ?? { state: 'loading' };
  }

  /** Reads the account's standing in a signed-in directory (the tree's directory load awaits it; it never rejects). */
  async load(account: AccountNode, tenantId: string): Promise<void> {
    const generation = this.generation;
    let standing: DirectoryStanding;
    try {
      standing = await readStanding(account.account.session, tenantId, vscode.l10n);
    } catch (e) {
      if (generation !== this.generation) return;
      this.onError(e);
      standing = { userType: null, roles: null, unknownReason: e instanceof Error ? e.message : String(e) };
    }
    if (generation !== this.generation) return;
    this.known.set(key(account.id, tenantId), { state: 'read', standing });
    this.changed(account.id);
  }
}

function key(accountId: string, tenantId: string): string {
  return `${accountId}|${tenantId.toLowerCase()}`;
}

/** Adds what the account rows and directory rows say about accounts to the items `treeItem` made. */
export function withAccountDetails(item: vscode.TreeItem, node: TreeNode, standings: DirectoryStandings): vscode.TreeItem {
  if (node.kind === 'account') item.accessibilityInformation = { label: accountAccessibilityLabel(node) };
  if (node.kind === 'directory') addStanding(item, node, standings.get(node));
  return item;
}

function accountAccessibilityLabel(node: AccountNode): string {
  const { session, isSandbox } = node.account;
  return isSandbox
    ? vscode.l10n.t('Account {0}, Azure Sandbox: emulated Azure for rehearsal, nothing here touches a real subscription', session.account.label)
    : vscode.l10n.t('Account {0}, signed in to {1}', session.account.label, session.cloud.displayName);
}

function addStanding(item: vscode.TreeItem, node: DirectoryNode, standing: Standing | undefined): void {
  const read = standing?.state === 'read' ? standing.standing : undefined;
  // First, so a narrow side bar still shows it (the domain and tags follow; the tooltip has everything).
  if (read) item.description = [describeStanding(read, vscode.l10n), typeof item.description === 'string' ? item.description : ''].filter(Boolean).join(' · ');
  if (!(item.tooltip instanceof vscode.MarkdownString)) return;
  const account = node.parent.account.session.account.label;
  const role = standing === undefined
    ? vscode.l10n.t('not read: {0} is not signed in to this directory', account)
    : read === undefined ? vscode.l10n.t('reading…') : describeStanding(read, vscode.l10n);
  item.tooltip.appendMarkdown(`\n\n${vscode.l10n.t('Role of {0}', escapeMd(account))}: ${escapeMd(role)}`);
  if (read?.unknownReason !== undefined) item.tooltip.appendMarkdown(` — ${escapeMd(read.unknownReason)}`);
  const category = node.directory.category;
  if (category) item.tooltip.appendMarkdown(`\n\n${vscode.l10n.t('Category')}: ${escapeMd(describeCategory(category, account, read, vscode.l10n))}`);
}
