import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { countAssignments } from '../../../src/sandbox/server';
import { AUTH, CONTOSO, FABRIKAM, MEGAN, objectId, PROD, RA_VERSION, RILEY, scenario, useSandbox } from './helpers';

const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const list = (filter?: string): string => `/subscriptions/${PROD}${AUTH}/roleAssignments?${RA_VERSION}${filter === undefined ? '' : `&$filter=${encodeURIComponent(filter)}`}`;
const at = (name: string): string => `/subscriptions/${PROD}${AUTH}/roleAssignments/${name}?${RA_VERSION}`;
const body = (principalId: string, role = READER, principalType = 'User'): unknown => ({ properties: { roleDefinitionId: `/subscriptions/${PROD}${AUTH}/roleDefinitions/${role}`, principalId, principalType } });

describe('sandbox ARM: role assignments and definitions', () => {
  const { c, sb } = useSandbox({ pageSize: 7 });
  const expected = scenario.expectedCounts[PROD];
  const riley = objectId('Fabrikam Labs', RILEY);

  it('records counts in the scenario that match its data', () => {
    assert.ok(expected !== undefined);
    assert.deepEqual(countAssignments(scenario, PROD), expected);
    assert.ok(expected.subscription + expected.resourceGroup + expected.resource >= 20);
  });

  it('lists at, above and below the subscription without a filter; atScope() drops RG and resource scopes', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const all = await c().all(list(), token);
    assert.ok(expected !== undefined);
    assert.equal(all.items.length, expected.subscription + expected.resourceGroup + expected.resource + expected.inherited);
    assert.equal(all.pages, Math.ceil(all.items.length / 7));
    const atScope = await c().all(list('atScope()'), token);
    assert.equal(atScope.items.length, expected.subscription + expected.inherited);
    const scopes = atScope.items.map((a) => (a as { properties: { scope: string } }).properties.scope);
    assert.ok(scopes.some((s) => s.startsWith('/providers/Microsoft.Management/managementGroups/')));
    assert.ok(scopes.every((s) => !s.includes('/resourceGroups/')));
  });

  it("filters by principalId eq and assignedTo('…') (transitive through groups)", async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const direct = await c().all(list(`principalId eq '${riley}'`), token);
    const rileyRows = scenario.roleAssignments.filter((a) => a.principalId === riley && a.scope.startsWith(`/subscriptions/${PROD}`));
    assert.equal(direct.items.length, rileyRows.length);
    const fabrikam = scenario.tenants.find((t) => t.tenantId === FABRIKAM);
    const groups = new Set(fabrikam?.groups.filter((g) => g.members.includes(riley)).map((g) => g.id));
    assert.ok(groups.size > 0, 'Riley is in a group');
    const transitive = await c().all(list(`assignedTo('${riley}')`), token);
    const principals = transitive.items.map((a) => (a as { properties: { principalId: string } }).properties.principalId);
    assert.ok(transitive.items.length > direct.items.length);
    assert.ok(principals.every((p) => p === riley || groups.has(p)));
    const both = await c().all(list(`atScope() and assignedTo('${riley}')`), token);
    assert.ok(both.items.length < transitive.items.length);
    assert.ok(both.items.every((a) => !(a as { properties: { scope: string } }).properties.scope.includes('/resourceGroups/')));
  });

  it('creates (201), refuses a duplicate (409 RoleAssignmentExists), deletes (200 then 204)', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const quinn = objectId('Fabrikam Labs', 'Quinn Harper');
    const name = randomUUID();
    const created = await c().arm('PUT', at(name), { token, body: body(quinn, OWNER) });
    assert.equal(created.status, 201);
    assert.equal(created.body.name, name);
    assert.equal(created.body.properties.scope, `/subscriptions/${PROD}`);
    assert.equal(created.body.properties.principalId, quinn);
    const again = await c().arm('PUT', at(randomUUID()), { token, body: body(quinn, OWNER) });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'RoleAssignmentExists');
    assert.equal(again.body.error.message, `The role assignment already exists. The ID of the existing role assignment is ${name.replace(/-/g, '')}.`);
    assert.equal((await c().arm('GET', at(name), { token })).status, 200);
    assert.equal((await c().arm('DELETE', at(name), { token })).status, 200);
    assert.equal((await c().arm('DELETE', at(name), { token })).status, 204);
    const gone = await c().arm('GET', at(name), { token });
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, 'RoleAssignmentNotFound');
  });

  it('gets and deletes by full id (a resource-group assignment)', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const rg = scenario.roleAssignments.find((a) => a.scope.startsWith(`/subscriptions/${PROD}/resourceGroups/`));
    assert.ok(rg !== undefined);
    const id = `${rg.scope}${AUTH}/roleAssignments/${rg.name}`;
    const got = await c().arm('GET', `${id}?${RA_VERSION}`, { token });
    assert.equal(got.status, 200);
    assert.equal(got.body.id, id);
    assert.equal((await c().arm('DELETE', `${id}?${RA_VERSION}`, { token })).status, 200);
  });

  it('answers PrincipalNotFound for unknown principals and for the first n PUTs of a replicating one', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const unknown = '0badbad0-0000-4000-8000-000000000000';
    const r = await c().arm('PUT', at(randomUUID()), { token, body: body(unknown) });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'PrincipalNotFound');
    assert.match(r.body.error.message as string, new RegExp(`^Principal ${unknown.replace(/-/g, '')} does not exist in the directory ${FABRIKAM}\\.`));
    const sp = scenario.tenants.flatMap((t) => t.servicePrincipals).find((s) => s.replicationDelay > 0 && s.id.startsWith('f1'));
    assert.ok(sp !== undefined);
    for (let i = 0; i < sp.replicationDelay; i++) {
      const failed = await c().arm('PUT', at(randomUUID()), { token, body: body(sp.id, READER, 'ServicePrincipal') });
      assert.equal(failed.body.error.code, 'PrincipalNotFound', `attempt ${i + 1}`);
    }
    const ok = await c().arm('PUT', at(randomUUID()), { token, body: body(sp.id, READER, 'ServicePrincipal') });
    assert.equal(ok.status, 201);
  });

  it('refuses writes without roleAssignments/write (403 AuthorizationFailed with the documented message)', async () => {
    const megan = await c().token(FABRIKAM, 'arm', MEGAN);
    const r = await c().arm('PUT', at(randomUUID()), { token: megan, body: body(riley) });
    assert.equal(r.status, 403);
    assert.equal(r.body.error.code, 'AuthorizationFailed');
    assert.equal(r.body.error.message, `The client '${MEGAN}' with object id '${objectId('Fabrikam Labs', MEGAN)}' does not have authorization or an ABAC condition not fulfilled to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '/subscriptions/${PROD}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
    const rbacAdmin = scenario.roleAssignments.find((a) => a.role === 'f58310d9-a9f6-439a-9e8d-f62e7b41a168' && a.scope === `/subscriptions/${PROD}`);
    assert.ok(rbacAdmin !== undefined, 'the scenario has an RBAC Administrator');
  });

  it('refuses a token of another directory and a mismatched principalType', async () => {
    const contoso = await c().token(CONTOSO, 'arm');
    assert.equal((await c().arm('PUT', at(randomUUID()), { token: contoso, body: body(riley) })).body.error.code, 'InvalidAuthenticationTokenTenant');
    const token = await c().token(FABRIKAM, 'arm');
    const group = objectId('Fabrikam Labs', 'Team 42');
    const r = await c().arm('PUT', at(randomUUID()), { token, body: body(group, READER, 'User') });
    assert.equal(r.body.error.code, 'UnmatchedPrincipalType');
  });

  it('stops at the per-subscription limit (RoleAssignmentLimitExceeded)', async () => {
    const s = structuredClone(scenario);
    assert.ok(expected !== undefined);
    s.limits.roleAssignmentsPerSubscription = expected.subscription + expected.resourceGroup + expected.resource;
    sb().loadScenario(s);
    const token = await c().token(FABRIKAM, 'arm');
    const r = await c().arm('PUT', at(randomUUID()), { token, body: body(objectId('Fabrikam Labs', 'Quinn Harper'), OWNER) });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'RoleAssignmentLimitExceeded');
  });

  it('lists role definitions by name and type, gets by GUID, creates a custom role', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const defs = (f: string): string => `/subscriptions/${PROD}${AUTH}/roleDefinitions?${RA_VERSION}&$filter=${encodeURIComponent(f)}`;
    const owner = await c().arm('GET', defs("roleName eq 'Owner'"), { token });
    assert.equal(owner.body.value.length, 1);
    assert.equal(owner.body.value[0].name, OWNER);
    assert.equal(owner.body.value[0].properties.type, 'BuiltInRole');
    const custom = await c().all(defs("type eq 'CustomRole'"), token);
    assert.equal(custom.items.length, expected?.customRoles);
    const byId = await c().arm('GET', `/subscriptions/${PROD}${AUTH}/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9?${RA_VERSION}`, { token });
    assert.equal(byId.body.properties.roleName, 'User Access Administrator');
    const none = await c().arm('GET', `/subscriptions/${PROD}${AUTH}/roleDefinitions/${randomUUID()}?${RA_VERSION}`, { token });
    assert.equal(none.status, 404);
    assert.equal(none.body.error.code, 'RoleDefinitionDoesNotExist');
    const id = randomUUID();
    const put = await c().arm('PUT', `/subscriptions/${PROD}${AUTH}/roleDefinitions/${id}?${RA_VERSION}`, {
      token, body: { properties: { roleName: 'Restored Operator', type: 'CustomRole', description: 'x', permissions: [{ actions: ['*/read'], notActions: [] }], assignableScopes: [`/subscriptions/${PROD}`] } },
    });
    assert.equal(put.status, 201);
    assert.equal((await c().all(defs("type eq 'CustomRole'"), token)).items.length, (expected?.customRoles ?? 0) + 1);
  });
});
