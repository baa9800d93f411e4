/**
 * Step 3's restore rows show exactly what the restore would write: a dry run over the sandbox names each role as Azure
 * names its GUID now (a file claiming "Contributor" on Owner's GUID shows Owner) and refuses rows outside the
 * subscription, which say why and are not pre-selected. The snapshot file is untrusted input.
 */
import assert from 'node:assert/strict';
import { mapPrincipals } from '../../../src/core/mapping';
import { english } from '../../../src/core/l10n';
import { restoreSnapshot } from '../../../src/core/restore';
import { takeSnapshot, type Snapshot } from '../../../src/core/snapshot';
import { restoreRowsOf } from '../../../src/wizard/toProtocol';
import { MEGAN, sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';

const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');
const DEV_TEST = subscriptionByName('Fabrikam Dev/Test');
const OWNER = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635';

describe('wizard: restore rows from a dry run', () => {
  const sandbox = useSandbox();

  it('names roles as Azure does now and refuses rows outside the subscription, before anything is written', async () => {
    const riley = sessionFor(sandbox());
    const sub = await riley.arm.getSubscription(tenantByName('Fabrikam Labs'), PRODUCTION);
    const taken = await takeSnapshot(riley, sub, english);
    // A hostile edit: a matched user's row claims Contributor while carrying Owner's GUID; another points elsewhere.
    const matched = taken.roleAssignments.filter((a) => a.removed && a.principalType === 'User' && a.principal !== null);
    const [disguised, escaping] = [matched[0], matched[1]];
    assert.ok(disguised && escaping);
    const snapshot: Snapshot = {
      ...taken,
      roleAssignments: taken.roleAssignments.map((a) =>
        a === disguised ? { ...a, roleName: 'Contributor', roleDefinitionId: OWNER }
          : a === escaping ? { ...a, scope: `/subscriptions/${PRODUCTION}/../${DEV_TEST}` } : a),
    };
    sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
    const megan = sessionFor(sandbox(), MEGAN);
    const before = sandbox().state.data.roleAssignments.length;
    const mapping = await mapPrincipals(megan, snapshot, CONTOSO, english);
    const rows = restoreRowsOf(mapping, await restoreSnapshot(megan, snapshot, mapping, english, { dryRun: true }));
    assert.equal(sandbox().state.data.roleAssignments.length, before, 'a dry run writes nothing');

    const shown = rows.find((r) => r.id === disguised.name);
    assert.equal(shown?.role, 'Owner', 'the role Azure gives the GUID now, not the name in the file');
    const refused = rows.find((r) => r.id === escaping.name);
    assert.match(refused?.reason ?? '', /^refused: /);
    assert.equal(refused?.chosen, null, 'a row the restore refuses is not pre-selected');
    // Without the dry run the file's word would be shown (what the wizard did before).
    assert.equal(restoreRowsOf(mapping).find((r) => r.id === disguised.name)?.role, 'Contributor');
  });
});
