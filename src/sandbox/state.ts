// The mutable world the sandbox serves: a working copy of the scenario plus runtime records
// (pending directory-change requests, completed moves, replication-delay counters).
import { randomUUID } from 'node:crypto';
import { forgetOnMove, type ScenarioExtras } from './extras';
import { BUILT_IN_ROLES, DIRECTORY_ROLE_TEMPLATES, GLOBAL_ADMINISTRATOR, OWNER_ROLE_ID, type RolePermission } from './builtins';
import {
  type Scenario, type ScenarioCustomRole, type ScenarioGroup, type ScenarioRoleAssignment, type ScenarioServicePrincipal,
  type ScenarioSubscription, type ScenarioTenant, type ScenarioUser,
} from './scenario';
import { isAtOrBelow, parseScope, scopeKey, type Scope } from './scope';

export interface RoleDefinition {
  id: string;
  roleName: string;
  description: string;
  type: 'BuiltInRole' | 'CustomRole';
  permissions: RolePermission[];
  assignableScopes: string[];
  /** Custom roles live in one directory. */
  tenantId: string | null;
}

export type DirectoryObject =
  | { kind: 'user'; value: ScenarioUser }
  | { kind: 'group'; value: ScenarioGroup }
  | { kind: 'servicePrincipal'; value: ScenarioServicePrincipal };

export interface ChangeTenantRequest {
  subscriptionId: string;
  sourceTenantId: string;
  sourceOwnerId: string;
  sourceOwnerEmail: string | null;
  destinationTenantId: string;
  destinationOwnerId: string | null;
  status: 'Initiated' | 'Completed';
  createdDate: string;
  expiresOn: string;
  acceptedDate: string | null;
}

export interface MoveRecord {
  subscriptionId: string;
  fromTenantId: string;
  toTenantId: string;
  acceptorObjectId: string;
  at: string;
  via: 'acceptChangeTenant' | 'control';
  deletedRoleAssignments: ScenarioRoleAssignment[];
  deletedCustomRoles: ScenarioCustomRole[];
  /** PIM schedules, policy assignments and exemptions the move deleted (key vaults keep the old tenantId; identities stop working). */
  deletedExtras: Pick<ScenarioExtras, 'pimSchedules' | 'policyAssignments' | 'policyExemptions'>;
  newOwnerAssignment: ScenarioRoleAssignment;
}

const same = (a: string | null | undefined, b: string | null | undefined): boolean =>
  a !== null && a !== undefined && b !== null && b !== undefined && a.toLowerCase() === b.toLowerCase();

function patternMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(action);
}

/** True when the role grants the (control-plane) action. */
export const roleAllows = (role: RoleDefinition, action: string): boolean =>
  role.permissions.some((p) => p.actions.some((a) => patternMatches(a, action)) && !p.notActions.some((n) => patternMatches(n, action)));

export class SandboxState {
  data: Scenario;
  changeRequests = new Map<string, ChangeTenantRequest>();
  moves: MoveRecord[] = [];
  private writeAttempts = new Map<string, number>();

  constructor(private source: Scenario) {
    this.data = structuredClone(source);
  }

  /** Back to the scenario as loaded. */
  reset(): void {
    this.data = structuredClone(this.source);
    this.changeRequests = new Map();
    this.moves = [];
    this.writeAttempts = new Map();
  }

  load(scenario: Scenario): void {
    this.source = scenario;
    this.reset();
  }

  // --- directories and accounts -----------------------------------------------------------------

  tenant(id: string): ScenarioTenant | undefined {
    return this.data.tenants.find((t) => same(t.tenantId, id));
  }

  subscription(id: string): ScenarioSubscription | undefined {
    return this.data.subscriptions.find((s) => same(s.subscriptionId, id));
  }

  account(upn: string): Scenario['accounts'][number] | undefined {
    return this.data.accounts.find((a) => same(a.upn, upn));
  }

