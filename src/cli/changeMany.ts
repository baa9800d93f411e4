/**
 * `change-directory` for many subscriptions (`--all-in <tenant>` or several `--subscription`), guarded by
 * `--confirm-count <n>`, and `restore --all <folder>`: the resumable run of core/multiMove.ts, a result line each.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { english } from '../core/l10n';
import { mapPrincipals } from '../core/mapping';
import { moveMany, movesStateFile, readMovesState, type MoveEntry } from '../core/multiMove';
import { CoreError, PlanCache, findSubscription, resolveTarget, subscriptionsIn } from '../core/plan';
import { restoreSnapshot } from '../core/restore';
import { readSnapshot, SNAPSHOT_FORMAT } from '../core/snapshot';
import { guidOption, type CommandContext } from './context';
import { json } from './format';
import { EXIT, UsageError } from './io';

const LINE: Readonly<Record<MoveEntry['status'], string>> = {
  pending: 'not started', snapshotted: 'snapshot saved, not changed', requested: 'change requested', accepted: 'accepted, not visible yet', moved: 'moved', failed: 'failed',
};

export async function changeManyCommand(ctx: CommandContext): Promise<number> {
  const { values } = ctx;
  const ids = values.subscription ?? [];
  const allIn = values['all-in'];
  if (ids.length > 0 && allIn !== undefined) throw new UsageError('Use either --subscription or --all-in, not both.');
  for (const id of ids) guidOption(id, '--subscription', 'subscription ID');
  const targetTenantId = guidOption(values.to, '--to', 'directory (tenant) ID');
  const countText = values['confirm-count'];
  if (countText === undefined) throw new UsageError('Moving several subscriptions needs --confirm-count <n>: the number of subscriptions that will change directory.');
  const count = Number(countText);
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`--confirm-count must be a whole number, got "${countText}".`);
  const timeoutSeconds = Number(values.timeout ?? '600');
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw new UsageError(`--timeout must be a number of seconds, got "${values.timeout ?? ''}".`);
  const folder = path.resolve(values['snapshot-folder'] ?? '.');

  const session = await ctx.session();
  const cache = new PlanCache(session, { concurrency: ctx.global.maxInFlight });
  const subscriptions = allIn !== undefined
    ? await subscriptionsIn(session, guidOption(allIn, '--all-in', 'directory (tenant) ID'), cache)
    : await Promise.all([...new Set(ids.map((i) => i.toLowerCase()))].map((id) => findSubscription(session, id, english, cache)));
  const stateFile = movesStateFile(folder, targetTenantId);
  // A resumed --all-in run counts the subscriptions it started with: the ones already moved no longer list in the source.
  const recorded = allIn === undefined ? [] : (await readMovesState(stateFile))?.entries ?? [];
  const known = new Set([...subscriptions.map((s) => s.subscriptionId.toLowerCase()), ...recorded.map((e) => e.subscriptionId)]);
  if (known.size !== count) {
    throw new CoreError('refused', `Refusing to change any directory: --confirm-count is ${count}, but this moves ${known.size} subscription${known.size === 1 ? '' : 's'}.`);
  }
  const target = await resolveTarget(session, targetTenantId, english, cache);
  let done = 0;
  const state = await moveMany(session, subscriptions, target, english, {
    folder, stateFile, bound: ctx.global.concurrency, cache, resumeRecorded: allIn !== undefined,
    track: { timeoutMs: timeoutSeconds * 1000, initialDelayMs: 2_000 },
    onStep: (e) => { ctx.progress.update(`${++done} steps done; ${e.name}: ${LINE[e.status]}`); },
  });
  ctx.progress.done();
  const entries = state.entries.filter((e) => known.has(e.subscriptionId));
  if (ctx.global.json) ctx.io.stdout(json({ stateFile, targetTenantId: target.tenantId, subscriptions: entries }));
  else {
    const lines = entries.map((e) => `${e.name} (${e.subscriptionId}): ${LINE[e.status]}${e.reason ? ` — ${e.reason}` : ''}`);
    const unsaved = entries.filter((e) => e.snapshot === null).length;
    if (unsaved > 0) lines.push(`Nothing was changed: ${unsaved} snapshot${unsaved === 1 ? '' : 's'} could not be saved. Fix that and run the same command again.`);
    lines.push(`State: ${stateFile} (run the same command again to resume). Restore access afterwards: tenant-link restore --all ${folder} --to ${target.tenantId}`);
    ctx.io.stdout(lines.join('\n') + '\n');
  }
  return entries.every((e) => e.status === 'moved') ? EXIT.ok : EXIT.failure;
}

/** `restore --all <folder> --to <tenant>`: every snapshot in the folder, a result line each. */
export async function restoreAllCommand(ctx: CommandContext, folderArg: string | undefined): Promise<number> {
  if (folderArg === undefined) throw new UsageError('restore --all needs a folder of snapshots.');
  const targetTenantId = guidOption(ctx.values.to, '--to', 'directory (tenant) ID');
  const folder = path.resolve(folderArg);
  const names = (await fs.readdir(folder)).filter((n) => n.endsWith('.json') && !n.startsWith('tenant-link-moves-')).sort();
  const session = await ctx.session();
  const rows: { file: string; subscription: string | null; status: 'restored' | 'failed' | 'notMoved'; created: number; exists: number; failed: number; skipped: number; reason: string | null }[] = [];
  for (const name of names) {
    const file = path.join(folder, name);
    // Only snapshot files; anything else in the folder is left alone.
    const head = await fs.readFile(file, 'utf8').then((t) => t.slice(0, 200), () => '');
    if (!head.includes(SNAPSHOT_FORMAT)) continue;
    ctx.progress.update(`Restoring ${name}…`);
    try {
      const snapshot = await readSnapshot(file, english);
      try {
        await session.arm.getSubscription(targetTenantId, snapshot.subscription.id);
      } catch {
        rows.push({ file, subscription: snapshot.subscription.name, status: 'notMoved', created: 0, exists: 0, failed: 0, skipped: 0, reason: `does not answer in ${targetTenantId} yet` });
        continue;
      }
      const mapping = await mapPrincipals(session, snapshot, targetTenantId, english, { concurrency: ctx.global.concurrency });
      const result = await restoreSnapshot(session, snapshot, mapping, english, { dryRun: ctx.values['dry-run'] === true, concurrency: ctx.global.concurrency });
      const c = result.counts;
      const failed = c.failed + result.customRoles.filter((r) => r.status === 'failed').length;
      rows.push({ file, subscription: snapshot.subscription.name, status: failed > 0 ? 'failed' : 'restored', created: c.created, exists: c.exists, failed, skipped: c.skipped, reason: null });
    } catch (e) {
      rows.push({ file, subscription: null, status: 'failed', created: 0, exists: 0, failed: 0, skipped: 0, reason: e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e) });
    }
  }
  ctx.progress.done();
  if (rows.length === 0) throw new CoreError('notFound', `No snapshots in ${folder}.`);
  ctx.io.stdout(ctx.global.json ? json(rows) : rows.map((r) => `${r.subscription ?? path.basename(r.file)}: ${r.status === 'restored' ? `restored (${r.created} created, ${r.exists} already there, ${r.skipped} skipped)` : r.status === 'notMoved' ? `not restored — ${r.reason ?? ''}` : `failed${r.reason ? ` — ${r.reason}` : ` (${r.failed} rows failed)`}`}`).join('\n') + '\n');
  return rows.every((r) => r.status === 'restored') ? EXIT.ok : EXIT.failure;
}
