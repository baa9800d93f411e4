// A stand-in for the Azure portal's "Change directory" page (azure-api.md §3.2, the one-party portal flow), so that a
// rehearsal in the sandbox can finish the portal hand-off: the wizard opens `<base>/portal/#@<tenant>/resource/
// subscriptions/<id>/overview` exactly as it opens https://portal.azure.com for a real subscription.
//
//   GET  /portal/                                   every subscription; a script follows the `#@…/resource/subscriptions/<id>` fragment
//   GET  /portal/subscriptions/<id>/                the subscription, its directory, and the Change directory form
//   POST /portal/subscriptions/<id>/change          form: tenantId → the move (same effects as POST /_sandbox/move)
//   GET  /portal/redeem/<ticket>                    a B2B invitation's redemption URL (invitations.ts)
//   …/subscriptions/<id>/request, /portal/requests/  the two-party form: send a request, accept it (portalRequests.ts)
// (`/portal` and `/portal/subscriptions/<id>` redirect to their trailing-slash form, which relative links need.)
//
// The page acts as the scenario's default account (the one the editor signs in with); the destinations offered are
// the directories that account belongs to, as in the portal. All links are relative: the page also works behind a
// proxy path (code-server serves loopback ports under /proxy/<port>/).
import { ApiError } from './http';
import { redeem } from './invitations';
import { handleRequests, requestForm, sendRequest } from './portalRequests';
import { type ScenarioSubscription, type ScenarioTenant } from './scenario';
import { type MoveRecord, type SandboxState } from './state';

export interface PortalReply {
  readonly status: number;
  readonly html: string;
  /** A relative redirect target. */
  readonly location?: string;
}

export interface SandboxPortal {
  readonly state: SandboxState;
  moveSubscription(subscriptionId: string, tenantId: string, acceptorUpn: string): MoveRecord;
  now(): Date;
}

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const STYLE = `body{font:14px/1.5 "Segoe UI",system-ui,sans-serif;margin:0;color:#201f1e;background:#faf9f8}
header{background:#0f6cbd;color:#fff;padding:10px 24px;font-weight:600}header small{font-weight:400;opacity:.85;margin-left:8px}
main{max-width:760px;margin:24px auto;padding:0 24px}section{background:#fff;border:1px solid #e1dfdd;border-radius:4px;padding:16px 20px;margin-bottom:16px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dt{color:#605e5c}dd{margin:0}
label{display:block;margin:12px 0 4px;font-weight:600}select,button{font:inherit;padding:4px 8px}
button{background:#0f6cbd;color:#fff;border:0;border-radius:2px;padding:6px 16px;margin-top:12px;cursor:pointer}
.warn{background:#fff4ce;border-color:#f2d88c}.ok{background:#dff6dd;border-color:#9fd89f}.err{background:#fde7e9;border-color:#eeacb2}
code{font-size:12px}ul{padding-left:20px}`;

function page(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escape(title)} — Azure Sandbox portal</title><style>${STYLE}</style></head>
<body><header>Microsoft Azure <small>Azure Sandbox — an emulated portal for rehearsals; nothing here touches real Azure</small></header>
<main>${body}</main>${script}</body></html>`;
}

function tenantName(state: SandboxState, tenantId: string): string {
  const t = state.tenant(tenantId);
  return t ? `${t.displayName} (${t.defaultDomain})` : tenantId;
}

function overview(state: SandboxState): PortalReply {
  const rows = state.data.subscriptions
    .map((s) => `<li><a href="subscriptions/${encodeURIComponent(s.subscriptionId)}/">${escape(s.displayName)}</a> — ${escape(tenantName(state, s.tenantId))}</li>`)
    .join('');
  // The wizard links to `#@<tenant>/resource/subscriptions/<id>/overview`: a fragment never reaches the server.
  const follow = `<script>(function(){var m=/\\/resource\\/subscriptions\\/([0-9a-fA-F-]{36})/.exec(location.hash);if(m)location.replace('subscriptions/'+m[1]+'/');})();</script>`;
  return { status: 200, html: page('Subscriptions', `<h1>Subscriptions</h1><section><ul>${rows}</ul></section>`, follow) };
}

