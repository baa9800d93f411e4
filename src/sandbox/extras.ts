// The scenario's governance section (azure-api-2.md §1–4, §8): PIM schedules and role-management policies, Azure
// Policy assignments and exemptions, management locks, deny assignments and Lighthouse registration assignments.
// Key Vaults and managed identities are ordinary resources (`resources[]`). Parsed from untrusted JSON like the rest.
import { isGuid, parseScope } from './scope';

type Raw = Record<string, unknown>;

export interface PimSchedule {
  /** The schedule's name (a GUID); the instance has the same name. */
  name: string;
  /** `eligibility`: roleEligibilitySchedules; `assignment`: roleAssignmentSchedules (active, backed by a role assignment). */
  kind: 'eligibility' | 'assignment';
  scope: string;
  /** Role GUID. */
  role: string;
  principalId: string;
  principalType: string;
  startDateTime: string;
  /** null = permanent. */
  endDateTime: string | null;
  /** For `assignment`: the name of the role assignment it keeps (its `originRoleAssignmentId`). */
  roleAssignmentName: string | null;
}

export interface RoleManagementPolicy {
  /** A GUID. */
  name: string;
  scope: string;
  role: string;
  /** `Expiration_Admin_Eligibility`: is an end required, and the longest duration (ISO 8601, e.g. P365D). */
  eligibilityExpirationRequired: boolean;
  eligibilityMaximumDuration: string;
}

export interface PolicyAssignment {
  name: string;
  scope: string;
  location: string | null;
  displayName: string;
  policyDefinitionId: string;
  parameters: Raw;
  enforcementMode: 'Default' | 'DoNotEnforce';
  notScopes: string[];
  /** `SystemAssigned` gets `principalId` and `tenantId`; null = no identity. */
  identity: { type: 'SystemAssigned'; principalId: string; tenantId: string } | null;
}

export interface PolicyExemption {
  name: string;
  scope: string;
  policyAssignmentId: string;
  exemptionCategory: 'Waiver' | 'Mitigated';
  displayName: string;
}

export interface ManagementLock {
  name: string;
  scope: string;
  level: 'ReadOnly' | 'CanNotDelete';
  notes: string;
}

export interface DenyAssignment {
  name: string;
  scope: string;
  denyAssignmentName: string;
  description: string;
  /** Principal ids denied (the all-principals GUID 00000000-… for "everyone"). */
  principalIds: string[];
  excludePrincipalIds: string[];
  actions: string[];
}

export interface RegistrationAssignment {
  name: string;
  scope: string;
  registrationDefinitionName: string;
  managedByTenantId: string;
  managedByTenantName: string;
  authorizations: { principalId: string; principalIdDisplayName: string; roleDefinitionId: string }[];
}

export interface ScenarioExtras {
  pimSchedules: PimSchedule[];
  roleManagementPolicies: RoleManagementPolicy[];
  policyAssignments: PolicyAssignment[];
  policyExemptions: PolicyExemption[];
  locks: ManagementLock[];
  denyAssignments: DenyAssignment[];
  registrationAssignments: RegistrationAssignment[];
}

export class ExtrasError extends Error {
  override readonly name = 'ScenarioError';
}

function fail(path: string, expected: string, got: unknown): never {
  throw new ExtrasError(`Invalid scenario: ${path} must be ${expected}, got ${got === undefined ? 'nothing' : JSON.stringify(got).slice(0, 60)}`);
}

function obj(v: unknown, p: string): Raw {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(p, 'an object', v);
  return v as Raw;
}

function str(o: Raw, k: string, p: string, fallback?: string): string {
  const v = o[k] ?? fallback;
  if (typeof v !== 'string' || v === '') fail(`${p}.${k}`, 'a non-empty string', v);
  return v;
}

function nstr(o: Raw, k: string, p: string): string | null {
  const v = o[k] ?? null;
  if (v !== null && typeof v !== 'string') fail(`${p}.${k}`, 'a string or null', v);
  return v;
}

function guid(o: Raw, k: string, p: string): string {
  const v = str(o, k, p);
  if (!isGuid(v)) fail(`${p}.${k}`, 'a GUID', v);
  return v.toLowerCase();
}

function scope(o: Raw, k: string, p: string): string {
  const v = str(o, k, p);
  const s = parseScope(v);
  if (s === undefined || s.kind === 'root') fail(`${p}.${k}`, 'an ARM scope', v);
  return s.canonical;
}

function date(o: Raw, k: string, p: string, fallback?: string): string {
  const v = str(o, k, p, fallback);
  if (Number.isNaN(Date.parse(v))) fail(`${p}.${k}`, 'an ISO date', v);
  return new Date(v).toISOString();
}

function oneOf<T extends string>(o: Raw, k: string, p: string, allowed: readonly T[], fallback?: T): T {
  const v = o[k] ?? fallback;
  if (!allowed.includes(v as T)) fail(`${p}.${k}`, `one of ${allowed.join(', ')}`, v);
  return v as T;
}

function list<T>(o: Raw, k: string, p: string, item: (v: Raw, p: string) => T): T[] {
  const v = o[k] ?? [];
  if (!Array.isArray(v)) fail(`${p}.${k}`, 'an array', v);
  return v.map((x, i) => item(obj(x, `${p}.${k}[${i}]`), `${p}.${k}[${i}]`));
}

