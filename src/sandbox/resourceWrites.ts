// Resource writes a repair needs (azure-api-2.md §3, §4): PATCH of any resource (a Key Vault's properties, a
// managed identity: None → SystemAssigned gives a new principal id in the subscription's current directory) and a
// vault's accessPolicies/{add|replace|remove}. A ReadOnly lock refuses both with Azure's ScopeLocked error.
import { findResource, requireAction, requireScope, requireSubscription } from './armCommon';
import { resourceJson } from './arm';
import { newManagedIdentity, requireWritable } from './governance';
import { ApiError, bodyObject, ok, type Ctx, type Params, type Reply, type Route } from './http';
import { type JsonObject, type JsonValue, type ScenarioResource } from './scenario';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function writableResource(ctx: Ctx, raw: string, action: (type: string) => string): ScenarioResource {
  const scope = requireScope(ctx, raw);
  if (scope.kind !== 'resource') throw new ApiError(404, 'NotFound', `The path '${raw}' is not a resource id.`);
  requireAction(ctx, scope, action(scope.resourceType));
  const r = findResource(ctx, scope.canonical);
  if (r === undefined) throw new ApiError(404, 'ResourceNotFound', `The Resource '${scope.resourceType}/${scope.resourceName}' was not found.`);
  requireWritable(ctx, scope.canonical);
  return r;
}

/** `identity` of a PATCH: keeps the system identity when it stays on, creates a new one when it is switched on. */
function patchIdentity(ctx: Ctx, r: ScenarioResource, wanted: Record<string, unknown>): JsonObject | null {
  const type = typeof wanted.type === 'string' ? wanted.type : 'None';
  const system = /systemassigned/i.test(type);
  const user = /userassigned/i.test(type);
  if (!system && !user) return null;
  const current = r.identity ?? {};
  const hadSystem = /systemassigned/i.test(typeof current.type === 'string' ? current.type : '');
  const tenantId = requireSubscription(ctx, ctx.path.split('/')[2] ?? '').tenantId;
  const next: JsonObject = { type: system && user ? 'SystemAssigned, UserAssigned' : system ? 'SystemAssigned' : 'UserAssigned' };
  if (system && hadSystem && typeof current.principalId === 'string' && typeof current.tenantId === 'string') {
    next.principalId = current.principalId;
    next.tenantId = current.tenantId;
  } else if (system) {
    next.principalId = newManagedIdentity(ctx.state, tenantId, r.id.split('/').pop() ?? 'identity', r.id);
    next.tenantId = tenantId;
  }
  if (user) {
    const old = isObject(current.userAssignedIdentities) ? current.userAssignedIdentities as Record<string, JsonValue> : {};
    const asked = isObject(wanted.userAssignedIdentities) ? Object.keys(wanted.userAssignedIdentities) : Object.keys(old);
    next.userAssignedIdentities = Object.fromEntries(asked.map((id) => {
      const uami = findResource(ctx, id);
      if (uami === undefined) throw new ApiError(400, 'FailedIdentityOperation', `Resource '${id}' was not found.`);
      return [id, old[id] ?? { principalId: uami.properties.principalId ?? null, clientId: uami.properties.clientId ?? null }];
    }));
  }
  return next;
}

/** Access policies must name the vault's directory (keyvault.json: "the same tenant ID as the key vault's tenant ID"). */
const text = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');

function checkPolicies(tenantId: JsonValue | undefined, policies: unknown): JsonValue[] {
  if (!Array.isArray(policies)) throw new ApiError(400, 'BadRequest', 'properties.accessPolicies must be an array.');
  for (const p of policies) {
    if (!isObject(p) || typeof p.objectId !== 'string' || typeof p.tenantId !== 'string') throw new ApiError(400, 'BadRequest', 'Each access policy needs tenantId and objectId.');
    if (p.tenantId.toLowerCase() !== text(tenantId).toLowerCase()) throw new ApiError(400, 'BadRequest', `The tenant ID '${p.tenantId}' of an access policy does not match the vault's tenant ID '${text(tenantId)}'.`);
  }
  return policies as JsonValue[];
}

function patchResource(ctx: Ctx): Reply {
  const r = writableResource(ctx, ctx.path, (type) => `${type}/write`);
  const body = bodyObject(ctx);
  if (body.identity !== undefined) {
    if (!isObject(body.identity)) throw new ApiError(400, 'InvalidRequestContent', 'identity must be an object.');
    r.identity = patchIdentity(ctx, r, body.identity);
  }
  if (body.properties !== undefined) {
    if (!isObject(body.properties)) throw new ApiError(400, 'InvalidRequestContent', 'properties must be an object.');
    const merged = { ...r.properties, ...(body.properties as JsonObject) };
    if (/\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+$/i.test(r.id)) merged.accessPolicies = checkPolicies(merged.tenantId, merged.accessPolicies ?? []);
    r.properties = merged;
  }
  return ok(resourceJson(r, true));
}

const policyKey = (p: JsonValue): string => {
  const o = p as JsonObject;
  return `${text(o.tenantId).toLowerCase()}|${text(o.objectId).toLowerCase()}|${text(o.applicationId).toLowerCase()}`;
};

function mergePermissions(a: JsonValue, b: JsonValue): JsonObject {
  const pa = ((a as JsonObject).permissions ?? {}) as Record<string, JsonValue>;
  const pb = ((b as JsonObject).permissions ?? {}) as Record<string, JsonValue>;
  const keys = new Set([...Object.keys(pa), ...Object.keys(pb)]);
  const permissions = Object.fromEntries([...keys].map((k) => [k, [...new Set([...(Array.isArray(pa[k]) ? pa[k] : []), ...(Array.isArray(pb[k]) ? pb[k] : [])])]]));
  return { ...(a as JsonObject), permissions };
}

function putAccessPolicies(ctx: Ctx, p: Params): Reply {
  const kind = (p.kind ?? '').toLowerCase();
  if (!['add', 'replace', 'remove'].includes(kind)) throw new ApiError(400, 'BadRequest', `The operation kind '${p.kind ?? ''}' is not valid: add, replace or remove.`);
  const vault = writableResource(ctx, p.vault ?? '', () => 'Microsoft.KeyVault/vaults/accessPolicies/write');
  const props = bodyObject(ctx).properties;
  const asked = checkPolicies(vault.properties.tenantId, isObject(props) ? props.accessPolicies : undefined);
  const current = Array.isArray(vault.properties.accessPolicies) ? [...vault.properties.accessPolicies] : [];
  for (const entry of asked) {
    const i = current.findIndex((c) => policyKey(c) === policyKey(entry));
    if (kind === 'remove') { if (i >= 0) current.splice(i, 1); }
    else if (i < 0) current.push(entry);
    else current[i] = kind === 'add' ? mergePermissions(current[i] ?? {}, entry) : entry;
  }
  vault.properties = { ...vault.properties, accessPolicies: current };
  return ok({ id: `${vault.id}/accessPolicies/`, type: 'Microsoft.KeyVault/vaults/accessPolicies', properties: { accessPolicies: current } });
}

const KEY_VAULT_API = ['2022-07-01', '2023-02-01', '2023-07-01', '2024-11-01', '2025-05-01'];

export const resourceWriteRoutes: Route[] = [
  { method: 'PUT', pattern: /^(?<vault>\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[^/]+)\/accessPolicies\/(?<kind>[^/]+)$/i, versions: KEY_VAULT_API, handle: putAccessPolicies },
  { method: 'PATCH', pattern: /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/(?!Microsoft\.Authorization\/)[^/]+\/[^/]+\/[^/]+$/i, versions: 'any', handle: patchResource },
];
