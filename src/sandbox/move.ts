// Tenant subscription policies (azure-api.md §4) and the preview change-directory flow (§3.2), plus the portal hand-off emulation.
import { API_VERSIONS, authorizationFailed, requireSubscription, subscriptionNotFound, tokenOf, wrongTenant } from './armCommon';
import { IMMOVABLE_QUOTA_PREFIXES, OWNER_ROLE_ID } from './builtins';
import { ApiError, bodyObject, ok, type Ctx, type Params, type Reply, type Route } from './http';
import { type ScenarioSubscription, type ScenarioTenant, type ScenarioUser, type TenantPolicy } from './scenario';
import { derivedGuid, isGuid, parseScope } from './scope';
import { type ChangeTenantRequest, type MoveRecord, type SandboxState } from './state';

// --- policies -----------------------------------------------------------------------------------

/** An unset policy blocks both ways (the default since 2026-05-01). */
const effectivePolicy = (t: ScenarioTenant): TenantPolicy =>
  t.policy ?? { blockSubscriptionsLeavingTenant: true, blockSubscriptionsIntoTenant: true, exemptedPrincipals: [] };

function policyJson(t: ScenarioTenant, admin: boolean): Record<string, unknown> {
  const p = effectivePolicy(t);
  return {
    id: 'providers/Microsoft.Subscription/policies/default', name: 'default', type: 'providers/Microsoft.Subscription/policies',
    properties: {
      policyId: derivedGuid(`policy:${t.tenantId}`), blockSubscriptionsLeavingTenant: p.blockSubscriptionsLeavingTenant,
      blockSubscriptionsIntoTenant: p.blockSubscriptionsIntoTenant, ...(admin ? { exemptedPrincipals: p.exemptedPrincipals } : {}),
    },
  };
}

function tokenTenant(ctx: Ctx): ScenarioTenant {
  const t = ctx.state.tenant(tokenOf(ctx).tenantId);
  if (t === undefined) throw new ApiError(404, 'TenantNotFound', 'The directory of the access token no longer exists in the sandbox.');
  return t;
}

function getPolicy(ctx: Ctx): Reply {
  const t = tokenTenant(ctx);
  return ok(policyJson(t, ctx.state.isGlobalAdmin(t, tokenOf(ctx).oid)));
}

function putPolicy(ctx: Ctx): Reply {
  const t = tokenTenant(ctx);
  if (!ctx.state.isGlobalAdmin(t, tokenOf(ctx).oid)) throw authorizationFailed(ctx, 'Microsoft.Subscription/policies/write', '/providers/Microsoft.Subscription');
  const body = bodyObject(ctx);
  const current = effectivePolicy(t);
  const flag = (key: 'blockSubscriptionsLeavingTenant' | 'blockSubscriptionsIntoTenant'): boolean => {
    const v = body[key];
    if (v === undefined) return current[key];
    if (typeof v !== 'boolean') throw new ApiError(400, 'InvalidRequestContent', `${key} must be a boolean.`);
    return v;
  };
  const exempted = body.exemptedPrincipals ?? current.exemptedPrincipals;
  if (!Array.isArray(exempted) || !exempted.every((x): x is string => typeof x === 'string' && isGuid(x))) {
    throw new ApiError(400, 'InvalidRequestContent', 'exemptedPrincipals must be an array of object ids (GUIDs).');
  }
  t.policy = { blockSubscriptionsLeavingTenant: flag('blockSubscriptionsLeavingTenant'), blockSubscriptionsIntoTenant: flag('blockSubscriptionsIntoTenant'), exemptedPrincipals: exempted.map((x) => x.toLowerCase()) };
  return ok(policyJson(t, true));
}

const LEAVING = "'Subscriptions leaving a Microsoft Entra ID directory' (blockSubscriptionsLeavingTenant)";
const ENTERING = "'Subscriptions entering a Microsoft Entra ID directory' (blockSubscriptionsIntoTenant)";

