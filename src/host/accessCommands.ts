/**
 * "Save Access Snapshot…" and "Add Administrators…" outside the wizard: the same core, with a progress notification
 * (cancellable), a modal confirmation before anything changes in Azure, and a result per item.
 */
import * as vscode from 'vscode';
import { isAzureError } from '../azure/errors';
import type { GraphUser } from '../azure/models';
import { confirmCreateAssignments } from '../wizard/dialogs';
import type { App } from './app';
import type { SubscriptionTarget } from './nodeArgs';

export async function saveSnapshotCommand(app: App, target: SubscriptionTarget): Promise<void> {
  const { requireComplete, takeSnapshot, writeSnapshot } = await import('../core/snapshot');
  const written = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Saving the access snapshot of {0}…', target.name), cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => { abort.abort(); });
      const subscription = target.subscription ?? (await target.session.arm.getSubscription(target.tenantId, target.subscriptionId, abort.signal));
      const snapshot = await takeSnapshot(target.session, subscription, vscode.l10n, { signal: abort.signal });
      requireComplete(snapshot, vscode.l10n); // never "Saved" for a snapshot that could not name everything
      const files = await writeSnapshot(await app.snapshotFolder(target.session.cloud.name), snapshot, vscode.l10n);
      return { ...files, count: snapshot.roleAssignments.length };
    },
  );
  await app.rememberSnapshot(target.subscriptionId, written.jsonPath);
  app.log.info(`Snapshot of ${target.subscriptionId}: ${written.count} role assignments → ${written.jsonPath}`);
  const open = vscode.l10n.t('Open');
  void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0} role assignments to {1}', String(written.count), written.jsonPath), open).then(async (choice) => {
    if (choice === open) await vscode.window.showTextDocument(vscode.Uri.file(written.jsonPath));
  });
}

export async function addAdministratorsCommand(app: App, target: SubscriptionTarget): Promise<void> {
  const { ADMIN_ROLES, addAdministrators, countResults } = await import('../core/restore');
  const graph = target.session.graph(target.tenantId);
  const users = await pickUsers(target, (q) => graph.searchUsers(q, { top: 25 }).then((r) => r.users));
  if (!users?.length) return;
  const role = await vscode.window.showQuickPick(ADMIN_ROLES.map((r) => ({ label: r.name, id: r.id })), { title: vscode.l10n.t('Role on {0}', target.name) });
  if (!role) return;
  if (!(await confirmCreateAssignments(users.length, target.name, users.map((u) => `${role.label}: ${u.label}`).join('\n')))) return;
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Creating role assignments…'), cancellable: true },
    async (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => { abort.abort(); });
      return addAdministrators(target.session, target.subscriptionId, target.tenantId, users.map((u) => u.id), role.id, vscode.l10n, { signal: abort.signal });
    },
  );
  for (const r of results) app.log.info(`add-admin ${role.label} ${r.user}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
  const failed = results.filter((r) => r.status === 'failed');
  const counts = countResults(results);
  const summary = vscode.l10n.t('{0} created · {1} already there · {2} failed', String(counts.created), String(counts.exists), String(counts.failed));
  if (failed.length) void vscode.window.showWarningMessage(`${summary} — ${failed.map((f) => `${f.user}: ${f.reason ?? ''}`).join('; ')}`);
  else void vscode.window.showInformationMessage(summary);
}

interface UserItem extends vscode.QuickPickItem {
  readonly id: string;
}

/** A QuickPick that searches the directory as the user types; when search is not allowed, the typed UPN or object id is taken as is. */
async function pickUsers(target: SubscriptionTarget, search: (q: string) => Promise<GraphUser[]>): Promise<UserItem[] | undefined> {
  const pick = vscode.window.createQuickPick<UserItem>();
  pick.title = vscode.l10n.t('Add administrators to {0}', target.name);
  pick.placeholder = vscode.l10n.t('Search people, or type an exact user principal name or object id');
  pick.canSelectMany = true;
  pick.matchOnDescription = true;
  let searchAllowed = true;
  let timer: NodeJS.Timeout | undefined;
  let chosen: readonly UserItem[] = [];
  const typed = (value: string): UserItem[] => (value.trim() ? [{ label: value.trim(), description: vscode.l10n.t('use as typed'), id: value.trim() }] : []);
  pick.onDidChangeSelection((s) => { chosen = s; });
  pick.onDidChangeValue((value) => {
    if (timer) clearTimeout(timer);
    if (!searchAllowed || value.trim().length < 2) {
      pick.items = [...chosen, ...typed(value)];
      return;
    }
    timer = setTimeout(() => {
      pick.busy = true;
      search(value).then(
        (users) => {
          pick.items = [...chosen, ...users.filter((u) => !chosen.some((c) => c.id === u.id)).map((u) => ({ label: u.displayName ?? u.id, description: u.userPrincipalName ?? u.mail ?? '', id: u.id }))];
          pick.selectedItems = chosen;
        },
        (e: unknown) => {
          if (isAzureError(e, 'forbidden')) {
            searchAllowed = false;
            pick.placeholder = vscode.l10n.t('You may not search {0}. Enter an exact user principal name or object id.', target.name);
          }
          pick.items = [...chosen, ...typed(value)];
        },
      ).finally(() => { pick.busy = false; });
    }, 250);
  });
  const result = await new Promise<UserItem[] | undefined>((resolve) => {
    pick.onDidAccept(() => { resolve([...pick.selectedItems]); pick.hide(); });
    pick.onDidHide(() => { resolve(undefined); });
    pick.show();
  });
  pick.dispose();
  return result;
}
