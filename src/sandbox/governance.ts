// Azure Policy assignments and exemptions (azure-api-2.md §2), management locks, deny assignments and Lighthouse
// registration assignments (§8): what a directory change deletes or leaves behind, and what blocks a repair.
import { randomUUID } from 'node:crypto';
import { armList, requireAction, requireScope, tokenOf } from './armCommon';
import { type ManagementLock, type PolicyAssignment, type PolicyExemption } from './extras';
import { ApiError, bodyObject, ok, queryParam, type Ctx, type Params, type Reply, type Route } from './http';
import { isAtOrBelow, parseScope, scopeKey, type Scope } from './scope';
import { type SandboxState } from './state';

const prefix = (scope: string): string => (scope === '/' ? '' : scope);
const AUTH = '/providers/Microsoft\\.Authorization';

export const GOVERNANCE_API = {
  policyAssignments: ['2022-06-01', '2023-04-01', '2024-04-01', '2024-05-01', '2025-01-01', '2025-03-01'],
  policyExemptions: ['2020-07-01-preview', '2022-07-01-preview', '2024-12-01-preview'],
  locks: ['2016-09-01', '2020-05-01'],
  denyAssignments: ['2018-07-01-preview', '2022-04-01'],
  registrationAssignments: ['2019-09-01', '2022-10-01'],
} as const;

/** At, above (no filter and `atScope()`) and below (no filter only) the scope: the list semantics of §2.1. */
function inView(itemScope: string, scope: Scope, atScopeOnly: boolean): boolean {
  return isAtOrBelow(scope.canonical, itemScope) || (!atScopeOnly && isAtOrBelow(itemScope, scope.canonical));
}

const atScopeFilter = (ctx: Ctx): boolean => /^\s*atScope\(\)\s*$/i.test(queryParam(ctx, '$filter') ?? '');

// --- policy assignments -------------------------------------------------------------------------------------------

export function policyAssignmentJson(a: PolicyAssignment): Record<string, unknown> {
  return {
    id: `${prefix(a.scope)}/providers/Microsoft.Authorization/policyAssignments/${a.name}`, type: 'Microsoft.Authorization/policyAssignments', name: a.name,
    ...(a.location === null ? {} : { location: a.location }), ...(a.identity === null ? {} : { identity: { ...a.identity } }),
    properties: {
      displayName: a.displayName, policyDefinitionId: a.policyDefinitionId, parameters: a.parameters, scope: a.scope, notScopes: a.notScopes,
      enforcementMode: a.enforcementMode, metadata: {},
    },
  };
}

function listPolicyAssignments(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  requireAction(ctx, scope, 'Microsoft.Authorization/policyAssignments/read');
  const only = atScopeFilter(ctx);
  return armList(ctx, ctx.state.data.extras.policyAssignments.filter((a) => inView(a.scope, scope, only)).map(policyAssignmentJson));
}

function findPolicyAssignment(ctx: Ctx, scope: Scope, name: string): PolicyAssignment | undefined {
  return ctx.state.data.extras.policyAssignments.find((a) => a.name.toLowerCase() === name.toLowerCase() && scopeKey(a.scope) === scopeKey(scope.canonical));
}

function getPolicyAssignment(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  requireAction(ctx, scope, 'Microsoft.Authorization/policyAssignments/read');
  const a = findPolicyAssignment(ctx, scope, p.name ?? '');
  if (a === undefined) throw new ApiError(404, 'PolicyAssignmentNotFound', `The policy assignment '${p.name ?? ''}' is not found.`);
  return ok(policyAssignmentJson(a));
}

/** A new managed identity's service principal in `tenantId` (what enabling a system-assigned identity does). */
export function newManagedIdentity(state: SandboxState, tenantId: string, displayName: string, resourceId: string): string {
  const id = randomUUID();
  state.tenant(tenantId)?.servicePrincipals.push({ id, displayName, appId: randomUUID(), servicePrincipalType: 'ManagedIdentity', alternativeNames: ['isExplicit=False', resourceId], replicationDelay: 0 });
  return id;
}

