/**
 * An account's standing in one directory, as the Directories view shows it: member or guest, and the directory roles
 * that matter here (Global Administrator, User Administrator, Guest Inviter). Read with the account's own token in
 * that directory: Graph `GET /me` (`userType`, https://learn.microsoft.com/graph/api/user-get) and
 * `GET /me/transitiveMemberOf/microsoft.graph.directoryRole`. What could not be read stays unknown and says why —
 * never a guessed "member". The two reads are separate: a sign-in that may read itself but not its roles still says
 * member or guest.
 */
import { isAzureError } from '../azure/errors';
import { DIRECTORY_ROLES, type DirectoryRoleName } from '../azure/models';
import type { AzureSession } from '../azure/session';
import { describeError } from './describeError';
import type { Localize } from './l10n';

export interface DirectoryStanding {
  /** null when `/me` could not be read. */
  readonly userType: 'Member' | 'Guest' | null;
  /** null when the roles could not be read. */
  readonly roles: readonly DirectoryRoleName[] | null;
  /** Why something is unknown (Entra's words), when it is. */
  readonly unknownReason?: string;
}

/** Reads the account's standing in one directory. Azure refusals become "unknown" with the reason; bugs throw. */
export async function readStanding(session: AzureSession, tenantId: string, l10n: Localize, signal?: AbortSignal): Promise<DirectoryStanding> {
  const graph = session.graph(tenantId);
  const [me, held] = await Promise.allSettled([graph.me(signal), graph.myDirectoryRoles(signal)]);
  const failures = [me, held].flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  const bug = failures.find((e) => !isAzureError(e));
  if (bug !== undefined || signal?.aborted === true) throw bug ?? signal?.reason;
  const userType = me.status === 'fulfilled' ? (me.value.userType === 'Guest' ? 'Guest' : 'Member') : null;
  let roles: DirectoryRoleName[] | null = null;
  if (held.status === 'fulfilled') {
    const templates = new Set(held.value.map((r) => r.roleTemplateId?.toLowerCase()));
    roles = DIRECTORY_ROLES.filter((r) => templates.has(r.templateId)).map((r) => r.name);
  }
  const first = failures[0];
  return first === undefined ? { userType, roles } : { userType, roles, unknownReason: describeError(first, l10n).message };
}

/** A directory role's name in the user's language (Entra's own Swedish names). */
export function roleName(role: DirectoryRoleName, l10n: Localize): string {
  switch (role) {
    case 'Global Administrator': return l10n.t('Global Administrator');
    case 'User Administrator': return l10n.t('User Administrator');
    case 'Guest Inviter': return l10n.t('Guest Inviter');
  }
}

/** The standing in a few words for a tree row: "Global Administrator", "member", "guest", "guest, role unknown". */
export function describeStanding(s: DirectoryStanding, l10n: Localize): string {
  const kind = s.userType === 'Guest' ? l10n.t('guest') : s.userType === 'Member' ? l10n.t('member') : undefined;
  if (s.roles === null) return kind === undefined ? l10n.t('role unknown') : l10n.t('{0}, role unknown', kind);
  if (s.roles.length === 0) return kind ?? l10n.t('role unknown');
  const names = s.roles.map((r) => roleName(r, l10n)).join(', ');
  return s.userType === 'Guest' ? l10n.t('{0}, guest', names) : names;
}

/**
 * What ARM's `tenantCategory` means for this account (https://learn.microsoft.com/rest/api/resources/tenants/list).
 * "Home" is on every directory the account is a user of — a member, or a guest who accepted an invitation — so it does
 * not say "your home directory"; the standing, when known, says which.
 */
export function describeCategory(category: string, account: string, standing: DirectoryStanding | undefined, l10n: Localize): string {
  if (category === 'Home') {
    if (standing?.userType === 'Member') return l10n.t('{0} is a member of this directory (a user of its own, not a guest). ARM lists it with category "Home".', account);
    if (standing?.userType === 'Guest') return l10n.t('{0} is a guest in this directory: invited from another directory, so this is not the account\'s home directory. ARM still lists it with category "Home".', account);
    return l10n.t('{0} is a user of this directory: a member, or a guest who accepted an invitation (ARM\'s category "Home" does not say which, nor that it is the account\'s home directory).', account);
  }
  if (category === 'ProjectedBy' || category === 'ManagedBy') return l10n.t('Category "{0}": this directory is linked to one of yours through Azure Lighthouse delegation; {1} is not a user of it.', category, account);
  return l10n.t('Category "{0}"', category);
}
