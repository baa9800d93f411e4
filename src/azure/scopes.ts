/**
 * The scope list asked of the editor's Microsoft sign-in for one token: the resource's `.default` scope, then
 * `VSCODE_TENANT:<id>` to pin the directory (absent = `organizations`, the home directory) and, for Microsoft Graph
 * only, `VSCODE_CLIENT_ID:<app>` for the user's own Entra app. The `VSCODE_` scopes are documented in
 * https://code.visualstudio.com/api/references/vscode-api#authentication and parsed in microsoft/vscode
 * `extensions/microsoft-authentication/src/common/scopeData.ts`.
 */
import { HOME_TENANT, type TokenRequest } from './auth';
import { scopeFor, type Cloud } from './clouds';

export function scopesFor(cloud: Cloud, request: Pick<TokenRequest, 'tenantId' | 'resource'>, graphClientId?: string): string[] {
  const scopes = [scopeFor(cloud, request.resource)];
  if (request.tenantId !== HOME_TENANT) scopes.push(`VSCODE_TENANT:${request.tenantId}`);
  if (request.resource === 'graph' && graphClientId) scopes.push(`VSCODE_CLIENT_ID:${graphClientId}`);
  return scopes;
}
