// The portal's two-party Change directory form (azure-api.md §3.1, "new two-party form"): the initiator sends a
// request naming the recipient, the confirmation gives a link to share, and another account opens it and accepts.
//
//   POST /portal/subscriptions/<id>/request   form: initiator, tenantId, recipient → the request (as PUT …/changeTenantRequest/default)
//   GET  /portal/requests/                    every change request: status, who must accept, expiry; an Accept form per pending one
//   POST /portal/requests/<id>/accept         form: account → accepted as that account (as POST …/acceptChangeTenant)
//
// The initiator and the acceptor are picked from the scenario's accounts (each "signed in" in its own browser), with
// the same checks as the API: an Owner initiates, the named recipient or (when none is named) a Global Administrator
// of the destination accepts, and a request expires 24 h after it was sent.
import { ApiError } from './http';
import { acceptRequest, initiateRequest, type Actor } from './move';
import { OWNER_ROLE_ID } from './builtins';
import { parseScope } from './scope';
import { type ScenarioSubscription } from './scenario';
import { type ChangeTenantRequest, type SandboxState } from './state';

export interface PortalPage {
  readonly status: number;
  readonly title: string;
  /** HTML built with `escape`. */
  readonly body: string;
}

export type Escape = (s: string) => string;

/** An account's user object in a directory, as an actor. */
function actor(state: SandboxState, tenantId: string, upn: string): Actor | undefined {
  const t = state.tenant(tenantId);
  const u = t === undefined ? undefined : state.userOfAccount(t, upn);
  return u === undefined ? undefined : { tenantId, oid: u.id, account: upn };
}

const why = (e: unknown): string => (e instanceof ApiError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));

/** The account as an Owner of the subscription in its directory (who may send a request), or undefined. */
function owner(state: SandboxState, sub: ScenarioSubscription, upn: string): Actor | undefined {
  const who = actor(state, sub.tenantId, upn);
  const scope = parseScope(`/subscriptions/${sub.subscriptionId}`);
  return who !== undefined && scope !== undefined && state.rolesAt(sub.tenantId, who.oid, scope).some((r) => r.id === OWNER_ROLE_ID) ? who : undefined;
}

/** The "send a request" form under a subscription's Change directory section. */
export function requestForm(state: SandboxState, sub: ScenarioSubscription, escape: Escape): string {
  const owners = state.data.accounts.filter((a) => owner(state, sub, a.upn) !== undefined);
  const targets = state.data.tenants.filter((t) => t.tenantId !== sub.tenantId);
  if (owners.length === 0 || targets.length === 0) return '';
  const option = (value: string, label: string): string => `<option value="${escape(value)}">${escape(label)}</option>`;
  return `<h3>Or send a request to someone else (two-party)</h3><form method="post" action="request">
<label for="initiator">Signed in as (an Owner)</label><select id="initiator" name="initiator">${owners.map((a) => option(a.upn, a.upn)).join('')}</select>
<label for="reqTenant">Destination directory (tenant ID)</label><select id="reqTenant" name="tenantId">${targets.map((t) => option(t.tenantId, `${t.displayName} (${t.tenantId})`)).join('')}</select>
<label for="recipient">Recipient's email (an administrator of the destination)</label><input id="recipient" name="recipient" type="email">
<button type="submit">Send request</button></form>`;
}

/** POST …/subscriptions/<id>/request */
export function sendRequest(state: SandboxState, sub: ScenarioSubscription, form: URLSearchParams, now: Date, escape: Escape): string {
  const upn = form.get('initiator') ?? state.data.defaultAccount;
  try {
    const initiator = owner(state, sub, upn);
    if (initiator === undefined) throw new ApiError(403, 'AuthorizationFailed', `${upn} is not an Owner of the subscription in its directory, so it cannot send a change directory request.`);
    const r = initiateRequest(state, sub, initiator, form.get('tenantId') ?? '', form.get('recipient') ?? '', now);
    return `<section class="ok" role="status">Request sent by ${escape(upn)}: ${escape(sub.displayName)} to ${escape(state.tenant(r.destinationTenantId)?.displayName ?? r.destinationTenantId)}, expires ${escape(r.expiresOn)}. Share this link with the acceptor: <a href="../../requests/">change requests</a>.</section>`;
  } catch (e) {
    return `<section class="err" role="alert">The request could not be sent. ${escape(why(e))}</section>`;
  }
}

