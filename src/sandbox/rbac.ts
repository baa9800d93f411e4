// Microsoft.Authorization role assignments and role definitions (azure-api.md §5.1–5.4).
import { API_VERSIONS, armList, requireAction, requireScope, tokenOf } from './armCommon';
import { type RolePermission } from './builtins';
import { ApiError, bodyObject, ok, parseEq, queryParam, splitClauses, type Ctx, type Params, type Reply, type Route } from './http';
import { type PrincipalType, type ScenarioCustomRole, type ScenarioRoleAssignment } from './scenario';
import { isAtOrBelow, isGuid, parseScope, type Scope } from './scope';
import { type RoleDefinition } from './state';

const AUTH = '/providers/Microsoft\\.Authorization';
const ASSIGNMENTS = new RegExp(`^(?<scope>.*?)${AUTH}/roleAssignments$`, 'i');
const ASSIGNMENT = new RegExp(`^(?<scope>.*?)${AUTH}/roleAssignments/(?<name>[^/]+)$`, 'i');
const DEFINITIONS = new RegExp(`^(?<scope>.*?)${AUTH}/roleDefinitions$`, 'i');
const DEFINITION = new RegExp(`^(?<scope>.*?)${AUTH}/roleDefinitions/(?<id>[^/]+)$`, 'i');

const prefix = (scope: string): string => (scope === '/' ? '' : scope);

/** `/subscriptions/{sub}/providers/…/roleDefinitions/{id}` below a subscription, unscoped elsewhere. */
function roleDefinitionId(scope: string, roleId: string): string {
  const s = parseScope(scope);
  return `${s?.subscriptionId === undefined ? '' : `/subscriptions/${s.subscriptionId}`}/providers/Microsoft.Authorization/roleDefinitions/${roleId}`;
}

export function assignmentJson(a: ScenarioRoleAssignment): Record<string, unknown> {
  return {
    id: `${prefix(a.scope)}/providers/Microsoft.Authorization/roleAssignments/${a.name}`, type: 'Microsoft.Authorization/roleAssignments', name: a.name,
    properties: {
      roleDefinitionId: roleDefinitionId(a.scope, a.role), principalId: a.principalId, principalType: a.principalType, scope: a.scope,
      condition: a.condition, conditionVersion: a.conditionVersion, description: a.description, createdOn: a.createdOn, updatedOn: a.createdOn,
      createdBy: a.createdBy, updatedBy: a.createdBy, delegatedManagedIdentityResourceId: null,
    },
  };
}

/** `$filter`: none, `atScope()`, `principalId eq '…'`, `assignedTo('…')`, combined with `and`. */
function assignmentFilter(ctx: Ctx, filter: string | undefined): { atScope: boolean; keep: (a: ScenarioRoleAssignment) => boolean } {
  let atScope = false;
  const tests: ((a: ScenarioRoleAssignment) => boolean)[] = [];
  for (const clause of filter === undefined || filter.trim() === '' ? [] : splitClauses(filter, 'and')) {
    const assigned = /^assignedTo\('([^']*)'\)$/i.exec(clause);
    const eq = parseEq(clause);
    if (/^atScope\(\)$/i.test(clause)) atScope = true;
    else if (assigned?.[1] !== undefined) {
      const ids = ctx.state.principalSet(tokenOf(ctx).tenantId, assigned[1]);
      tests.push((a) => ids.has(a.principalId));
    } else if (eq?.[0].toLowerCase() === 'principalid') {
      const id = eq[1].toLowerCase();
      tests.push((a) => a.principalId === id);
    } else {
      throw new ApiError(400, 'UnsupportedQuery', `The filter '${filter ?? ''}' is not supported. Supported: atScope(), principalId eq '{id}', assignedTo('{id}'), combined with 'and'.`);
    }
  }
  return { atScope, keep: (a) => tests.every((t) => t(a)) };
}

