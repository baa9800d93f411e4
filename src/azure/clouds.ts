/**
 * Clouds and their endpoints (https://learn.microsoft.com/graph/deployments, https://learn.microsoft.com/azure/azure-government/compare-azure-government-global-azure). The sovereign cloud is read from the same
 * `microsoft-sovereign-cloud.*` settings the editor's own sign-in uses, so the two never disagree.
 */
export type CloudName = 'AzureCloud' | 'AzureUSGovernment' | 'AzureChinaCloud' | 'custom' | 'sandbox';

export interface Cloud {
  readonly name: CloudName;
  readonly displayName: string;
  /** ARM base, no trailing slash: `https://management.azure.com`, or `<sandbox>/arm`. */
  readonly armUrl: string;
  /** Audience used for ARM tokens (vscode-azuretools uses the legacy audience to avoid stale-MSAL refreshes). */
  readonly armAudience: string;
  /** Graph base without version: `https://graph.microsoft.com`, or `<sandbox>/graph`. */
  readonly graphUrl: string;
  readonly portalUrl: string;
  readonly loginUrl: string;
  /** `vscode.authentication` provider id that signs in to this cloud. */
  readonly authProviderId: string;
}

export const SANDBOX_AUTH_PROVIDER_ID = 'azureTenantLink.sandbox';

export const AZURE_CLOUD: Cloud = {
  name: 'AzureCloud',
  displayName: 'Azure',
  armUrl: 'https://management.azure.com',
  armAudience: 'https://management.core.windows.net/',
  graphUrl: 'https://graph.microsoft.com',
  portalUrl: 'https://portal.azure.com',
  loginUrl: 'https://login.microsoftonline.com',
  authProviderId: 'microsoft',
};

export const US_GOVERNMENT_CLOUD: Cloud = {
  name: 'AzureUSGovernment',
  displayName: 'Azure US Government',
  armUrl: 'https://management.usgovcloudapi.net',
  armAudience: 'https://management.core.usgovcloudapi.net/',
  graphUrl: 'https://graph.microsoft.us',
  portalUrl: 'https://portal.azure.us',
  loginUrl: 'https://login.microsoftonline.us',
  authProviderId: 'microsoft-sovereign-cloud',
};

export const CHINA_CLOUD: Cloud = {
  name: 'AzureChinaCloud',
  displayName: 'Azure China (21Vianet)',
  armUrl: 'https://management.chinacloudapi.cn',
  armAudience: 'https://management.core.chinacloudapi.cn/',
  graphUrl: 'https://microsoftgraph.chinacloudapi.cn',
  portalUrl: 'https://portal.azure.cn',
  loginUrl: 'https://login.chinacloudapi.cn',
  authProviderId: 'microsoft-sovereign-cloud',
};

/** Graph hosts for US Government: GCC High (default) or DoD; GCC (moderate) uses the worldwide host. */
export const US_GOVERNMENT_GRAPH_HOSTS = {
  gccHigh: 'https://graph.microsoft.us',
  dod: 'https://dod-graph.microsoft.us',
  gcc: 'https://graph.microsoft.com',
} as const;

export function sandboxCloud(baseUrl: string): Cloud {
  const base = trimSlash(baseUrl);
  return {
    name: 'sandbox',
    displayName: 'Azure Sandbox',
    armUrl: `${base}/arm`,
    armAudience: 'https://management.core.windows.net/',
    graphUrl: `${base}/graph`,
    portalUrl: `${base}/portal`,
    loginUrl: `${base}/token`,
    authProviderId: SANDBOX_AUTH_PROVIDER_ID,
  };
}

/**
 * The shape of `microsoft-sovereign-cloud.customEnvironment` (`@azure/ms-rest-azure-env` EnvironmentParameters).
 * `microsoftGraphEndpointUrl` is our own optional addition: that type carries no Microsoft Graph URL.
 */
export interface CustomEnvironment {
  readonly name?: string;
  readonly portalUrl?: string;
  readonly resourceManagerEndpointUrl?: string;
  readonly managementEndpointUrl?: string;
  readonly activeDirectoryEndpointUrl?: string;
  readonly microsoftGraphEndpointUrl?: string;
}

export interface SovereignCloudSettings {
  /** `microsoft-sovereign-cloud.environment`: unset | `ChinaCloud` | `USGovernment` | `custom`. */
  readonly environment?: string;
  readonly customEnvironment?: unknown;
  /** Our `azureTenantLink.graphEndpoint` override (e.g. the DoD Graph host). */
  readonly graphEndpoint?: string;
}

export class CloudConfigurationError extends Error {}

export function cloudFromSettings(settings: SovereignCloudSettings): Cloud {
  const cloud = baseCloud(settings);
  return settings.graphEndpoint ? { ...cloud, graphUrl: trimSlash(settings.graphEndpoint) } : cloud;
}

function baseCloud(settings: SovereignCloudSettings): Cloud {
  switch (settings.environment) {
    case undefined:
    case '':
      return AZURE_CLOUD;
    case 'ChinaCloud':
      return CHINA_CLOUD;
    case 'USGovernment':
      return US_GOVERNMENT_CLOUD;
    case 'custom':
      return customCloud(settings.customEnvironment);
    default:
      throw new CloudConfigurationError(`Unknown value "${settings.environment}" for microsoft-sovereign-cloud.environment.`);
  }
}

function customCloud(value: unknown): Cloud {
  if (typeof value !== 'object' || value === null) {
    throw new CloudConfigurationError(
      'The custom cloud choice is not configured. Set microsoft-sovereign-cloud.customEnvironment.',
    );
  }
  const env = value as CustomEnvironment;
  const arm = env.resourceManagerEndpointUrl;
  if (typeof arm !== 'string' || !/^https:\/\//.test(arm)) {
    throw new CloudConfigurationError('microsoft-sovereign-cloud.customEnvironment needs an https resourceManagerEndpointUrl.');
  }
  return {
    name: 'custom',
    displayName: typeof env.name === 'string' ? env.name : 'Custom cloud',
    armUrl: trimSlash(arm),
    armAudience: typeof env.managementEndpointUrl === 'string' ? env.managementEndpointUrl : `${trimSlash(arm)}/`,
    graphUrl: trimSlash(typeof env.microsoftGraphEndpointUrl === 'string' ? env.microsoftGraphEndpointUrl : AZURE_CLOUD.graphUrl),
    portalUrl: trimSlash(typeof env.portalUrl === 'string' ? env.portalUrl : AZURE_CLOUD.portalUrl),
    loginUrl: trimSlash(typeof env.activeDirectoryEndpointUrl === 'string' ? env.activeDirectoryEndpointUrl : AZURE_CLOUD.loginUrl),
    authProviderId: 'microsoft-sovereign-cloud',
  };
}

/** OAuth scope for a resource in a cloud, e.g. `https://management.core.windows.net//.default` is avoided. */
export function scopeFor(cloud: Cloud, resource: 'arm' | 'graph'): string {
  const audience = resource === 'arm' ? cloud.armAudience : cloud.graphUrl;
  return `${trimSlash(audience)}/.default`;
}

/** Portal link to a subscription, opened in a given directory. */
export function portalSubscriptionUrl(cloud: Cloud, tenantIdOrDomain: string, subscriptionId: string): string {
  return `${cloud.portalUrl}/#@${encodeURIComponent(tenantIdOrDomain)}/resource/subscriptions/${encodeURIComponent(subscriptionId)}/overview`;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