function subscriptionPage(state: SandboxState, sub: ScenarioSubscription, banner = ''): PortalReply {
  const upn = state.data.defaultAccount;
  const destinations = state.tenantsOfAccount(upn).filter((t) => t.tenantId !== sub.tenantId);
  const options = destinations.map((t: ScenarioTenant) => `<option value="${escape(t.tenantId)}">${escape(`${t.displayName} (${t.defaultDomain})`)}</option>`).join('');
  const form = destinations.length === 0
    ? `<p>${escape(upn)} belongs to no other directory. Accept a guest invitation to the destination directory first.</p>`
    : `<form method="post" action="change">
<label for="tenantId">Destination directory</label><select id="tenantId" name="tenantId">${options}</select>
<p>Role assignments and custom roles of this subscription are permanently deleted; only you keep access, as Owner.</p>
<button type="submit">Change</button></form>`;
  return {
    status: banner.includes('class="err"') ? 400 : 200,
    html: page(sub.displayName, `${banner}<h1>${escape(sub.displayName)}</h1>
<section><dl><dt>Subscription ID</dt><dd><code>${escape(sub.subscriptionId)}</code></dd>
<dt>Directory</dt><dd>${escape(tenantName(state, sub.tenantId))}</dd><dt>Status</dt><dd>${escape(sub.state)}</dd>
<dt>Signed in as</dt><dd>${escape(upn)}</dd></dl></section>
<section><h2>Change directory</h2>${form}${requestForm(state, sub, escape)}</section>
<p><a href="../../">All subscriptions</a> · <a href="../../requests/">Change directory requests</a></p>`),
  };
}

/** Serves `/portal/…`. `rest` is the path after `/portal`; `body` the raw request body. */
export function handlePortal(sandbox: SandboxPortal, method: string, rest: string, body: string): PortalReply {
  const state = sandbox.state;
  if (rest === '') return { status: 301, html: '', location: 'portal/' };
  if (method === 'GET' && rest === '/') return overview(state);
  if (method === 'GET' && rest.startsWith('/redeem/')) {
    const r = redeem(state, decodeURIComponent(rest.slice('/redeem/'.length)), sandbox.now());
    return { status: r.status, html: page(r.title, `<section class="${r.ok ? 'ok' : 'err'}" role="status"><h1>${escape(r.title)}</h1><p>${escape(r.message)}</p></section>`) };
  }
  if (rest === '/requests') return { status: 301, html: '', location: 'requests/' };
  if (rest.startsWith('/requests/')) {
    const r = handleRequests(state, method, rest.slice('/requests'.length), body, sandbox.now(), escape);
    return { status: r.status, html: page(r.title, r.body) };
  }
  const m = /^\/subscriptions\/([^/]+)(\/|\/change|\/request)?$/.exec(rest);
  const sub = m ? state.subscription(decodeURIComponent(m[1] ?? '')) : undefined;
  if (!m || !sub) return { status: 404, html: page('Not found', `<section class="err">No such page or subscription: <code>${escape(rest)}</code>.</section>`) };
  if (m[2] === undefined) return { status: 301, html: '', location: `${encodeURIComponent(sub.subscriptionId)}/` };
  if (m[2] === '/' && method === 'GET') return subscriptionPage(state, sub);
  if (m[2] === '/' || method !== 'POST') return { status: 405, html: page('Method not allowed', '<section class="err">Method not allowed.</section>') };
  if (m[2] === '/request') {
    const banner = sendRequest(state, sub, new URLSearchParams(body), sandbox.now(), escape);
    return subscriptionPage(state, sub, banner);
  }
  const tenantId = new URLSearchParams(body).get('tenantId') ?? '';
  try {
    const move = sandbox.moveSubscription(sub.subscriptionId, tenantId, state.data.defaultAccount);
    const done = `<section class="ok" role="status">Directory changed: ${escape(sub.displayName)} is now in ${escape(tenantName(state, move.toTenantId))}. ${move.deletedRoleAssignments.length} role assignments and ${move.deletedCustomRoles.length} custom roles were deleted. It can take a while for the change to show everywhere.</section>`;
    return subscriptionPage(state, sub, done);
  } catch (e) {
    const why = e instanceof ApiError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
    return subscriptionPage(state, sub, `<section class="err" role="alert">The directory could not be changed. ${escape(why)}</section>`);
  }
}
