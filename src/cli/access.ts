/** `snapshot`, `restore`, `add-admin`: save access before the move, re-create it after. */
import { isAzureError } from '../azure/errors';
import { isGuid } from '../azure/models';
import { english } from '../core/l10n';
import { mapPrincipals, parseMapOverrides } from '../core/mapping';
import { CoreError, PlanCache, findSubscription, isTenantIdOrDomain, resolveTarget } from '../core/plan';
import { addAdministrators, roleGuidOf } from '../core/restore';
import { restoreEverything } from '../core/restoreExtras';
import { readSnapshot, takeSnapshot, writeSnapshot, writeSnapshotFile } from '../core/snapshot';
import { guidOption, oneSubscription, type CommandContext } from './context';
import { restoreExtrasLines, snapshotExtrasLine, statusText } from './extras';
import { json, table } from './format';
import { EXIT, UsageError } from './io';

export async function snapshotCommand(ctx: CommandContext): Promise<number> {
  const subscriptionId = oneSubscription(ctx.values);
  const to = ctx.values.to;
  if (to !== undefined && !isTenantIdOrDomain(to)) throw new UsageError(`--to must be a directory (tenant) ID or a domain, got "${to}".`);
  const session = await ctx.session();
  const cache = new PlanCache(session, { concurrency: ctx.global.concurrency });
  ctx.progress.update('Reading role assignments…');
  const subscription = await findSubscription(session, subscriptionId, english, cache);
  const target = to === undefined ? undefined : await resolveTarget(session, to, english, cache);
  const snapshot = await takeSnapshot(session, subscription, english, { cache, ...(target ? { target } : {}) });
  const written = ctx.values.output === undefined ? await writeSnapshot(process.cwd(), snapshot) : await writeSnapshotFile(ctx.values.output, snapshot);
  ctx.progress.done();
  const summary = {
    jsonPath: written.jsonPath,
    csvPath: written.csvPath,
    subscriptionId: snapshot.subscription.id,
    roleAssignments: snapshot.roleAssignments.length,
    customRoles: snapshot.customRoles.length,
    classicAdministrators: snapshot.classicAdministrators.length,
    dependentResources: snapshot.dependentResources.length,
    eligibleAssignments: snapshot.eligibleAssignments?.length ?? null,
    policyAssignments: snapshot.policyAssignments?.length ?? null,
    keyVaults: snapshot.keyVaults?.length ?? null,
  };
  ctx.io.stdout(ctx.global.json ? json(summary) : [
    `Snapshot of ${snapshot.subscription.name}: ${summary.roleAssignments} role assignments, ${summary.customRoles} custom roles, ${summary.dependentResources} dependent resources.`,
    snapshotExtrasLine(snapshot),
    `JSON: ${written.jsonPath}`,
    `CSV:  ${written.csvPath}`,
    ...snapshot.notes.map((n) => `Note: ${n}`),
  ].join('\n') + '\n');
  return EXIT.ok;
}

