/**
 * `restore --snapshot <file>` and `restore --all <folder>`: access re-created in the new directory. Both run the same
 * steps for each snapshot (`restoreOne`): the subscription must answer to this account in the target; the principals
 * are mapped (`--map`, then `--invite-unmatched`); then the full restore of core/restoreExtras.ts (custom roles, role
 * assignments, eligible assignments, policy assignments, managed identities, Key Vaults), `--dry-run` and
 * `--accept-policy-end` as given. Each snapshot prints the same tables and exits the same way.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isAzureError } from '../azure/errors';
import { isGuid } from '../azure/models';
import type { AzureSession } from '../azure/session';
import { inviteUnmatched, planInvitations, type InvitationOutcome } from '../core/identities';
import { english } from '../core/l10n';
import { mapPrincipals, parseMapOverrides } from '../core/mapping';
import { MOVES_STATE_PREFIX } from '../core/multiMove';
import { CoreError } from '../core/plan';
import { requireActingAccount } from '../core/requests';
import type { RestoreCounts } from '../core/restore';
import { restoreEverything, type FullRestoreResult } from '../core/restoreExtras';
import { readFolderSnapshot, readSnapshot, type FolderFile, type Snapshot } from '../core/snapshot';
import { guidOption, type CommandContext } from './context';
import { oneLineError } from './errorLine';
import { restoreExtrasLines, statusText } from './extras';
import { json, principalText, table } from './format';
import { invitationsTable } from './identities';
import { EXIT, UsageError } from './io';

/** The options of a restore, read before anything else (a bad one is a usage error, exit 2). */
interface RestoreFlags {
  readonly targetTenantId: string;
  readonly overrides: ReadonlyMap<string, string>;
  readonly dryRun: boolean;
  readonly acceptPolicyEnd: boolean;
  readonly inviteUnmatched: boolean;
}