function policyBlock(t: ScenarioTenant, direction: 'leaving' | 'entering', exemptIds: (string | undefined)[]): ApiError | undefined {
  const p = effectivePolicy(t);
  const blocked = direction === 'leaving' ? p.blockSubscriptionsLeavingTenant : p.blockSubscriptionsIntoTenant;
  if (!blocked || exemptIds.some((id) => id !== undefined && p.exemptedPrincipals.includes(id))) return undefined;
  const why = t.policy === null ? 'is not configured, and since 2026-05-01 an unset policy allows no users' : "is set to 'Allow no users'";
  return new ApiError(403, direction === 'leaving' ? 'TenantPolicyBlocksLeaving' : 'TenantPolicyBlocksEntering',
    `The subscription policy ${direction === 'leaving' ? LEAVING : ENTERING} of directory '${t.displayName}' (${t.tenantId}) ${why}, so subscriptions cannot ${direction === 'leaving' ? 'leave' : 'enter'} it. A Global Administrator of '${t.displayName}' can allow it under Subscriptions > Manage policies, or add you to its exempted users.`);
}

// --- change-directory preconditions ----------------------------------------------------------------

function checkMovable(sub: ScenarioSubscription): void {
  if (IMMOVABLE_QUOTA_PREFIXES.some((p) => sub.quotaId.startsWith(p))) {
    throw new ApiError(400, 'SubscriptionOfferNotSupported', `The subscription '${sub.subscriptionId}' has offer '${sub.quotaId}', which cannot change directory. CSP, Microsoft Internal and Azure for Students Starter subscriptions are not supported: ask the partner, or move the resources to another subscription.`);
  }
  if (sub.state === 'Disabled' || sub.state === 'Deleted') {
    throw new ApiError(409, 'ReadOnlyDisabledSubscription', `The subscription '${sub.subscriptionId}' is disabled and therefore marked as read only. You cannot perform any write actions on this subscription until it is re-enabled.`);
  }
  if (sub.state !== 'Enabled') {
    throw new ApiError(400, 'SubscriptionNotEnabled', `The subscription '${sub.subscriptionId}' is in state '${sub.state}'. Settle outstanding charges and reactivate it before changing its directory.`);
  }
}

/** The directory's user object for an object id, UPN, mail or account UPN. */
function findUser(t: ScenarioTenant, who: string): ScenarioUser | undefined {
  const w = who.toLowerCase();
  return t.users.find((u) => u.id === w || u.userPrincipalName.toLowerCase() === w || u.mail?.toLowerCase() === w || u.account?.toLowerCase() === w);
}

function objectIdOfAccount(state: SandboxState, t: ScenarioTenant, upn: string): string | undefined {
  return state.userOfAccount(t, upn)?.id;
}

function checkPolicies(state: SandboxState, source: ScenarioTenant, target: ScenarioTenant, initiatorUpn: string, acceptorId?: string): void {
  const leaving = policyBlock(source, 'leaving', [objectIdOfAccount(state, source, initiatorUpn)]);
  if (leaving !== undefined) throw leaving;
  const entering = policyBlock(target, 'entering', [objectIdOfAccount(state, target, initiatorUpn), acceptorId]);
  if (entering !== undefined) throw entering;
}

const REQUEST_PATH = (subId: string): string => `/subscriptions/${subId}/providers/Microsoft.Subscription/changeTenantRequest/default`;

function requestJson(r: ChangeTenantRequest): Record<string, unknown> {
  return { id: REQUEST_PATH(r.subscriptionId), name: 'default', type: 'Microsoft.Subscription/changeTenantRequest', properties: { ...r } };
}

function pendingRequest(ctx: Ctx, subId: string): ChangeTenantRequest {
  const r = ctx.state.changeRequests.get(subId.toLowerCase());
  if (r === undefined) throw new ApiError(404, 'ResourceNotFound', `The resource 'Microsoft.Subscription/changeTenantRequest/default' for subscription '${subId}' was not found.`);
  return r;
}

function requireOwner(ctx: Ctx, sub: ScenarioSubscription, action: string): void {
  const t = tokenOf(ctx);
  const scope = parseScope(`/subscriptions/${sub.subscriptionId}`);
  if (scope === undefined || !ctx.state.rolesAt(t.tenantId, t.oid, scope).some((r) => r.id === OWNER_ROLE_ID)) throw authorizationFailed(ctx, action, `/subscriptions/${sub.subscriptionId}`);
}

