/**
 * User-facing words of the core go through the injected `Localize`: the wizard passes `vscode.l10n`, the CLI
 * `english`. A marking `Localize` wraps every message it is given in «…», so a sentence that bypasses l10n shows up
 * unmarked; and with the marks taken off, the result must be exactly what `english` gives (the CLI contract).
 */
import assert from 'node:assert/strict';
import { readFileSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sandboxCloud } from '../../../src/azure/clouds';
import { changeDirectory, portalHandoff } from '../../../src/core/changeDirectory';
import { offerName } from '../../../src/core/checks';
import { describeDirectories } from '../../../src/core/directories';
import { english, type Localize } from '../../../src/core/l10n';
import { mapPrincipals } from '../../../src/core/mapping';
import { office365Reason, type Office365Basis } from '../../../src/core/office365';
import { CoreError, findSubscription, planSubscription, resolveTarget } from '../../../src/core/plan';
import { addAdministrators, restoreSnapshot } from '../../../src/core/restore';
import { parseSnapshot, readSnapshot, takeSnapshot, type Snapshot, type SnapshotAssignment } from '../../../src/core/snapshot';
import type { Scenario } from '../../../src/sandbox/scenario';
import { MEGAN, scenario, sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';
import { OWNER, oidOf, tenantOf, variant } from './fixtures';

const FABRIKAM = tenantByName('Fabrikam Labs');
const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');

/** Translates to English, then wraps the sentence in «…». */
const marking: Localize = { t: (message, ...args) => `«${english.t(message, ...args)}»` };

/** One or more whole marked sentences, nothing unmarked around them (arguments are data, never marked). */
const MARKED = /^«[^«»]+»( «[^«»]+»)*$/;
/** Marked as a whole; an argument may itself be marked (an offer name inside a check message). */
const MARKED_OUTSIDE = /^«.*»$/s;

/** The value as JSON would carry it, optionally with the marks taken off. */
function asJson(value: unknown, unmark = false): unknown {
  const text = JSON.stringify(value);
  return JSON.parse(unmark ? text.replace(/[«»]/g, '') : text);
}

/** Looks every message up in the Swedish bundle; records those it lacks (a message built at run time, say). */
function swedish(): Localize & { readonly missing: string[] } {
  const bundle = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.sv.json'), 'utf8')) as Record<string, string>;
  const missing: string[] = [];
  return { missing, t: (message, ...args) => { const sv = bundle[message]; if (sv === undefined) missing.push(message); return english.t(sv ?? message, ...args); } };
}

/** Resources of every type the impact knows, and managed identities in every combination. */
function withDependentResources(s: Scenario): void {
  const sub = s.subscriptions.find((x) => x.subscriptionId === PRODUCTION);
  assert.ok(sub);
  sub.resourceGroups.push({ name: 'rg-l10n', location: 'westeurope' });
  const add = (id: string, properties: Record<string, unknown> = {}, identity: Record<string, unknown> | null = null): void => {
    s.resources.push({ id: `/subscriptions/${PRODUCTION}/resourceGroups/rg-l10n/providers/${id}`, location: 'westeurope', kind: null, identity: identity as Scenario['resources'][number]['identity'], properties: properties as Scenario['resources'][number]['properties'], tags: {}, sku: null });
  };
  add('Microsoft.KeyVault/vaults/kv-rbac', { tenantId: FABRIKAM, enableRbacAuthorization: true });
  add('Microsoft.KeyVault/vaults/kv-one', { tenantId: FABRIKAM, accessPolicies: [{}] });
  add('Microsoft.KeyVault/vaults/kv-none', { tenantId: FABRIKAM, accessPolicies: [] });
  add('Microsoft.KeyVault/vaults/kv-x-rbac', { enableRbacAuthorization: true });
  add('Microsoft.KeyVault/vaults/kv-x-one', { accessPolicies: [{}] });
  add('Microsoft.KeyVault/vaults/kv-x-two', { accessPolicies: [{}, {}] });
  add('Microsoft.Sql/servers/sql-plain', { administrators: { administratorType: 'Sql' } });
  add('Microsoft.DBforMySQL/flexibleServers/mysql-flex');
  add('Microsoft.DBforMySQL/servers/mysql-single');
  add('Microsoft.Compute/diskEncryptionSets/des-1', {}, { type: 'SystemAssigned' });
  add('Microsoft.Storage/storageAccounts/sthns', { isHnsEnabled: true }, { type: 'SystemAssigned, UserAssigned', userAssignedIdentities: { a: {}, b: {} } });
  add('Microsoft.Synapse/workspaces/syn-1');
  add('Microsoft.AAD/domainServices/aadds');
  add('Microsoft.DevCenter/devcenters/dc-1');
  add('Microsoft.AzureStack/registrations/reg-1');
  add('Microsoft.ContainerService/managedClusters/aks-2', {}, { type: 'UserAssigned', userAssignedIdentities: { a: {} } });
  add('Microsoft.ManagedIdentity/userAssignedIdentities/id-2');
  add('Microsoft.Web/sites/app-ua0', {}, { type: 'UserAssigned' });
  add('Microsoft.Web/sites/app-ua3', {}, { type: 'UserAssigned', userAssignedIdentities: { a: {}, b: {}, c: {} } });
  add('Microsoft.Web/sites/app-sa-ua1', {}, { type: 'SystemAssigned,UserAssigned', userAssignedIdentities: { a: {} } });
  add('Microsoft.Web/sites/app-sa-ua0', {}, { type: 'SystemAssigned, UserAssigned' });
}

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

describe('core l10n: Office 365 verdicts and directories', () => {
  const sandbox = useSandbox();

  it('words every Office 365 reason through l10n', () => {
    const bases: Office365Basis[] = [
      { kind: 'licence', sku: 'ENTERPRISEPACK', plan: 'EXCHANGE_S_ENTERPRISE' }, { kind: 'licence', sku: 'ENTERPRISEPACK', plan: undefined },
      { kind: 'assignedPlan', service: 'exchange' }, { kind: 'noActivePlan' }, { kind: 'noLicences' }, { kind: 'needsPermission' },
    ];
    for (const basis of bases) assert.match(office365Reason(basis, marking), MARKED, basis.kind);
    assert.equal(office365Reason(bases[0] ?? { kind: 'noLicences' }, english), 'ENTERPRISEPACK includes EXCHANGE_S_ENTERPRISE');
  });

  it('words why each directory is, is not or may be an Office 365 directory', async () => {
    const dirs = await describeDirectories(sessionFor(sandbox()), marking);
    assert.deepEqual(new Set(dirs.map((d) => d.office365)), new Set([true, false, null]), 'the scenario has each kind');
    for (const d of dirs) assert.match(d.office365Reason, MARKED, d.displayName ?? d.tenantId);
  });
});

describe('core l10n: plan and snapshot', () => {
  const sandbox = useSandbox({ scenario: variant((s) => {
    withDependentResources(s);
    tenantOf(s, 'Fabrikam Labs').graphScopes = ['User.Read']; // principal names cannot be read
  }) });

  it('words every check, dependent-resource reason and note through l10n, and gives the English text without the marks', async () => {
    sandbox().setFaults({ rules: [{ match: 'classicAdministrators', fault: 'malformed', times: 'always' }] });
    const marked = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, marking);
    assert.deepEqual(asJson(marked, true), asJson(await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, english)));
    for (const c of marked.checks) {
      for (const text of [c.title, c.message, c.fix, c.owner]) if (text !== undefined) assert.match(text, MARKED_OUTSIDE, `${c.id}: ${text}`);
    }
    const reasons = marked.impact.dependentResources.map((d) => d.reason);
    assert.ok(reasons.length >= 25, `every type and identity case is listed (${reasons.length})`);
    for (const d of marked.impact.dependentResources) assert.match(d.reason, MARKED, d.id);
    assert.equal(new Set(reasons.filter((r) => r.startsWith('«Key Vault'))).size, 7, 'one sentence per Key Vault case');
    assert.equal(marked.impact.notes.length, 3, marked.impact.notes.join('\n'));
    for (const note of marked.impact.notes) assert.match(note, MARKED);
  });

  it('words the note for resources that cannot be read', async () => {
    sandbox().setFaults({ rules: [{ match: '/resources\\?', fault: 'malformed', times: 'always' }] });
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, marking);
    assert.ok(plan.impact.notes.some((n) => n.startsWith('«Resources: not readable')), plan.impact.notes.join('\n'));
    for (const note of plan.impact.notes) assert.match(note, MARKED);
  });

  it('has a Swedish sentence for every message of a plan (none built at run time)', async () => {
    sandbox().setFaults({ rules: [{ match: 'classicAdministrators', fault: 'malformed', times: 'always' }] });
    const sv = swedish();
    const plan = await planSubscription(sessionFor(sandbox()), PRODUCTION, CONTOSO, sv);
    assert.deepEqual(sv.missing, []);
    assert.ok(plan.impact.dependentResources.every((d) => !/\bthe move\b/.test(d.reason)), 'no English reason left');
  });

  it('words the errors of finding the subscription and the target', async () => {
    const session = sessionFor(sandbox());
    const rejects = (p: Promise<unknown>, kind: CoreError['kind']): Promise<void> =>
      assert.rejects(p, (e: unknown) => e instanceof CoreError && e.kind === kind && MARKED.test(e.message));
    await rejects(resolveTarget(session, 'not a domain!', marking), 'invalid');
    await rejects(resolveTarget(session, 'nowhere.example', marking), 'notFound');
    await rejects(findSubscription(session, 'not-a-guid', marking), 'invalid');
    await rejects(findSubscription(session, '00000000-0000-4000-8000-00000000dead', marking), 'notFound');
  });

  it('words snapshot notes and reasons, and every error of reading one', async () => {
    const session = sessionFor(sandbox());
    const sub = await findSubscription(session, PRODUCTION, english);
    const snapshot = await takeSnapshot(session, sub, marking);
    assert.ok(snapshot.notes.length > 0 && snapshot.notes.every((n) => MARKED.test(n)));
    assert.ok(snapshot.dependentResources.every((d) => MARKED.test(d.reason)));

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tenant-link-l10n-'));
    const notJson = path.join(dir, 'x.json');
    await fs.writeFile(notJson, 'hello');
    for (const file of [path.join(dir, 'missing.json'), dir, notJson]) {
      await assert.rejects(readSnapshot(file, marking), (e: unknown) => e instanceof Error && e.name === 'SnapshotError' && MARKED.test(e.message), file);
    }
    const good = JSON.parse(JSON.stringify(await takeSnapshot(session, sub, english))) as Record<string, unknown> & { roleAssignments: Record<string, unknown>[]; customRoles: Record<string, unknown>[] };
    const broken: unknown[] = [
      undefined, [], { ...good, format: 'x' }, { ...good, version: 3 }, { ...good, subscription: undefined }, { ...good, subscription: [] },
      { ...good, subscription: { ...(good.subscription as object), id: 'x' } }, { ...good, subscription: { ...(good.subscription as object), name: '' } },
      { ...good, subscription: { ...(good.subscription as object), quotaId: 5 } }, { ...good, roleAssignments: undefined }, { ...good, roleAssignments: {} },
      { ...good, roleAssignments: [{ ...good.roleAssignments[0], scopeKind: 'x' }] }, { ...good, roleAssignments: [{ ...good.roleAssignments[0], removed: 'yes' }] },
      { ...good, roleAssignments: [{ ...good.roleAssignments[0], principal: { kind: 'alien' } }] }, { ...good, roleAssignments: [{ ...good.roleAssignments[0], scope: 'x' }] },
      { ...good, customRoles: [{ ...good.customRoles[0], permissions: [{ actions: [1] }] }] },
    ];
    for (const [i, value] of broken.entries()) {
      assert.throws(() => parseSnapshot(value, 'snap.json', marking), (e: unknown) => e instanceof Error && e.name === 'SnapshotError' && MARKED.test(e.message), `case ${i}`);
    }
  });
});

