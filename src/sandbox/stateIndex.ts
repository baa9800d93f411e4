// Indexes over the sandbox's working scenario, so that a request costs time in proportion to its answer rather than to
// the size of the scenario: directories, subscriptions, accounts and directory objects by id; role assignments by the
// scope they sit at, by subscription (at or below it), by principal and by name; resources by subscription and id; and
// a memo for derived answers (group closures, permission checks, list results) that every write clears.
// `SandboxState` owns one and rebuilds it when the data changed behind its back (see `SandboxState.index`).
import { BUILT_IN_ROLES, type RolePermission } from './builtins';
import {
  type Scenario, type ScenarioAccount, type ScenarioGroup, type ScenarioResource, type ScenarioRoleAssignment,
  type ScenarioServicePrincipal, type ScenarioSubscription, type ScenarioTenant, type ScenarioUser,
} from './scenario';
import { parseScope, scopeKey, type Scope } from './scope';

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

interface DirectoryIndex {
  objects: Map<string, DirectoryObject>;
  userByAccount: Map<string, ScenarioUser>;
  /** member id → ids of the groups that list it directly. */
  memberOf: Map<string, string[]>;
}

/** Where an assignment sits, parsed once. */
interface Placement {
  key: string;
  ordinal: number;
  subscriptionId: string | undefined;
  managementGroup: string | undefined;
}

const MG_PREFIX = '/providers/microsoft.management/managementgroups/';
const lower = (s: string): string => s.toLowerCase();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function drop<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  const i = list?.indexOf(value) ?? -1;
  if (list !== undefined && i >= 0) list.splice(i, 1);
}

/** Every `/`-boundary prefix of a lower-cased scope key, root included: `/`, `/subscriptions/x`, `/subscriptions/x/resourcegroups/y`, … */
function ancestorKeys(key: string): string[] {
  const out = ['/'];
  if (key === '/') return out;
  for (let i = key.indexOf('/', 1); i !== -1; i = key.indexOf('/', i + 1)) out.push(key.slice(0, i));
  out.push(key);
  return out;
}

export class StateIndex {
  readonly tenants = new Map<string, ScenarioTenant>();
  readonly subscriptions = new Map<string, ScenarioSubscription>();
  readonly subscriptionsByTenant = new Map<string, ScenarioSubscription[]>();
  /** Managing directory → the subscriptions it manages through Lighthouse (`managedByTenants`). */
  readonly subscriptionsManagedBy = new Map<string, ScenarioSubscription[]>();
  readonly accounts = new Map<string, ScenarioAccount>();
  readonly tenantsByAccount = new Map<string, ScenarioTenant[]>();
  readonly tenantOfManagementGroup = new Map<string, string>();
  readonly roles = new Map<string, RoleDefinition>();
  readonly resourcesBySubscription = new Map<string, ScenarioResource[]>();
  readonly resourcesById = new Map<string, ScenarioResource>();
  private readonly directories = new Map<string, DirectoryIndex>();
  private readonly atScope = new Map<string, ScenarioRoleAssignment[]>();
  private readonly underSubscription = new Map<string, ScenarioRoleAssignment[]>();
  private readonly byPrincipal = new Map<string, ScenarioRoleAssignment[]>();
  private readonly byName = new Map<string, ScenarioRoleAssignment>();
  private readonly placement = new Map<ScenarioRoleAssignment, Placement>();
  private readonly memo = new Map<string, unknown>();
  private nextOrdinal = 0;
  /** What the index was built from: a change to any of these (a write that bypassed the index) means rebuild. */
  private readonly seen: { data: Scenario; assignments: unknown[]; customRoles: unknown[]; resources: unknown[] };
  private knownLengths: readonly number[] = [];

  constructor(readonly data: Scenario) {
    for (const t of data.tenants) this.addTenant(t);
    for (const s of data.subscriptions) {
      this.subscriptions.set(lower(s.subscriptionId), s);
      push(this.subscriptionsByTenant, lower(s.tenantId), s);
      for (const d of new Set(s.managedByTenants.map((m) => lower(m.tenantId)))) push(this.subscriptionsManagedBy, d, s);
    }
    for (const a of data.accounts) this.accounts.set(lower(a.upn), a);
    for (const r of BUILT_IN_ROLES) this.roles.set(r.id, { ...r, type: 'BuiltInRole', assignableScopes: ['/'], tenantId: null });
    for (const r of data.customRoles) this.roles.set(lower(r.id), { ...r, type: 'CustomRole' });
    for (const r of data.resources) {
      const sub = parseScope(r.id)?.subscriptionId;
      if (sub !== undefined) push(this.resourcesBySubscription, sub, r);
      this.resourcesById.set(scopeKey(r.id), r);
    }
    for (const a of data.roleAssignments) this.addAssignment(a);
    this.seen = { data, assignments: data.roleAssignments, customRoles: data.customRoles, resources: data.resources };
    this.knownLengths = this.lengths();
  }

  /** True while the scenario's arrays are the ones (and as long as) the index knows. */
  matches(data: Scenario): boolean {
    const s = this.seen;
    if (s.data !== data || s.assignments !== data.roleAssignments || s.customRoles !== data.customRoles || s.resources !== data.resources) return false;
    const now = this.lengths();
    return now.every((n, i) => n === this.knownLengths[i]);
  }