function listAssignments(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  requireAction(ctx, scope, 'Microsoft.Authorization/roleAssignments/read');
  const filter = queryParam(ctx, '$filter') ?? '';
  // The whole answer is worked out once per scope, filter and directory (until the next write); each page then costs
  // only its own items.
  const found = ctx.state.cached(`roleAssignments|${tokenOf(ctx).tenantId}|${scope.canonical.toLowerCase()}|${filter}`, () => {
    const { atScope, keep } = assignmentFilter(ctx, filter);
    return (atScope ? ctx.state.assignmentsAbove(scope) : [...ctx.state.assignmentsAbove(scope), ...ctx.state.assignmentsBelow(scope)]).filter(keep);
  });
  return armList(ctx, found, {}, assignmentJson);
}

function findAssignment(ctx: Ctx, scope: Scope, name: string): ScenarioRoleAssignment | undefined {
  return ctx.state.assignmentAt(scope, name);
}

function getAssignment(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  requireAction(ctx, scope, 'Microsoft.Authorization/roleAssignments/read');
  const a = findAssignment(ctx, scope, p.name ?? '');
  if (a === undefined) throw new ApiError(404, 'RoleAssignmentNotFound', `The role assignment '${p.name ?? ''}' is not found.`);
  return ok(assignmentJson(a));
}

function deleteAssignment(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  requireAction(ctx, scope, 'Microsoft.Authorization/roleAssignments/delete');
  const a = findAssignment(ctx, scope, p.name ?? '');
  if (a === undefined) return { status: 204 };
  ctx.state.removeRoleAssignment(a);
  return ok(assignmentJson(a));
}

const PRINCIPAL_TYPES: Record<string, PrincipalType> = { user: 'User', group: 'Group', servicePrincipal: 'ServicePrincipal' };

function putAssignment(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  const name = (p.name ?? '').toLowerCase();
  if (!isGuid(name)) throw new ApiError(400, 'InvalidRoleAssignmentId', `The role assignment ID '${p.name ?? ''}' is not valid. The role assignment ID must be a GUID.`);
  requireAction(ctx, scope, 'Microsoft.Authorization/roleAssignments/write');
  const props = bodyObject(ctx).properties;
  const { roleDefinitionId: rd, principalId: pid, principalType: ptype, description, condition, conditionVersion } = (typeof props === 'object' && props !== null ? props : {}) as Record<string, unknown>;
  if (typeof rd !== 'string' || typeof pid !== 'string' || !isGuid(pid)) {
    throw new ApiError(400, 'InvalidRequestContent', 'The request content was invalid: properties.roleDefinitionId and properties.principalId (a GUID) are required.');
  }
  const roleId = (rd.split('/').pop() ?? '').toLowerCase();
  const tenantId = ctx.state.tenantOfScope(scope) ?? tokenOf(ctx).tenantId;
  const role = ctx.state.roleDefinition(roleId);
  if (role === undefined || !assignableAt(role, scope, tenantId)) throw new ApiError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${roleId}' does not exist.`);
  const principalId = pid.toLowerCase();
  const principalType = typeof ptype === 'string' ? ptype : 'User';
  checkPrincipal(ctx, tenantId, principalId, principalType);

  const existing = findAssignment(ctx, scope, name);
  if (existing !== undefined && (existing.principalId !== principalId || existing.role !== roleId)) {
    throw new ApiError(400, 'RoleAssignmentUpdateNotPermitted', 'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.');
  }
  const duplicate = ctx.state.assignmentsAt(scope).find((a) => a !== existing && a.principalId === principalId && a.role === roleId);
  if (duplicate !== undefined) throw new ApiError(409, 'RoleAssignmentExists', `The role assignment already exists. The ID of the existing role assignment is ${duplicate.name.replace(/-/g, '')}.`);
  const limit = ctx.state.data.limits.roleAssignmentsPerSubscription;
  if (existing === undefined && scope.subscriptionId !== undefined && ctx.state.assignmentsOfSubscription(scope.subscriptionId).length >= limit) {
    throw new ApiError(400, 'RoleAssignmentLimitExceeded', `No more role assignments can be created for subscription '${scope.subscriptionId}': the limit of ${limit} role assignments per subscription is reached. Assign roles to groups to reduce the number.`);
  }
  const t = tokenOf(ctx);
  const now = ctx.now().toISOString();
  const a: ScenarioRoleAssignment = {
    name, scope: scope.canonical, role: roleId, principalId, principalType: principalType as PrincipalType,
    description: typeof description === 'string' ? description : null, condition: typeof condition === 'string' ? condition : null,
    conditionVersion: typeof conditionVersion === 'string' ? conditionVersion : null, createdOn: existing?.createdOn ?? now, createdBy: existing?.createdBy ?? t.oid,
  };
  if (existing !== undefined) {
    Object.assign(existing, a);
    ctx.state.index.touched();
  } else ctx.state.addRoleAssignment(a);
  return ok(assignmentJson(a), existing === undefined ? 201 : 200);
}