  /** The account's user object in a directory (a member or a redeemed guest). */
  userOfAccount(tenant: ScenarioTenant, upn: string): ScenarioUser | undefined {
    return tenant.users.find((u) => same(u.account, upn));
  }

  tenantsOfAccount(upn: string): ScenarioTenant[] {
    return this.data.tenants.filter((t) => this.userOfAccount(t, upn) !== undefined);
  }

  directoryObject(tenant: ScenarioTenant, id: string): DirectoryObject | undefined {
    const user = tenant.users.find((u) => same(u.id, id));
    if (user) return { kind: 'user', value: user };
    const group = tenant.groups.find((g) => same(g.id, id));
    if (group) return { kind: 'group', value: group };
    const sp = tenant.servicePrincipals.find((s) => same(s.id, id));
    return sp ? { kind: 'servicePrincipal', value: sp } : undefined;
  }

  /** Groups that contain the object, directly or through nested groups. */
  groupsOf(tenant: ScenarioTenant, objectId: string): Set<string> {
    const found = new Set<string>();
    const queue = [objectId.toLowerCase()];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      for (const g of tenant.groups) {
        if (!found.has(g.id) && g.members.includes(id)) {
          found.add(g.id);
          queue.push(g.id);
        }
      }
    }
    return found;
  }

  isGlobalAdmin(tenant: ScenarioTenant, objectId: string): boolean {
    const user = tenant.users.find((u) => same(u.id, objectId));
    return user?.directoryRoles.includes(GLOBAL_ADMINISTRATOR) ?? false;
  }

  directoryRoleTemplate(name: string): { id: string; description: string } | undefined {
    return DIRECTORY_ROLE_TEMPLATES[name];
  }

  // --- role definitions -------------------------------------------------------------------------

  roleDefinitions(): RoleDefinition[] {
    return [
      ...BUILT_IN_ROLES.map((r): RoleDefinition => ({ ...r, type: 'BuiltInRole', assignableScopes: ['/'], tenantId: null })),
      ...this.data.customRoles.map((r): RoleDefinition => ({ ...r, type: 'CustomRole' })),
    ];
  }

  roleDefinition(id: string): RoleDefinition | undefined {
    return this.roleDefinitions().find((r) => same(r.id, id));
  }

  // --- role assignments -------------------------------------------------------------------------

  /** The directory a scope belongs to (a subscription's current home, a management group's directory). */
  tenantOfScope(scope: Scope): string | undefined {
    if (scope.subscriptionId !== undefined) return this.subscription(scope.subscriptionId)?.tenantId;
    if (scope.kind === 'managementGroup') return this.data.tenants.find((t) => t.managementGroups.some((m) => same(m.name, scope.managementGroup)))?.tenantId;
    return undefined;
  }

  /** Assignments that take effect at `scope`: at it or above it (including inherited management-group ones). */
  assignmentsAbove(scope: Scope): ScenarioRoleAssignment[] {
    const sub = scope.subscriptionId === undefined ? undefined : this.subscription(scope.subscriptionId);
    const ancestors = new Set((sub?.managementGroups ?? []).map((m) => m.toLowerCase()));
    return this.data.roleAssignments.filter((a) => {
      const s = parseScope(a.scope);
      if (s?.kind === 'managementGroup') {
        return ancestors.has(s.managementGroup.toLowerCase()) || (scope.kind === 'managementGroup' && same(s.managementGroup, scope.managementGroup));
      }
      return isAtOrBelow(scope.canonical, a.scope);
    });
  }

  /** Assignments strictly below `scope`. */
  assignmentsBelow(scope: Scope): ScenarioRoleAssignment[] {
    return this.data.roleAssignments.filter((a) => scopeKey(a.scope) !== scopeKey(scope.canonical) && isAtOrBelow(a.scope, scope.canonical));
  }

  /** Object ids that count as "this principal": itself and every group it belongs to. */
  principalSet(tenantId: string, objectId: string): Set<string> {
    const tenant = this.tenant(tenantId);
    const ids = tenant ? this.groupsOf(tenant, objectId) : new Set<string>();
    ids.add(objectId.toLowerCase());
    return ids;
  }

  /** Role definitions the caller holds at a scope (direct or through groups, inherited included). */
  rolesAt(tenantId: string, objectId: string, scope: Scope): RoleDefinition[] {
    const ids = this.principalSet(tenantId, objectId);
    const roleIds = new Set(this.assignmentsAbove(scope).filter((a) => ids.has(a.principalId)).map((a) => a.role));
    return [...roleIds].flatMap((id) => this.roleDefinition(id) ?? []);
  }

  isAllowed(tenantId: string, objectId: string, scope: Scope, action: string): boolean {
    return this.rolesAt(tenantId, objectId, scope).some((r) => roleAllows(r, action));
  }

  /** Any assignment at, above or below the subscription (what makes it show up in the list). */
  hasAnyAccess(tenantId: string, objectId: string, sub: ScenarioSubscription, upn: string): boolean {
    const scope = parseScope(`/subscriptions/${sub.subscriptionId}`);
    if (scope === undefined) return false;
    const ids = this.principalSet(tenantId, objectId);
    const classic = sub.classicAdministrators.some((c) => same(c.emailAddress, upn));
    return classic || [...this.assignmentsAbove(scope), ...this.assignmentsBelow(scope)].some((a) => ids.has(a.principalId));
  }

  /** Replication delay: counts PUTs naming a principal; returns the attempt number (1-based). */
  noteWriteAttempt(principalId: string): number {
    const n = (this.writeAttempts.get(principalId) ?? 0) + 1;
    this.writeAttempts.set(principalId, n);
    return n;
  }

  // --- the directory change -------------------------------------------------------------------

  /**
   * What Azure does when a subscription changes directory: the home becomes the destination; every role assignment at or
   * under the subscription and every custom role assignable there is deleted; classic administrators are removed; the
   * subscription leaves the source's management-group tree; the acceptor becomes Owner at subscription scope.
   */
  moveSubscription(subscriptionId: string, destinationTenantId: string, acceptorObjectId: string, at: Date, via: MoveRecord['via']): MoveRecord {
    const sub = this.subscription(subscriptionId);
    if (sub === undefined) throw new Error(`Unknown subscription ${subscriptionId}`);
    const subScope = `/subscriptions/${sub.subscriptionId}`;
    const under = (scope: string): boolean => isAtOrBelow(scope, subScope);
    const deletedRoleAssignments = this.data.roleAssignments.filter((a) => under(a.scope));
    const deletedCustomRoles = this.data.customRoles.filter((r) => r.assignableScopes.some(under));
    const deletedRoleIds = new Set(deletedCustomRoles.map((r) => r.id));
    this.data.roleAssignments = this.data.roleAssignments.filter((a) => !under(a.scope) && !deletedRoleIds.has(a.role));
    this.data.customRoles = this.data.customRoles.filter((r) => !deletedRoleIds.has(r.id));
    const deletedExtras = forgetOnMove(this.data.extras, under);
    const fromTenantId = sub.tenantId;
    sub.tenantId = destinationTenantId.toLowerCase();
    sub.managementGroups = [];
    sub.classicAdministrators = [];
    const newOwnerAssignment: ScenarioRoleAssignment = {
      name: randomUUID(), scope: subScope, role: OWNER_ROLE_ID, principalId: acceptorObjectId.toLowerCase(), principalType: 'User',
      description: null, condition: null, conditionVersion: null, createdOn: at.toISOString(), createdBy: acceptorObjectId.toLowerCase(),
    };
    this.data.roleAssignments.push(newOwnerAssignment);
    const record: MoveRecord = {
      subscriptionId: sub.subscriptionId, fromTenantId, toTenantId: sub.tenantId, acceptorObjectId: acceptorObjectId.toLowerCase(),
      at: at.toISOString(), via, deletedRoleAssignments, deletedCustomRoles, deletedExtras, newOwnerAssignment,
    };
    this.moves.push(record);
    return record;
  }
}