describe('core l10n: mapping, restore and add-admin', () => {
  const contoso = tenantOf(scenario(), 'Contoso Ltd');
  const fabrikam = tenantOf(scenario(), 'Fabrikam Labs');
  const team42 = contoso.groups.find((g) => g.displayName === 'Team 42');
  const adele = contoso.users.find((u) => u.userPrincipalName === 'adele@contoso.com');
  assert.ok(team42 && adele);
  const sandbox = useSandbox({ scenario: variant((s) => {
    const t = tenantOf(s, 'Contoso Ltd');
    // Two groups with one name, and two users with one address: ambiguous.
    t.groups.push({ ...team42, id: 'c2000000-0002-4000-8000-0000000000a1', displayName: 'Ops On-Call', members: [] });
    t.groups.push({ ...team42, id: 'c2000000-0002-4000-8000-0000000000a2', displayName: 'Ops On-Call', members: [] });
    t.users.push({ ...adele, id: 'c2000000-0001-4000-8000-0000000000b1', userPrincipalName: 'shared1@contoso.com', mail: 'shared@contoso.com', account: null });
    t.users.push({ ...adele, id: 'c2000000-0001-4000-8000-0000000000b2', userPrincipalName: 'shared2@contoso.com', mail: 'shared@contoso.com', account: null });
  }) });

  /** The snapshot, with made-up rows for the cases the scenario lacks. */
  async function snapshotWithOddRows(): Promise<Snapshot> {
    const riley = sessionFor(sandbox());
    const snapshot = await takeSnapshot(riley, await findSubscription(riley, PRODUCTION, english), english);
    const first = snapshot.roleAssignments.find((a) => a.removed);
    assert.ok(first);
    const none = { displayName: null, userPrincipalName: null, mail: null, userType: null, appId: null, servicePrincipalType: null };
    const row = (n: number, principalType: string, principal: SnapshotAssignment['principal']): SnapshotAssignment =>
      ({ ...first, id: `${first.id.slice(0, -2)}${n}0`, name: `${first.name.slice(0, -2)}${n}0`, principalId: `f9000000-0000-4000-8000-0000000000${n}0`, principalType, principal });
    const odd = [
      row(1, 'User', { ...none, kind: 'user', userPrincipalName: 'shared@contoso.com', mail: 'shared@contoso.com' }),
      row(6, 'User', { ...none, kind: 'user', userPrincipalName: 'adele@contoso.com' }),
      row(2, 'User', { ...none, kind: 'user', userPrincipalName: 'gone@fabrikamlabs.onmicrosoft.com', mail: 'shared@contoso.com' }),
      row(3, 'User', { ...none, kind: 'user' }),
      row(4, 'Group', { ...none, kind: 'group' }),
      row(5, 'Device', { ...none, kind: 'unknown', displayName: 'kiosk' }),
    ];
    return { ...snapshot, roleAssignments: [...snapshot.roleAssignments, ...odd] };
  }

  it('words every mapping reason through l10n, and gives the English reasons without the marks', async () => {
    const snapshot = await snapshotWithOddRows();
    const jamie = fabrikam.users.find((u) => u.displayName === 'Jamie Park');
    assert.ok(jamie);
    const platform = fabrikam.groups.find((g) => g.displayName === 'Platform Engineers');
    assert.ok(platform);
    const overrides = new Map([[jamie.id, adele.id], [platform.id, '00000000-0000-4000-8000-0000000000ff']]);
    const session = sessionFor(sandbox(), MEGAN);
    const marked = await mapPrincipals(session, snapshot, CONTOSO, marking, { overrides });
    assert.deepEqual(asJson(marked, true), asJson(await mapPrincipals(session, snapshot, CONTOSO, english, { overrides })));
    const sv = swedish();
    await mapPrincipals(session, snapshot, CONTOSO, sv, { overrides });
    assert.deepEqual(sv.missing, [], 'a Swedish sentence for every reason');
    for (const p of marked.principals) assert.match(p.reason, MARKED, `${p.oldPrincipalId}: ${p.reason}`);
    const kinds = (re: RegExp): number => marked.principals.filter((p) => re.test(p.reason)).length;
    for (const re of [/same UPN/, /guest UPN/, /same mail/, /a group of another directory/, /mapped explicitly/, /is not in the target directory/, /no longer existed/,
      /a managed identity/, /a service principal/, /users have the address \S+»/, /users have the address \S+ or /, /no user with the UPN or mail \S+@/,
      /no user with the UPN or mail \(none\)/, /a Device cannot be matched/]) {
      assert.ok(kinds(re) > 0, `a reason matching ${String(re)}`);
    }
  });

  it('words skipped and failed restore rows through l10n', async () => {
    const snapshot = await snapshotWithOddRows();
    sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
    const megan = sessionFor(sandbox(), MEGAN);
    const mapping = await mapPrincipals(megan, snapshot, CONTOSO, marking);
    const dry = await restoreSnapshot(megan, snapshot, mapping, marking, { dryRun: true });
    assert.deepEqual(asJson(dry, true), asJson(await restoreSnapshot(megan, snapshot, await mapPrincipals(megan, snapshot, CONTOSO, english), english, { dryRun: true })));
    const skipped = dry.assignments.filter((r) => r.status === 'skipped');
    assert.ok(skipped.some((r) => r.reason?.startsWith('«ambiguous: «')), 'ambiguous rows say so, around the mapping reason');
    for (const r of skipped) assert.match(r.reason ?? '', MARKED_OUTSIDE);

    // Custom roles cannot be created: the rows that use them (one mapped to Adele here) fail, saying why.
    const custom = snapshot.roleAssignments.find((a) => a.removed && snapshot.customRoles.some((r) => r.id === a.roleDefinitionId));
    assert.ok(custom);
    const withCustom = await mapPrincipals(megan, snapshot, CONTOSO, marking, { overrides: new Map([[custom.principalId, adele.id]]) });
    sandbox().setFaults({ rules: [{ match: 'roleDefinitions/', method: 'PUT', fault: 'reset', times: 'always' }] });
    const run = await restoreSnapshot(megan, snapshot, withCustom, marking, { retry: { attempts: 1 } });
    const failed = run.assignments.filter((r) => r.status === 'failed');
    assert.ok(failed.length > 0 && failed.every((r) => /^«the custom role ".+" could not be created: .+»$/.test(r.reason ?? '')), JSON.stringify(failed.map((r) => r.reason)));
  });

  it('words add-admin failures through l10n: no such user, PrincipalNotFound after retries, no roleAssignments/write', async () => {
    const ravi = contoso.users.find((u) => u.replicationDelay > 1);
    assert.ok(ravi);
    sandbox().moveSubscription(PRODUCTION, CONTOSO, MEGAN);
    const megan = sessionFor(sandbox(), MEGAN);
    const results = await addAdministrators(megan, PRODUCTION, CONTOSO, ['nobody@contoso.com', ravi.id], OWNER, marking, { retry: { attempts: 1 } });
    assert.deepEqual(results.map((r) => r.status), ['failed', 'failed']);
    assert.match(results[0]?.reason ?? '', /^«No user "nobody@contoso\.com" in directory [^«»]+»$/);
    assert.match(results[1]?.reason ?? '', /^«Retry: principal not replicated yet \(PrincipalNotFound\) after 1 attempts»$/);
    // Before the move Megan is only a Reader of the subscription (and a guest of its directory).
    sandbox().reset();
    const jamie = fabrikam.users.find((u) => u.displayName === 'Jamie Park');
    const [denied] = await addAdministrators(megan, PRODUCTION, FABRIKAM, [jamie?.id ?? ''], OWNER, marking);
    assert.match(denied?.reason ?? '', /^«(You lack roleAssignments\/write|the directory may not be searched)[^«»]+»$/, denied?.reason);
  });
});

