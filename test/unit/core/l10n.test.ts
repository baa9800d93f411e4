/**
 * User-facing words of the core go through the injected `Localize`: the wizard passes `vscode.l10n`, the CLI
 * `english`. A marking `Localize` wraps every message it is given in «…», so a sentence that bypasses l10n shows up
 * unmarked.
 */
import assert from 'node:assert/strict';
import { offerName } from '../../../src/core/checks';
import { english, type Localize } from '../../../src/core/l10n';

/** Translates to English, then wraps the sentence in «…». */
export const marking: Localize = { t: (message, ...args) => `«${english.t(message, ...args)}»` };

describe('core l10n: offer names', () => {
  it('names offers in English exactly as the CLI contract prints them', () => {
    const cases: [string | undefined, string][] = [
      ['PayAsYouGo_2014-09-01', 'Pay-As-You-Go'],
      ['MSDN_2014-09-01', 'MSDN Platforms'],
      ['MSDNDevTest_2014-09-01', 'Visual Studio Dev/Test'],
      ['EnterpriseAgreement_2014-09-01', 'Enterprise Agreement / Microsoft Customer Agreement'],
      ['FreeTrial_2014-09-01', 'Free Trial'],
      ['AzureForStudents_2018-01-01', 'Azure for Students'],
      ['CSP_2015-05-01', 'CSP'],
      ['CSP_MG_2017-12-01', 'CSP'],
      ['CSPDEVTEST_2018-05-01', 'CSP Dev/Test'],
      ['Internal_2014-09-01', 'Microsoft Internal'],
      ['DreamSpark_2015-02-01', 'Azure for Students Starter'],
      // Another version of an offer that cannot move is still named after it; an unknown offer shows without its date.
      ['CSP_AZURE_PLAN_2030-01-01', 'CSP'],
      ['Internal_Preview', 'Microsoft Internal'],
      ['Sponsored_2016-01-01', 'Sponsored'],
      ['constructor', 'constructor'],
      [undefined, 'Unknown offer'],
      ['', 'Unknown offer'],
    ];
    for (const [quotaId, name] of cases) assert.equal(offerName(quotaId, english), name, String(quotaId));
  });

  it('translates every offer name it knows, and passes an unknown quotaId through as data', () => {
    for (const quotaId of ['PayAsYouGo_2014-09-01', 'MSDNDevTest_2014-09-01', 'CSP_MG_2017-12-01', 'Internal_Preview', undefined]) {
      assert.match(offerName(quotaId, marking), /^«[^«»]+»$/, String(quotaId));
    }
    assert.equal(offerName('Sponsored_2016-01-01', marking), 'Sponsored');
  });
});
