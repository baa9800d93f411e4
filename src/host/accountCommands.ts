/**
 * The Directories view's account commands: "Sign In" (the sandbox while it runs), "Sign In with Another Account…" and
 * "Sign Out" of one account. A sandbox account's session ends in the sandbox's own provider; a Microsoft account's
 * sign-in belongs to the editor, which gives extensions no way to remove it, so signing out there means this extension
 * stops using the account and says where the editor's own sign-out is.
 */
import * as vscode from 'vscode';
import type { Account, AuthAdapter, SignInOptions } from '../azure/auth';
import type { AccountNode } from '../views/nodes';
import type { App } from './app';

export function isAccountNode(v: unknown): v is AccountNode {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'account';
}

/** Signs in through `auth`; an account signed in again is used again here (undoing a sign-out of it). */
export async function signInWith(app: App, auth: AuthAdapter, options?: SignInOptions): Promise<Account | undefined> {
  const account = await auth.signIn(options);
  if (!account) return undefined;
  await app.services.signedOut.remove(auth.cloud.authProviderId, account.id);
  app.tree.refresh();
  return account;
}

/** "Sign In": from an account row, that account; otherwise the sandbox while it runs, else the configured cloud. */
export async function signInCommand(app: App, arg: unknown): Promise<void> {
  const node = isAccountNode(arg) ? arg : undefined;
  await signInWith(app, node ? node.account.session.auth : app.services.signInAuth(), node ? { account: node.account.session.account } : undefined);
}

/** "Sign In with Another Account…": the account row's provider, else the sandbox while it runs, else the configured cloud. */
export async function signInWithAnotherAccountCommand(app: App, arg: unknown): Promise<void> {
  const auth = isAccountNode(arg) ? arg.account.session.auth : app.services.signInAuth();
  const shown = new Set((await app.services.accountSessions()).map((a) => `${a.session.cloud.authProviderId}\n${a.session.account.id}`));
  const detail = vscode.l10n.t('Choose an account that is not signed in yet. The Directories view then shows its directories and its role in each beside the accounts already there.');
  const account = await signInWith(app, auth, { anotherAccount: { detail } });
  if (account && shown.has(`${auth.cloud.authProviderId}\n${account.id}`)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} was already signed in.', account.label));
  }
}

/** "Sign Out" of the account row (or of an account picked from the signed-in ones). */
export async function signOutCommand(app: App, arg: unknown): Promise<void> {
  const node = isAccountNode(arg) ? arg : await pickAccount(app);
  if (!node) return;
  const { session, isSandbox } = node.account;
  const label = session.account.label;
  if (isSandbox) {
    await app.services.sandbox?.provider.signOut(session.account.id);
    await app.services.sandboxAccountSignedOut();
    app.tree.refresh();
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Signed out of {0} in the Azure Sandbox', label), 5000);
    return;
  }
  await app.services.signedOut.add(session.auth.cloud.authProviderId, session.account.id);
  app.tree.refresh();
  void vscode.window.showInformationMessage(vscode.l10n.t(
    'Azure Tenant Link no longer uses {0}. VS Code keeps its Microsoft sign-in for other extensions; to sign it out of VS Code, open Accounts (the person icon at the bottom of the Activity Bar), choose {0}, then Sign Out. Signing in with {0} here uses it again.',
    label,
  ));
}

async function pickAccount(app: App): Promise<AccountNode | undefined> {
  await app.tree.getChildren();
  const accounts = app.tree.accounts();
  if (accounts.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No account is signed in.'));
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    accounts.map((a) => ({ label: a.account.session.account.label, description: a.account.isSandbox ? vscode.l10n.t('Azure Sandbox') : a.account.session.cloud.displayName, node: a })),
    { title: vscode.l10n.t('Sign out'), placeHolder: vscode.l10n.t('Choose the account to sign out of') },
  );
  return pick?.node;
}
