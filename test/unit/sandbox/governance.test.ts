import * as assert from 'node:assert/strict';
import { parseScenario } from '../../../src/sandbox/server';
import { AUTH, CONTOSO, FABRIKAM, MEGAN, objectId, PROD, scenario, useSandbox } from './helpers';

const PIM = 'api-version=2020-10-01';
const SUB = `/subscriptions/${PROD}`;
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7';
const WEB = `${SUB}/resourceGroups/rg-app-1/providers/Microsoft.Web/sites/app-fabrikam-web`;
const VM = `${SUB}/resourceGroups/rg-shared/providers/Microsoft.Compute/virtualMachines/vm-build-01`;
const VAULT = `${SUB}/resourceGroups/rg-data/providers/Microsoft.KeyVault/vaults/kv-fabrikam-prod`;
const eligibility = (scope: string, filter = ''): string => `${scope}${AUTH}/roleEligibilityScheduleInstances?${PIM}${filter}`;
const requestBody = (principalId: string, role: string, expiration: Record<string, unknown>): unknown => ({
  properties: { principalId, roleDefinitionId: `${SUB}${AUTH}/roleDefinitions/${role}`, requestType: 'AdminAssign', scheduleInfo: { startDateTime: '2026-11-26T10:00:00Z', expiration } },
});

