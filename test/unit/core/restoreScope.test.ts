import assert from 'node:assert/strict';
import { english } from '../../../src/core/l10n';
import { checkRestoreScope } from '../../../src/core/restoreScope';

const SUB = 'a1a1a1a1-0000-4000-8000-000000000001';
const OTHER = 'a1a1a1a1-0000-4000-8000-000000000002';

describe('restore scope check (a snapshot file is untrusted)', () => {
  it('accepts the subscription and what is below it, normalised', () => {
    const ok = (raw: string, expected: string): void => {
      const r = checkRestoreScope(raw, SUB, english);
      assert.deepEqual(r, { ok: true, scope: expected }, raw);
    };
    ok(`/subscriptions/${SUB}`, `/subscriptions/${SUB}`);
    ok(`/subscriptions/${SUB.toUpperCase()}/`, `/subscriptions/${SUB}`);
    ok(`/Subscriptions/${SUB}/resourceGroups/rg-App`, `/subscriptions/${SUB}/resourceGroups/rg-App`);
    ok(`/subscriptions/${SUB}/resourceGroups/rg%20one/providers/Microsoft.Web/sites/web`, `/subscriptions/${SUB}/resourceGroups/rg one/providers/Microsoft.Web/sites/web`);
  });

  it('refuses anything that could land elsewhere, naming why', () => {
    const refused: readonly [string, RegExp][] = [
      [`/subscriptions/${OTHER}`, /is not in subscription/],
      ['/', /empty segment|is not in subscription/],
      ['/providers/Microsoft.Management/managementGroups/root', /is not in subscription/],
      [`/subscriptions/${SUB}x`, /is not in subscription/],
      [`/subscriptions/${SUB}/../${OTHER}`, /\. or \.\. segment/],
      [`/subscriptions/${SUB}/./resourceGroups/x`, /\. or \.\. segment/],
      [`/subscriptions/${SUB}/%2e%2e/${OTHER}`, /encoded separator or dot/],
      [`/subscriptions/${SUB}/resourceGroups%2Fx`, /encoded separator or dot/],
      [`/subscriptions/${SUB}/resourceGroups%5Cx`, /encoded separator or dot/],
      [`/subscriptions/${SUB}\\..\\${OTHER}`, /backslash/],
      [`/subscriptions/${SUB}//resourceGroups/x`, /doubled slash/],
      [`//subscriptions/${SUB}`, /doubled slash/],
      [`/subscriptions/${SUB}/resourceGroups/x?api-version=1`, /query or fragment/],
      [`/subscriptions/${SUB}/resourceGroups/%E0%A4%A`, /percent-encoding/],
      [`/subscriptions/${SUB}/resourceGroups/x\u0000`, /control characters/],
      [`subscriptions/${SUB}`, /doubled slash|empty segment/],
    ];
    for (const [raw, why] of refused) {
      const r = checkRestoreScope(raw, SUB, english);
      assert.ok(!r.ok, `${raw} must be refused`);
      assert.match(r.reason, /^refused: the scope /);
      assert.match(r.reason, why, raw);
    }
  });
});
