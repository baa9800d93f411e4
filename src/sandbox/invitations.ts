// Microsoft Graph B2B invitations (azure-api-2.md §5) and the sandbox's redemption page.
//
//   POST /graph/v1.0/invitations   {invitedUserEmailAddress, inviteRedirectUrl, invitedUserDisplayName?, invitedUserType?}
//   GET  /portal/redeem/<ticket>   the inviteRedeemUrl: opening it redeems the invitation
//
// As in Entra: the inviter needs Global Administrator, User Administrator or Guest Inviter and a token with
// User.Invite.All (or User.ReadWrite.All / Directory.ReadWrite.All), else 403 Authorization_RequestDenied. A new
// address becomes a Guest user with a new object id and the UPN `name_domain#EXT#@<initial domain>`,
// externalUserState PendingAcceptance until the redemption URL is opened; then Accepted, and the account with that
// address can get tokens in the directory. Inviting an existing guest again returns that same guest (a resend);
// inviting the address of a member of the directory is refused.
import { randomUUID } from 'node:crypto';
import { caller, denied } from './graph';
import { ApiError, bodyObject, type Ctx, type Reply, type Route } from './http';
import { type ScenarioTenant, type ScenarioUser } from './scenario';
import { type InvitationRecord, type SandboxState } from './state';

const INVITE_SCOPES = ['User.Invite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'];
/** "To invite a guest user, you need to have at least the Guest Inviter or User Administrator role" (Entra B2B docs). */
export const INVITER_ROLES = ['Global Administrator', 'User Administrator', 'Guest Inviter'];

