// The mutable world the sandbox serves: a working copy of the scenario plus runtime records
// (pending directory-change requests, completed moves, replication-delay counters).
import { randomUUID } from 'node:crypto';
import { forgetOnMove, type ScenarioExtras } from './extras';
import { DIRECTORY_ROLE_TEMPLATES, GLOBAL_ADMINISTRATOR, OWNER_ROLE_ID } from './builtins';
import {
  type Scenario, type ScenarioCustomRole, type ScenarioResource, type ScenarioRoleAssignment, type ScenarioSubscription,
  type ScenarioTenant, type ScenarioUser,
} from './scenario';
import { isAtOrBelow, scopeKey, type Scope } from './scope';
import { QuotaWindow } from './quota';
import { StateIndex, type DirectoryObject, type RoleDefinition } from './stateIndex';

export type { DirectoryObject, RoleDefinition } from './stateIndex';

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

/** A B2B invitation (invitations.ts): the redemption ticket leads to the guest user it created. */
export interface InvitationRecord {
  id: string;
  ticket: string;
  tenantId: string;
  userId: string;
  address: string;
  inviteRedirectUrl: string;
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

/**
 * The sandbox's state. Handlers read through its methods, which answer from `index` (directories, subscriptions,
 * accounts and directory objects by id; role assignments by scope, subscription, principal and name; resources by
 * subscription and id), so a request costs time in proportion to its answer. Writes go through `addRoleAssignment`,
 * `removeRoleAssignment`, `putCustomRole` and `moveSubscription`, which keep the index current. A handler that changes
 * `data` in place some other way (a group's members, a subscription's state) calls `touch()`; an array that grew,
 * shrank or was replaced is noticed and the index rebuilt. `cached(key, fn)` memoises a derived answer until the next write.
 */
export class SandboxState {
  data: Scenario;
  changeRequests = new Map<string, ChangeTenantRequest>();
  moves: MoveRecord[] = [];
  /** By redemption ticket. */
  invitations = new Map<string, InvitationRecord>();
  private writeAttempts = new Map<string, number>();
  private built?: StateIndex;
  /** Resource Graph's per-caller query quota (see quota.ts). */
  readonly resourceGraphQuota = new QuotaWindow();

  constructor(private source: Scenario) {
    this.data = structuredClone(source);
  }

  /** The index over `data`, rebuilt when `data` changed behind its back. */
  get index(): StateIndex {
    if (this.built?.matches(this.data) !== true) this.built = new StateIndex(this.data);
    return this.built;
  }

  /** Call after changing `data` in place in a way the index cannot see (members, states, tenants of objects). */
  touch(): void {
    this.built = undefined;
  }

  /** A derived answer (a list, a permission check), computed once until the next write. Keys are per caller's choice. */
  cached<T>(key: string, compute: () => T): T {
    return this.index.cached(key, compute);
  }

  /** Back to the scenario as loaded. */
  reset(): void {
    this.data = structuredClone(this.source);
    this.changeRequests = new Map();
    this.moves = [];
    this.invitations = new Map();
    this.writeAttempts = new Map();
    // Built now, so that the first request after a reset does not pay for it.
    this.built = new StateIndex(this.data);
  }

  load(scenario: Scenario): void {
    this.source = scenario;
    this.reset();
  }

  // --- directories and accounts -----------------------------------------------------------------

  tenant(id: string): ScenarioTenant | undefined {
    return this.index.tenants.get(id.toLowerCase());
  }

  subscription(id: string): ScenarioSubscription | undefined {
    return this.index.subscriptions.get(id.toLowerCase());
  }

  /** Subscriptions whose home is the directory. */
  subscriptionsIn(tenantId: string): readonly ScenarioSubscription[] {
    return this.index.subscriptionsByTenant.get(tenantId.toLowerCase()) ?? [];
  }

  /** Subscriptions another directory manages through Lighthouse delegations to this one. */
  subscriptionsManagedBy(tenantId: string): readonly ScenarioSubscription[] {
    return this.index.subscriptionsManagedBy.get(tenantId.toLowerCase()) ?? [];
  }

  account(upn: string): Scenario['accounts'][number] | undefined {
    return this.index.accounts.get(upn.toLowerCase());
  }

