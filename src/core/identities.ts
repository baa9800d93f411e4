/**
 * Two identities: the subscription's owner and the Office 365 administrator, each with their own session. What an
 * account may do in each directory (Global Administrator, User Administrator, Guest Inviter, member or guest), B2B
 * invitations (step 1 of Microsoft's procedure: https://learn.microsoft.com/entra/external-id/add-users-administrator),
 * and "invite the unmatched users as guests" before a restore. Groups and service principals are never matched by
 * name here: they stay for the user to map, with the reason.
 */
import { AzureError, isAzureError } from '../azure/errors';
import { DIRECTORY_ROLES, type DirectoryRoleName } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { Localize } from './l10n';
import { guestUpnToAddress, type MappingResult } from './mapping';
import { Limiter, reasonOf } from './util';

/** Roles that may invite guests ("at least the Guest Inviter or User Administrator role", Entra B2B docs). */
export const INVITER_ROLES: readonly DirectoryRoleName[] = ['Global Administrator', 'User Administrator', 'Guest Inviter'];
/** Who may accept a change directory request: "an Entra admin in the destination directory" (the sandbox and the API: a Global Administrator). */
export const ACCEPTOR_ROLES: readonly DirectoryRoleName[] = ['Global Administrator'];

export interface DirectoryAccess {
  readonly tenantId: string;
  readonly account: string;
  /** The account's object id in this directory (a different one in every directory). */
  readonly objectId: string;
  readonly userPrincipalName: string | null;
  readonly userType: 'Member' | 'Guest';
  readonly roles: readonly DirectoryRoleName[];
  readonly canInvite: boolean;
  readonly canAccept: boolean;
}

/** The account's user and directory roles in one directory (Graph `/me`, `/me/transitiveMemberOf/microsoft.graph.directoryRole`). */
export async function accessIn(session: AzureSession, tenantId: string, signal?: AbortSignal): Promise<DirectoryAccess> {
  const graph = session.graph(tenantId);
  const [me, held] = await Promise.all([graph.me(signal), graph.myDirectoryRoles(signal)]);
  const templates = new Set(held.map((r) => r.roleTemplateId?.toLowerCase()));
  const roles = DIRECTORY_ROLES.filter((r) => templates.has(r.templateId)).map((r) => r.name);
  const userType = me.userType === 'Guest' ? 'Guest' : 'Member';
  return {
    tenantId: tenantId.toLowerCase(), account: session.account.label, objectId: me.id.toLowerCase(), userPrincipalName: me.userPrincipalName ?? null, userType, roles,
    canInvite: userType === 'Member' && roles.some((r) => INVITER_ROLES.includes(r)),
    canAccept: roles.some((r) => ACCEPTOR_ROLES.includes(r)),
  };
}

export interface AccountDirectory {
  readonly tenantId: string;
  readonly displayName: string | null;
  readonly defaultDomain: string | null;
  /** undefined when the roles could not be read (`error` says why: not signed in there, MFA, …). */
  readonly access?: DirectoryAccess;
  readonly error?: AzureError;
}

/** Every directory the account reaches, with its role there (for the tree's account nodes). Per-directory failures are kept, not thrown. */
export async function accountDirectories(session: AzureSession, options: { readonly concurrency?: number; readonly signal?: AbortSignal } = {}): Promise<AccountDirectory[]> {
  const limiter = new Limiter(options.concurrency ?? session.arm.concurrency);
  const tenants = await session.listDirectories(options.signal);
  return limiter.map(tenants, async (t) => {
    const base = { tenantId: t.tenantId.toLowerCase(), displayName: t.displayName ?? null, defaultDomain: t.defaultDomain ?? null };
    try {
      return { ...base, access: await accessIn(session, t.tenantId, options.signal) };
    } catch (e) {
      if (options.signal?.aborted || !isAzureError(e)) throw e;
      return { ...base, error: e };
    }
  });
}

export interface InviteResult {
  readonly address: string;
  readonly tenantId: string;
  /** The guest's object id in that directory. */
  readonly userId: string;
  /** The invitee opens this to redeem (no mail is sent). */
  readonly redeemUrl: string;
  /** `PendingAcceptance` until redeemed, `Completed` after. */
  readonly status: string;
}

/**
 * Invites `address` into `tenantId` as a guest, with this session's account as the inviter. Safe to re-run: Entra
 * answers a second invitation with the same guest. Errors keep Entra's words and add who may invite.
 */
