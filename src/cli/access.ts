/** `snapshot`, `add-admin`: save access before the move, give people a role after it (`restore` is restore.ts). */
import { english } from '../core/l10n';
import { PlanCache, findSubscription, isTenantIdOrDomain, resolveTarget } from '../core/plan';
import { addAdministrators, roleGuidOf } from '../core/restore';
import { FileError } from '../core/files';
import { takeSnapshot, writeSnapshot, writeSnapshotFile } from '../core/snapshot';
import { oneSubscription, type CommandContext } from './context';
import { snapshotExtrasLine, statusText } from './extras';
import { json, table } from './format';
import { EXIT, UsageError } from './io';

export async function snapshotCommand(ctx: CommandContext): Promise<number> {
  const subscriptionId = oneSubscription(ctx.values);
  const to = ctx.values.to;
  if (to !== undefined && !isTenantIdOrDomain(to)) throw new UsageError(`--to must be a directory (tenant) ID or a domain, got "${to}".`);
  const session = await ctx.session();
  const cache = new PlanCache(session, { concurrency: ctx.global.maxInFlight });
  ctx.progress.update('Reading role assignments…');
  const subscription = await findSubscription(session, subscriptionId, english, cache);
  const target = to === undefined ? undefined : await resolveTarget(session, to, english, cache);
  const snapshot = await takeSnapshot(session, subscription, english, { cache, ...(target ? { target } : {}) });
  let written;
  try {
    written = ctx.values.output === undefined
      ? await writeSnapshot(process.cwd(), snapshot, english)
      : await writeSnapshotFile(ctx.values.output, snapshot, english, { overwrite: ctx.values.force === true });
  } catch (e) {
    if (e instanceof FileError && e.kind === 'exists') throw new FileError(`${e.message} Give another -o, or --force to replace it.`, 'exists');
    throw e;
  }
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
    incomplete: !snapshot.complete,
    warnings: snapshot.notes,
  };
  ctx.io.stdout(ctx.global.json ? json(summary) : [
    `Snapshot of ${snapshot.subscription.name}: ${summary.roleAssignments} role assignments, ${summary.customRoles} custom roles, ${summary.dependentResources} dependent resources.`,
    snapshotExtrasLine(snapshot),
    `JSON: ${written.jsonPath}`,
    `CSV:  ${written.csvPath}`,
    ...snapshot.notes.map((n) => `Note: ${n}`),
  ].join('\n') + '\n');
  if (snapshot.complete) return EXIT.ok;
  ctx.io.stderr(`tenant-link: the snapshot is INCOMPLETE and written marked so ("complete": false): ${snapshot.notes.join(' ')} Take it again before the move.\n`);
  return EXIT.incomplete;
}

export async function addAdminCommand(ctx: CommandContext): Promise<number> {
  const subscriptionId = oneSubscription(ctx.values);
  const users = ctx.values.user ?? [];
  if (users.length === 0) throw new UsageError('add-admin needs at least one --user <upn|objectId>.');
  const roleText = ctx.values.role;
  if (roleText === undefined) throw new UsageError('add-admin needs --role <name|guid> (Owner, Contributor, Reader, User Access Administrator, Role Based Access Control Administrator).');
  const session = await ctx.session();
  const subscription = await findSubscription(session, subscriptionId, english, new PlanCache(session, { concurrency: ctx.global.maxInFlight }));
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
  ], ctx.global.width));
  return results.some((r) => r.status === 'failed') ? EXIT.failure : EXIT.ok;
}
