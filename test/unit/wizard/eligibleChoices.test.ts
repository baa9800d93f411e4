/**
 * Step 3's eligible rows each keep their own pick. Team 42 (a Fabrikam group, nobody in Contoso) was eligible for two
 * roles; the user gives one to Contoso's Team 42 group and the other to Alex: each role goes to the one chosen for
 * it, and the other row's choice never moves (before, a pick on an eligible row could not be taken at all, and a
 * choice applied to every eligible row of the same old principal: the last one chosen won).
 */
import assert from 'node:assert/strict';
import { english } from '../../../src/core/l10n';
import { mapPrincipals } from '../../../src/core/mapping';
import { takeSnapshot } from '../../../src/core/snapshot';
import { eligibleRowsOf } from '../../../src/wizard/extrasProtocol';
import { withChoices } from '../../../src/wizard/toProtocol';
import { variant } from '../core/fixtures';
import { sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { reopenedOnStep3 } from './host';

const FABRIKAM = tenantByName('Fabrikam Labs');
const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');
const TEAM42_OLD = 'f1000000-0002-4000-8000-000000000001'; // Fabrikam Labs' "Team 42"
const TEAM42_NEW = 'c2000000-0002-4000-8000-000000000006'; // Contoso's "Team 42": another object, same name
const ALEX = 'c2000000-0001-4000-8000-000000000003'; // Alex Wilber, Contoso
const READER = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'; // built-in role GUIDs
const CONTRIBUTOR = 'b24988ac-6180-42a0-ab88-20f7382dd24c';
const READER_ROW = 'e1000001-0000-4000-8000-0000000000a1';
const CONTRIBUTOR_ROW = 'e1000001-0000-4000-8000-0000000000a2';

describe('wizard step 3: eligible rows of one old principal, each to its own choice', () => {
  const sandbox = useSandbox({ scenario: variant((s) => {
    const eligible = { kind: 'eligibility' as const, principalId: TEAM42_OLD, principalType: 'Group' as const, startDateTime: '2026-01-10T09:00:00Z', endDateTime: null, roleAssignmentName: null };
    s.extras.pimSchedules.push(
      { ...eligible, name: READER_ROW, scope: `/subscriptions/${PRODUCTION}`, role: 'Reader' },
      { ...eligible, name: CONTRIBUTOR_ROW, scope: `/subscriptions/${PRODUCTION}/resourceGroups/rg-data`, role: 'Contributor' },
    );
  }) });

  it('restores each eligible role to the principal picked for its row, and nothing else to either', async () => {
    const { wizard } = await reopenedOnStep3(sandbox());
    const row = (id: string) => wizard.state().admins?.restore?.find((r) => r.id === id);
    assert.equal(row(READER_ROW)?.eligible, true);
    assert.equal(row(READER_ROW)?.match, 'unmatched');
    assert.equal(row(CONTRIBUTOR_ROW)?.chosen, null);

    await wizard.searchRestorePrincipal(READER_ROW, TEAM42_NEW);
    await wizard.dispatch({ type: 'chooseRestorePrincipal', rowId: READER_ROW, principalId: TEAM42_NEW });
    assert.equal(wizard.state().error, null, wizard.state().error?.message);
    assert.equal(row(READER_ROW)?.chosen, TEAM42_NEW);
    assert.equal(row(READER_ROW)?.role, 'Reader', 'the dry run names the role');
    assert.equal(row(CONTRIBUTOR_ROW)?.chosen, null, 'the other row of Team 42 keeps its own (no one)');

    await wizard.searchRestorePrincipal(CONTRIBUTOR_ROW, ALEX);
    await wizard.dispatch({ type: 'chooseRestorePrincipal', rowId: CONTRIBUTOR_ROW, principalId: ALEX });
    assert.equal(row(CONTRIBUTOR_ROW)?.chosen, ALEX);
    assert.equal(row(READER_ROW)?.chosen, TEAM42_NEW, 'and the first pick stays');

    await wizard.dispatch({ type: 'createAssignments' });
    assert.equal(row(READER_ROW)?.result?.status, 'created', JSON.stringify(row(READER_ROW)?.result));
    assert.equal(row(CONTRIBUTOR_ROW)?.result?.status, 'created', JSON.stringify(row(CONTRIBUTOR_ROW)?.result));
    const schedules = sandbox().state.data.extras.pimSchedules.filter((x) => x.kind === 'eligibility' && (x.principalId === TEAM42_NEW || x.principalId === ALEX));
    const byPrincipal = schedules.map((x) => [x.principalId, x.role.split('/').pop(), x.scope.toLowerCase()]).sort();
    assert.deepEqual(byPrincipal, [
      [ALEX, CONTRIBUTOR, `/subscriptions/${PRODUCTION}/resourcegroups/rg-data`],
      [TEAM42_NEW, READER, `/subscriptions/${PRODUCTION}`],
    ].sort());
    wizard.dispose();
  });

  it('hands the restore each eligible row\'s own pick, and leaves the principal table as the mapping made it', async () => {
    const session = sessionFor(sandbox());
    const snapshot = await takeSnapshot(session, await session.arm.getSubscription(FABRIKAM, PRODUCTION), english);
    const mapping = await mapPrincipals(session, snapshot, CONTOSO, english);
    // Both rows of Team 42 offer both people (as an ambiguous match would); the user picks a different one on each.
    const offered = [{ id: TEAM42_NEW, displayName: 'Team 42', detail: null, type: 'Group' as const }, { id: ALEX, displayName: 'Alex Wilber', detail: null, type: 'User' as const }];
    const rows = eligibleRowsOf(mapping, snapshot).map((r) => (r.id === READER_ROW ? { ...r, candidates: offered, chosen: TEAM42_NEW } : r.id === CONTRIBUTOR_ROW ? { ...r, candidates: offered, chosen: ALEX } : r));
    const given = withChoices(mapping, snapshot, rows);
    const choices = given.mapping.eligibleChoices;
    assert.ok(choices);
    assert.equal(choices.get(READER_ROW)?.id, TEAM42_NEW);
    assert.equal(choices.get(CONTRIBUTOR_ROW)?.id, ALEX, 'not the last pick for both');
    assert.deepEqual(given.mapping.principals, mapping.principals, 'a pick on a row reaches nothing else of that old principal');
    assert.deepEqual(given.snapshot.eligibleAssignments?.filter((e) => e.principalId === TEAM42_OLD).map((e) => e.name).sort(), [READER_ROW, CONTRIBUTOR_ROW].sort());
  });
});