  /** The account's user object in a directory (a member or a redeemed guest). */
  userOfAccount(tenant: ScenarioTenant, upn: string): ScenarioUser | undefined {
    return this.index.directory(tenant.tenantId)?.userByAccount.get(upn.toLowerCase());
  }

  tenantsOfAccount(upn: string): ScenarioTenant[] {
    return [...(this.index.tenantsByAccount.get(upn.toLowerCase()) ?? [])];
  }

  directoryObject(tenant: ScenarioTenant, id: string): DirectoryObject | undefined {
    return this.index.directory(tenant.tenantId)?.objects.get(id.toLowerCase());
  }

  /** Groups that contain the object, directly or through nested groups. */
  groupsOf(tenant: ScenarioTenant, objectId: string): Set<string> {
    const memberOf = this.index.directory(tenant.tenantId)?.memberOf;
    const found = new Set<string>();
    const queue = [objectId.toLowerCase()];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      for (const g of memberOf?.get(id) ?? []) {
        if (!found.has(g)) {
          found.add(g);
          queue.push(g);
        }
      }
    }
    return found;
  }

  isGlobalAdmin(tenant: ScenarioTenant, objectId: string): boolean {
    const o = this.directoryObject(tenant, objectId);
    return o?.kind === 'user' && o.value.directoryRoles.includes(GLOBAL_ADMINISTRATOR);
  }

  directoryRoleTemplate(name: string): { id: string; description: string } | undefined {
    return DIRECTORY_ROLE_TEMPLATES[name];
  }

  // --- resources --------------------------------------------------------------------------------

  resource(id: string): ScenarioResource | undefined {
    return this.index.resourcesById.get(scopeKey(id));
  }

  resourcesOf(subscriptionId: string): readonly ScenarioResource[] {
    return this.index.resourcesBySubscription.get(subscriptionId.toLowerCase()) ?? [];
  }

  // --- role definitions -------------------------------------------------------------------------

  roleDefinitions(): RoleDefinition[] {
    return [...this.index.roles.values()];
  }

  roleDefinition(id: string): RoleDefinition | undefined {
    return this.index.roles.get(id.toLowerCase());
  }

  /** Creates or replaces a custom role (by id). */
  putCustomRole(role: ScenarioCustomRole): void {
    const i = this.data.customRoles.findIndex((r) => r.id === role.id);
    if (i >= 0) this.data.customRoles[i] = role;
    else this.data.customRoles.push(role);
    this.touch();
  }

  // --- role assignments -------------------------------------------------------------------------

  /** The directory a scope belongs to (a subscription's current home, a management group's directory). */
  tenantOfScope(scope: Scope): string | undefined {
    if (scope.subscriptionId !== undefined) return this.subscription(scope.subscriptionId)?.tenantId;
    if (scope.kind === 'managementGroup') return this.index.tenantOfManagementGroup.get(scope.managementGroup.toLowerCase());
    return undefined;
  }

  /** Assignments that take effect at `scope`: at it or above it (including inherited management-group ones). */
  assignmentsAbove(scope: Scope): ScenarioRoleAssignment[] {
    const sub = scope.subscriptionId === undefined ? undefined : this.subscription(scope.subscriptionId);
    return this.index.above(scope, sub?.managementGroups ?? []);
  }

  /** Assignments strictly below `scope`. */
  assignmentsBelow(scope: Scope): ScenarioRoleAssignment[] {
    return this.index.below(scope);
  }

  /** Assignments at or below a subscription (what the move deletes), in scenario order. */
  assignmentsOfSubscription(subscriptionId: string): readonly ScenarioRoleAssignment[] {
    return this.index.assignmentsOfSubscription(subscriptionId);
  }

  /** The assignment with this name at exactly this scope. */
  assignmentAt(scope: Scope, name: string): ScenarioRoleAssignment | undefined {
    const a = this.index.assignmentNamed(name);
    return a !== undefined && scopeKey(a.scope) === scopeKey(scope.canonical) ? a : undefined;
  }

  /** Assignments at exactly this scope. */
  assignmentsAt(scope: Scope): readonly ScenarioRoleAssignment[] {
    return this.index.assignmentsAtKey(scopeKey(scope.canonical));
  }

