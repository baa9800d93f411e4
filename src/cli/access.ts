/** `snapshot`, `restore`, `add-admin`: save access before the move, re-create it after. */
import { isAzureError } from '../azure/errors';
import { isGuid } from '../azure/models';
import { english } from '../core/l10n';
import { inviteUnmatched, planInvitations, type InvitationOutcome } from '../core/identities';
import { mapPrincipals, parseMapOverrides } from '../core/mapping';
import { CoreError, PlanCache, findSubscription, isTenantIdOrDomain, resolveTarget } from '../core/plan';
import { addAdministrators, roleGuidOf } from '../core/restore';
import { restoreEverything } from '../core/restoreExtras';
import { FileError } from '../core/files';
import { requireActingAccount } from '../core/requests';
import { readSnapshot, takeSnapshot, writeSnapshot, writeSnapshotFile } from '../core/snapshot';
import { guidOption, oneSubscription, type CommandContext } from './context';
import { restoreExtrasLines, snapshotExtrasLine, statusText } from './extras';
import { json, principalText, table } from './format';
import { invitationsTable } from './identities';
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
    // Names the account that accepted the move when it is not this one (only it holds Owner there now).
    await requireActingAccount(session, snapshot.subscription.id, targetTenantId, english);
  } catch (e) {
    if (isAzureError(e, 'wrongTenant') || isAzureError(e, 'notFound')) {
      throw new CoreError('notMoved', `Subscription ${snapshot.subscription.name} (${snapshot.subscription.id}) does not answer in directory ${targetTenantId} yet: restore after the directory change has completed (it can take up to an hour to show).`);
    }
    throw e;
  }
  ctx.progress.update('Matching principals in the new directory…');
  let mapping = await mapPrincipals(session, snapshot, targetTenantId, english, { overrides, concurrency: ctx.global.concurrency });
  const dryRun = ctx.values['dry-run'] === true;
  let invitations: InvitationOutcome[] | undefined;
  if (ctx.values['invite-unmatched'] === true) {
    ctx.progress.update('Inviting the unmatched users as guests…');
    const sent = await inviteUnmatched(session, targetTenantId, planInvitations(mapping, english), english, { dryRun, concurrency: ctx.global.concurrency });
    invitations = sent.outcomes;
    if (sent.overrides.size > 0) mapping = await mapPrincipals(session, snapshot, targetTenantId, english, { overrides: new Map([...overrides, ...sent.overrides]), concurrency: ctx.global.concurrency });
  }
  let done = 0;
  const result = await restoreEverything(session, snapshot, mapping, english, {
    dryRun,
    acceptLongestEnd: ctx.values['accept-policy-end'] === true,
    concurrency: ctx.global.concurrency,
    onRow: () => { ctx.progress.update(`Restoring… ${++done}/${mapping.rows.length}`); },
  });
  ctx.progress.done();
  if (ctx.global.json) {
    ctx.io.stdout(json(invitations === undefined ? result : { ...result, invitations }));
  } else {
    const c = result.totals;
    ctx.io.stdout([
      ...(invitations === undefined ? [] : [invitationsTable(invitations).trimEnd(), '']),
      result.dryRun ? `Dry run for ${snapshot.subscription.name}: nothing was written.` : `Restore of ${snapshot.subscription.name}:`,
      result.customRoles.length > 0 ? table(result.customRoles, [
        { header: 'Custom role', value: (r) => r.roleName },
        { header: 'Status', value: (r) => statusText(r.status) },
        { header: 'Reason', value: (r) => r.reason ?? '' },
      ], ctx.global.width).trimEnd() : 'No custom roles.',
      '',
      table(result.assignments, [
        { header: 'Old principal', value: (r) => principalText(r.oldPrincipalName, r.oldPrincipalStatus, r.oldPrincipalId) },
        { header: 'Role', value: (r) => r.roleName },
        { header: 'Scope', value: (r) => r.scope },
        { header: 'New principal', value: (r) => r.principalName ?? r.principalId ?? '' },
        { header: 'Until', value: (r) => r.endDateTime ?? '' },
        { header: 'Status', value: (r) => statusText(r.status) },
        { header: 'Reason', value: (r) => r.reason ?? '' },
      ], ctx.global.width).trimEnd(),
      '',
      ...restoreExtrasLines(result),
      result.dryRun
        ? `${c.planned} to create, ${c.exists} already there, ${c.skipped} skipped (unmatched or ambiguous: use --map <old>=<new>).`
        : `${c.created} created, ${c.exists} already there, ${c.failed} failed, ${c.skipped} skipped (unmatched or ambiguous: use --map <old>=<new>). Re-running is safe.`,
      ...result.warnings.map((w) => `Warning: ${w}`),
    ].join('\n') + '\n');
  }
  if (result.totals.failed > 0 || invitations?.some((o) => o.status === 'failed') === true) return EXIT.failure;
  return result.incomplete ? EXIT.incomplete : EXIT.ok;
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