function strings(o: Raw, k: string, p: string): string[] {
  const v = o[k] ?? [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) fail(`${p}.${k}`, 'an array of strings', v);
  return v as string[];
}

/** Parses `scenario.extras` (every part optional). `roleOf` resolves a role name or GUID to the GUID. */
export function readExtras(raw: unknown, p: string, roleOf: (nameOrId: string, at: string) => string): ScenarioExtras {
  const o = raw === undefined || raw === null ? {} : obj(raw, p);
  return {
    pimSchedules: list(o, 'pimSchedules', p, (x, q) => ({
      name: guid(x, 'name', q), kind: oneOf(x, 'kind', q, ['eligibility', 'assignment'] as const), scope: scope(x, 'scope', q),
      role: roleOf(str(x, 'role', q), `${q}.role`), principalId: guid(x, 'principalId', q),
      principalType: oneOf(x, 'principalType', q, ['User', 'Group', 'ServicePrincipal'] as const, 'User'),
      startDateTime: date(x, 'startDateTime', q, '2026-01-01T00:00:00Z'), endDateTime: x.endDateTime === null || x.endDateTime === undefined ? null : date(x, 'endDateTime', q),
      roleAssignmentName: x.roleAssignmentName === undefined || x.roleAssignmentName === null ? null : guid(x, 'roleAssignmentName', q),
    })),
    roleManagementPolicies: list(o, 'roleManagementPolicies', p, (x, q) => ({
      name: guid(x, 'name', q), scope: scope(x, 'scope', q), role: roleOf(str(x, 'role', q), `${q}.role`),
      eligibilityExpirationRequired: x.eligibilityExpirationRequired !== false, eligibilityMaximumDuration: str(x, 'eligibilityMaximumDuration', q, 'P365D'),
    })),
    policyAssignments: list(o, 'policyAssignments', p, (x, q) => {
      const identity = x.identity === undefined || x.identity === null ? null : obj(x.identity, `${q}.identity`);
      return {
        name: str(x, 'name', q), scope: scope(x, 'scope', q), location: nstr(x, 'location', q), displayName: str(x, 'displayName', q, str(x, 'name', q)),
        policyDefinitionId: str(x, 'policyDefinitionId', q), parameters: obj(x.parameters ?? {}, `${q}.parameters`),
        enforcementMode: oneOf(x, 'enforcementMode', q, ['Default', 'DoNotEnforce'] as const, 'Default'), notScopes: strings(x, 'notScopes', q),
        identity: identity === null ? null : { type: 'SystemAssigned', principalId: guid(identity, 'principalId', `${q}.identity`), tenantId: guid(identity, 'tenantId', `${q}.identity`) },
      };
    }),
    policyExemptions: list(o, 'policyExemptions', p, (x, q) => ({
      name: str(x, 'name', q), scope: scope(x, 'scope', q), policyAssignmentId: str(x, 'policyAssignmentId', q),
      exemptionCategory: oneOf(x, 'exemptionCategory', q, ['Waiver', 'Mitigated'] as const), displayName: str(x, 'displayName', q, str(x, 'name', q)),
    })),
    locks: list(o, 'locks', p, (x, q) => ({ name: str(x, 'name', q), scope: scope(x, 'scope', q), level: oneOf(x, 'level', q, ['ReadOnly', 'CanNotDelete'] as const), notes: nstr(x, 'notes', q) ?? '' })),
    denyAssignments: list(o, 'denyAssignments', p, (x, q) => ({
      name: guid(x, 'name', q), scope: scope(x, 'scope', q), denyAssignmentName: str(x, 'denyAssignmentName', q), description: nstr(x, 'description', q) ?? '',
      principalIds: strings(x, 'principalIds', q), excludePrincipalIds: strings(x, 'excludePrincipalIds', q), actions: strings(x, 'actions', q),
    })),
    registrationAssignments: list(o, 'registrationAssignments', p, (x, q) => ({
      name: guid(x, 'name', q), scope: scope(x, 'scope', q), registrationDefinitionName: str(x, 'registrationDefinitionName', q),
      managedByTenantId: guid(x, 'managedByTenantId', q), managedByTenantName: str(x, 'managedByTenantName', q),
      authorizations: list(x, 'authorizations', q, (a, r) => ({ principalId: guid(a, 'principalId', r), principalIdDisplayName: str(a, 'principalIdDisplayName', r), roleDefinitionId: guid(a, 'roleDefinitionId', r) })),
    })),
  };
}

/** What a directory change deletes of the extras under the subscription (`under` tests a scope): schedules, policy assignments and exemptions. */
export function forgetOnMove(extras: ScenarioExtras, under: (scope: string) => boolean): Pick<ScenarioExtras, 'pimSchedules' | 'policyAssignments' | 'policyExemptions'> {
  const gone = {
    pimSchedules: extras.pimSchedules.filter((s) => under(s.scope)),
    policyAssignments: extras.policyAssignments.filter((a) => under(a.scope)),
    policyExemptions: extras.policyExemptions.filter((x) => under(x.scope)),
  };
  extras.pimSchedules = extras.pimSchedules.filter((s) => !under(s.scope));
  extras.policyAssignments = extras.policyAssignments.filter((a) => !under(a.scope));
  extras.policyExemptions = extras.policyExemptions.filter((x) => !under(x.scope));
  return gone;
}
