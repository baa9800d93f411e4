// PIM for Azure resources, api-version 2020-10-01 (azure-api-2.md §1): eligibility and assignment schedules and their
// instances, schedule requests (AdminAssign), role-management policies (the eligibility expiration rule).
import { randomUUID } from 'node:crypto';
import { armList, requireAction, requireScope, tokenOf } from './armCommon';
import { type PimSchedule, type RoleManagementPolicy } from './extras';
import { ApiError, bodyObject, ok, parseEq, queryParam, splitClauses, type Ctx, type Params, type Reply, type Route } from './http';
import { checkPrincipal } from './rbac';
import { isAtOrBelow, isGuid, parseScope, scopeKey, type Scope } from './scope';

export const PIM_API = ['2020-10-01', '2022-04-01-preview', '2024-02-01-preview', '2024-09-01-preview'] as const;

const AUTH = '/providers/Microsoft\\.Authorization';
const KIND_PATHS = {
  eligibility: { schedules: 'roleEligibilitySchedules', instances: 'roleEligibilityScheduleInstances', requests: 'roleEligibilityScheduleRequests' },
  assignment: { schedules: 'roleAssignmentSchedules', instances: 'roleAssignmentScheduleInstances', requests: 'roleAssignmentScheduleRequests' },
} as const;
const TYPE_NAMES = {
  eligibility: { schedules: 'RoleEligibilitySchedules', instances: 'RoleEligibilityScheduleInstances', requests: 'RoleEligibilityScheduleRequests' },
  assignment: { schedules: 'RoleAssignmentSchedules', instances: 'RoleAssignmentScheduleInstances', requests: 'RoleAssignmentScheduleRequests' },
} as const;

const prefix = (scope: string): string => (scope === '/' ? '' : scope);

function roleDefinitionId(scope: string, role: string): string {
  const s = parseScope(scope);
  return `${s?.subscriptionId === undefined ? '' : `/subscriptions/${s.subscriptionId}`}/providers/Microsoft.Authorization/roleDefinitions/${role}`;
}

/** Live: started and not yet ended (by the sandbox clock). */
function live(s: PimSchedule, now: Date, includeFuture: boolean): boolean {
  const t = now.getTime();
  return (includeFuture || Date.parse(s.startDateTime) <= t) && (s.endDateTime === null || Date.parse(s.endDateTime) > t);
}

function scheduleJson(ctx: Ctx, s: PimSchedule, what: 'schedules' | 'instances'): Record<string, unknown> {
  const role = ctx.state.roleDefinition(s.role);
  const kindIds = s.kind === 'eligibility'
    ? { roleEligibilityScheduleId: `${prefix(s.scope)}/providers/Microsoft.Authorization/RoleEligibilitySchedules/${s.name}` }
    : {
        roleAssignmentScheduleId: `${prefix(s.scope)}/providers/Microsoft.Authorization/RoleAssignmentSchedules/${s.name}`,
        originRoleAssignmentId: s.roleAssignmentName === null ? null : `${prefix(s.scope)}/providers/Microsoft.Authorization/roleAssignments/${s.roleAssignmentName}`,
        assignmentType: 'Assigned', linkedRoleEligibilityScheduleId: null, linkedRoleEligibilityScheduleInstanceId: null,
      };
  return {
    properties: {
      scope: s.scope, roleDefinitionId: roleDefinitionId(s.scope, s.role), principalId: s.principalId, principalType: s.principalType, status: 'Provisioned',
      ...(what === 'instances' ? kindIds : {}), startDateTime: s.startDateTime, endDateTime: s.endDateTime, memberType: 'Direct', condition: null, conditionVersion: null,
      createdOn: s.startDateTime,
      expandedProperties: { scope: { id: s.scope, type: parseScope(s.scope)?.kind ?? 'subscription' }, roleDefinition: { id: roleDefinitionId(s.scope, s.role), displayName: role?.roleName ?? s.role, type: role?.type ?? 'BuiltInRole' }, principal: { id: s.principalId, type: s.principalType } },
    },
    name: s.name,
    id: `${prefix(s.scope)}/providers/Microsoft.Authorization/${TYPE_NAMES[s.kind][what]}/${s.name}`,
    type: `Microsoft.Authorization/${TYPE_NAMES[s.kind][what]}`,
  };
}

