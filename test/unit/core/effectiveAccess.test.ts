/**
 * End to end, on the sandbox's own records (not the client's view): every access to Fabrikam Production before the
 * move — active (with its end), eligible (with its end), Key Vault access policies — is there after the move and the
 * restore, for the principals the restore mapped; nothing else was granted; end dates are equal.
 */
import assert from 'node:assert/strict';
import { english } from '../../../src/core/l10n';
import { mapPrincipals } from '../../../src/core/mapping';
import { findSubscription } from '../../../src/core/plan';
import { restoreEverything } from '../../../src/core/restoreExtras';
import { takeSnapshot } from '../../../src/core/snapshot';
import type { Sandbox } from '../../../src/sandbox/server';
import { MEGAN, sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';

const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');
const SUB = `/subscriptions/${PRODUCTION}`;
const FAST = { retry: { baseDelayMs: 1, maxDelayMs: 4 } };

interface Access {
  readonly kind: 'active' | 'eligible' | 'vault';
  readonly where: string;
  readonly what: string;
  readonly principalId: string;
  readonly end: string | null;
}

const key = (a: Access): string => `${a.kind}|${a.where.toLowerCase()}|${a.what}|${a.principalId}|${a.end ?? 'permanent'}`;
const under = (scope: string): boolean => scope.toLowerCase() === SUB || scope.toLowerCase().startsWith(`${SUB}/`);

/** Effective access to the subscription and below, per principal, from the sandbox's state. */
function effectiveAccess(sb: Sandbox): Access[] {
  const d = sb.state.data;
  const ends = new Map(d.extras.pimSchedules.filter((s) => s.kind === 'assignment' && s.roleAssignmentName !== null).map((s) => [s.roleAssignmentName, s.endDateTime]));
  const vaults = d.resources.filter((r) => under(r.id) && /\/vaults\//i.test(r.id));
  return [
    ...d.roleAssignments.filter((a) => under(a.scope)).map((a): Access => ({ kind: 'active', where: a.scope, what: a.role, principalId: a.principalId, end: ends.get(a.name) ?? null })),
    ...d.extras.pimSchedules.filter((s) => s.kind === 'eligibility' && under(s.scope)).map((s): Access => ({ kind: 'eligible', where: s.scope, what: s.role, principalId: s.principalId, end: s.endDateTime })),
    ...vaults.flatMap((v) => (v.properties.accessPolicies as { objectId: string; permissions: Record<string, string[]> }[]).map((p): Access => ({
      kind: 'vault', where: v.id, what: JSON.stringify(Object.entries(p.permissions).filter(([, x]) => x.length > 0).sort()), principalId: p.objectId.toLowerCase(), end: null,
    }))),
  ];
}

describe('core issue 11: effective access before the move equals effective access after the restore, through the mapping', () => {
  const sandbox = useSandbox();

  it('0 missing, 0 extra, end dates equal (after the ReadOnly lock is lifted and the failed row retried)', async () => {
    const riley = sessionFor(sandbox());
    const snapshot = await takeSnapshot(riley, await findSubscription(riley, PRODUCTION, english), english);
    const before = effectiveAccess(sandbox());
    assert.ok(before.some((a) => a.kind === 'eligible') && before.some((a) => a.end !== null && a.kind === 'active') && before.some((a) => a.kind === 'vault'));

    const move = sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
    const megan = sessionFor(sandbox(), MEGAN);
    const mapping = await mapPrincipals(megan, snapshot, CONTOSO, english);
    const first = await restoreEverything(megan, snapshot, mapping, english, FAST);
    assert.equal(first.totals.failed, 1, 'the ReadOnly lock on the web app');
    sandbox().state.data.extras.locks = sandbox().state.data.extras.locks.filter((l) => l.level !== 'ReadOnly');
    const result = await restoreEverything(megan, snapshot, await mapPrincipals(megan, snapshot, CONTOSO, english), english, FAST);
    assert.equal(result.totals.failed, 0);

    // The mapping: people and groups matched, identities and policy identities re-created, custom roles re-created.
    const principal = new Map<string, string>();
    for (const p of mapping.principals) if (p.principal) principal.set(p.oldPrincipalId, p.principal.id);
    for (const i of result.identities) if (i.newPrincipalId !== null) principal.set(i.oldPrincipalId, i.newPrincipalId);
    for (const p of result.policyAssignments) if (p.oldPrincipalId !== null && p.newPrincipalId !== null) principal.set(p.oldPrincipalId, p.newPrincipalId);
    const role = new Map(result.customRoles.map((r) => [r.oldId, r.newId]));
    const expected = new Set(before.flatMap((a) => {
      const to = principal.get(a.principalId);
      return to === undefined ? [] : [key({ ...a, principalId: to, what: a.kind === 'vault' ? a.what : role.get(a.what) ?? a.what })];
    }));
    const after = new Set(effectiveAccess(sandbox()).filter((a) => !(a.kind === 'active' && a.principalId === move.newOwnerAssignment.principalId && a.what === move.newOwnerAssignment.role && a.where === SUB)).map(key));
    const missing = [...expected].filter((k) => !after.has(k));
    const extra = [...after].filter((k) => !expected.has(k));
    assert.deepEqual(missing, [], 'missing');
    assert.deepEqual(extra, [], 'extra');
    assert.ok(expected.size >= 15, `a meaningful comparison (${expected.size} grants)`);
    // End dates are part of each key: a time-bound or eligible grant restored with another end would be both missing and extra.
    assert.ok([...expected].some((k) => k.startsWith('active|') && !k.endsWith('|permanent')) && [...expected].some((k) => k.startsWith('eligible|') && !k.endsWith('|permanent')));
  });
});