  addRoleAssignment(a: ScenarioRoleAssignment): void {
    this.data.roleAssignments.push(a);
    this.index.addAssignment(a);
  }

  removeRoleAssignment(a: ScenarioRoleAssignment): void {
    const i = this.data.roleAssignments.indexOf(a);
    if (i < 0) return;
    this.data.roleAssignments.splice(i, 1);
    this.index.removeAssignment(a);
  }

  /** Object ids that count as "this principal": itself and every group it belongs to. */
  principalSet(tenantId: string, objectId: string): Set<string> {
    return this.cached(`principals|${tenantId}|${objectId.toLowerCase()}`, () => {
      const tenant = this.tenant(tenantId);
      const ids = tenant ? this.groupsOf(tenant, objectId) : new Set<string>();
      ids.add(objectId.toLowerCase());
      return ids;
    });
  }

  /** Role definitions the caller holds at a scope (direct or through groups, inherited included). */
  rolesAt(tenantId: string, objectId: string, scope: Scope): RoleDefinition[] {
    return this.cached(`roles|${tenantId}|${objectId.toLowerCase()}|${scopeKey(scope.canonical)}`, () => {
      const ids = this.principalSet(tenantId, objectId);
      const roleIds = new Set<string>();
      // From whichever side is smaller: the principal's assignments, or the ones above the scope.
      const own = [...ids].flatMap((id) => this.index.assignmentsOfPrincipal(id));
      const above = own.length < 64 ? own.filter((a) => this.appliesAt(a, scope)) : this.assignmentsAbove(scope).filter((a) => ids.has(a.principalId.toLowerCase()));
      for (const a of above) roleIds.add(a.role);
      return [...roleIds].flatMap((id) => this.roleDefinition(id) ?? []);
    });
  }

  /** Does the assignment take effect at the scope (at or above it, or on one of its management groups)? */
  private appliesAt(a: ScenarioRoleAssignment, scope: Scope): boolean {
    const mg = this.index.placementOf(a)?.managementGroup;
    if (mg !== undefined) {
      if (scope.kind === 'managementGroup') return mg === scope.managementGroup.toLowerCase();
      const sub = scope.subscriptionId === undefined ? undefined : this.subscription(scope.subscriptionId);
      return sub?.managementGroups.some((m) => m.toLowerCase() === mg) ?? false;
    }
    return scope.kind !== 'managementGroup' && isAtOrBelow(scope.canonical, a.scope);
  }

  isAllowed(tenantId: string, objectId: string, scope: Scope, action: string): boolean {
    return this.cached(`allowed|${tenantId}|${objectId.toLowerCase()}|${scopeKey(scope.canonical)}|${action.toLowerCase()}`,
      () => this.rolesAt(tenantId, objectId, scope).some((r) => roleAllows(r, action)));
  }

  /** Any assignment at, above or below the subscription (what makes it show up in the list). */
  hasAnyAccess(tenantId: string, objectId: string, sub: ScenarioSubscription, upn: string): boolean {
    if (sub.classicAdministrators.some((c) => same(c.emailAddress, upn))) return true;
    const reach = this.reachOf(tenantId, objectId);
    return reach.subscriptions.has(sub.subscriptionId.toLowerCase()) || sub.managementGroups.some((m) => reach.managementGroups.has(m.toLowerCase()));
  }

  /** The subscriptions and management groups where the principal (or one of its groups) holds any assignment. */
  private reachOf(tenantId: string, objectId: string): { subscriptions: Set<string>; managementGroups: Set<string> } {
    return this.cached(`reach|${tenantId}|${objectId.toLowerCase()}`, () => {
      const subscriptions = new Set<string>();
      const managementGroups = new Set<string>();
      for (const id of this.principalSet(tenantId, objectId)) {
        for (const a of this.index.assignmentsOfPrincipal(id)) {
          const p = this.index.placementOf(a);
          if (p?.subscriptionId !== undefined) subscriptions.add(p.subscriptionId);
          if (p?.managementGroup !== undefined) managementGroups.add(p.managementGroup);
        }
      }
      return { subscriptions, managementGroups };
    });
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
    this.touch();
    return record;
  }
}