export async function restoreCommand(ctx: CommandContext): Promise<number> {
  const file = ctx.values.snapshot;
  if (file === undefined) throw new UsageError('restore needs --snapshot <file>.');
  const targetTenantId = guidOption(ctx.values.to, '--to', 'directory (tenant) ID');
  let overrides: Map<string, string>;
  try {
    overrides = parseMapOverrides(ctx.values.map ?? [], isGuid);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const snapshot = await readSnapshot(file, english);
  const session = await ctx.session();
  ctx.progress.update('Checking that the subscription is in the new directory…');
  try {
    await session.arm.getSubscription(targetTenantId, snapshot.subscription.id);
  } catch (e) {
    if (isAzureError(e, 'wrongTenant') || isAzureError(e, 'notFound')) {
      throw new CoreError('notMoved', `Subscription ${snapshot.subscription.name} (${snapshot.subscription.id}) does not answer in directory ${targetTenantId} yet: restore after the directory change has completed (it can take up to an hour to show).`);
    }
    throw e;
  }
  ctx.progress.update('Matching principals in the new directory…');
  const mapping = await mapPrincipals(session, snapshot, targetTenantId, english, { overrides, concurrency: ctx.global.concurrency });
  let done = 0;
  const result = await restoreEverything(session, snapshot, mapping, english, {
    dryRun: ctx.values['dry-run'] === true,
    acceptLongestEnd: ctx.values['accept-policy-end'] === true,
    concurrency: ctx.global.concurrency,
    onRow: () => { ctx.progress.update(`Restoring… ${++done}/${mapping.rows.length}`); },
  });
  ctx.progress.done();
  if (ctx.global.json) {
    ctx.io.stdout(json(result));
  } else {
    const c = result.totals;
    ctx.io.stdout([
      result.dryRun ? `Dry run for ${snapshot.subscription.name}: nothing was written.` : `Restore of ${snapshot.subscription.name}:`,
      result.customRoles.length > 0 ? table(result.customRoles, [
        { header: 'Custom role', value: (r) => r.roleName },
        { header: 'Status', value: (r) => statusText(r.status) },
        { header: 'Reason', value: (r) => r.reason ?? '' },
      ]).trimEnd() : 'No custom roles.',
      '',
      table(result.assignments, [
        { header: 'Old principal', value: (r) => r.oldPrincipalName ?? `(deleted) ${r.oldPrincipalId}` },
        { header: 'Role', value: (r) => r.roleName },
        { header: 'Scope', value: (r) => r.scope },
        { header: 'New principal', value: (r) => r.principalName ?? r.principalId ?? '' },
        { header: 'Until', value: (r) => r.endDateTime ?? '' },
        { header: 'Status', value: (r) => statusText(r.status) },
        { header: 'Reason', value: (r) => r.reason ?? '' },
      ]).trimEnd(),
      '',
      ...restoreExtrasLines(result),
      result.dryRun
        ? `${c.planned} to create, ${c.exists} already there, ${c.skipped} skipped (unmatched or ambiguous: use --map <old>=<new>).`
        : `${c.created} created, ${c.exists} already there, ${c.failed} failed, ${c.skipped} skipped (unmatched or ambiguous: use --map <old>=<new>). Re-running is safe.`,
    ].join('\n') + '\n');
  }
  return result.totals.failed > 0 ? EXIT.failure : EXIT.ok;
}

export async function addAdminCommand(ctx: CommandContext): Promise<number> {
  const subscriptionId = oneSubscription(ctx.values);
  const users = ctx.values.user ?? [];
  if (users.length === 0) throw new UsageError('add-admin needs at least one --user <upn|objectId>.');
  const roleText = ctx.values.role;
  if (roleText === undefined) throw new UsageError('add-admin needs --role <name|guid> (Owner, Contributor, Reader, User Access Administrator, Role Based Access Control Administrator).');
  const session = await ctx.session();
  const subscription = await findSubscription(session, subscriptionId, english, new PlanCache(session, { concurrency: ctx.global.concurrency }));
  let roleGuid = roleGuidOf(roleText);
  if (roleGuid === undefined) {
    const found = await session.arm.listRoleDefinitions(subscription.tenantId, `/subscriptions/${subscription.subscriptionId}`, { roleName: roleText });
    roleGuid = found[0]?.name.toLowerCase();
    if (roleGuid === undefined) throw new UsageError(`No role named "${roleText}" at this subscription; give a role name or its GUID.`);
  }
  ctx.progress.update('Adding administrators…');
  const results = await addAdministrators(session, subscription.subscriptionId, subscription.tenantId, users, roleGuid, english, { concurrency: ctx.global.concurrency });
  ctx.progress.done();
  ctx.io.stdout(ctx.global.json ? json(results) : table(results, [
    { header: 'User', value: (r) => r.user },
    { header: 'Name', value: (r) => r.displayName ?? '' },
    { header: 'Object ID', value: (r) => r.principalId ?? '' },
    { header: 'Status', value: (r) => statusText(r.status) },
    { header: 'Reason', value: (r) => r.reason ?? '' },
  ]));
  return results.some((r) => r.status === 'failed') ? EXIT.failure : EXIT.ok;
}