/** `$filter`: none (at, above and below), `atScope()` (at or above), `principalId eq '…'`, `roleDefinitionId eq '…'`, joined by `and`. */
function scheduleFilter(filter: string | undefined): { atScope: boolean; keep: (s: PimSchedule) => boolean } {
  let atScope = false;
  const tests: ((s: PimSchedule) => boolean)[] = [];
  for (const clause of filter === undefined || filter.trim() === '' ? [] : splitClauses(filter, 'and')) {
    const eq = parseEq(clause);
    const field = eq?.[0].toLowerCase();
    if (/^atScope\(\)$/i.test(clause)) atScope = true;
    else if (eq !== undefined && field === 'principalid') tests.push((s) => s.principalId === eq[1].toLowerCase());
    else if (eq !== undefined && field === 'roledefinitionid') tests.push((s) => s.role === (eq[1].split('/').pop() ?? '').toLowerCase());
    else throw new ApiError(400, 'BadRequest', `The filter '${filter ?? ''}' is not supported. Supported: atScope(), principalId eq '{id}', roleDefinitionId eq '{id}', joined by 'and'.`);
  }
  return { atScope, keep: (s) => tests.every((t) => t(s)) };
}

function listSchedules(kind: PimSchedule['kind'], what: 'schedules' | 'instances') {
  return (ctx: Ctx, p: Params): Reply => {
    const scope = requireScope(ctx, p.scope ?? '');
    requireAction(ctx, scope, `Microsoft.Authorization/${KIND_PATHS[kind][what]}/read`);
    const { atScope, keep } = scheduleFilter(queryParam(ctx, '$filter'));
    const now = ctx.now();
    const items = ctx.state.data.extras.pimSchedules.filter((s) => s.kind === kind && live(s, now, what === 'schedules') && keep(s)
      && (isAtOrBelow(scope.canonical, s.scope) || (!atScope && isAtOrBelow(s.scope, scope.canonical))));
    return armList(ctx, items.map((s) => scheduleJson(ctx, s, what)));
  };
}

const usedRequestNames = new WeakMap<object, Set<string>>();

/** ISO 8601 durations the requests use: P{n}D, PT{n}H, PT{n}M, P{n}Y, or their sums (P1DT12H). */
export function durationMs(iso: string): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/i.exec(iso);
  if (m === null || iso === 'P' || iso === 'PT') return undefined;
  const n = (i: number): number => Number(m[i] ?? 0);
  return (((n(1) * 365 + n(2)) * 24 + n(3)) * 60 + n(4)) * 60_000;
}

function policyFor(ctx: Ctx, scope: Scope, role: string): RoleManagementPolicy | undefined {
  return ctx.state.data.extras.roleManagementPolicies.find((x) => x.role === role && isAtOrBelow(scope.canonical, x.scope));
}