/** The principal must exist in the scope's directory (after its replication delay) and have the stated type. */
export function checkPrincipal(ctx: Ctx, tenantId: string, principalId: string, principalType: string): void {
  if (principalType === 'ForeignGroup') return;
  const tenant = ctx.state.tenant(tenantId);
  const obj = tenant === undefined ? undefined : ctx.state.directoryObject(tenant, principalId);
  const attempt = ctx.state.noteWriteAttempt(principalId);
  if (obj === undefined || attempt <= obj.value.replicationDelay) {
    throw new ApiError(400, 'PrincipalNotFound', `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.`);
  }
  const actual = PRINCIPAL_TYPES[obj.kind] ?? 'User';
  if (actual !== principalType) {
    throw new ApiError(400, 'UnmatchedPrincipalType', `The PrincipalId '${principalId.replace(/-/g, '')}' has type '${actual}' , which is different from specified PrincipalType '${principalType}'.`);
  }
}

// --- role definitions ---------------------------------------------------------------------------

function assignableAt(role: RoleDefinition, scope: Scope, tenantId: string): boolean {
  if (role.type === 'BuiltInRole') return true;
  return role.tenantId === tenantId && role.assignableScopes.some((s) => isAtOrBelow(scope.canonical, s));
}

/** Custom roles related to the scope: assignable at it, above it or below it. */
function visibleAt(role: RoleDefinition, scope: Scope, tenantId: string): boolean {
  if (role.type === 'BuiltInRole') return true;
  return role.tenantId === tenantId && role.assignableScopes.some((s) => isAtOrBelow(scope.canonical, s) || isAtOrBelow(s, scope.canonical));
}

function definitionJson(role: RoleDefinition, scope: Scope): Record<string, unknown> {
  return {
    id: roleDefinitionId(scope.canonical, role.id), name: role.id, type: 'Microsoft.Authorization/roleDefinitions',
    properties: {
      roleName: role.roleName, type: role.type, description: role.description, assignableScopes: role.assignableScopes, permissions: role.permissions,
      createdOn: '2015-02-02T21:55:09.8806423Z', updatedOn: '2025-01-15T09:00:00.0000000Z', createdBy: null, updatedBy: null,
    },
  };
}

function roleFilter(filter: string | undefined): (r: RoleDefinition) => boolean {
  if (filter === undefined || filter.trim() === '') return () => true;
  const tests = splitClauses(filter, 'and').map((clause): ((r: RoleDefinition) => boolean) => {
    if (/^atScopeAndBelow\(\)$/i.test(clause)) return () => true;
    const eq = parseEq(clause);
    if (eq?.[0].toLowerCase() === 'rolename') return (r) => r.roleName.toLowerCase() === eq[1].toLowerCase();
    if (eq?.[0].toLowerCase() === 'type') return (r) => r.type.toLowerCase() === eq[1].toLowerCase();
    throw new ApiError(400, 'UnsupportedQuery', `The filter '${filter}' is not supported. Supported: roleName eq '…', type eq 'CustomRole'|'BuiltInRole'.`);
  });
  return (r) => tests.every((t) => t(r));
}

function scopeTenant(ctx: Ctx, scope: Scope): string {
  return ctx.state.tenantOfScope(scope) ?? tokenOf(ctx).tenantId;
}

