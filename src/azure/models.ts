/** Shapes of the ARM and Graph resources we read (Microsoft's REST references: https://learn.microsoft.com/rest/api/resources and https://learn.microsoft.com/graph/api/overview). Every field the services may omit is optional. */

export interface Tenant {
  readonly tenantId: string;
  readonly displayName?: string;
  readonly defaultDomain?: string;
  readonly domains?: readonly string[];
  readonly tenantCategory?: string;
  readonly tenantType?: string;
  readonly countryCode?: string;
}

export interface SubscriptionPolicies {
  readonly quotaId?: string;
  readonly spendingLimit?: string;
  readonly locationPlacementId?: string;
}

export interface Subscription {
  readonly id: string;
  readonly subscriptionId: string;
  readonly displayName: string;
  /** The subscription's home directory (ARM has no `homeTenantId`). */
  readonly tenantId: string;
  readonly state: string;
  readonly authorizationSource?: string;
  readonly subscriptionPolicies?: SubscriptionPolicies;
  readonly managedByTenants?: readonly { readonly tenantId: string }[];
}

export interface RoleAssignment {
  readonly id: string;
  readonly name: string;
  readonly properties: {
    readonly roleDefinitionId: string;
    readonly principalId: string;
    readonly principalType?: string;
    readonly scope: string;
    readonly condition?: string | null;
    readonly conditionVersion?: string | null;
    readonly description?: string | null;
    readonly createdOn?: string;
  };
}

export interface Permission {
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly dataActions?: readonly string[];
  readonly notDataActions?: readonly string[];
}

export interface RoleDefinition {
  readonly id: string;
  readonly name: string;
  readonly properties: {
    readonly roleName: string;
    readonly description?: string;
    readonly type: string;
    readonly permissions?: readonly Permission[];
    readonly assignableScopes?: readonly string[];
  };
}

export interface ClassicAdministrator {
  readonly id: string;
  readonly name: string;
  readonly properties: { readonly emailAddress: string; readonly role: string };
}

export interface TenantPolicy {
  readonly blockSubscriptionsLeavingTenant?: boolean;
  readonly blockSubscriptionsIntoTenant?: boolean;
  readonly exemptedPrincipals?: readonly string[];
  readonly policyId?: string;
}

export interface GenericResource {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly location?: string;
  readonly kind?: string;
  readonly identity?: {
    readonly type?: string;
    readonly principalId?: string;
    readonly tenantId?: string;
    readonly userAssignedIdentities?: Readonly<Record<string, unknown>>;
  } | null;
  readonly properties?: Readonly<Record<string, unknown>>;
}

export type ChangeTenantStatus = 'Initiated' | 'Initialized' | 'InProgress' | 'Completed' | (string & {});

export interface ChangeTenantRequestProperties {
  readonly subscriptionId?: string;
  readonly sourceTenantId?: string;
  readonly sourceOwnerId?: string;
  readonly sourceOwnerEmail?: string | null;
  readonly destinationTenantId: string;
  readonly destinationOwnerId?: string;
  readonly status: ChangeTenantStatus;
  readonly createdDate?: string;
  readonly expiresOn?: string;
  readonly acceptedDate?: string | null;
}

export interface ChangeTenantRequest {
  readonly id: string;
  readonly name: string;
  readonly type?: string;
  readonly properties: ChangeTenantRequestProperties;
}

// ---- Graph ----

export interface VerifiedDomain {
  readonly name: string;
  readonly isDefault?: boolean;
  readonly isInitial?: boolean;
  readonly type?: string;
  readonly capabilities?: string;
}

export interface AssignedPlan {
  readonly capabilityStatus?: string;
  readonly service?: string;
  readonly servicePlanId?: string;
}

export interface Organization {
  readonly id: string;
  readonly displayName?: string | null;
  readonly verifiedDomains?: readonly VerifiedDomain[] | null;
  readonly assignedPlans?: readonly AssignedPlan[] | null;
  readonly tenantType?: string | null;
}

export interface SubscribedSku {
  readonly skuId: string;
  readonly skuPartNumber?: string;
  readonly capabilityStatus?: string;
  readonly servicePlans?: readonly { readonly servicePlanName?: string; readonly provisioningStatus?: string }[];
}

export interface GraphUser {
  readonly id: string;
  readonly displayName?: string | null;
  readonly userPrincipalName?: string | null;
  readonly mail?: string | null;
  readonly userType?: string | null;
  readonly accountEnabled?: boolean | null;
}

export interface DirectoryRole {
  readonly id: string;
  readonly displayName?: string;
  readonly roleTemplateId?: string;
}

export interface DirectoryObject {
  readonly id: string;
  readonly '@odata.type'?: string;
  readonly displayName?: string | null;
  readonly userPrincipalName?: string | null;
  readonly mail?: string | null;
  readonly appId?: string | null;
  readonly servicePrincipalType?: string | null;
}

/** Well-known built-in role definition GUIDs (tenant-independent). */
export const BUILT_IN_ROLES = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
  userAccessAdministrator: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9',
  rbacAdministrator: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
} as const;

export const GLOBAL_ADMINISTRATOR_TEMPLATE_ID = '62e90394-69f5-4237-9190-012177145e10';

/**
 * The directory roles that matter for the two-person procedure, by template id (the same in every directory):
 * https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
 */
export const DIRECTORY_ROLES = [
  { name: 'Global Administrator', templateId: GLOBAL_ADMINISTRATOR_TEMPLATE_ID },
  { name: 'User Administrator', templateId: 'fe930be7-5e62-47db-91af-98c3a49a38b1' },
  { name: 'Guest Inviter', templateId: '95e79109-95c0-4d8e-aee3-d01accf2d47b' },
] as const;
export type DirectoryRoleName = (typeof DIRECTORY_ROLES)[number]['name'];

/** `POST /invitations` (https://learn.microsoft.com/graph/api/invitation-post). */
export interface Invitation {
  readonly id: string;
  readonly inviteRedeemUrl: string;
  readonly invitedUserEmailAddress?: string;
  /** `PendingAcceptance` until redeemed, `Completed` after (older revisions answer `Completed` at once). */
  readonly status?: string;
  readonly invitedUser: { readonly id: string };
}

export { isGuid } from '../ids';

/** The trailing GUID of a role definition id, scoped or not. */
export function roleDefinitionGuid(roleDefinitionId: string): string {
  return (roleDefinitionId.split('/').pop() ?? roleDefinitionId).toLowerCase();
}
