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

const requestNotFound = (subId: string): ApiError =>
  new ApiError(404, 'ResourceNotFound', `The resource 'Microsoft.Subscription/changeTenantRequest/default' for subscription '${subId}' was not found.`);

function pendingRequest(ctx: Ctx, subId: string): ChangeTenantRequest {
  const r = ctx.state.changeRequests.get(subId.toLowerCase());
  if (r === undefined) throw requestNotFound(subId);
  return r;
}

function requireOwner(ctx: Ctx, sub: ScenarioSubscription, action: string): void {
  const t = tokenOf(ctx);
  const scope = parseScope(`/subscriptions/${sub.subscriptionId}`);
  if (scope === undefined || !ctx.state.rolesAt(t.tenantId, t.oid, scope).some((r) => r.id === OWNER_ROLE_ID)) throw authorizationFailed(ctx, action, `/subscriptions/${sub.subscriptionId}`);
}

/** Who acts on a change request: an account's user object in one directory. */
export interface Actor {
  tenantId: string;
  oid: string;
  account: string;
}

/** Initiates (or replaces) the subscription's change request, as an Owner in the source directory (PUT …/changeTenantRequest/default). */
export function initiateRequest(state: SandboxState, sub: ScenarioSubscription, initiator: Actor, dest: unknown, destinationOwner: unknown, now: Date): ChangeTenantRequest {
  checkMovable(sub);
  if (typeof dest !== 'string' || !isGuid(dest)) throw new ApiError(400, 'InvalidRequestContent', 'properties.destinationTenantId (a GUID) is required.');
  const source = state.tenant(initiator.tenantId);
  const target = state.tenant(dest);
  if (target === undefined) throw new ApiError(400, 'InvalidDestinationTenant', `The destination directory '${dest}' was not found.`);
  if (source === undefined) throw new ApiError(404, 'TenantNotFound', 'The directory of the access token no longer exists in the sandbox.');
  if (target.tenantId === sub.tenantId) throw new ApiError(400, 'InvalidDestinationTenant', `The subscription '${sub.subscriptionId}' is already in directory '${target.displayName}'.`);
  let destinationOwnerId: string | null = null;
  if (typeof destinationOwner === 'string' && destinationOwner !== '') {
    destinationOwnerId = findUser(target, destinationOwner)?.id ?? null;
    if (destinationOwnerId === null) throw new ApiError(400, 'DestinationOwnerNotFound', `'${destinationOwner}' is not a user of directory '${target.displayName}' (${target.tenantId}).`);
  }
  checkPolicies(state, source, target, initiator.account, destinationOwnerId ?? undefined);
  const initiatorUser = source.users.find((u) => u.id === initiator.oid);
  const request: ChangeTenantRequest = {
    subscriptionId: sub.subscriptionId, sourceTenantId: sub.tenantId, sourceOwnerId: initiator.oid, sourceOwnerEmail: initiatorUser?.mail ?? initiator.account,
    destinationTenantId: target.tenantId, destinationOwnerId, status: 'Initiated', createdDate: now.toISOString(),
    expiresOn: new Date(now.getTime() + 24 * 3600 * 1000).toISOString(), acceptedDate: null,
  };
  state.changeRequests.set(sub.subscriptionId, request);
  return request;
}

function putChangeRequest(ctx: Ctx, p: Params): Reply {
  const sub = requireSubscription(ctx, p.sub ?? '');
  requireOwner(ctx, sub, 'Microsoft.Subscription/changeTenantRequest/write');
  const props = bodyObject(ctx).properties;
  const o = (typeof props === 'object' && props !== null ? props : {}) as Record<string, unknown>;
  const t = tokenOf(ctx);
  return ok(requestJson(initiateRequest(ctx.state, sub, { tenantId: t.tenantId, oid: t.oid, account: t.account }, o.destinationTenantId, o.destinationOwnerId, ctx.now())));
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

/**
 * Accepts the subscription's pending request as `acceptor` (a user of the destination directory): only a Global
 * Administrator there, and only the named destination owner when the request names one. The acceptor becomes Owner.
 */
export function acceptRequest(state: SandboxState, subscriptionId: string, acceptor: Actor, now: Date): MoveRecord {
  const sub = state.subscription(subscriptionId);
  if (sub === undefined) throw subscriptionNotFound(subscriptionId);
  const request = state.changeRequests.get(sub.subscriptionId);
  if (request === undefined) throw requestNotFound(sub.subscriptionId);
  if (request.status === 'Completed') throw new ApiError(409, 'ChangeTenantRequestCompleted', `The change directory request for subscription '${sub.subscriptionId}' was already accepted on ${request.acceptedDate ?? ''}.`);
  if (acceptor.tenantId !== request.destinationTenantId) throw wrongTenant(acceptor.tenantId, request.destinationTenantId, 'that the change directory request of this subscription targets');
  if (now.getTime() > Date.parse(request.expiresOn)) {
    throw new ApiError(400, 'ChangeTenantRequestExpired', `The change directory request for subscription '${sub.subscriptionId}' expired on ${request.expiresOn}. An Owner must initiate it again.`);
  }
  const target = state.tenant(request.destinationTenantId);
  if (target === undefined) throw new ApiError(404, 'TenantNotFound', 'The destination directory no longer exists in the sandbox.');
  const denied = (why: string): ApiError => new ApiError(403, 'AuthorizationFailed', `The client '${acceptor.account}' with object id '${acceptor.oid}' does not have authorization to perform action 'Microsoft.Subscription/acceptChangeTenant/action' over scope '/providers/Microsoft.Subscription/subscriptions/${sub.subscriptionId}': ${why}`);
  // [inferred] The request names its acceptor ("destinationOwnerId"); Azure's exact wording for a wrong acceptor is not published.
  if (request.destinationOwnerId !== null && request.destinationOwnerId !== acceptor.oid) {
    const named = target.users.find((u) => u.id === request.destinationOwnerId);
    throw denied(`the request names ${named?.userPrincipalName ?? request.destinationOwnerId} (object id ${request.destinationOwnerId}) as the destination owner, and only that user can accept it.`);
  }
  if (!state.isGlobalAdmin(target, acceptor.oid)) throw denied(`only a Global Administrator of directory '${target.displayName}' can accept a change directory request.`);
  checkMovable(sub);
  const source = state.tenant(request.sourceTenantId);
  const initiator = source?.users.find((u) => u.id === request.sourceOwnerId);
  if (source !== undefined) checkPolicies(state, source, target, initiator?.account ?? '', acceptor.oid);
  const move = state.moveSubscription(sub.subscriptionId, target.tenantId, acceptor.oid, now, 'acceptChangeTenant');
  request.status = 'Completed';
  request.acceptedDate = now.toISOString();
  request.destinationOwnerId = acceptor.oid;
  return move;
}

function acceptChangeTenant(ctx: Ctx, p: Params): Reply {
  const t = tokenOf(ctx);
  acceptRequest(ctx.state, p.sub ?? '', { tenantId: t.tenantId, oid: t.oid, account: t.account }, ctx.now());
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
