// The scenario's types: accounts, directories, subscriptions, RBAC and resources as `parseScenario` (scenario.ts)
// returns them. Types only, so that the readers and the cross-reference checks (scenarioChecks.ts) can share them.
import type { RolePermission } from './builtins';
import type { ScenarioDelegation } from './delegation';
import type { ScenarioExtras } from './extras';
import type { JsonObject } from './jsonReaders';

export interface Scenario {
  name: string;
  description: string;
  /** UPN of the account used when a token request names none. */
  defaultAccount: string;
  /** Delegated Graph permissions put in `scp` unless a directory overrides them. */
  graphScopes: string[];
  limits: { roleAssignmentsPerSubscription: number };
  accounts: ScenarioAccount[];
  tenants: ScenarioTenant[];
  subscriptions: ScenarioSubscription[];
  customRoles: ScenarioCustomRole[];
  roleAssignments: ScenarioRoleAssignment[];
  resources: ScenarioResource[];
  /** PIM schedules, policy assignments, locks, deny assignments, Lighthouse (extras.ts). */
  extras: ScenarioExtras;
  /** Optional bookkeeping, checked on load: per subscription id, how many assignments sit at each scope level. */
  expectedCounts: Record<string, SubscriptionCounts>;
}

export interface SubscriptionCounts {
  subscription: number;
  resourceGroup: number;
  resource: number;
  inherited: number;
  customRoles: number;
}

/** A person who can sign in. Their user object in each directory links back through `account`. */
export interface ScenarioAccount {
  upn: string;
  displayName: string;
  homeTenantId: string;
}

export interface ScenarioDomain {
  name: string;
  isDefault: boolean;
  isInitial: boolean;
  capabilities: string;
}

export interface TenantPolicy {
  blockSubscriptionsLeavingTenant: boolean;
  blockSubscriptionsIntoTenant: boolean;
  exemptedPrincipals: string[];
}

export interface ScenarioTenant {
  tenantId: string;
  displayName: string;
  defaultDomain: string;
  domains: ScenarioDomain[];
  countryCode: string;
  country: string;
  tenantType: string;
  /** MFA / Conditional Access: tokens only with `"interactive": true`. */
  requiresInteractiveSignIn: boolean;
  /** Overrides the scenario's `graphScopes` for tokens of this directory. */
  graphScopes: string[] | null;
  /** null = never configured (blocked both ways since 2026-05-01). */
  policy: TenantPolicy | null;
  managementGroups: { name: string; displayName: string }[];
  subscribedSkus: JsonObject[];
  assignedPlans: JsonObject[];
  provisionedPlans: JsonObject[];
  users: ScenarioUser[];
  groups: ScenarioGroup[];
  servicePrincipals: ScenarioServicePrincipal[];
}

export interface ReplicationDelayed {
  /** The first n role-assignment PUTs naming this principal fail with PrincipalNotFound. */
  replicationDelay: number;
}

export interface ScenarioUser extends ReplicationDelayed {
  id: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  userPrincipalName: string;
  mail: string | null;
  jobTitle: string | null;
  userType: 'Member' | 'Guest';
  accountEnabled: boolean;
  /** UPN of the signing-in account this user object belongs to. */
  account: string | null;
  directoryRoles: string[];
  /** Guests created by an invitation (graph invitations): PendingAcceptance until redeemed; scenario guests are Accepted. */
  externalUserState?: 'PendingAcceptance' | 'Accepted';
  externalUserStateChangeDateTime?: string;
}

export interface ScenarioGroup extends ReplicationDelayed {
  id: string;
  displayName: string;
  description: string | null;
  mail: string | null;
  mailEnabled: boolean;
  securityEnabled: boolean;
  /** Object ids of users, groups or service principals. */
  members: string[];
}

export interface ScenarioServicePrincipal extends ReplicationDelayed {
  id: string;
  displayName: string;
  appId: string;
  servicePrincipalType: 'Application' | 'ManagedIdentity';
  alternativeNames: string[];
}

export type SubscriptionState = 'Enabled' | 'Warned' | 'PastDue' | 'Disabled' | 'Deleted';

export interface ScenarioSubscription {
  subscriptionId: string;
  displayName: string;
  /** The home directory. */
  tenantId: string;
  state: SubscriptionState;
  quotaId: string;
  spendingLimit: 'On' | 'Off' | 'CurrentPeriodOff';
  locationPlacementId: string;
  /** Management-group ancestors (names) in the home directory. */
  managementGroups: string[];
  resourceGroups: { name: string; location: string }[];
  classicAdministrators: { emailAddress: string; role: string }[];
  tags: Record<string, string>;
  /** Azure Lighthouse: directories that manage it (delegation.ts); empty for most. */
  managedByTenants: ScenarioDelegation[];
}

export interface ScenarioCustomRole {
  id: string;
  tenantId: string;
  roleName: string;
  description: string;
  permissions: RolePermission[];
  assignableScopes: string[];
}

export type PrincipalType = 'User' | 'Group' | 'ServicePrincipal' | 'ForeignGroup' | 'Device';

export interface ScenarioRoleAssignment {
  name: string;
  scope: string;
  /** Role GUID (a role name is accepted in the JSON and resolved on load). */
  role: string;
  principalId: string;
  principalType: PrincipalType;
  description: string | null;
  condition: string | null;
  conditionVersion: string | null;
  createdOn: string;
  createdBy: string | null;
}

export interface ScenarioResource {
  id: string;
  location: string;
  kind: string | null;
  identity: JsonObject | null;
  properties: JsonObject;
  tags: Record<string, string>;
  sku: JsonObject | null;
}

