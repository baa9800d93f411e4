// Derives src/sandbox/scenarios/two-identities.json from the default scenario, so the two stay the same world:
// the same people, names and ids, except that Riley is not yet in Contoso Ltd (step 1, the invitation, has real work),
// Adele (User Administrator) and Alex (no directory role) can sign in too, and tokens carry User.Invite.All.
// `node scripts/two-identities-scenario.mjs` rewrites the file; a unit test fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';

const RILEY = 'riley@fabrikamlabs.onmicrosoft.com';
const CONTOSO = 'Contoso Ltd';
const FABRIKAM = 'Fabrikam Labs';

export function deriveTwoIdentities(defaultScenario) {
  const d = JSON.parse(JSON.stringify(defaultScenario));
  d.name = 'two-identities';
  d.description = "Riley Quinn (riley@fabrikamlabs.onmicrosoft.com) owns Fabrikam Production in his personal directory Fabrikam Labs and is not yet in Contoso Ltd; Megan Bowen (megan@contoso.com), Contoso's Global Administrator, invites him, accepts his change request and restores access. Adele Vance (User Administrator) and Alex Wilber (no directory role) also sign in.";
  if (!d.graphScopes.includes('User.Invite.All')) d.graphScopes.push('User.Invite.All');
  const tenant = (name) => d.tenants.find((t) => t.displayName === name);
  const user = (t, upn) => t.users.find((u) => u.userPrincipalName === upn);
  const contoso = tenant(CONTOSO);
  const rileyThere = contoso.users.find((u) => u.account === RILEY);
  contoso.users = contoso.users.filter((u) => u !== rileyThere);
  for (const g of contoso.groups) g.members = g.members.filter((m) => m !== rileyThere?.id);
  for (const [upn, guest] of [['adele@contoso.com', 'adele_contoso.com#EXT#@fabrikamlabs.onmicrosoft.com'], ['alexw@contoso.com', null]]) {
    const u = user(contoso, upn);
    u.account = upn;
    if (guest !== null) user(tenant(FABRIKAM), guest).account = upn;
    d.accounts.push({ upn, displayName: u.displayName, homeTenantId: contoso.tenantId });
  }
  return d;
}

if (process.argv[1]?.endsWith('two-identities-scenario.mjs')) {
  const source = JSON.parse(readFileSync('src/sandbox/scenarios/default.json', 'utf8'));
  writeFileSync('src/sandbox/scenarios/two-identities.json', JSON.stringify(deriveTwoIdentities(source), null, 2) + '\n');
}
