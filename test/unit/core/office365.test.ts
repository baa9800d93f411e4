import assert from 'node:assert/strict';
import { describeDirectories } from '../../../src/core/directories';
import { english } from '../../../src/core/l10n';
import { detectOffice365, office365FromSkus } from '../../../src/core/office365';
import { ORGANIZATION, SUBSCRIBED_SKUS, SUBSCRIBED_SKUS_WITHOUT_OFFICE } from '../fixtures/microsoftExamples';
import { sessionFor, tenantByName, useSandbox } from '../helpers';
import type { FaultRule } from '../../../src/sandbox/faults';

const FORBIDDEN = { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } };

describe('Office 365 judged from combined sources (Microsoft\'s example bodies over the sandbox)', () => {
  const sandbox = useSandbox();
  const fabrikam = tenantByName('Fabrikam Labs');

  /** Fabrikam (no Office 365 in the scenario) answering Graph with the given literal bodies. */
  async function fabrikamWith(skus: Omit<FaultRule, 'match' | 'fault'>, organization: Omit<FaultRule, 'match' | 'fault'>) {
    sandbox().setFaults({ rules: [
      { match: '^/graph/v1.0/subscribedSkus', fault: 'reply', times: 'always', ...skus },
      { match: '^/graph/v1.0/organization', fault: 'reply', times: 'always', ...organization },
    ] });
    const dirs = await describeDirectories(sessionFor(sandbox()), english);
    const d = dirs.find((x) => x.tenantId === fabrikam);
    assert.ok(d);
    return d;
  }

  it('SKUs that name no Office plan, organization lists Exchange: yes, decided by /organization', async () => {
    const d = await fabrikamWith({ body: SUBSCRIBED_SKUS_WITHOUT_OFFICE }, { body: ORGANIZATION });
    assert.equal(d.office365, true);
    assert.deepEqual(d.office365Sources, ['organization']);
    assert.equal(d.office365Reason, 'Assigned plan: exchange');
  });

  it('subscribedsku-list.md as published (ENTERPRISEPREMIUM with only ADALLOM_S_O365): yes, by the well-known SKU', async () => {
    const d = await fabrikamWith({ body: SUBSCRIBED_SKUS }, { body: ORGANIZATION });
    assert.equal(d.office365, true);
    assert.deepEqual(d.office365Sources, ['subscribedSkus']);
    assert.equal(d.office365Reason, 'licence ENTERPRISEPREMIUM (Office 365 E5)');
    assert.equal(sandbox().requestCount(/^\/graph\/v1\.0\/organization/), 0, 'the SKUs decided: /organization is not read');
  });

  it('subscribedSkus forbidden, organization readable: yes from /organization, not unknown', async () => {
    const d = await fabrikamWith(FORBIDDEN, { body: ORGANIZATION });
    assert.equal(d.office365, true);
    assert.deepEqual(d.office365Sources, ['organization']);
  });

  it('no from both sources names both; unknown only when neither can be read', async () => {
    const noPlans = { ...ORGANIZATION, value: ORGANIZATION.value.map((o) => ({ ...o, assignedPlans: o.assignedPlans.filter((p) => p.service !== 'exchange') })) };
    const no = await fabrikamWith({ body: SUBSCRIBED_SKUS_WITHOUT_OFFICE }, { body: noPlans });
    assert.equal(no.office365, false);
    assert.deepEqual(no.office365Sources, ['subscribedSkus', 'organization']);
    const userReadOnly = { ...ORGANIZATION, value: ORGANIZATION.value.map((o) => ({ ...o, assignedPlans: null })) };
    const unknown = await fabrikamWith(FORBIDDEN, { body: userReadOnly });
    assert.equal(unknown.office365, null);
    assert.deepEqual(unknown.office365Sources, []);
  });

  it('a source failing for another reason than permission fails the verdict unless the other says yes', async () => {
    const boom = Object.assign(new Error('server'), {});
    await assert.rejects(detectOffice365({ subscribedSkus: () => Promise.reject(boom), organization: () => Promise.resolve({ id: 'o', assignedPlans: null }) }), (e) => e === boom);
    const v = await detectOffice365({ subscribedSkus: () => Promise.reject(boom), organization: () => Promise.resolve({ id: 'o', assignedPlans: [{ service: 'SharePoint', capabilityStatus: 'Enabled' }] }) });
    assert.equal(v.office365, true);
  });

  it('a well-known SKU counts only while live; matched by id when the part number is missing', () => {
    assert.equal(office365FromSkus([{ skuId: '06ebc4ee-1bb5-47dd-8120-11324bc54e06', capabilityStatus: 'Enabled', servicePlans: [] }]).office365, true);
    assert.equal(office365FromSkus([{ skuId: '06ebc4ee-1bb5-47dd-8120-11324bc54e06', skuPartNumber: 'SPE_E5', capabilityStatus: 'LockedOut' }]).office365, false);
  });
});