function putChangeRequest(ctx: Ctx, p: Params): Reply {
  const sub = requireSubscription(ctx, p.sub ?? '');
  requireOwner(ctx, sub, 'Microsoft.Subscription/changeTenantRequest/write');
  checkMovable(sub);
  const props = bodyObject(ctx).properties;
  const o = (typeof props === 'object' && props !== null ? props : {}) as Record<string, unknown>;
  const dest = o.destinationTenantId;
  if (typeof dest !== 'string' || !isGuid(dest)) throw new ApiError(400, 'InvalidRequestContent', 'properties.destinationTenantId (a GUID) is required.');
  const source = tokenTenant(ctx);
  const target = ctx.state.tenant(dest);
  if (target === undefined) throw new ApiError(400, 'InvalidDestinationTenant', `The destination directory '${dest}' was not found.`);
  if (target.tenantId === sub.tenantId) throw new ApiError(400, 'InvalidDestinationTenant', `The subscription '${sub.subscriptionId}' is already in directory '${target.displayName}'.`);
  let destinationOwnerId: string | null = null;
  if (typeof o.destinationOwnerId === 'string' && o.destinationOwnerId !== '') {
    destinationOwnerId = findUser(target, o.destinationOwnerId)?.id ?? null;
    if (destinationOwnerId === null) throw new ApiError(400, 'DestinationOwnerNotFound', `'${o.destinationOwnerId}' is not a user of directory '${target.displayName}' (${target.tenantId}).`);
  }
  const t = tokenOf(ctx);
  checkPolicies(ctx.state, source, target, t.account, destinationOwnerId ?? undefined);
  const now = ctx.now();
  const initiator = source.users.find((u) => u.id === t.oid);
  const request: ChangeTenantRequest = {
    subscriptionId: sub.subscriptionId, sourceTenantId: sub.tenantId, sourceOwnerId: t.oid, sourceOwnerEmail: initiator?.mail ?? t.account,
    destinationTenantId: target.tenantId, destinationOwnerId, status: 'Initiated', createdDate: now.toISOString(),
    expiresOn: new Date(now.getTime() + 24 * 3600 * 1000).toISOString(), acceptedDate: null,
  };
  ctx.state.changeRequests.set(sub.subscriptionId, request);
  return ok(requestJson(request));
}

function getChangeRequest(ctx: Ctx, p: Params): Reply {
  const sub = requireSubscription(ctx, p.sub ?? '');
  return ok(requestJson(pendingRequest(ctx, sub.subscriptionId)));
}

function listChangeRequests(ctx: Ctx, p: Params): Reply {
  const sub = requireSubscription(ctx, p.sub ?? '');
  const r = ctx.state.changeRequests.get(sub.subscriptionId);
  return ok({ value: r === undefined ? [] : [requestJson(r)] });
}

function deleteChangeRequest(ctx: Ctx, p: Params): Reply {
  const sub = requireSubscription(ctx, p.sub ?? '');
  requireOwner(ctx, sub, 'Microsoft.Subscription/changeTenantRequest/delete');
  return ctx.state.changeRequests.delete(sub.subscriptionId) ? { status: 200 } : { status: 204 };
}

function acceptChangeTenant(ctx: Ctx, p: Params): Reply {
  const sub = ctx.state.subscription(p.sub ?? '');
  if (sub === undefined) throw subscriptionNotFound(p.sub ?? '');
  const request = pendingRequest(ctx, sub.subscriptionId);
  const t = tokenOf(ctx);
  if (request.status === 'Completed') throw new ApiError(409, 'ChangeTenantRequestCompleted', `The change directory request for subscription '${sub.subscriptionId}' was already accepted on ${request.acceptedDate ?? ''}.`);
  if (t.tenantId !== request.destinationTenantId) throw wrongTenant(t.tenantId, request.destinationTenantId, 'that the change directory request of this subscription targets');
  const now = ctx.now();
  if (now.getTime() > Date.parse(request.expiresOn)) {
    throw new ApiError(400, 'ChangeTenantRequestExpired', `The change directory request for subscription '${sub.subscriptionId}' expired on ${request.expiresOn}. An Owner must initiate it again.`);
  }
  const target = tokenTenant(ctx);
  if (!ctx.state.isGlobalAdmin(target, t.oid) || (request.destinationOwnerId !== null && request.destinationOwnerId !== t.oid)) {
    throw authorizationFailed(ctx, 'Microsoft.Subscription/acceptChangeTenant/action', `/providers/Microsoft.Subscription/subscriptions/${sub.subscriptionId}`);
  }
  checkMovable(sub);
  const source = ctx.state.tenant(request.sourceTenantId);
  const initiator = source?.users.find((u) => u.id === request.sourceOwnerId);
  if (source !== undefined) checkPolicies(ctx.state, source, target, initiator?.account ?? '', t.oid);
  ctx.state.moveSubscription(sub.subscriptionId, target.tenantId, t.oid, now, 'acceptChangeTenant');
  request.status = 'Completed';
  request.acceptedDate = now.toISOString();
  return { status: 204 };
}

