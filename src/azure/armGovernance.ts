/**
 * ARM calls for what a directory change takes beyond role assignments (docs: azure-api-2.md; Microsoft's examples in
 * azure-rest-api-specs, e.g. GetRoleEligibilityScheduleInstancesByScope.json, PutRoleEligibilityScheduleRequest.json,
 * listPolicyAssignments.json, createPolicyAssignmentWithIdentity.json, getVault.json, updateAccessPoliciesAdd.json,
 * GetRegistrationAssignmentsWithManagedByTenantIdEqFilter.json): PIM schedule instances and requests, role-management
 * policies, policy assignments and exemptions, locks, deny assignments, Lighthouse, vault access policies and resource
 * PATCH. Every call goes through `ArmClient` (so through the one HTTP layer).
 */
import { randomUUID } from 'node:crypto';
import type { ArmClient } from './arm';
import { hasProperties, isRecord, type Guard } from './guards';
import type { GenericResource } from './models';

export const GOVERNANCE_API = {
  /** The only stable PIM version (https://learn.microsoft.com/rest/api/authorization/privileged-role-eligibility-rest-sample). */
  pim: '2020-10-01',
  policyAssignments: '2023-04-01',
  /** Exemptions have no stable version. */
  policyExemptions: '2022-07-01-preview',
  locks: '2016-09-01',
  denyAssignments: '2022-04-01',
  lighthouse: '2022-10-01',
  keyVault: '2023-07-01',
} as const;

export type ScheduleKind = 'eligibility' | 'assignment';

export interface ScheduleInstance {
  readonly id: string;
  readonly name: string;
  readonly properties: {
    readonly scope: string;
    readonly roleDefinitionId: string;
    readonly principalId: string;
    readonly principalType?: string;
    readonly startDateTime?: string | null;
    readonly endDateTime?: string | null;
    readonly memberType?: string;
    readonly assignmentType?: string;
    /** Assignment instances: the role assignment they keep. */
    readonly originRoleAssignmentId?: string | null;
    readonly condition?: string | null;
    readonly conditionVersion?: string | null;
  };
}

export interface PolicyAssignment {
  readonly id: string;
  readonly name: string;
  readonly location?: string;
  readonly identity?: { readonly type?: string; readonly principalId?: string; readonly tenantId?: string } | null;
  readonly properties: {
    readonly displayName?: string;
    readonly policyDefinitionId: string;
    readonly scope?: string;
    readonly parameters?: Readonly<Record<string, unknown>>;
    readonly notScopes?: readonly string[];
    readonly enforcementMode?: string;
    readonly metadata?: Readonly<Record<string, unknown>>;
  };
}

export interface PolicyExemption {
  readonly id: string;
  readonly name: string;
  readonly properties: { readonly policyAssignmentId: string; readonly exemptionCategory?: string; readonly displayName?: string };
}

export interface ManagementLock {
  readonly id: string;
  readonly name: string;
  readonly properties: { readonly level: string; readonly notes?: string };
}

export interface DenyAssignment {
  readonly id: string;
  readonly name: string;
  readonly properties: { readonly denyAssignmentName?: string; readonly description?: string; readonly scope?: string; readonly isSystemProtected?: boolean };
}

export interface RegistrationAssignment {
  readonly id: string;
  readonly name: string;
  readonly properties: {
    readonly registrationDefinitionId?: string;
    readonly registrationDefinition?: { readonly properties?: { readonly registrationDefinitionName?: string; readonly managedByTenantId?: string; readonly managedByTenantName?: string; readonly authorizations?: readonly unknown[] } };
  };
}

export interface AccessPolicyEntry {
  readonly tenantId: string;
  readonly objectId: string;
  readonly applicationId?: string | null;
  readonly permissions: Readonly<Record<string, readonly string[]>>;
}

export interface RoleManagementPolicyRule {
  readonly id?: string;
  readonly ruleType?: string;
  readonly isExpirationRequired?: boolean;
  readonly maximumDuration?: string;
  readonly target?: { readonly caller?: string; readonly level?: string };
}