function restoreFlags(ctx: CommandContext): RestoreFlags {
  const targetTenantId = guidOption(ctx.values.to, '--to', 'directory (tenant) ID');
  let overrides: Map<string, string>;
  try {
    overrides = parseMapOverrides(ctx.values.map ?? [], isGuid);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  return {
    targetTenantId, overrides, dryRun: ctx.values['dry-run'] === true,
    acceptPolicyEnd: ctx.values['accept-policy-end'] === true, inviteUnmatched: ctx.values['invite-unmatched'] === true,
  };
}

/** What one snapshot's restore did. */
interface SnapshotRestore {
  readonly snapshot: Snapshot;
  readonly result: FullRestoreResult;
  /** With `--invite-unmatched` only. */
  readonly invitations: readonly InvitationOutcome[] | undefined;
}

/**
 * Restores one snapshot. Throws (CoreError `notMoved`) when the subscription does not answer in the target yet, or
 * (`wrongAccount`) names the account that accepted the move when it is not this one. `label` prefixes the progress.
 */
async function restoreOne(ctx: CommandContext, session: AzureSession, snapshot: Snapshot, flags: RestoreFlags, label = ''): Promise<SnapshotRestore> {
  const { targetTenantId, overrides, dryRun } = flags;
  const concurrency = ctx.global.concurrency;
  ctx.progress.update(`${label}Checking that the subscription is in the new directory…`);
  try {
    // Names the account that accepted the move when it is not this one (only it holds Owner there now).
    await requireActingAccount(session, snapshot.subscription.id, targetTenantId, english);
  } catch (e) {
    if (isAzureError(e, 'wrongTenant') || isAzureError(e, 'notFound')) {
      throw new CoreError('notMoved', `Subscription ${snapshot.subscription.name} (${snapshot.subscription.id}) does not answer in directory ${targetTenantId} yet: restore after the directory change has completed (it can take up to an hour to show).`);
    }
    throw e;
  }
  ctx.progress.update(`${label}Matching principals in the new directory…`);
  let mapping = await mapPrincipals(session, snapshot, targetTenantId, english, { overrides, concurrency });
  let invitations: InvitationOutcome[] | undefined;
  if (flags.inviteUnmatched) {
    ctx.progress.update(`${label}Inviting the unmatched users as guests…`);
    const sent = await inviteUnmatched(session, targetTenantId, planInvitations(mapping, english), english, { dryRun, concurrency });
    invitations = sent.outcomes;
    if (sent.overrides.size > 0) mapping = await mapPrincipals(session, snapshot, targetTenantId, english, { overrides: new Map([...overrides, ...sent.overrides]), concurrency });
  }
  let done = 0;
  const result = await restoreEverything(session, snapshot, mapping, english, {
    dryRun,
    acceptLongestEnd: flags.acceptPolicyEnd,
    concurrency,
    onRow: () => { ctx.progress.update(`${label}Restoring… ${++done}/${mapping.rows.length}`); },
  });
  return { snapshot, result, invitations };
}

/** Its `--json`: the full restore result, with the invitations when they were asked for. */
function restoreJson(r: SnapshotRestore): unknown {
  return r.invitations === undefined ? r.result : { ...r.result, invitations: r.invitations };
}

/** 1 when a row or an invitation failed; 4 when the restore could not be whole for want of data; else 0. */
function restoreExit(r: SnapshotRestore): number {
  if (r.result.totals.failed > 0 || r.invitations?.some((o) => o.status === 'failed') === true) return EXIT.failure;
  return r.result.incomplete ? EXIT.incomplete : EXIT.ok;
}

/** For people: every item and what happened to it, the totals, the warnings. */
function restoreText(r: SnapshotRestore, width: number | undefined): string {
  const { result, invitations, snapshot } = r;
  const c = result.totals;
  return [
    ...(invitations === undefined ? [] : [invitationsTable(invitations).trimEnd(), '']),
    result.dryRun ? `Dry run for ${snapshot.subscription.name}: nothing was written.` : `Restore of ${snapshot.subscription.name}:`,
    result.customRoles.length > 0 ? table(result.customRoles, [
      { header: 'Custom role', value: (x) => x.roleName },
      { header: 'Status', value: (x) => statusText(x.status) },
      { header: 'Reason', value: (x) => x.reason ?? '' },
    ], width).trimEnd() : 'No custom roles.',
    '',
    table(result.assignments, [
      { header: 'Old principal', value: (x) => principalText(x.oldPrincipalName, x.oldPrincipalStatus, x.oldPrincipalId) },
      { header: 'Role', value: (x) => x.roleName },
      { header: 'Scope', value: (x) => x.scope },
      { header: 'New principal', value: (x) => x.principalName ?? x.principalId ?? '' },
      { header: 'Until', value: (x) => x.endDateTime ?? '' },
      { header: 'Status', value: (x) => statusText(x.status) },
      { header: 'Reason', value: (x) => x.reason ?? '' },
    ], width).trimEnd(),
    '',
    ...restoreExtrasLines(result),
    result.dryRun
      ? `${countsText(c, true)} (unmatched or ambiguous: use --map <old>=<new>).`
      : `${countsText(c, false)} (unmatched or ambiguous: use --map <old>=<new>). Re-running is safe.`,
    ...result.warnings.map((w) => `Warning: ${w}`),
  ].join('\n') + '\n';
}

function countsText(c: RestoreCounts, dryRun: boolean): string {
  return dryRun
    ? `${c.planned} to create, ${c.exists} already there, ${c.skipped} skipped`
    : `${c.created} created, ${c.exists} already there, ${c.failed} failed, ${c.skipped} skipped`;
}

/** `restore --snapshot <file> --to <tenant>`. */
export async function restoreCommand(ctx: CommandContext): Promise<number> {
  const file = ctx.values.snapshot;
  if (file === undefined) throw new UsageError('restore needs --snapshot <file>.');
  const flags = restoreFlags(ctx);
  const snapshot = await readSnapshot(file, english);
  const restored = await restoreOne(ctx, await ctx.session(), snapshot, flags);
  ctx.progress.done();
  ctx.io.stdout(ctx.global.json ? json(restoreJson(restored)) : restoreText(restored, ctx.global.width));
  return restoreExit(restored);
}

/** A file of the folder and what became of it (`restore --all --json` prints these). */
interface FolderRow {
  readonly file: string;
  readonly subscriptionId: string | null;
  readonly subscription: string | null;
  /** `planned`: a dry run that would restore it; `skipped`: not a snapshot (`reason` says why). */
  readonly status: 'restored' | 'planned' | 'incomplete' | 'failed' | 'skipped';
  readonly reason: string | null;
  /** What `restore --snapshot <file> --json` prints for it; null when it was not restored (skipped, or `reason`). */
  readonly result: unknown;
}

/**
 * `restore --all <folder> --to <tenant>`: each snapshot in the folder restored exactly as `restore --snapshot` would
 * (its tables, then a result line each); files that are not snapshots are skipped with the reason. Exit 1 when a
 * snapshot failed (a row, or the whole of it), else 4 when one was incomplete, else 0.
 */
export async function restoreAllCommand(ctx: CommandContext, folderArg: string | undefined): Promise<number> {
  if (folderArg === undefined) throw new UsageError('restore --all needs a folder of snapshots.');
  if (ctx.args.length > 1) throw new UsageError('restore --all takes one folder.');
  if (ctx.values.snapshot !== undefined) throw new UsageError('Use either --snapshot <file> or --all <folder>, not both.');
  const flags = restoreFlags(ctx);
  const folder = path.resolve(folderArg);
  const names = (await fs.readdir(folder)).filter((n) => n.toLowerCase().endsWith('.json') && !n.startsWith(MOVES_STATE_PREFIX)).sort();
  const rows: FolderRow[] = [];
  const blocks: string[] = [];
  const failedRow = (file: string, snapshot: Snapshot | null, e: unknown): FolderRow => ({
    file, subscriptionId: snapshot?.subscription.id ?? null, subscription: snapshot?.subscription.name ?? null, status: 'failed',
    reason: oneLineError(e, { sandbox: ctx.global.sandbox !== undefined }), result: null,
  });
  for (const name of names) {
    const file = path.join(folder, name);
    ctx.progress.update(`Reading ${name}…`);
    let read: FolderFile;
    try {
      read = await readFolderSnapshot(file, english);
    } catch (e) {
      rows.push(failedRow(file, null, e));
      continue;
    }
    if (read.skipped !== undefined) {
      rows.push({ file, subscriptionId: null, subscription: null, status: 'skipped', reason: read.skipped, result: null });
      continue;
    }
    const snapshot = read.snapshot;
    // Outside the try: a sign-in that fails stops the run (one line, exit 1), not each snapshot in turn.
    const session = await ctx.session();
    let restored: SnapshotRestore;
    try {
      restored = await restoreOne(ctx, session, snapshot, flags, `${name}: `);
    } catch (e) {
      rows.push(failedRow(file, snapshot, e));
      continue;
    }
    const code = restoreExit(restored);
    const { totals, warnings } = restored.result;
    const invitationsFailed = restored.invitations?.filter((o) => o.status === 'failed').length ?? 0;
    rows.push({
      file, subscriptionId: snapshot.subscription.id, subscription: snapshot.subscription.name,
      status: code === EXIT.failure ? 'failed' : code === EXIT.incomplete ? 'incomplete' : flags.dryRun ? 'planned' : 'restored',
      reason: code === EXIT.failure
        ? [totals.failed > 0 ? `${totals.failed} failed` : '', invitationsFailed > 0 ? `${invitationsFailed} invitations failed` : ''].filter((s) => s !== '').join(', ')
        : code === EXIT.incomplete ? warnings.join(' ') : null,
      result: restoreJson(restored),
    });
    blocks.push(restoreText(restored, ctx.global.width));
  }
  ctx.progress.done();
  if (ctx.global.json) ctx.io.stdout(json(rows));
  else if (rows.length > 0) {
    const lines = rows.map((r) => {
      const label = r.subscription === null ? path.basename(r.file) : `${r.subscription} (${path.basename(r.file)})`;
      const totals = (r.result as FullRestoreResult | null)?.totals;
      const counts = totals === undefined ? '' : countsText(totals, flags.dryRun);
      const what = r.status === 'restored' ? `restored — ${counts}`
        : r.status === 'planned' ? `dry run — ${counts}`
          : r.status === 'incomplete' ? `incomplete — ${counts}. ${r.reason ?? ''}`
            : r.status === 'skipped' ? `skipped — ${r.reason ?? ''}`
              : `failed — ${totals === undefined ? r.reason ?? '' : counts}`;
      return `${label}: ${what}`;
    });
    ctx.io.stdout([...blocks.map((b) => `${b.trimEnd()}\n`), `restore --all ${folder} → ${flags.targetTenantId}:`, ...lines].join('\n') + '\n');
  }
  if (rows.every((r) => r.status === 'skipped')) {
    throw new CoreError('notFound', `No snapshots in ${folder}${rows.length === 0 ? '' : ` (${rows.length} file${rows.length === 1 ? '' : 's'} skipped: not snapshots)`}.`);
  }
  if (rows.some((r) => r.status === 'failed')) return EXIT.failure;
  return rows.some((r) => r.status === 'incomplete') ? EXIT.incomplete : EXIT.ok;
}
