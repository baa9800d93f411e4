/**
 * Many directory changes in one run, resumable: a snapshot of every subscription first (a run without every snapshot
 * saved changes nothing), then the changes through the preview API with a bound on how many run at once, then
 * tracking until each answers in the target. A state file records each subscription's progress after every step, so
 * a run that was interrupted (killed, a network loss) is re-run with the same command: what is done is not done again,
 * and a subscription is never asked to move twice — before a change is requested, the run checks whether the
 * subscription already answers in the target, or already has a pending request, and continues from there.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isAzureError } from '../azure/errors';
import type { Subscription } from '../azure/models';
import type { AzureSession } from '../azure/session';
import { mapBounded } from '../azure/concurrency';
import type { PlanCache, TargetDirectory } from './plan';
import { changeDirectory, trackMove, type TrackOptions } from './changeDirectory';
import type { Localize } from './l10n';
import { writeNewFile } from './files';
import { requireComplete, takeSnapshot, writeSnapshot } from './snapshot';
import { reasonOf } from './util';

export const MOVES_FORMAT = 'azure-tenant-link/moves';
export const MOVES_VERSION = 1;

/** Where one subscription stands; the order is the order of the steps. */
export const MOVE_STATUSES = ['pending', 'snapshotted', 'requested', 'accepted', 'moved', 'failed'] as const;
export type MoveStatus = (typeof MOVE_STATUSES)[number];

export interface MoveEntry {
  readonly subscriptionId: string;
  readonly name: string;
  readonly sourceTenantId: string;
  status: MoveStatus;
  /** The snapshot JSON saved before the change. */
  snapshot: string | null;
  /** Why it failed, or what is still needed (an administrator of the target must accept). */
  reason: string | null;
  updatedAt: string;
}

export interface MovesState {
  readonly format: typeof MOVES_FORMAT;
  readonly version: typeof MOVES_VERSION;
  readonly targetTenantId: string;
  readonly entries: MoveEntry[];
}

export class MovesStateError extends Error {}

/** What every state file's name starts with (a folder of snapshots holds it too: `restore --all` leaves it alone). */
export const MOVES_STATE_PREFIX = 'tenant-link-moves-';

/** `tenant-link-moves-to-<target>.json` in the folder. */
export function movesStateFile(folder: string, targetTenantId: string): string {
  return path.join(folder, `${MOVES_STATE_PREFIX}to-${targetTenantId.toLowerCase()}.json`);
}

const isStatus = (v: unknown): v is MoveStatus => typeof v === 'string' && (MOVE_STATUSES as readonly string[]).includes(v);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Validates a state file's JSON (it is an input file: untrusted). */
export function parseMovesState(value: unknown, where: string): MovesState {
  const bad = (what: string): never => { throw new MovesStateError(`${where}: ${what}`); };
  if (typeof value !== 'object' || value === null) return bad('not a moves state file');
  const v = value as Record<string, unknown>;
  if (v.format !== MOVES_FORMAT || v.version !== MOVES_VERSION) bad(`not a ${MOVES_FORMAT} version ${MOVES_VERSION} file`);
  if (typeof v.targetTenantId !== 'string' || !GUID.test(v.targetTenantId)) bad('targetTenantId must be a GUID');
  if (!Array.isArray(v.entries) || v.entries.length > 10_000) bad('entries must be an array (at most 10,000)');
  const entries = (v.entries as unknown[]).map((e, i): MoveEntry => {
    const o = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
    const text = (k: string): string => {
      const value = o[k];
      return typeof value === 'string' && value.length <= 2048 ? value : bad(`entries[${i}].${k} must be a string`);
    };
    const orNull = (k: string): string | null => (o[k] === null ? null : text(k));
    if (!GUID.test(text('subscriptionId')) || !GUID.test(text('sourceTenantId'))) bad(`entries[${i}] needs GUIDs`);
    if (!isStatus(o.status)) bad(`entries[${i}].status must be one of ${MOVE_STATUSES.join(', ')}`);
    return {
      subscriptionId: text('subscriptionId').toLowerCase(), name: text('name'), sourceTenantId: text('sourceTenantId').toLowerCase(),
      status: o.status as MoveStatus, snapshot: orNull('snapshot'), reason: orNull('reason'), updatedAt: text('updatedAt'),
    };
  });
  return { format: MOVES_FORMAT, version: MOVES_VERSION, targetTenantId: (v.targetTenantId as string).toLowerCase(), entries };
}