function changeTenantStatus(ctx: Ctx, p: Params): Reply {
  const request = pendingRequest(ctx, p.sub ?? '');
  const t = tokenOf(ctx);
  if (t.tenantId !== request.destinationTenantId && t.tenantId !== request.sourceTenantId) throw wrongTenant(t.tenantId, request.destinationTenantId, 'that the change directory request of this subscription targets');
  return ok({ ...request });
}

/** The portal hand-off (control API): same effects as an accepted request, without the two-party ceremony. */
export function moveDirect(state: SandboxState, subscriptionId: string, tenantId: string, acceptorUpn: string, now: Date): MoveRecord {
  const sub = state.subscription(subscriptionId);
  if (sub === undefined) throw new ApiError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
  const target = state.tenant(tenantId);
  if (target === undefined) throw new ApiError(400, 'InvalidDestinationTenant', `The destination directory '${tenantId}' was not found.`);
  if (target.tenantId === sub.tenantId) throw new ApiError(400, 'InvalidDestinationTenant', `The subscription is already in directory '${target.displayName}'.`);
  const acceptor = findUser(target, acceptorUpn);
  if (acceptor === undefined) throw new ApiError(400, 'DestinationOwnerNotFound', `'${acceptorUpn}' is not a user of directory '${target.displayName}'.`);
  const record = state.moveSubscription(sub.subscriptionId, target.tenantId, acceptor.id, now, 'control');
  const pending = state.changeRequests.get(sub.subscriptionId);
  if (pending !== undefined) Object.assign(pending, { status: 'Completed', acceptedDate: now.toISOString() });
  return record;
}

const SUB_REQ = '^/subscriptions/(?<sub>[^/]+)/providers/Microsoft\\.Subscription/changeTenantRequest';
const TENANT_LEVEL = '^/providers/Microsoft\\.Subscription/subscriptions/(?<sub>[^/]+)';
const ct = API_VERSIONS.changeTenant;
export const moveRoutes: Route[] = [
  { method: 'GET', pattern: /^\/providers\/Microsoft\.Subscription\/policies\/default$/i, versions: API_VERSIONS.policies, handle: getPolicy },
  { method: 'PUT', pattern: /^\/providers\/Microsoft\.Subscription\/policies\/default$/i, versions: API_VERSIONS.policies, handle: putPolicy },
  { method: 'GET', pattern: /^\/providers\/Microsoft\.Subscription\/policies$/i, versions: API_VERSIONS.policies, handle: (ctx) => ok({ value: [getPolicy(ctx).body] }) },
  { method: 'PUT', pattern: new RegExp(`${SUB_REQ}/default$`, 'i'), versions: ct, handle: putChangeRequest },
  { method: 'GET', pattern: new RegExp(`${SUB_REQ}/default$`, 'i'), versions: ct, handle: getChangeRequest },
  { method: 'DELETE', pattern: new RegExp(`${SUB_REQ}/default$`, 'i'), versions: ct, handle: deleteChangeRequest },
  { method: 'GET', pattern: new RegExp(`${SUB_REQ}$`, 'i'), versions: ct, handle: listChangeRequests },
  { method: 'POST', pattern: new RegExp(`${TENANT_LEVEL}/acceptChangeTenant$`, 'i'), versions: ct, handle: acceptChangeTenant },
  { method: 'POST', pattern: new RegExp(`${TENANT_LEVEL}/changeTenantStatus$`, 'i'), versions: ct, handle: changeTenantStatus },
];