  /** What a write that bypassed the index changes: array lengths, down to each directory's objects. */
  private lengths(): number[] {
    const d = this.data;
    let objects = 0;
    for (const t of d.tenants) objects += t.users.length + t.groups.length + t.servicePrincipals.length;
    return [d.roleAssignments.length, d.customRoles.length, d.resources.length, d.subscriptions.length, d.tenants.length, d.accounts.length, objects];
  }

  private addTenant(t: ScenarioTenant): void {
    this.tenants.set(lower(t.tenantId), t);
    const dir: DirectoryIndex = { objects: new Map(), userByAccount: new Map(), memberOf: new Map() };
    for (const u of t.users) {
      dir.objects.set(lower(u.id), { kind: 'user', value: u });
      if (u.account !== null) {
        dir.userByAccount.set(lower(u.account), u);
        push(this.tenantsByAccount, lower(u.account), t);
      }
    }
    for (const g of t.groups) {
      dir.objects.set(lower(g.id), { kind: 'group', value: g });
      for (const m of g.members) push(dir.memberOf, lower(m), lower(g.id));
    }
    for (const sp of t.servicePrincipals) dir.objects.set(lower(sp.id), { kind: 'servicePrincipal', value: sp });
    for (const m of t.managementGroups) this.tenantOfManagementGroup.set(lower(m.name), t.tenantId);
    this.directories.set(lower(t.tenantId), dir);
  }

  // --- role assignments -------------------------------------------------------------------------

  /** Records an assignment the state just appended to `data.roleAssignments`. */
  addAssignment(a: ScenarioRoleAssignment): void {
    const scope = parseScope(a.scope);
    const key = scopeKey(a.scope);
    const p: Placement = {
      key, ordinal: this.nextOrdinal++, subscriptionId: scope?.subscriptionId,
      managementGroup: scope?.kind === 'managementGroup' ? lower(scope.managementGroup) : undefined,
    };
    this.placement.set(a, p);
    push(this.atScope, key, a);
    if (p.subscriptionId !== undefined) push(this.underSubscription, p.subscriptionId, a);
    push(this.byPrincipal, lower(a.principalId), a);
    this.byName.set(lower(a.name), a);
    this.memo.clear();
    this.knownLengths = this.lengths();
  }

  /** Forgets an assignment the state just removed from `data.roleAssignments`. */
  removeAssignment(a: ScenarioRoleAssignment): void {
    const p = this.placement.get(a);
    if (p === undefined) return;
    this.placement.delete(a);
    drop(this.atScope, p.key, a);
    if (p.subscriptionId !== undefined) drop(this.underSubscription, p.subscriptionId, a);
    drop(this.byPrincipal, lower(a.principalId), a);
    if (this.byName.get(lower(a.name)) === a) this.byName.delete(lower(a.name));
    this.memo.clear();
    this.knownLengths = this.lengths();
  }

  /** Clears derived answers after an in-place change that keeps every key (an updated description, say). */
  touched(): void {
    this.memo.clear();
  }

  assignmentNamed(name: string): ScenarioRoleAssignment | undefined {
    return this.byName.get(lower(name));
  }

  assignmentsAtKey(key: string): readonly ScenarioRoleAssignment[] {
    return this.atScope.get(key) ?? [];
  }

  /** At or below the subscription, in scenario order. */
  assignmentsOfSubscription(subscriptionId: string): readonly ScenarioRoleAssignment[] {
    return this.underSubscription.get(lower(subscriptionId)) ?? [];
  }

  assignmentsOfPrincipal(principalId: string): readonly ScenarioRoleAssignment[] {
    return this.byPrincipal.get(lower(principalId)) ?? [];
  }

  /** Assignments at or above a scope; management-group ones through the subscription's ancestry. */
  above(scope: Scope, managementGroups: readonly string[]): ScenarioRoleAssignment[] {
    const found = new Set<ScenarioRoleAssignment>();
    const mgs = scope.kind === 'managementGroup' ? [scope.managementGroup] : managementGroups;
    for (const m of mgs) for (const a of this.assignmentsAtKey(`${MG_PREFIX}${lower(m)}`)) found.add(a);
    if (scope.kind !== 'managementGroup') {
      for (const k of ancestorKeys(scopeKey(scope.canonical))) for (const a of this.assignmentsAtKey(k)) found.add(a);
    }
    return this.inOrder(found);
  }

  /** Assignments strictly below a scope. */
  below(scope: Scope): ScenarioRoleAssignment[] {
    const key = scopeKey(scope.canonical);
    const pool = scope.subscriptionId === undefined ? this.data.roleAssignments : this.assignmentsOfSubscription(scope.subscriptionId);
    return pool.filter((a) => {
      const k = this.placement.get(a)?.key ?? scopeKey(a.scope);
      return k !== key && (key === '/' || k.startsWith(`${key}/`));
    });
  }

  placementOf(a: ScenarioRoleAssignment): Placement | undefined {
    return this.placement.get(a);
  }

  private inOrder(set: Set<ScenarioRoleAssignment>): ScenarioRoleAssignment[] {
    const ord = (a: ScenarioRoleAssignment): number => this.placement.get(a)?.ordinal ?? 0;
    return [...set].sort((x, y) => ord(x) - ord(y));
  }

  // --- directories ------------------------------------------------------------------------------

  directory(tenantId: string): DirectoryIndex | undefined {
    return this.directories.get(lower(tenantId));
  }

  /** A derived answer, computed once until the next write. */
  cached<T>(key: string, compute: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const value = compute();
    this.memo.set(key, value);
    return value;
  }
}
