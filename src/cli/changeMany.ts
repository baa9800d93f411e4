/**
 * `change-directory` for many subscriptions (`--all-in <tenant>` or several `--subscription`), guarded by
 * `--confirm-count <n>`: the resumable run of core/multiMove.ts, a result line each (`restore --all` is restore.ts).
 */
import * as path from 'node:path';
import { english } from '../core/l10n';
import { moveMany, movesStateFile, readMovesState, type MoveEntry } from '../core/multiMove';
import { CoreError, PlanCache, findSubscription, resolveTarget, subscriptionsIn } from '../core/plan';
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