function putRequest(kind: PimSchedule['kind']) {
  return (ctx: Ctx, p: Params): Reply => {
    const scope = requireScope(ctx, p.scope ?? '');
    const name = (p.name ?? '').toLowerCase();
    if (!isGuid(name)) throw new ApiError(400, 'InvalidRoleAssignmentRequestId', `The request ID '${p.name ?? ''}' is not valid: it must be a GUID.`);
    requireAction(ctx, scope, 'Microsoft.Authorization/roleAssignments/write');
    const used = usedRequestNames.get(ctx.state.data.extras) ?? new Set<string>();
    usedRequestNames.set(ctx.state.data.extras, used);
    if (used.has(name)) throw new ApiError(400, 'RoleAssignmentRequestExists', `A role assignment request with Id: ${name} already exists`);
    const props = bodyObject(ctx).properties;
    const o = (typeof props === 'object' && props !== null ? props : {}) as Record<string, unknown>;
    const { roleDefinitionId: rd, principalId: pid, requestType, scheduleInfo } = o;
    if (typeof rd !== 'string' || typeof pid !== 'string' || !isGuid(pid) || typeof requestType !== 'string') {
      throw new ApiError(400, 'InvalidRequestContent', 'properties.roleDefinitionId, properties.principalId (a GUID) and properties.requestType are required.');
    }
    if (requestType !== 'AdminAssign') throw new ApiError(400, 'InvalidRequestType', `The sandbox accepts requestType AdminAssign only, got '${requestType}'.`);
    const role = (rd.split('/').pop() ?? '').toLowerCase();
    if (ctx.state.roleDefinition(role) === undefined) throw new ApiError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${role}' does not exist.`);
    const principalId = pid.toLowerCase();
    const tenantId = ctx.state.tenantOfScope(scope) ?? tokenOf(ctx).tenantId;
    const obj = ctx.state.tenant(tenantId);
    const found = obj === undefined ? undefined : ctx.state.directoryObject(obj, principalId);
    const principalType = found?.kind === 'group' ? 'Group' : found?.kind === 'servicePrincipal' ? 'ServicePrincipal' : 'User';
    checkPrincipal(ctx, tenantId, principalId, principalType);
    const info = (typeof scheduleInfo === 'object' && scheduleInfo !== null ? scheduleInfo : {}) as Record<string, unknown>;
    const expiration = (typeof info.expiration === 'object' && info.expiration !== null ? info.expiration : {}) as Record<string, unknown>;
    const now = ctx.now();
    const start = typeof info.startDateTime === 'string' && !Number.isNaN(Date.parse(info.startDateTime)) ? new Date(info.startDateTime) : now;
    let end: Date | null = null;
    if (expiration.type === 'AfterDateTime') {
      if (typeof expiration.endDateTime !== 'string' || Number.isNaN(Date.parse(expiration.endDateTime))) throw new ApiError(400, 'InvalidRequestContent', 'scheduleInfo.expiration.endDateTime is required with AfterDateTime.');
      end = new Date(expiration.endDateTime);
    } else if (expiration.type === 'AfterDuration') {
      const ms = typeof expiration.duration === 'string' ? durationMs(expiration.duration) : undefined;
      if (ms === undefined) throw new ApiError(400, 'InvalidRequestContent', 'scheduleInfo.expiration.duration (ISO 8601) is required with AfterDuration.');
      end = new Date(start.getTime() + ms);
    } else if (expiration.type !== undefined && expiration.type !== 'NoExpiration') {
      throw new ApiError(400, 'InvalidRequestContent', 'scheduleInfo.expiration.type must be AfterDuration, AfterDateTime or NoExpiration.');
    }
    const policy = kind === 'eligibility' ? policyFor(ctx, scope, role) : undefined;
    const max = policy === undefined ? undefined : durationMs(policy.eligibilityMaximumDuration);
    if (policy?.eligibilityExpirationRequired === true && (end === null || (max !== undefined && end.getTime() - start.getTime() > max))) {
      throw new ApiError(400, 'RoleAssignmentRequestPolicyValidationFailed', 'The following policy rules failed: ["ExpirationRule"]');
    }
    const schedules = ctx.state.data.extras.pimSchedules;
    const same = (s: { scope: string; role: string; principalId: string }): boolean => scopeKey(s.scope) === scopeKey(scope.canonical) && s.role === role && s.principalId === principalId;
    if (schedules.some((s) => s.kind === kind && same(s) && live(s, now, true)) || (kind === 'assignment' && ctx.state.data.roleAssignments.some((a) => same(a)))) {
      throw new ApiError(400, 'RoleAssignmentExists', 'The Role assignment already exists.');
    }
    used.add(name);
    const schedule: PimSchedule = {
      name: randomUUID(), kind, scope: scope.canonical, role, principalId, principalType, startDateTime: start.toISOString(), endDateTime: end?.toISOString() ?? null,
      roleAssignmentName: kind === 'assignment' ? randomUUID() : null,
    };
    schedules.push(schedule);
    if (schedule.roleAssignmentName !== null) {
      ctx.state.data.roleAssignments.push({
        name: schedule.roleAssignmentName, scope: scope.canonical, role, principalId, principalType, description: null, condition: null, conditionVersion: null,
        createdOn: now.toISOString(), createdBy: tokenOf(ctx).oid,
      });
    }
    return ok({
      properties: {
        [kind === 'eligibility' ? 'targetRoleEligibilityScheduleId' : 'targetRoleAssignmentScheduleId']: schedule.name, scope: scope.canonical,
        roleDefinitionId: roleDefinitionId(scope.canonical, role), principalId, principalType, requestType, status: 'Provisioned', approvalId: null,
        scheduleInfo: { startDateTime: schedule.startDateTime, expiration: { type: end === null ? 'NoExpiration' : 'AfterDateTime', endDateTime: schedule.endDateTime, duration: null } },
        justification: typeof o.justification === 'string' ? o.justification : null, requestorId: tokenOf(ctx).oid, createdOn: now.toISOString(),
      },
      name, id: `${prefix(scope.canonical)}/providers/Microsoft.Authorization/${TYPE_NAMES[kind].requests}/${name}`, type: `Microsoft.Authorization/${TYPE_NAMES[kind].requests}`,
    }, 201);
  };
}