const isInstance: Guard<ScheduleInstance> = hasProperties<ScheduleInstance>('scope', 'roleDefinitionId', 'principalId');
const isPolicyAssignment: Guard<PolicyAssignment> = hasProperties<PolicyAssignment>('policyDefinitionId');
const isExemption: Guard<PolicyExemption> = hasProperties<PolicyExemption>('policyAssignmentId');
const isLock: Guard<ManagementLock> = hasProperties<ManagementLock>('level');
const isDeny: Guard<DenyAssignment> = hasProperties<DenyAssignment>();
const isRegistration: Guard<RegistrationAssignment> = hasProperties<RegistrationAssignment>();
const isResource: Guard<GenericResource> = (v: unknown): v is GenericResource => isRecord(v) && typeof v.id === 'string' && typeof v.type === 'string';
const isAnything: Guard<unknown> = (v: unknown): v is unknown => v !== undefined;
const AUTH = '/providers/Microsoft.Authorization';
const PATHS = { eligibility: ['roleEligibilityScheduleInstances', 'roleEligibilityScheduleRequests'], assignment: ['roleAssignmentScheduleInstances', 'roleAssignmentScheduleRequests'] } as const;

const v = (version: string): Record<string, string> => ({ 'api-version': version });

/** Schedule instances at, above and below `scope` (no filter: `atScope()` would leave out resource groups and resources). */
export function listScheduleInstances(arm: ArmClient, tenantId: string, kind: ScheduleKind, scope: string, signal?: AbortSignal): Promise<ScheduleInstance[]> {
  return arm.listAt(tenantId, `${scope}${AUTH}/${PATHS[kind][0]}`, v(GOVERNANCE_API.pim), isInstance, signal);
}

export interface ScheduleRequest {
  readonly roleDefinitionId: string;
  readonly principalId: string;
  readonly startDateTime: string;
  /** null = NoExpiration. */
  readonly endDateTime: string | null;
  readonly justification: string;
  readonly condition?: string | null;
  readonly conditionVersion?: string | null;
}

/** `PUT …/role{Eligibility|Assignment}ScheduleRequests/{new GUID}` with `AdminAssign` (requests are not idempotent: a new name each time). */
export async function createScheduleRequest(arm: ArmClient, tenantId: string, kind: ScheduleKind, scope: string, request: ScheduleRequest, signal?: AbortSignal): Promise<void> {
  const properties = {
    principalId: request.principalId, roleDefinitionId: request.roleDefinitionId, requestType: 'AdminAssign', justification: request.justification,
    scheduleInfo: { startDateTime: request.startDateTime, expiration: request.endDateTime === null ? { type: 'NoExpiration' } : { type: 'AfterDateTime', endDateTime: request.endDateTime } },
    ...(request.condition ? { condition: request.condition, conditionVersion: request.conditionVersion ?? '2.0' } : {}),
  };
  await arm.sendAt(tenantId, 'PUT', `${scope}${AUTH}/${PATHS[kind][1]}/${randomUUID()}`, v(GOVERNANCE_API.pim), { properties }, isAnything, signal);
}

/** The admin-eligibility expiration rule that applies to a role at `scope` (role-management policy assignments, then the policy). */
export async function eligibilityExpirationRule(arm: ArmClient, tenantId: string, scope: string, roleDefinitionId: string, signal?: AbortSignal): Promise<RoleManagementPolicyRule | undefined> {
  const isPolicyAssignment: Guard<{ readonly properties: { readonly policyId: string } }> = hasProperties('policyId');
  const assignments = await arm.listAt(tenantId, `${scope}${AUTH}/roleManagementPolicyAssignments`, { ...v(GOVERNANCE_API.pim), $filter: `roleDefinitionId eq '${roleDefinitionId.replace(/'/g, "''")}'` }, isPolicyAssignment, signal);
  const policyId = assignments[0]?.properties.policyId;
  if (policyId === undefined) return undefined;
  const isPolicy: Guard<{ readonly properties: { readonly rules?: readonly RoleManagementPolicyRule[] } }> = (x: unknown): x is { readonly properties: { readonly rules?: readonly RoleManagementPolicyRule[] } } => isRecord(x) && isRecord(x.properties);
  const policy = await arm.sendAt(tenantId, 'GET', policyId, v(GOVERNANCE_API.pim), undefined, isPolicy, signal);
  return policy?.properties.rules?.find((r) => r.id === 'Expiration_Admin_Eligibility' || (r.ruleType === 'RoleManagementPolicyExpirationRule' && r.target?.caller === 'Admin' && r.target.level === 'Eligibility'));
}

