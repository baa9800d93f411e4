// Derives src/sandbox/scenarios/delegated.json from the default scenario, so the two stay the same world: the same
// people, names and ids, plus two subscriptions Riley sees in Fabrikam Labs only through an Azure Lighthouse delegation
// (`managedByTenants`, docs/sandbox.md): "Adatum Operations", homed in Adatum Corporation — a directory Riley is not in —
// and "Northwind Analytics", homed in Northwind Traders, which needs its own (MFA) sign-in.
// `node scripts/delegated-scenario.mjs` rewrites the file; a unit test fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';

export const ADATUM = '55555555-5555-4555-8555-555555555555';
export const ADATUM_OPERATIONS = 'a5a5a5a5-0000-4000-8000-000000000001';
export const NORTHWIND_ANALYTICS = 'a3a3a3a3-0000-4000-8000-000000000001';

export function deriveDelegated(defaultScenario) {
  const d = JSON.parse(JSON.stringify(defaultScenario));
  d.name = 'delegated';
  d.description = 'The default world, plus two subscriptions delegated to Fabrikam Labs through Azure Lighthouse: Adatum Operations (home Adatum Corporation, which Riley cannot reach) and Northwind Analytics (home Northwind Traders, which needs its own sign-in). Riley sees both in Fabrikam Labs and cannot plan their move from there.';
  const tenant = (name) => d.tenants.find((t) => t.displayName === name);
  const riley = (name) => tenant(name).users.find((u) => u.account === d.defaultAccount).id;
  const fabrikam = tenant('Fabrikam Labs');
  const northwind = tenant('Northwind Traders');
  d.tenants.push({
    tenantId: ADATUM, displayName: 'Adatum Corporation', defaultDomain: 'adatum.onmicrosoft.com',
    domains: [{ name: 'adatum.onmicrosoft.com', isDefault: true, isInitial: true, capabilities: 'None' }],
    countryCode: 'US', country: 'United States', policy: null, managementGroups: [], subscribedSkus: [], assignedPlans: [], provisionedPlans: [],
    users: [{ id: 'a5000000-0001-4000-8000-000000000001', displayName: 'Lee Gu', givenName: 'Lee', surname: 'Gu', userPrincipalName: 'lee@adatum.onmicrosoft.com', mail: 'lee@adatum.onmicrosoft.com', jobTitle: null, userType: 'Member', accountEnabled: true, account: null, directoryRoles: ['Global Administrator'] }],
    groups: [], servicePrincipals: [],
  });
  const subscription = (subscriptionId, displayName, home, role) => ({
    subscriptionId, displayName, tenantId: home, state: 'Enabled', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off', locationPlacementId: 'Public_2014-09-01',
    managementGroups: [], resourceGroups: [{ name: 'rg-ops', location: 'westeurope' }], classicAdministrators: [], tags: {},
    managedByTenants: [{ tenantId: fabrikam.tenantId, authorizations: [{ principalId: riley('Fabrikam Labs'), role }] }],
  });
  d.subscriptions.push(subscription(ADATUM_OPERATIONS, 'Adatum Operations', ADATUM, 'Contributor'), subscription(NORTHWIND_ANALYTICS, 'Northwind Analytics', northwind.tenantId, 'Reader'));
  d.roleAssignments.push(
    { name: 'ab000055-0000-4000-8000-000000000001', scope: `/subscriptions/${ADATUM_OPERATIONS}`, role: 'Owner', principalId: 'a5000000-0001-4000-8000-000000000001', principalType: 'User' },
    // Riley, a guest in Northwind, reads the subscription there too: once he signs in to Northwind it lists under its home.
    { name: 'ab000033-0000-4000-8000-000000000001', scope: `/subscriptions/${NORTHWIND_ANALYTICS}`, role: 'Reader', principalId: riley('Northwind Traders'), principalType: 'User' },
  );
  return d;
}

if (process.argv[1]?.endsWith('delegated-scenario.mjs')) {
  const source = JSON.parse(readFileSync('src/sandbox/scenarios/default.json', 'utf8'));
  writeFileSync('src/sandbox/scenarios/delegated.json', JSON.stringify(deriveDelegated(source), null, 2) + '\n');
}
