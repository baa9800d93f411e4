/**
 * The sandbox as a VS Code authentication provider ("Azure Sandbox"), so the extension reaches it through exactly the
 * path it uses for Microsoft sign-in: `vscode.authentication.getSession(provider, [scope, 'VSCODE_TENANT:<id>'])`.
 * Tokens come from the sandbox's token endpoint; a directory that needs its own sign-in (MFA) yields no silent session
 * until `createSession` signs in to it interactively — as the Microsoft provider behaves.
 */
import * as vscode from 'vscode';
import { HOME_TENANT, type Account } from '../azure/auth';
import { isAzureError } from '../azure/errors';
import type { Resource } from '../azure/http';
import type { SandboxTokenAuth } from '../azure/sandboxAuth';

export interface SandboxAccount {
  readonly upn: string;
  readonly displayName: string;
}

interface ParsedScopes {
  readonly tenantId: string;
  readonly resource: Resource;
}

export function parseScopes(scopes: readonly string[]): ParsedScopes {
  let tenantId = HOME_TENANT;
  let resource: Resource = 'arm';
  for (const s of scopes) {
    if (s.startsWith('VSCODE_TENANT:')) tenantId = s.slice('VSCODE_TENANT:'.length) || HOME_TENANT;
    else if (/graph/i.test(s)) resource = 'graph';
  }
  return { tenantId, resource };
}

export class SandboxAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.emitter.event;
  /** Accounts signed in to the sandbox, and the directories each signed in to interactively. */
  private readonly signedIn = new Map<string, Set<string>>();

  constructor(
    private readonly tokens: SandboxTokenAuth,
    private readonly accounts: readonly SandboxAccount[],
    private readonly defaultAccount: string,
  ) {}

  /** Sign the default account in without UI (used when the sandbox starts on activation). */
  signInDefault(): void {
    if (!this.signedIn.has(this.defaultAccount)) this.signedIn.set(this.defaultAccount, new Set());
  }

  async getSessions(scopes: readonly string[] | undefined, options?: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession[]> {
    const wanted = options?.account?.id;
    const upns = [...this.signedIn.keys()].filter((u) => wanted === undefined || u === wanted);
    const parsed = parseScopes(scopes ?? []);
    const sessions: vscode.AuthenticationSession[] = [];
    for (const upn of upns) {
      const interactiveTenants = this.signedIn.get(upn) ?? new Set<string>();
      const session = await this.trySession(upn, scopes ?? [], parsed, interactiveTenants.has(parsed.tenantId.toLowerCase()));
      if (session) sessions.push(session);
    }
    return sessions;
  }

  async createSession(scopes: readonly string[], options?: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession> {
    const upn = options?.account?.id ?? (await this.pickAccount());
    if (upn === undefined) throw new Error('Cancelled: no sandbox account was chosen.');
    const parsed = parseScopes(scopes);
    const token = await this.tokens.getToken({ account: accountOf(upn), tenantId: parsed.tenantId, resource: parsed.resource, interactive: true });
    const tenants = this.signedIn.get(upn) ?? new Set<string>();
    tenants.add(parsed.tenantId.toLowerCase());
    this.signedIn.set(upn, tenants);
    const session = this.session(upn, scopes, parsed, token.token);
    this.emitter.fire({ added: [session], removed: [], changed: [] });
    return session;
  }

  /** Sign one account out of the sandbox (its sessions end; the others stay). */
  signOut(upn: string): Promise<void> {
    return this.removeSession(upn);
  }

  isSignedIn(upn: string): boolean {
    return this.signedIn.has(upn);
  }

  /** `sessionId` is `<upn>|<tenant>|<resource>` (or a bare upn): every session of that account ends. */
  removeSession(sessionId: string): Promise<void> {
    const upn = sessionId.split('|')[0] ?? '';
    if (this.signedIn.delete(upn)) {
      const removed = { id: sessionId, accessToken: '', account: { id: upn, label: upn }, scopes: [] };
      this.emitter.fire({ added: [], removed: [removed], changed: [] });
    }
    return Promise.resolve();
  }

  dispose(): void {
    this.emitter.dispose();
  }

  private async pickAccount(): Promise<string | undefined> {
    const notSignedIn = this.accounts.filter((a) => !this.signedIn.has(a.upn));
    const choices = notSignedIn.length ? notSignedIn : this.accounts;
    if (choices.length === 1) return choices[0]?.upn;
    const pick = await vscode.window.showQuickPick(
      choices.map((a) => ({ label: a.displayName, description: a.upn, upn: a.upn })),
      { title: vscode.l10n.t('Sign in to the Azure Sandbox'), placeHolder: vscode.l10n.t('Choose a sandbox account') },
    );
    return pick?.upn;
  }

  private async trySession(upn: string, scopes: readonly string[], parsed: ParsedScopes, interactive: boolean): Promise<vscode.AuthenticationSession | undefined> {
    try {
      const token = await this.tokens.getToken({ account: accountOf(upn), tenantId: parsed.tenantId, resource: parsed.resource, interactive });
      return this.session(upn, scopes, parsed, token.token);
    } catch (e) {
      if (isAzureError(e, 'notSignedIn')) return undefined;
      throw e;
    }
  }

  private session(upn: string, scopes: readonly string[], parsed: ParsedScopes, accessToken: string): vscode.AuthenticationSession {
    return { id: `${upn}|${parsed.tenantId}|${parsed.resource}`, accessToken, account: { id: upn, label: upn }, scopes: [...scopes] };
  }
}

function accountOf(upn: string): Account {
  return { id: upn, label: upn };
}