function listDefinitions(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  const tenantId = scopeTenant(ctx, scope);
  const keep = roleFilter(queryParam(ctx, '$filter'));
  return armList(ctx, ctx.state.roleDefinitions().filter((r) => visibleAt(r, scope, tenantId) && keep(r)).map((r) => definitionJson(r, scope)));
}

const definitionNotFound = (id: string): ApiError => new ApiError(404, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${id}' does not exist.`);

function getDefinition(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  const role = ctx.state.roleDefinition(p.id ?? '');
  if (role === undefined || !visibleAt(role, scope, scopeTenant(ctx, scope))) throw definitionNotFound(p.id ?? '');
  return ok(definitionJson(role, scope));
}

function readPermissions(v: unknown): RolePermission[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const strings = (x: unknown): string[] => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []);
  return v.map((x: unknown) => {
    const o = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
    return { actions: strings(o.actions), notActions: strings(o.notActions), dataActions: strings(o.dataActions), notDataActions: strings(o.notDataActions) };
  });
}

function putDefinition(ctx: Ctx, p: Params): Reply {
  const scope = requireScope(ctx, p.scope ?? '');
  const id = (p.id ?? '').toLowerCase();
  if (!isGuid(id)) throw new ApiError(400, 'InvalidRoleDefinitionId', `The role definition ID '${p.id ?? ''}' is not valid. The role definition ID must be a GUID.`);
  requireAction(ctx, scope, 'Microsoft.Authorization/roleDefinitions/write');
  const existing = ctx.state.roleDefinition(id);
  if (existing?.type === 'BuiltInRole') throw new ApiError(400, 'CannotModifyBuiltInRole', `The role definition '${id}' is a built-in role and cannot be modified.`);
  const props = bodyObject(ctx).properties;
  const o = (typeof props === 'object' && props !== null ? props : {}) as Record<string, unknown>;
  const permissions = readPermissions(o.permissions);
  const scopes = Array.isArray(o.assignableScopes) ? o.assignableScopes.filter((s): s is string => typeof s === 'string') : [];
  if (typeof o.roleName !== 'string' || o.roleName === '' || permissions === undefined || scopes.length === 0) {
    throw new ApiError(400, 'InvalidRoleDefinition', 'properties.roleName, properties.permissions and a non-empty properties.assignableScopes are required.');
  }
  const tenantId = scopeTenant(ctx, scope);
  for (const s of scopes) requireScope(ctx, s);
  const roleName = o.roleName;
  if (ctx.state.data.customRoles.some((r) => r.id !== id && r.tenantId === tenantId && r.roleName.toLowerCase() === roleName.toLowerCase())) {
    throw new ApiError(409, 'RoleDefinitionWithSameNameExists', 'A custom role with the same name already exists in this directory. Use a different name.');
  }
  const role: ScenarioCustomRole = {
    id, tenantId, roleName, description: typeof o.description === 'string' ? o.description : '', permissions,
    assignableScopes: scopes.map((s) => parseScope(s)?.canonical ?? s),
  };
  const replaced = existing !== undefined;
  ctx.state.putCustomRole(role);
  const created = ctx.state.roleDefinition(id);
  if (created === undefined) throw new ApiError(500, 'InternalServerError', 'The role definition was not stored.');
  return ok(definitionJson(created, scope), replaced ? 200 : 201);
}

const v = API_VERSIONS.authorization;
export const rbacRoutes: Route[] = [
  { method: 'GET', pattern: ASSIGNMENTS, versions: v, handle: listAssignments },
  { method: 'GET', pattern: ASSIGNMENT, versions: v, handle: getAssignment },
  { method: 'PUT', pattern: ASSIGNMENT, versions: v, handle: putAssignment },
  { method: 'DELETE', pattern: ASSIGNMENT, versions: v, handle: deleteAssignment },
  { method: 'GET', pattern: DEFINITIONS, versions: v, handle: listDefinitions },
  { method: 'GET', pattern: DEFINITION, versions: v, handle: getDefinition },
  { method: 'PUT', pattern: DEFINITION, versions: v, handle: putDefinition },
];