/** The state saved in `file`, if there is one (validated: it is an input file). */
export async function readMovesState(file: string): Promise<MovesState | undefined> {
  let raw: string;
  try {
    raw = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (raw.length > 16 * 1024 * 1024) throw new MovesStateError(`${file}: larger than 16 MB`);
  let json: unknown;
  try { json = JSON.parse(raw); } catch { throw new MovesStateError(`${file}: not JSON`); }
  return parseMovesState(json, file);
}

/** The state in `file` (or a fresh one), with every wanted subscription in it. A file for another target is refused. */
export async function openMovesState(file: string, target: string, subscriptions: readonly Subscription[], now: () => Date): Promise<MovesState> {
  const state = await readMovesState(file) ?? { format: MOVES_FORMAT, version: MOVES_VERSION, targetTenantId: target.toLowerCase(), entries: [] };
  if (state.targetTenantId !== target.toLowerCase()) throw new MovesStateError(`${file} records moves to ${state.targetTenantId}, not to ${target}.`);
  for (const s of subscriptions) {
    if (!state.entries.some((e) => e.subscriptionId === s.subscriptionId.toLowerCase())) {
      state.entries.push({ subscriptionId: s.subscriptionId.toLowerCase(), name: s.displayName, sourceTenantId: s.tenantId.toLowerCase(), status: 'pending', snapshot: null, reason: null, updatedAt: now().toISOString() });
    }
  }
  return state;
}

export interface MultiMoveOptions {
  readonly folder: string;
  readonly stateFile: string;
  /** Changes requested at once. */
  readonly bound: number;
  readonly cache: PlanCache;
  readonly track?: TrackOptions;
  readonly now?: () => Date;
  /** Also the subscriptions the state file records from an earlier run (they may have left the source already). */
  readonly resumeRecorded?: boolean;
  /** After each step of each subscription (the state is already saved). */
  readonly onStep?: (entry: MoveEntry) => void;
}

/** Runs (or resumes) the moves of `subscriptions` to `target`. Returns the final state; every step is saved as it happens. */
export async function moveMany(session: AzureSession, subscriptions: readonly Subscription[], target: TargetDirectory, l10n: Localize, options: MultiMoveOptions): Promise<MovesState> {
  const now = options.now ?? ((): Date => new Date());
  const state = await openMovesState(options.stateFile, target.tenantId, subscriptions, now);
  const wanted = new Set(subscriptions.map((s) => s.subscriptionId.toLowerCase()));
  const bySub = new Map(subscriptions.map((s) => [s.subscriptionId.toLowerCase(), s]));
  const entries = state.entries.filter((e) => options.resumeRecorded === true || wanted.has(e.subscriptionId));
  // One write at a time, in order: the file always holds a whole state.
  let saving = Promise.resolve();
  const save = (entry: MoveEntry, status: MoveStatus, reason: string | null = null, snapshot = entry.snapshot): Promise<void> => {
    Object.assign(entry, { status, reason, snapshot, updatedAt: now().toISOString() });
    saving = saving.then(() => writeNewFile(options.stateFile, JSON.stringify(state, null, 2) + '\n', l10n, { overwrite: true }));
    return saving.then(() => options.onStep?.(entry));
  };
  await fs.mkdir(options.folder, { recursive: true });
  await writeNewFile(options.stateFile, JSON.stringify(state, null, 2) + '\n', l10n, { overwrite: true });

  // 1. A snapshot of every subscription not yet snapshotted (ARM, not Resource Graph: it must be current).
  await mapBounded(entries.filter((e) => e.status === 'pending' || (e.status === 'failed' && e.snapshot === null)), options.bound, async (entry) => {
    const sub = bySub.get(entry.subscriptionId);
    try {
      if (sub === undefined) throw new Error('not found');
      const snapshot = await takeSnapshot(session, sub, l10n, { cache: options.cache, target });
      requireComplete(snapshot, l10n); // an incomplete snapshot is not undo data: that subscription does not move
      const written = await writeSnapshot(options.folder, snapshot, l10n);
      await save(entry, 'snapshotted', null, written.jsonPath);
    } catch (e) {
      await save(entry, 'failed', l10n.t('The snapshot could not be saved: {0}', reasonOf(e)), null);
    }
  });
  if (entries.some((e) => e.snapshot === null)) return state;

  // 2. The changes, at most `bound` at once; first make sure each is not already moved or requested.
  await mapBounded(entries.filter((e) => e.status !== 'moved'), options.bound, async (entry) => {
    try {
      if (await answersIn(session, entry.subscriptionId, target.tenantId)) {
        await save(entry, 'moved');
        return;
      }
      const sub = bySub.get(entry.subscriptionId);
      if (entry.status === 'accepted' || sub === undefined) return;
      const pending = await session.arm.getChangeTenantRequest(sub.tenantId, sub.subscriptionId).catch(() => undefined);
      if (pending !== undefined && pending.properties.destinationTenantId.toLowerCase() !== target.tenantId.toLowerCase()) {
        await save(entry, 'failed', l10n.t('A request to move it to another directory ({0}) is pending; cancel it first.', pending.properties.destinationTenantId));
        return;
      }
      // A request already made (by an interrupted run) is accepted, not made again.
      const change = await changeDirectory(session, sub, target.tenantId, l10n, pending === undefined ? {} : { existing: pending });
      await save(entry, change.accepted ? 'accepted' : 'requested', change.acceptNote ?? null);
    } catch (e) {
      await save(entry, 'failed', reasonOf(e));
    }
  });

  // 3. Tracking, all at once: each until it answers in the target (or the time is up).
  await Promise.all(entries.filter((e) => e.status === 'accepted').map(async (entry) => {
    const result = await trackMove(session, entry.subscriptionId, target.tenantId, options.track);
    if (result.status === 'seen') await save(entry, 'moved');
    else await save(entry, 'accepted', l10n.t('Accepted, but not visible in the target directory yet after {0} checks; it can take up to an hour. Re-run to check again.', result.attempts));
  }));
  await saving;
  return state;
}

async function answersIn(session: AzureSession, subscriptionId: string, tenantId: string): Promise<boolean> {
  try {
    const sub = await session.arm.getSubscription(tenantId, subscriptionId);
    return sub.tenantId.toLowerCase() === tenantId.toLowerCase();
  } catch (e) {
    if (isAzureError(e, 'wrongTenant') || isAzureError(e, 'notFound') || isAzureError(e, 'unauthorized') || isAzureError(e, 'forbidden') || isAzureError(e, 'notSignedIn')) return false;
    throw e;
  }
}