describe('core l10n: the change of directory', () => {
  it('words every portal hand-off step through l10n', () => {
    const cloud = sandboxCloud('http://127.0.0.1:1');
    const sub = { id: PRODUCTION, name: 'Fabrikam Production', tenantId: FABRIKAM };
    for (const target of [{ tenantId: CONTOSO, displayName: 'Contoso Ltd' }, { tenantId: CONTOSO, displayName: null }]) {
      const marked = portalHandoff(cloud, sub, target, marking);
      for (const step of marked.steps) assert.match(step, MARKED);
      assert.deepEqual(asJson(marked, true), asJson(portalHandoff(cloud, sub, target, english)));
    }
  });

  describe('accept notes', () => {
    const sandbox = useSandbox({ scenario: variant((s) => {
      // Megan (Contoso Global Administrator, guest in Fabrikam) is also a direct Owner: she can initiate and accept.
      s.roleAssignments.push({ name: 'ab0000ff-0000-4000-8000-000000000003', scope: `/subscriptions/${PRODUCTION}`, role: OWNER, principalId: oidOf(s, 'Fabrikam Labs', MEGAN), principalType: 'User', description: null, condition: null, conditionVersion: null, createdOn: '2025-01-15T09:00:00Z', createdBy: null });
    }) });

    it('says through l10n why a request was not accepted here', async () => {
      const notes: (string | undefined)[] = [];
      const riley = sessionFor(sandbox());
      const megan = sessionFor(sandbox(), MEGAN);
      const sub = await findSubscription(megan, PRODUCTION, english);
      notes.push((await changeDirectory(riley, sub, CONTOSO, marking, { destinationOwner: MEGAN })).acceptNote); // not a Global Administrator
      sandbox().reset();
      notes.push((await changeDirectory(megan, sub, CONTOSO, marking, { accept: false })).acceptNote);
      sandbox().reset();
      sandbox().setFaults({ rules: [{ match: 'transitiveMemberOf', fault: 'malformed', times: 'always' }] });
      notes.push((await changeDirectory(megan, sub, CONTOSO, marking)).acceptNote); // cannot tell
      sandbox().reset();
      sandbox().setFaults({ rules: [{ match: 'acceptChangeTenant', fault: 500, times: 'always' }] });
      notes.push((await changeDirectory(megan, sub, CONTOSO, marking)).acceptNote); // could not accept
      assert.equal(notes.length, 4);
      for (const note of notes) assert.match(note ?? '', MARKED);
      assert.deepEqual(notes.map((n) => /^«(\S+ is not|An administrator|Could not tell|Could not accept)/.exec(n ?? '')?.[1]), [`${riley.account.label} is not`, 'An administrator', 'Could not tell', 'Could not accept']);
    });
  });
});