// --- role-management policies (azure-api-2.md §1.4: the ExpirationRule) --------------------------------------------

function policyJson(x: RoleManagementPolicy): Record<string, unknown> {
  return {
    id: `${prefix(x.scope)}/providers/Microsoft.Authorization/roleManagementPolicies/${x.name}`, name: x.name, type: 'Microsoft.Authorization/RoleManagementPolicies',
    properties: {
      scope: x.scope, displayName: 'Default', isOrganizationDefault: false,
      rules: [{ isExpirationRequired: x.eligibilityExpirationRequired, maximumDuration: x.eligibilityMaximumDuration, id: 'Expiration_Admin_Eligibility', ruleType: 'RoleManagementPolicyExpirationRule', target: { caller: 'Admin', operations: ['All'], level: 'Eligibility' } }],
    },
  };
}

function listPolicyAssignments(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  requireAction(ctx, scope, 'Microsoft.Authorization/roleManagementPolicyAssignments/read');
  const eq = parseEq(queryParam(ctx, '$filter') ?? '');
  const role = eq?.[0].toLowerCase() === 'roledefinitionid' ? (eq[1].split('/').pop() ?? '').toLowerCase() : undefined;
  const items = ctx.state.data.extras.roleManagementPolicies.filter((x) => isAtOrBelow(scope.canonical, x.scope) && (role === undefined || x.role === role));
  return armList(ctx, items.map((x) => ({
    id: `${prefix(x.scope)}/providers/Microsoft.Authorization/roleManagementPolicyAssignments/${x.name}_${x.role}`, name: `${x.name}_${x.role}`, type: 'Microsoft.Authorization/RoleManagementPolicyAssignment',
    properties: { scope: x.scope, roleDefinitionId: roleDefinitionId(x.scope, x.role), policyId: `${prefix(x.scope)}/providers/Microsoft.Authorization/roleManagementPolicies/${x.name}` },
  })));
}

function getPolicy(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  requireAction(ctx, scope, 'Microsoft.Authorization/roleManagementPolicies/read');
  const x = ctx.state.data.extras.roleManagementPolicies.find((y) => y.name === (p.name ?? '').toLowerCase() && scopeKey(y.scope) === scopeKey(scope.canonical));
  if (x === undefined) throw new ApiError(404, 'RoleManagementPolicyNotFound', `The role management policy '${p.name ?? ''}' was not found.`);
  return ok(policyJson(x));
}

const route = (method: string, tail: string, handle: Route['handle']): Route => ({ method, pattern: new RegExp(`^(?<scope>.*?)${AUTH}/${tail}$`, 'i'), versions: PIM_API, handle });

export const pimRoutes: Route[] = [
  ...(['eligibility', 'assignment'] as const).flatMap((kind) => [
    route('GET', KIND_PATHS[kind].schedules, listSchedules(kind, 'schedules')),
    route('GET', KIND_PATHS[kind].instances, listSchedules(kind, 'instances')),
    route('PUT', `${KIND_PATHS[kind].requests}/(?<name>[^/]+)`, putRequest(kind)),
  ]),
  route('GET', 'roleManagementPolicyAssignments', listPolicyAssignments),
  route('GET', 'roleManagementPolicies/(?<name>[^/]+)', getPolicy),
];