/** Policy assignments of the subscription and below (no `atScope()`: resource-group assignments go with the move too). */
export function listPolicyAssignments(arm: ArmClient, tenantId: string, subscriptionId: string, signal?: AbortSignal): Promise<PolicyAssignment[]> {
  return arm.listAt(tenantId, `/subscriptions/${subscriptionId}${AUTH}/policyAssignments`, v(GOVERNANCE_API.policyAssignments), isPolicyAssignment, signal);
}

export function getPolicyAssignment(arm: ArmClient, tenantId: string, id: string, signal?: AbortSignal): Promise<PolicyAssignment | undefined> {
  return arm.sendAt(tenantId, 'GET', id, v(GOVERNANCE_API.policyAssignments), undefined, isPolicyAssignment, signal, true);
}

/** `PUT {scope}/providers/Microsoft.Authorization/policyAssignments/{name}` (with a system identity: `location` is required). */
export async function putPolicyAssignment(arm: ArmClient, tenantId: string, id: string, body: Omit<PolicyAssignment, 'id' | 'name'>, signal?: AbortSignal): Promise<PolicyAssignment> {
  const created = await arm.sendAt(tenantId, 'PUT', id, v(GOVERNANCE_API.policyAssignments), body, isPolicyAssignment, signal);
  if (created === undefined) throw new Error('unreachable: PUT is not optional');
  return created;
}

export function listPolicyExemptions(arm: ArmClient, tenantId: string, subscriptionId: string, signal?: AbortSignal): Promise<PolicyExemption[]> {
  return arm.listAt(tenantId, `/subscriptions/${subscriptionId}${AUTH}/policyExemptions`, v(GOVERNANCE_API.policyExemptions), isExemption, signal);
}

export function listLocks(arm: ArmClient, tenantId: string, subscriptionId: string, signal?: AbortSignal): Promise<ManagementLock[]> {
  return arm.listAt(tenantId, `/subscriptions/${subscriptionId}${AUTH}/locks`, v(GOVERNANCE_API.locks), isLock, signal);
}

export function listDenyAssignments(arm: ArmClient, tenantId: string, subscriptionId: string, signal?: AbortSignal): Promise<DenyAssignment[]> {
  return arm.listAt(tenantId, `/subscriptions/${subscriptionId}${AUTH}/denyAssignments`, v(GOVERNANCE_API.denyAssignments), isDeny, signal);
}

export function listRegistrationAssignments(arm: ArmClient, tenantId: string, subscriptionId: string, signal?: AbortSignal): Promise<RegistrationAssignment[]> {
  return arm.listAt(tenantId, `/subscriptions/${subscriptionId}/providers/Microsoft.ManagedServices/registrationAssignments`, { ...v(GOVERNANCE_API.lighthouse), $expandRegistrationDefinition: 'true' }, isRegistration, signal);
}

/** `PATCH` a resource: the body's `identity` and `properties` change, the rest stays. */
export async function patchResource(arm: ArmClient, tenantId: string, id: string, apiVersion: string, body: { readonly identity?: unknown; readonly properties?: unknown }, signal?: AbortSignal): Promise<GenericResource> {
  const updated = await arm.sendAt(tenantId, 'PATCH', id, v(apiVersion), body, isResource, signal);
  if (updated === undefined) throw new Error('unreachable: PATCH is not optional');
  return updated;
}

/** `PUT {vault}/accessPolicies/add`: merges these entries into the vault's access policies. */
export async function addAccessPolicies(arm: ArmClient, tenantId: string, vaultId: string, policies: readonly AccessPolicyEntry[], signal?: AbortSignal): Promise<void> {
  await arm.sendAt(tenantId, 'PUT', `${vaultId}/accessPolicies/add`, v(GOVERNANCE_API.keyVault), { properties: { accessPolicies: policies } }, isAnything, signal);
}
