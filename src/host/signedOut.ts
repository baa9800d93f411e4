/**
 * Accounts the user signed out of in Azure Tenant Link whose sign-in the editor keeps. An extension cannot remove
 * another provider's session (VS Code has no API for it; azureauth's `signOut` throws "sign out via the Accounts
 * menu"), so "Sign Out" of a Microsoft account means: this extension stops using it, across windows, until the user
 * signs in with it here again.
 */
import type * as vscode from 'vscode';

const KEY = 'azureTenantLink.signedOutAccounts';

export class SignedOutAccounts {
  constructor(private readonly state: vscode.Memento) {}

  has(providerId: string, accountId: string): boolean {
    return this.list().includes(key(providerId, accountId));
  }

  async add(providerId: string, accountId: string): Promise<void> {
    if (!this.has(providerId, accountId)) await this.state.update(KEY, [...this.list(), key(providerId, accountId)]);
  }

  /** Signed in here again: use the account again. */
  async remove(providerId: string, accountId: string): Promise<void> {
    const k = key(providerId, accountId);
    if (this.list().includes(k)) await this.state.update(KEY, this.list().filter((x) => x !== k));
  }

  private list(): string[] {
    const v = this.state.get<unknown>(KEY);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  }
}

function key(providerId: string, accountId: string): string {
  return `${providerId}\n${accountId}`;
}