function putPolicyAssignment(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  requireAction(ctx, scope, 'Microsoft.Authorization/policyAssignments/write');
  const body = bodyObject(ctx);
  const props = (typeof body.properties === 'object' && body.properties !== null ? body.properties : {}) as Record<string, unknown>;
  const identity = (typeof body.identity === 'object' && body.identity !== null ? body.identity : {}) as Record<string, unknown>;
  const definition = props.policyDefinitionId;
  if (typeof definition !== 'string' || definition === '') throw new ApiError(400, 'InvalidRequestContent', 'properties.policyDefinitionId is required.');
  if (!/^\/providers\/Microsoft\.Authorization\/policy(Set)?Definitions\/[^/]+$/i.test(definition)) {
    throw new ApiError(404, 'PolicyDefinitionNotFound', `The policy definition '${definition}' could not be found.`);
  }
  const system = identity.type === 'SystemAssigned';
  const location = typeof body.location === 'string' ? body.location : null;
  if (system && location === null) throw new ApiError(400, 'LocationRequired', 'The location property is required for a policy assignment with a managed identity.');
  const name = p.name ?? '';
  const existing = findPolicyAssignment(ctx, scope, name);
  const tenantId = ctx.state.tenantOfScope(scope) ?? tokenOf(ctx).tenantId;
  const keep = existing?.identity !== null && existing?.identity !== undefined && system ? existing.identity : null;
  const a: PolicyAssignment = {
    name, scope: scope.canonical, location, displayName: typeof props.displayName === 'string' ? props.displayName : name, policyDefinitionId: definition,
    parameters: (typeof props.parameters === 'object' && props.parameters !== null ? props.parameters : {}) as Record<string, unknown>,
    enforcementMode: props.enforcementMode === 'DoNotEnforce' ? 'DoNotEnforce' : 'Default',
    notScopes: Array.isArray(props.notScopes) ? props.notScopes.filter((x): x is string => typeof x === 'string') : [],
    identity: keep ?? (system ? { type: 'SystemAssigned', principalId: newManagedIdentity(ctx.state, tenantId, name, `${prefix(scope.canonical)}/providers/Microsoft.Authorization/policyAssignments/${name}`), tenantId } : null),
  };
  const list = ctx.state.data.extras.policyAssignments;
  if (existing === undefined) list.push(a);
  else list[list.indexOf(existing)] = a;
  return ok(policyAssignmentJson(a), existing === undefined ? 201 : 200);
}

function listPolicyExemptions(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  requireAction(ctx, scope, 'Microsoft.Authorization/policyExemptions/read');
  const only = atScopeFilter(ctx);
  return armList(ctx, ctx.state.data.extras.policyExemptions.filter((x) => inView(x.scope, scope, only)).map(policyExemptionJson));
}

export function policyExemptionJson(x: PolicyExemption): Record<string, unknown> {
  return {
    id: `${prefix(x.scope)}/providers/Microsoft.Authorization/policyExemptions/${x.name}`, type: 'Microsoft.Authorization/policyExemptions', name: x.name,
    properties: { policyAssignmentId: x.policyAssignmentId, policyDefinitionReferenceIds: [], exemptionCategory: x.exemptionCategory, displayName: x.displayName },
    systemData: { createdBy: 'sandbox', createdByType: 'User', createdAt: '2026-01-01T00:00:00Z' },
  };
}

// --- locks ----------------------------------------------------------------------------------------------------------

const lockJson = (l: ManagementLock): Record<string, unknown> => ({
  id: `${prefix(l.scope)}/providers/Microsoft.Authorization/locks/${l.name}`, type: 'Microsoft.Authorization/locks', name: l.name, properties: { level: l.level, notes: l.notes, owners: [] },
});

function listLocks(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  requireAction(ctx, scope, 'Microsoft.Authorization/locks/read');
  return armList(ctx, ctx.state.data.extras.locks.filter((l) => inView(l.scope, scope, false)).map(lockJson));
}

function deleteLock(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  requireAction(ctx, scope, 'Microsoft.Authorization/locks/delete');
  const locks = ctx.state.data.extras.locks;
  const found = locks.find((l) => l.name.toLowerCase() === (p.name ?? '').toLowerCase() && scopeKey(l.scope) === scopeKey(scope.canonical));
  if (found === undefined) return { status: 204 };
  locks.splice(locks.indexOf(found), 1);
  return { status: 200 };
}

