/**
 * "Cancel Change Request" on a pending request in the Directories view: asks first (modal, naming the subscription and
 * the target), then `DELETE …/changeTenantRequest/default` through core. Re-running is safe: when there was nothing to
 * cancel any more, it says so. The row then reads "cancelled" (a clear end state) until the next request.
 */
import * as vscode from 'vscode';
import { cancelChangeRequest } from '../core/requests';
import type { ChangeRequestNode } from '../views/nodes';
import type { App } from './app';

export function isChangeRequestNode(v: unknown): v is ChangeRequestNode {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'changeRequest';
}

export async function cancelChangeRequestCommand(app: App, arg: unknown): Promise<void> {
  if (!isChangeRequestNode(arg)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Choose a pending change request in the Directories view to cancel it.'));
    return;
  }
  const sub = arg.parent.subscription;
  const session = arg.parent.parent.parent.account.session;
  const confirm = vscode.l10n.t('Cancel Request');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('Cancel the request to move {0} to {1}?', sub.displayName, arg.targetName),
    { modal: true, detail: vscode.l10n.t('Nothing has moved yet. After cancelling, the request can no longer be accepted in {0}; you can request the change again from the link wizard.', arg.targetName) },
    confirm,
  );
  if (answer !== confirm) return;
  const result = await cancelChangeRequest(session, sub, vscode.l10n);
  app.log.info(`Change request for ${sub.displayName} (${sub.subscriptionId}) to ${arg.row.request.destinationTenantId}: ${result.cancelled ? 'cancelled' : 'nothing to cancel'}`);
  app.tree.requests.markCancelled(result.request ?? arg.row.request);
  void vscode.window.showInformationMessage(result.cancelled
    ? vscode.l10n.t('Cancelled the request to move {0} to {1}.', sub.displayName, arg.targetName)
    : vscode.l10n.t('There was no pending request for {0} any more; nothing was cancelled.', sub.displayName));
}