export async function inviteUser(session: AzureSession, tenantId: string, address: string, l10n: Localize, signal?: AbortSignal): Promise<InviteResult> {
  try {
    const inv = await session.graph(tenantId).invite(address.trim(), session.cloud.portalUrl, signal);
    return { address: address.trim(), tenantId: tenantId.toLowerCase(), userId: inv.invitedUser.id.toLowerCase(), redeemUrl: inv.inviteRedeemUrl, status: inv.status ?? 'PendingAcceptance' };
  } catch (e) {
    if (!isAzureError(e) || (e.kind !== 'forbidden' && e.kind !== 'badRequest')) throw e;
    const message = e.kind === 'forbidden'
      ? l10n.t('{0} may not invite guests to directory {1}: {2} Inviting needs Global Administrator, User Administrator or Guest Inviter there.', session.account.label, tenantId, e.message)
      : l10n.t('Entra refused to invite {0} to directory {1}: {2}', address, tenantId, e.message);
    throw new AzureError(message, { kind: e.kind, service: 'graph', ...(e.status === undefined ? {} : { status: e.status }), ...(e.code === undefined ? {} : { code: e.code }) });
  }
}

export type InvitationAction = 'invite' | 'keep';

export interface InvitationPlanRow {
  readonly oldPrincipalId: string;
  readonly oldPrincipalType: string;
  readonly name: string | null;
  /** The address the guest is invited with (users only). */
  readonly address: string | null;
  readonly action: InvitationAction;
  /** For `keep`: why it stays unmatched (worded by the mapper or here). */
  readonly reason: string;
  /** How many restore rows (role assignments) the principal has. */
  readonly assignments: number;
}

const ADDRESS = /^[^\s@#]+@[^\s@#]+\.[^\s@#]+$/;

/** Which unmatched principals can be invited: users with a mail address. Matched and ambiguous ones are left out. */
export function planInvitations(mapping: MappingResult, l10n: Localize): InvitationPlanRow[] {
  return mapping.principals.filter((m) => m.status === 'unmatched').map((m) => {
    const rows = mapping.rows.filter((r) => r.mapping.oldPrincipalId === m.oldPrincipalId);
    const p = rows[0]?.assignment.principal ?? null;
    const base = { oldPrincipalId: m.oldPrincipalId, oldPrincipalType: m.oldPrincipalType, name: m.oldName, assignments: rows.length };
    const isUser = p?.kind === 'user' || (p !== null && m.oldPrincipalType === 'User');
    if (!isUser) return { ...base, address: null, action: 'keep' as const, reason: m.reason };
    const upn = p.userPrincipalName;
    const address = [p.mail, upn === null ? null : guestUpnToAddress(upn) ?? upn].find((a): a is string => a !== null && ADDRESS.test(a)) ?? null;
    return address === null
      ? { ...base, address: null, action: 'keep' as const, reason: l10n.t('no mail address to invite; map it by object id') }
      : { ...base, address: address.toLowerCase(), action: 'invite' as const, reason: '' };
  });
}

export type InvitationStatus = 'invited' | 'planned' | 'failed' | 'kept';

export interface InvitationOutcome extends InvitationPlanRow {
  readonly status: InvitationStatus;
  readonly userId: string | null;
  readonly redeemUrl: string | null;
}

/**
 * Sends the planned invitations (or, with `dryRun`, only lists them). Returns each row's outcome and the overrides
 * (old principal id → new guest id) that map the restore rows to the new guests.
 */
export async function inviteUnmatched(
  session: AzureSession,
  tenantId: string,
  plan: readonly InvitationPlanRow[],
  l10n: Localize,
  options: { readonly dryRun?: boolean; readonly concurrency?: number; readonly signal?: AbortSignal; readonly onRow?: (o: InvitationOutcome) => void } = {},
): Promise<{ readonly outcomes: InvitationOutcome[]; readonly overrides: Map<string, string> }> {
  const limiter = new Limiter(options.concurrency ?? session.arm.concurrency);
  const overrides = new Map<string, string>();
  const outcomes = await limiter.map(plan, async (row): Promise<InvitationOutcome> => {
    const none = { userId: null, redeemUrl: null };
    let out: InvitationOutcome;
    if (row.action === 'keep' || row.address === null) out = { ...row, ...none, status: 'kept' };
    else if (options.dryRun === true) out = { ...row, ...none, status: 'planned' };
    else {
      try {
        const r = await inviteUser(session, tenantId, row.address, l10n, options.signal);
        overrides.set(row.oldPrincipalId, r.userId);
        out = { ...row, status: 'invited', userId: r.userId, redeemUrl: r.redeemUrl };
      } catch (e) {
        if (options.signal?.aborted) throw e;
        out = { ...row, ...none, status: 'failed', reason: reasonOf(e) };
      }
    }
    options.onRow?.(out);
    return out;
  });
  return { outcomes, overrides };
}