/** 409 ScopeLocked when a ReadOnly lock sits at or above the resource (Azure's words). */
export function requireWritable(ctx: Ctx, resourceId: string): void {
  const locked = ctx.state.data.extras.locks.filter((l) => l.level === 'ReadOnly' && isAtOrBelow(resourceId, l.scope));
  if (locked.length > 0) {
    throw new ApiError(409, 'ScopeLocked', `The scope '${resourceId}' cannot perform write operation because following scope(s) are locked: '${locked.map((l) => `${prefix(l.scope)}/providers/Microsoft.Authorization/locks/${l.name}`).join("','")}'. Please remove the lock and try again.`);
  }
}

// --- deny assignments and Lighthouse --------------------------------------------------------------------------------

function listDenyAssignments(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  requireAction(ctx, scope, 'Microsoft.Authorization/denyAssignments/read');
  return armList(ctx, ctx.state.data.extras.denyAssignments.filter((d) => inView(d.scope, scope, false)).map((d) => ({
    id: `${prefix(d.scope)}/providers/Microsoft.Authorization/denyAssignments/${d.name}`, type: 'Microsoft.Authorization/denyAssignments', name: d.name,
    properties: {
      denyAssignmentName: d.denyAssignmentName, description: d.description, scope: d.scope, doNotApplyToChildScopes: false, isSystemProtected: true,
      permissions: [{ actions: d.actions, notActions: [], dataActions: [], notDataActions: [] }],
      principals: d.principalIds.map((id) => ({ id, type: id === '00000000-0000-0000-0000-000000000000' ? 'SystemDefined' : 'User' })),
      excludePrincipals: d.excludePrincipalIds.map((id) => ({ id, type: 'ServicePrincipal' })),
    },
  })));
}

function listRegistrationAssignments(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  requireAction(ctx, scope, 'Microsoft.ManagedServices/registrationAssignments/read');
  const expand = (queryParam(ctx, '$expandRegistrationDefinition') ?? '').toLowerCase() === 'true';
  const sub = parseScope(scope.canonical)?.subscriptionId ?? '';
  return armList(ctx, ctx.state.data.extras.registrationAssignments.filter((r) => inView(r.scope, scope, false)).map((r) => {
    const definitionId = `/subscriptions/${sub}/providers/Microsoft.ManagedServices/registrationDefinitions/${r.name}`;
    return {
      id: `${prefix(r.scope)}/providers/Microsoft.ManagedServices/registrationAssignments/${r.name}`, type: 'Microsoft.ManagedServices/registrationAssignments', name: r.name,
      properties: {
        registrationDefinitionId: definitionId, provisioningState: 'Succeeded',
        ...(expand ? { registrationDefinition: { properties: { registrationDefinitionName: r.registrationDefinitionName, authorizations: r.authorizations, manageeTenantId: ctx.state.tenantOfScope(scope) ?? '', managedByTenantId: r.managedByTenantId, managedByTenantName: r.managedByTenantName }, type: 'Microsoft.ManagedServices/registrationDefinitions' } } : {}),
      },
    };
  }));
}

const route = (method: string, tail: string, versions: readonly string[], handle: Route['handle'], ns = AUTH): Route => ({ method, pattern: new RegExp(`^(?<scope>.*?)${ns}/${tail}$`, 'i'), versions, handle });

export const governanceRoutes: Route[] = [
  route('GET', 'policyAssignments', GOVERNANCE_API.policyAssignments, listPolicyAssignments),
  route('GET', 'policyAssignments/(?<name>[^/]+)', GOVERNANCE_API.policyAssignments, getPolicyAssignment),
  route('PUT', 'policyAssignments/(?<name>[^/]+)', GOVERNANCE_API.policyAssignments, putPolicyAssignment),
  route('GET', 'policyExemptions', GOVERNANCE_API.policyExemptions, listPolicyExemptions),
  route('GET', 'locks', GOVERNANCE_API.locks, listLocks),
  route('DELETE', 'locks/(?<name>[^/]+)', GOVERNANCE_API.locks, deleteLock),
  route('GET', 'denyAssignments', GOVERNANCE_API.denyAssignments, listDenyAssignments),
  route('GET', 'registrationAssignments', GOVERNANCE_API.registrationAssignments, listRegistrationAssignments, '/providers/Microsoft\\.ManagedServices'),
];
