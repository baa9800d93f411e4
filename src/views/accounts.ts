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
 * Standings per account and directory, read once per refresh. `changed(accountId)` tells the tree an account's rows
 * have more to say; a read that finishes after `clear()` is dropped.
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

  /** The account's standing in the directory; the first ask starts the read. Undefined where it cannot be read (not signed in there). */
  get(node: DirectoryNode): Standing | undefined {
    if (!node.directory.signedIn) return undefined;
    const key = `${node.parent.id}|${node.directory.tenantId.toLowerCase()}`;
    const seen = this.known.get(key);
    if (seen) return seen;
    const loading = { state: 'loading' } as const;
    this.known.set(key, loading);
    const generation = this.generation;
    readStanding(node.parent.account.session, node.directory.tenantId, vscode.l10n).then(
      (standing) => {
        if (generation !== this.generation) return;
        this.known.set(key, { state: 'read', standing });
        this.changed(node.parent.id);
      },
      (e: unknown) => {
        if (generation !== this.generation) return;
        this.onError(e);
        this.known.set(key, { state: 'read', standing: { userType: null, roles: null, unknownReason: e instanceof Error ? e.message : String(e) } });
        this.changed(node.parent.id);
      },
    );
    return loading;
  }
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