/** The characters the invitation resource does not allow in the address (Graph invitation resource docs). */
const ADDRESS = /^[^\s~!#$%^&*+=;:,?@]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

const same = (a: string | null, b: string): boolean => a !== null && a.toLowerCase() === b.toLowerCase();

/** A directory user that already answers to the address (mail, UPN, or the signed-in account it belongs to). */
function userWithAddress(tenant: ScenarioTenant, address: string): ScenarioUser | undefined {
  return tenant.users.find((u) => same(u.mail, address) || same(u.userPrincipalName, address) || same(u.account, address));
}

/** `john@contoso.com` invited into fabrikam → `john_contoso.com#EXT#@fabrikam.onmicrosoft.com`. */
export function guestUpn(address: string, tenant: ScenarioTenant): string {
  const initial = tenant.domains.find((d) => d.isInitial)?.name ?? tenant.defaultDomain;
  return `${address.replace('@', '_')}#EXT#@${initial}`;
}

function createGuest(tenant: ScenarioTenant, address: string, displayName: string | null, now: Date): ScenarioUser {
  const user: ScenarioUser = {
    id: randomUUID(), displayName: displayName ?? address, givenName: null, surname: null, userPrincipalName: guestUpn(address, tenant),
    mail: address, jobTitle: null, userType: 'Guest', accountEnabled: true, account: null, directoryRoles: [], replicationDelay: 0,
    externalUserState: 'PendingAcceptance', externalUserStateChangeDateTime: now.toISOString(),
  };
  tenant.users.push(user);
  return user;
}

function invite(ctx: Ctx): Reply {
  const { token, tenant, me } = caller(ctx);
  if (!token.scopes.some((s) => INVITE_SCOPES.some((x) => x.toLowerCase() === s.toLowerCase()))) throw denied();
  if (me.userType === 'Guest' || !me.directoryRoles.some((r) => INVITER_ROLES.includes(r))) throw denied();
  const body = bodyObject(ctx);
  const address = body.invitedUserEmailAddress;
  const redirect = body.inviteRedirectUrl;
  if (typeof address !== 'string' || address === '') throw new ApiError(400, 'BadRequest', 'The invitedUserEmailAddress property is required.');
  if (typeof redirect !== 'string' || redirect === '') throw new ApiError(400, 'BadRequest', 'The inviteRedirectUrl property is required.');
  if (!ADDRESS.test(address)) throw new ApiError(400, 'BadRequest', `The invited user email address '${address}' is not valid.`);
  const type = body.invitedUserType ?? 'Guest';
  if (type !== 'Guest' && type !== 'Member') throw new ApiError(400, 'BadRequest', "invitedUserType must be 'Guest' or 'Member'.");
  const displayName = typeof body.invitedUserDisplayName === 'string' && body.invitedUserDisplayName !== '' ? body.invitedUserDisplayName : null;
  const now = ctx.now();
  let user = userWithAddress(tenant, address);
  // [inferred wording] A member of the directory is not invited as a guest of its own directory.
  if (user !== undefined && user.userType === 'Member') throw new ApiError(400, 'BadRequest', `The invited user already exists in the directory as object ID: ${user.id}.`);
  user ??= createGuest(tenant, address, displayName, now);
  const record = invitationFor(ctx.state, tenant, user, address, redirect);
  const redeemed = user.externalUserState === 'Accepted' || user.externalUserState === undefined;
  return {
    status: 201,
    body: {
      '@odata.context': `${ctx.baseUrl}/graph/v1.0/$metadata#invitations/$entity`,
      id: record.id, inviteRedeemUrl: `${ctx.baseUrl}/portal/redeem/${record.ticket}`, invitedUserDisplayName: displayName, invitedUserType: type,
      invitedUserEmailAddress: address, sendInvitationMessage: body.sendInvitationMessage === true, resetRedemption: false, inviteRedirectUrl: redirect,
      status: redeemed ? 'Completed' : 'PendingAcceptance',
      invitedUserMessageInfo: { messageLanguage: null, customizedMessageBody: null, ccRecipients: [{ emailAddress: { name: null, address: null } }] },
      invitedUser: { id: user.id },
    },
  };
}

/** The guest's invitation (a resend keeps the ticket: "an invitation of a user doesn't expire"). */
function invitationFor(state: SandboxState, tenant: ScenarioTenant, user: ScenarioUser, address: string, redirect: string): InvitationRecord {
  const existing = [...state.invitations.values()].find((i) => i.tenantId === tenant.tenantId && i.userId === user.id);
  if (existing !== undefined) return existing;
  const record: InvitationRecord = { id: randomUUID(), ticket: randomUUID().replace(/-/g, ''), tenantId: tenant.tenantId, userId: user.id, address, inviteRedirectUrl: redirect };
  state.invitations.set(record.ticket, record);
  return record;
}

export const invitationRoutes: Route[] = [{ method: 'POST', pattern: /^\/invitations$/i, handle: invite }];

// --- redemption -----------------------------------------------------------------------------------

export interface Redemption {
  readonly status: number;
  /** Plain text for the page (the portal escapes it). */
  readonly title: string;
  readonly message: string;
  readonly ok: boolean;
}

/** The account that answers to an address: its UPN, or the mail of its user in its home directory. */
function accountWithAddress(state: SandboxState, address: string): string | undefined {
  return state.data.accounts.find((a) => same(a.upn, address) || same(state.tenant(a.homeTenantId)?.users.find((u) => same(u.account, a.upn))?.mail ?? null, address))?.upn;
}

/** Opening the redemption URL: the guest becomes Accepted and its account (if the scenario has one) may sign in there. */
export function redeem(state: SandboxState, ticket: string, now: Date): Redemption {
  const record = state.invitations.get(ticket);
  const tenant = record === undefined ? undefined : state.tenant(record.tenantId);
  const user = tenant?.users.find((u) => u.id === record?.userId);
  if (record === undefined || tenant === undefined || user === undefined) {
    return { status: 404, ok: false, title: 'Invitation not found', message: 'This invitation link is not valid (the sandbox was reset, or the guest was deleted). Ask the administrator for a new invitation.' };
  }
  if (user.externalUserState === 'Accepted') {
    return { status: 200, ok: true, title: 'Invitation already accepted', message: `${record.address} already accepted the invitation to ${tenant.displayName}.` };
  }
  const account = accountWithAddress(state, record.address);
  if (account !== undefined && state.userOfAccount(tenant, account) === undefined) user.account = account;
  user.externalUserState = 'Accepted';
  user.externalUserStateChangeDateTime = now.toISOString();
  state.touch(); // the user changed in place (account, state): the indexes must see it
  return {
    status: 200, ok: true, title: 'Invitation accepted',
    message: `${record.address} accepted the invitation to ${tenant.displayName} (${tenant.tenantId}).${account === undefined ? '' : ` ${account} can now sign in to this directory.`}`,
  };
}
