// Tenant-independent Azure and Entra constants (azure-api.md §5.4, §6.4). Built-in role GUIDs are the real ones.

export interface RolePermission {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

export interface BuiltInRole {
  id: string;
  roleName: string;
  description: string;
  permissions: RolePermission[];
}

const perm = (actions: string[], notActions: string[] = [], dataActions: string[] = []): RolePermission[] => [
  { actions, notActions, dataActions, notDataActions: [] },
];

export const OWNER_ROLE_ID = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  { id: OWNER_ROLE_ID, roleName: 'Owner', description: 'Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.', permissions: perm(['*']) },
  {
    id: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    roleName: 'Contributor',
    description: 'Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.',
    permissions: perm(['*'], ['Microsoft.Authorization/*/Delete', 'Microsoft.Authorization/*/Write', 'Microsoft.Authorization/elevateAccess/Action', 'Microsoft.Blueprint/blueprintAssignments/write', 'Microsoft.Blueprint/blueprintAssignments/delete']),
  },
  { id: 'acdd72a7-3385-48ef-bd42-f606fba81ae7', roleName: 'Reader', description: 'View all resources, but does not allow you to make any changes.', permissions: perm(['*/read']) },
  { id: '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9', roleName: 'User Access Administrator', description: 'Lets you manage user access to Azure resources.', permissions: perm(['*/read', 'Microsoft.Authorization/*', 'Microsoft.Support/*']) },
  {
    id: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168',
    roleName: 'Role Based Access Control Administrator',
    description: 'Manage access to Azure resources by assigning roles using Azure RBAC. This role does not allow you to manage access using other ways, such as Azure Policy.',
    permissions: perm(['Microsoft.Authorization/roleAssignments/write', 'Microsoft.Authorization/roleAssignments/delete', '*/read', 'Microsoft.Support/*']),
  },
  { id: '00482a5a-887f-4fb3-b363-3b7fe8e74483', roleName: 'Key Vault Administrator', description: 'Perform all data plane operations on a key vault and all objects in it.', permissions: perm(['Microsoft.Authorization/*/read', 'Microsoft.Resources/deployments/*', 'Microsoft.KeyVault/checkNameAvailability/read', 'Microsoft.KeyVault/vaults/*/read'], [], ['Microsoft.KeyVault/vaults/*']) },
  { id: '4633458b-17de-408a-b874-0445c86b69e6', roleName: 'Key Vault Secrets User', description: 'Read secret contents.', permissions: perm([], [], ['Microsoft.KeyVault/vaults/secrets/getSecret/action', 'Microsoft.KeyVault/vaults/secrets/readMetadata/action']) },
  { id: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1', roleName: 'Storage Blob Data Reader', description: 'Read and list Azure Storage containers and blobs.', permissions: perm(['Microsoft.Storage/storageAccounts/blobServices/containers/read'], [], ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read']) },
  { id: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe', roleName: 'Storage Blob Data Contributor', description: 'Read, write, and delete Azure Storage containers and blobs.', permissions: perm(['Microsoft.Storage/storageAccounts/blobServices/containers/*'], [], ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*']) },
  { id: '7f951dda-4ed3-4680-a7ca-43fe172d538d', roleName: 'AcrPull', description: 'acr pull', permissions: perm(['Microsoft.ContainerRegistry/registries/pull/read']) },
  { id: '9980e02c-c2be-4d73-94e8-173b1dc7cf3c', roleName: 'Virtual Machine Contributor', description: 'Lets you manage virtual machines, but not access to them.', permissions: perm(['Microsoft.Compute/virtualMachines/*', 'Microsoft.Network/*/read', 'Microsoft.Resources/subscriptions/resourceGroups/read']) },
];

/** Entra directory role templates (roleTemplateId is the same in every tenant). */
export const DIRECTORY_ROLE_TEMPLATES: Readonly<Record<string, { id: string; description: string }>> = {
  'Global Administrator': { id: '62e90394-69f5-4237-9190-012177145e10', description: 'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.' },
  'Privileged Role Administrator': { id: 'e8611ab8-c189-46e8-94e1-60213ab1f814', description: 'Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.' },
  'User Administrator': { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', description: 'Can manage all aspects of users and groups, including resetting passwords for limited admins.' },
  'Global Reader': { id: 'f2ef992c-3afb-46b9-b7cf-a126ee74c451', description: 'Can read everything that a Global Administrator can, but not update anything.' },
  'Billing Administrator': { id: 'b0f54661-2d74-4c50-afa3-1ec803f12efe', description: 'Can perform common billing related tasks like updating payment information.' },
  'Directory Readers': { id: '88d8e3e3-8f55-4a1e-953a-9b9898b8876b', description: 'Can read basic directory information.' },
  'Guest Inviter': { id: '95e79109-95c0-4d8e-aee3-d01accf2d47b', description: 'Can invite guest users independent of the \'members can invite guests\' setting.' },
};

export const GLOBAL_ADMINISTRATOR = 'Global Administrator';

/** VS Code's first-party client id (azure-api.md §1.3); carried as `appid` in the tokens. */
export const VSCODE_CLIENT_ID = 'aebc6443-996d-45c2-90f0-388ff96faa56';

export const ARM_AUDIENCE = 'https://management.core.windows.net/';
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

/** Offers that cannot change directory (azure-api.md §2.2). */
export const IMMOVABLE_QUOTA_PREFIXES: readonly string[] = ['CSP_', 'CSPDEVTEST_', 'Internal_', 'DreamSpark_'];