function requestRow(state: SandboxState, r: ChangeTenantRequest, now: Date, escape: Escape): string {
  const sub = state.subscription(r.subscriptionId);
  const target = state.tenant(r.destinationTenantId);
  const named = target?.users.find((u) => u.id === r.destinationOwnerId);
  const expired = r.status !== 'Completed' && now.getTime() > Date.parse(r.expiresOn);
  const status = r.status === 'Completed' ? `Accepted ${r.acceptedDate ?? ''}` : expired ? `Expired ${r.expiresOn}` : `Waiting for acceptance, expires ${r.expiresOn}`;
  const acceptors = state.data.accounts.filter((a) => target !== undefined && state.userOfAccount(target, a.upn) !== undefined);
  const form = r.status === 'Completed' || expired || acceptors.length === 0 ? '' : `<form method="post" action="${escape(encodeURIComponent(r.subscriptionId))}/accept">
<label>Signed in as <select name="account">${acceptors.map((a) => `<option value="${escape(a.upn)}">${escape(a.upn)}</option>`).join('')}</select></label><button type="submit">Accept</button></form>`;
  return `<section><h2>${escape(sub?.displayName ?? r.subscriptionId)}</h2><dl>
<dt>From</dt><dd>${escape(r.sourceOwnerEmail ?? r.sourceOwnerId)}</dd><dt>To directory</dt><dd>${escape(target?.displayName ?? r.destinationTenantId)}</dd>
<dt>Must accept</dt><dd>${escape(named?.userPrincipalName ?? `a Global Administrator of ${target?.displayName ?? r.destinationTenantId}`)}</dd>
<dt>Status</dt><dd>${escape(status)}</dd></dl>${form}</section>`;
}

/** `/portal/requests/…`; `rest` is the path after `/portal/requests`. */
export function handleRequests(state: SandboxState, method: string, rest: string, body: string, now: Date, escape: Escape): PortalPage {
  const list = (banner = '', status = 200): PortalPage => {
    const rows = [...state.changeRequests.values()].map((r) => requestRow(state, r, now, escape)).join('');
    return { status, title: 'Change directory requests', body: `${banner}<h1>Change directory requests</h1>${rows || '<section>No requests.</section>'}<p><a href="../">All subscriptions</a></p>` };
  };
  if (method === 'GET' && rest === '/') return list();
  const m = /^\/([^/]+)\/accept$/.exec(rest);
  if (method !== 'POST' || m?.[1] === undefined) return { status: 404, title: 'Not found', body: '<section class="err">No such page.</section>' };
  const subId = decodeURIComponent(m[1]);
  const upn = new URLSearchParams(body).get('account') ?? '';
  const request = state.changeRequests.get(subId.toLowerCase());
  const acceptor = request === undefined ? undefined : actor(state, request.destinationTenantId, upn);
  try {
    if (acceptor === undefined) throw new ApiError(403, 'AuthorizationFailed', `${upn} is not a user of the destination directory.`);
    const move = acceptRequest(state, subId, acceptor, now);
    return { status: 200, title: 'Request accepted', body: `<section class="ok" role="status">Accepted by ${escape(upn)}: the subscription is now in ${escape(state.tenant(move.toTenantId)?.displayName ?? move.toTenantId)}; ${move.deletedRoleAssignments.length} role assignments and ${move.deletedCustomRoles.length} custom roles were deleted, and ${escape(upn)} is its Owner.</section><p><a href="../">All requests</a></p>` };
  } catch (e) {
    return { ...list(`<section class="err" role="alert">The request could not be accepted. ${escape(why(e))}</section>`), status: 400 };
  }
}
