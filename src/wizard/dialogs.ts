/**
 * Every modal confirmation before something changes in Azure, in one place — the wizard's and the palette commands'
 * (Add Administrators…). Here is the modal before the move ("Change the directory of …?").
 */
import * as vscode from 'vscode';
import type { Confirmation } from './events';
import { modalList } from './modalList';

const moreInStep3 = (n: number): string => vscode.l10n.t('… and {0} more, each listed in step 3.', String(n));
const moreInStep2 = (n: number): string => vscode.l10n.t('… and {0} more, each listed in step 2.', String(n));

async function modal(message: string, detail: string, go: string): Promise<boolean> {
  return (await vscode.window.showWarningMessage(message, { modal: true, detail }, go)) === go;
}

/** "Create N role assignments in <directory>?" (the wizard's step 3 and the Add Administrators… command). */
export function confirmCreateAssignments(count: number, target: string, detail: string): Promise<boolean> {
  const question = count === 1 ? vscode.l10n.t('Create 1 role assignment in {0}?', target) : vscode.l10n.t('Create {0} role assignments in {1}?', String(count), target);
  return modal(question, detail, vscode.l10n.t('Create'));
}

/** The wizard's confirmations; true only when the user chose to go ahead. */
export function confirm(c: Confirmation): Promise<boolean> {
  switch (c.kind) {
    case 'skipSnapshot':
      return modal(
        vscode.l10n.t('Continue without a snapshot?'),
        vscode.l10n.t('The directory change permanently deletes {0} role assignments. Without a snapshot you cannot restore them in step 3.', String(c.deleted)),
        vscode.l10n.t('Continue without snapshot'),
      );
    case 'changeDirectory':
      return modal(
        vscode.l10n.t('Change the directory of {0}?', c.subscription),
        [
          c.acceptor === undefined
            ? vscode.l10n.t('{0} moves from {1} to {2}. {3} role assignments and {4} custom roles are permanently deleted; only you keep access (as Owner).', c.subscription, c.from, c.to, String(c.deleted), String(c.customRoles))
            : vscode.l10n.t('{0} moves from {1} to {2} once {5} accepts. {3} role assignments and {4} custom roles are permanently deleted; only {5} holds access (as Owner) afterwards.', c.subscription, c.from, c.to, String(c.deleted), String(c.customRoles), c.acceptor),
          // Say the consequence before the action: what no repair brings back.
          ...(c.unrecoverable === undefined ? [] : ['', vscode.l10n.t('{0} resources depend on the directory and cannot be repaired afterwards (move them out or re-create them first):', String(c.unrecoverable.length)), ...modalList(c.unrecoverable, moreInStep2)]),
        ].join('\n'),
        c.acceptor === undefined ? vscode.l10n.t('Change directory') : vscode.l10n.t('Send request'),
      );
    case 'createAssignments': {
      // The modal names the writes (role and eligible assignments, repairs), each also a row of step 3; a modal taller
      // than the window hides its own buttons, so modalList counts the rest.
      return confirmCreateAssignments(c.count, c.target, [
        vscode.l10n.t('On {0}. Assignments that already exist are left as they are.', c.subscription),
        ...(c.acceptLongestEnd === true ? [vscode.l10n.t('The role management policy forbids the old end: these are written with the longest end it allows.')] : []),
        '', ...modalList(c.writes, moreInStep3),
      ].join('\n'));
    }
    case 'recreateCustomRoles':
      return modal(
        vscode.l10n.t('Re-create {0} custom roles in {1}?', String(c.names.length), c.target),
        vscode.l10n.t('Each is created with the permissions the snapshot saved, assignable at the subscription only: {0}', c.names.join(', ')),
        vscode.l10n.t('Re-create'),
      );
    case 'invite':
      return modal(
        vscode.l10n.t('Invite {0} to {1} as a guest?', c.address, c.target),
        vscode.l10n.t('{2} sends the invitation: {1} gets a guest account for {0}, who then opens the redemption link to accept it.', c.address, c.target, c.inviter),
        vscode.l10n.t('Invite'),
      );
    case 'acceptAs':
      return modal(
        vscode.l10n.t('Accept the move as {0}?', c.acceptor),
        c.deleted === undefined
          ? vscode.l10n.t('{0} accepts moving {1} into {2}. Afterwards only {0} holds Owner on it, and restores the access in step 3.', c.acceptor, c.subscription, c.to)
          : vscode.l10n.t('{0} accepts moving {1} into {2}: {3} role assignments and {4} custom roles are permanently deleted. Afterwards only {0} holds Owner on it, and restores the access in step 3.', c.acceptor, c.subscription, c.to, String(c.deleted), String(c.customRoles ?? 0)),
        vscode.l10n.t('Accept as {0}', c.acceptor),
      );
    case 'cancelRequest':
      return modal(
        vscode.l10n.t('Cancel the change directory request for {0}?', c.subscription),
        vscode.l10n.t('The request to move {0} into {1} is deleted; nothing else changes. You can send a new one later.', c.subscription, c.to),
        vscode.l10n.t('Cancel request'),
      );
    case 'inviteGuests': {
      return modal(
        vscode.l10n.t('Invite {0} users to {1} as guests?', String(c.addresses.length), c.target),
        [
          vscode.l10n.t('{0} sends each a guest invitation; their restore rows are then mapped to the new guest accounts. Groups and service principals are not invited: map them yourself.', c.inviter),
          '', ...modalList(c.addresses, moreInStep3),
        ].join('\n'),
        vscode.l10n.t('Invite'),
      );
    }
    case 'ownerBack':
      return confirmCreateAssignments(1, c.target, vscode.l10n.t('Owner on {0} for {1}, the account that initiated the move. An assignment that already exists is left as it is.', c.subscription, c.owner));
  }
}