describe('sandbox ARM: PIM, policy, locks, deny assignments, Lighthouse, vaults and identities (azure-api-2.md)', () => {
  let clock = new Date('2026-11-26T10:00:00Z');
  const { c, sb } = useSandbox({ now: () => clock });
  beforeEach(() => { clock = new Date('2026-11-26T10:00:00Z'); });

  it('lists eligibility instances in Microsoft\'s shape; atScope() leaves out resource groups', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const all = await c().all(eligibility(SUB), token);
    const expected = scenario.extras.pimSchedules.filter((s) => s.kind === 'eligibility');
    assert.equal(all.items.length, expected.length);
    const permanent = expected.find((e) => e.endDateTime === null);
    const item = (all.items as { id: string; name: string; type: string; properties: Record<string, unknown> }[]).find((i) => i.properties.principalId === permanent?.principalId);
    assert.ok(item);
    assert.equal(item.type, 'Microsoft.Authorization/RoleEligibilityScheduleInstances');
    assert.match(item.id, new RegExp(`^${SUB}/providers/Microsoft.Authorization/RoleEligibilityScheduleInstances/[0-9a-f-]{36}$`, 'i'));
    assert.equal(item.properties.roleDefinitionId, `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${OWNER}`);
    assert.equal(item.properties.endDateTime, null);
    assert.equal(item.properties.memberType, 'Direct');
    assert.equal(item.properties.status, 'Provisioned');
    const atScope = await c().all(eligibility(SUB, '&$filter=atScope()'), token);
    assert.equal(atScope.items.length, expected.filter((s) => s.scope.toLowerCase() === SUB).length);
    const assignments = await c().all(`${SUB}${AUTH}/roleAssignmentScheduleInstances?${PIM}`, token);
    const timeBound = assignments.items[0] as { properties: { originRoleAssignmentId: string; endDateTime: string; assignmentType: string } };
    assert.match(timeBound.properties.originRoleAssignmentId, /\/roleAssignments\/ab000001-0000-4000-8000-000000000019$/);
    assert.equal(timeBound.properties.assignmentType, 'Assigned');
    assert.ok(timeBound.properties.endDateTime.startsWith('2027-05-31'));
    // An ended schedule is no instance any more.
    clock = new Date('2027-06-01T00:00:00Z');
    assert.equal((await c().all(`${SUB}${AUTH}/roleAssignmentScheduleInstances?${PIM}`, await c().token(FABRIKAM, 'arm'))).items.length, 0);
  });

  it('AdminAssign requests create a schedule (an assignment one also its role assignment); a duplicate is RoleAssignmentExists, a reused request name is refused', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const jamie = objectId('Fabrikam Labs', 'Jamie Park');
    const url = (kind: string, name: string): string => `${SUB}${AUTH}/${kind}ScheduleRequests/${name}?${PIM}`;
    const created = await c().arm('PUT', url('roleEligibility', 'aaaaaaaa-0000-4000-8000-000000000001'), { token, body: requestBody(jamie, OWNER, { type: 'AfterDateTime', endDateTime: '2027-01-31T00:00:00Z' }) });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.type, 'Microsoft.Authorization/RoleEligibilityScheduleRequests');
    assert.equal(created.body.properties.status, 'Provisioned');
    assert.equal(typeof created.body.properties.targetRoleEligibilityScheduleId, 'string');
    const dup = await c().arm('PUT', url('roleEligibility', 'aaaaaaaa-0000-4000-8000-000000000002'), { token, body: requestBody(jamie, OWNER, { type: 'NoExpiration' }) });
    assert.equal(dup.status, 400);
    assert.deepEqual(dup.body.error, { code: 'RoleAssignmentExists', message: 'The Role assignment already exists.' });
    const reused = await c().arm('PUT', url('roleEligibility', 'aaaaaaaa-0000-4000-8000-000000000001'), { token, body: requestBody(jamie, READER, { type: 'NoExpiration' }) });
    assert.equal(reused.status, 400);
    assert.match(String(reused.body.error.message), /A role assignment request with Id: aaaaaaaa-0000-4000-8000-000000000001 already exists/);
    const active = await c().arm('PUT', url('roleAssignment', 'aaaaaaaa-0000-4000-8000-000000000003'), { token, body: requestBody(jamie, READER, { type: 'AfterDuration', duration: 'P30D' }) });
    assert.equal(active.status, 201, active.text);
    assert.ok(sb().state.data.roleAssignments.some((a) => a.principalId === jamie && a.role === READER && a.scope === SUB), 'the role assignment exists');
    const end = sb().state.data.extras.pimSchedules.find((s) => s.kind === 'assignment' && s.principalId === jamie)?.endDateTime;
    assert.equal(end, '2026-12-26T10:00:00.000Z');
  });

  it('a role-management policy that requires an end refuses permanent eligibility with the ExpirationRule error and names its maximum', async () => {
    const s = structuredClone(scenario);
    s.extras.roleManagementPolicies.push({ name: 'bbbbbbbb-0000-4000-8000-000000000001', scope: SUB, role: OWNER, eligibilityExpirationRequired: true, eligibilityMaximumDuration: 'P180D' });
    sb().loadScenario(s);
    const token = await c().token(FABRIKAM, 'arm');
    const jamie = objectId('Fabrikam Labs', 'Jamie Park');
    const refused = await c().arm('PUT', `${SUB}${AUTH}/roleEligibilityScheduleRequests/aaaaaaaa-0000-4000-8000-000000000009?${PIM}`, { token, body: requestBody(jamie, OWNER, { type: 'NoExpiration' }) });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.body.error, { code: 'RoleAssignmentRequestPolicyValidationFailed', message: 'The following policy rules failed: ["ExpirationRule"]' });
    const assignments = await c().all(`${SUB}${AUTH}/roleManagementPolicyAssignments?${PIM}&$filter=roleDefinitionId eq '${SUB}${AUTH}/roleDefinitions/${OWNER}'`, token);
    const policyId = (assignments.items[0] as { properties: { policyId: string } }).properties.policyId;
    const policy = await c().arm('GET', `${policyId}?${PIM}`, { token });
    assert.deepEqual(policy.body.properties.rules[0], { isExpirationRequired: true, maximumDuration: 'P180D', id: 'Expiration_Admin_Eligibility', ruleType: 'RoleManagementPolicyExpirationRule', target: { caller: 'Admin', operations: ['All'], level: 'Eligibility' } });
  });

  it('policy assignments: listed with identities; PUT with a system identity gives a new principal in the directory; a custom definition is not found', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const list = await c().all(`${SUB}${AUTH}/policyAssignments?api-version=2023-04-01&$filter=atScope()`, token);
    const withIdentity = (list.items as { identity?: { type: string; principalId: string; tenantId: string }; location?: string }[]).find((p) => p.identity !== undefined);
    assert.deepEqual(withIdentity?.identity, { type: 'SystemAssigned', principalId: 'f1000000-0004-4000-8000-000000000007', tenantId: FABRIKAM });
    const body = { location: 'westeurope', identity: { type: 'SystemAssigned' }, properties: { displayName: 'x', policyDefinitionId: '/providers/Microsoft.Authorization/policyDefinitions/abc' } };
    const put = await c().arm('PUT', `${SUB}${AUTH}/policyAssignments/new-one?api-version=2025-03-01`, { token, body });
    assert.equal(put.status, 201, put.text);
    const principal = put.body.identity.principalId as string;
    assert.ok(sb().state.tenant(FABRIKAM)?.servicePrincipals.some((p) => p.id === principal && p.servicePrincipalType === 'ManagedIdentity'));
    const noLocation = await c().arm('PUT', `${SUB}${AUTH}/policyAssignments/other?api-version=2025-03-01`, { token, body: { ...body, location: undefined } });
    assert.equal(noLocation.status, 400);
    const custom = await c().arm('PUT', `${SUB}${AUTH}/policyAssignments/other?api-version=2025-03-01`, { token, body: { properties: { policyDefinitionId: `${SUB}${AUTH}/policyDefinitions/mine` } } });
    assert.equal(custom.status, 404);
    assert.equal(custom.body.error.code, 'PolicyDefinitionNotFound');
  });

  it('a move deletes schedules, policy assignments and exemptions; vaults keep the old tenantId; identities keep their old directory', async () => {
    const record = sb().moveSubscription(PROD, CONTOSO, MEGAN);
    assert.equal(record.deletedExtras.pimSchedules.length, scenario.extras.pimSchedules.length);
    assert.equal(record.deletedExtras.policyAssignments.length, scenario.extras.policyAssignments.length);
    const token = await c().token(CONTOSO, 'arm', MEGAN);
    assert.equal((await c().all(eligibility(SUB), token)).items.length, 0);
    assert.equal((await c().all(`${SUB}${AUTH}/policyAssignments?api-version=2023-04-01`, token)).items.length, 0);
    assert.equal((await c().all(`${SUB}${AUTH}/policyExemptions?api-version=2022-07-01-preview`, token)).items.length, 0);
    const vault = await c().arm('GET', `${VAULT}?api-version=2023-07-01`, { token });
    assert.equal(vault.body.properties.tenantId, FABRIKAM);
    const vm = await c().arm('GET', `${VM}?api-version=2024-07-01`, { token });
    assert.equal(vm.body.identity.tenantId, FABRIKAM);
    assert.equal((await c().all(`${SUB}${AUTH}/locks?api-version=2016-09-01`, token)).items.length, scenario.extras.locks.length, 'locks stay');
  });

  it('PATCH identity: None then SystemAssigned gives a new principal in the current directory and keeps user-assigned ones; a ReadOnly lock refuses with ScopeLocked', async () => {
    sb().moveSubscription(PROD, CONTOSO, MEGAN);
    const token = await c().token(CONTOSO, 'arm', MEGAN);
    const users = { userAssignedIdentities: { [`${SUB}/resourceGroups/rg-shared/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-fabrikam-deploy`]: {} } };
    const off = await c().arm('PATCH', `${VM}?api-version=2024-07-01`, { token, body: { identity: { type: 'UserAssigned', ...users } } });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.identity.principalId, undefined);
    const on = await c().arm('PATCH', `${VM}?api-version=2024-07-01`, { token, body: { identity: { type: 'SystemAssigned, UserAssigned', ...users } } });
    assert.equal(on.body.identity.tenantId, CONTOSO);
    assert.notEqual(on.body.identity.principalId, 'f1000000-0004-4000-8000-000000000002');
    assert.ok(sb().state.tenant(CONTOSO)?.servicePrincipals.some((p) => p.id === on.body.identity.principalId));
    assert.deepEqual(Object.keys(on.body.identity.userAssignedIdentities as object), Object.keys(users.userAssignedIdentities));
    const again = await c().arm('PATCH', `${VM}?api-version=2024-07-01`, { token, body: { identity: { type: 'SystemAssigned, UserAssigned', ...users } } });
    assert.equal(again.body.identity.principalId, on.body.identity.principalId, 'switching on what is on changes nothing');
    const locked = await c().arm('PATCH', `${WEB}?api-version=2023-12-01`, { token, body: { identity: { type: 'None' } } });
    assert.equal(locked.status, 409);
    assert.equal(locked.body.error.code, 'ScopeLocked');
    assert.match(String(locked.body.error.message), /cannot perform write operation because following scope\(s\) are locked: '.*\/locks\/web-readonly'\. Please remove the lock and try again\./);
  });

  it('vaults: PATCH tenantId with no access policies, then accessPolicies/add merges; a policy of another directory is refused', async () => {
    sb().moveSubscription(PROD, CONTOSO, MEGAN);
    const token = await c().token(CONTOSO, 'arm', MEGAN);
    const patched = await c().arm('PATCH', `${VAULT}?api-version=2023-07-01`, { token, body: { properties: { tenantId: CONTOSO, accessPolicies: [] } } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.properties.tenantId, CONTOSO);
    const add = (permissions: Record<string, string[]>, tenantId = CONTOSO): Promise<{ status: number; body: { properties: { accessPolicies: unknown[] }; id: string } }> =>
      c().arm('PUT', `${VAULT}/accessPolicies/add?api-version=2024-11-01`, { token, body: { properties: { accessPolicies: [{ tenantId, objectId: objectId('Contoso Ltd', MEGAN), permissions }] } } });
    assert.equal((await add({ secrets: ['get'] })).status, 200);
    const merged = await add({ secrets: ['list'], keys: ['get'] });
    assert.equal(merged.body.id, `${VAULT}/accessPolicies/`);
    assert.deepEqual(merged.body.properties.accessPolicies, [{ tenantId: CONTOSO, objectId: objectId('Contoso Ltd', MEGAN), permissions: { secrets: ['get', 'list'], keys: ['get'] } }]);
    assert.equal((await add({ secrets: ['get'] }, FABRIKAM)).status, 400);
  });

  it('deny assignments and Lighthouse registration assignments (with the definition expanded)', async () => {
    const token = await c().token(FABRIKAM, 'arm');
    const deny = await c().all(`${SUB}${AUTH}/denyAssignments?api-version=2022-04-01`, token);
    assert.equal((deny.items[0] as { properties: { isSystemProtected: boolean } }).properties.isSystemProtected, true);
    const lh = await c().all(`${SUB}/providers/Microsoft.ManagedServices/registrationAssignments?api-version=2022-10-01&$expandRegistrationDefinition=true`, token);
    const def = (lh.items[0] as { properties: { registrationDefinition: { properties: { managedByTenantName: string; authorizations: unknown[] } } } }).properties.registrationDefinition.properties;
    assert.equal(def.managedByTenantName, 'Tailspin Toys');
    assert.equal(def.authorizations.length, 1);
  });

  it('refuses a scenario whose extras are malformed, naming the path', () => {
    const bad = structuredClone(scenario) as unknown as { extras: { pimSchedules: { principalId: string }[] } };
    const first = bad.extras.pimSchedules[0];
    assert.ok(first);
    first.principalId = 'nope';
    assert.throws(() => parseScenario(bad), /scenario\.extras\.pimSchedules\[0\]\.principalId must be a GUID/);
  });
});
