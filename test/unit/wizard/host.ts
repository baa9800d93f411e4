/**
 * The editor's side of a wizard controller in unit tests: ports over the real sandbox, recording what was asked. The
 * world lists the signed-in accounts (the owner's and `others`) with their directories, as the tree does.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AzureSession } from '../../../src/azure/session';
import { trackMove, type PendingMove, type TrackProgress } from '../../../src/core/changeDirectory';
import { describeDirectories, listSubscriptions, type DirectorySummary } from '../../../src/core/directories';
import { english } from '../../../src/core/l10n';
import { takeSnapshot, writeSnapshot } from '../../../src/core/snapshot';
import { snapshotFolderFor } from '../../../src/core/snapshotFolder';
import type { Sandbox } from '../../../src/sandbox/server';
import type { Person } from '../../../src/webview/protocol';
import type { WizardSubscription, WizardWorld } from '../../../src/wizard/context';
import type { Confirmation } from '../../../src/wizard/events';
import { WizardController } from '../../../src/wizard/controller';
import type { WizardHost } from '../../../src/wizard/ports';
import { RILEY, sessionFor, subscriptionByName, tenantByName } from '../helpers';

export const CONTOSO = tenantByName('Contoso Ltd');
export const PRODUCTION = subscriptionByName('Fabrikam Production');

/**
 * Production snapshotted, then moved into Contoso (by Riley); a wizard reopened on step 3 with that snapshot
 * remembered, as after a reload.
 */
export async function reopenedOnStep3(sandbox: Sandbox): Promise<{ wizard: WizardController; recorded: Recorded }> {
  const session = sessionFor(sandbox);
  const { host } = await setUp(session, () => true);
  const snapshot = await takeSnapshot(session, await session.arm.getSubscription(tenantByName('Fabrikam Labs'), PRODUCTION), english);
  const written = await writeSnapshot(await host.snapshotFolder(session.cloud.name), snapshot, english);
  sandbox.moveSubscription(PRODUCTION, CONTOSO, RILEY);
  const after = await setUp(session, () => true);
  after.recorded.remembered.set(PRODUCTION, written.jsonPath);
  const wizard = new WizardController({ subscription: after.subscription, targetTenantId: CONTOSO, moved: true, changeApi: false }, after.host, () => undefined);
  await wizard.dispatch({ type: 'openStep', step: 'admins' });
  return { wizard, recorded: after.recorded };
}

/** The sandbox account's key, as the tree names it. */
export function accountKey(upn: string): string {
  return `/sandbox/accounts/${upn}`;
}

export interface Recorded {
  confirmations: Confirmation[];
  opened: string[];
  remembered: Map<string, string>;
  searches: { query: string; count: number; error: string | null }[];
  /** Every answer to a restore row's search, in the order posted. */
  restoreSearches: { rowId: string; query: string; results: Person[]; error: string | null }[];
  warnings: string[];
  copied: string[];
}

/**
 * Ports standing in for the editor around a controller of `subscriptionId` (Fabrikam Production by default):
 * `answer` is the user's answer to each modal; snapshots go where the extension puts them (`snapshotFolderFor`);
 * `others` are more signed-in accounts (two identities).
 */
export async function setUp(
  session: AzureSession,
  answer: (c: Confirmation) => boolean,
  options: { readonly subscriptionId?: string; readonly others?: readonly AzureSession[] } = {},
): Promise<{ host: WizardHost; recorded: Recorded; folder: string; subscription: WizardSubscription }> {
  const subscriptionId = options.subscriptionId ?? PRODUCTION;
  const directories: DirectorySummary[] = await describeDirectories(session, english);
  const accounts = [session, ...(options.others ?? [])].map((s) => ({ accountKey: accountKey(s.account.id), session: s }));
  const directoriesOf = new Map<string, readonly DirectorySummary[]>([[accountKey(session.account.id), directories]]);
  const refresh = async (): Promise<void> => {
    for (const a of accounts.slice(1)) directoriesOf.set(a.accountKey, await describeDirectories(a.session, english));
  };
  await refresh();
  const subs = (await listSubscriptions(session)).subscriptions.map((s): WizardSubscription => ({
    subscription: s,
    source: directories.find((d) => d.tenantId === s.tenantId) ?? directories[0]!,
    accountKey: accountKey(session.account.id),
    session,
  }));
  const moves = new Map<string, { move: PendingMove; progress: TrackProgress; abort: AbortController }>();
  const recorded: Recorded = { confirmations: [], opened: [], remembered: new Map(), searches: [], restoreSearches: [], warnings: [], copied: [] };
  const folder = mkdtempSync(join(tmpdir(), 'atl-wizard-'));
  const world: WizardWorld = {
    l10n: english,
    subscriptions: subs,
    directories: (key) => directoriesOf.get(key) ?? [],
    accounts: () => accounts,
    move: (id) => {
      const m = moves.get(id.toLowerCase());
      return m ? { targetTenantId: m.move.targetTenantId, progress: m.progress } : undefined;
    },
    heldElsewhere: () => false,
  };
  const host: WizardHost = {
    world: () => world,
    confirm: (c) => {
      recorded.confirmations.push(c);
      return Promise.resolve(answer(c));
    },
    signInToDirectory: () => Promise.resolve(),
    revealInTree: () => Promise.resolve(),
    revealWizard: () => undefined,
    snapshotFolder: (cloud) => Promise.resolve(snapshotFolderFor(folder, cloud)),
    rememberSnapshot: (id, path) => {
      recorded.remembered.set(id, path);
      return Promise.resolve();
    },
    rememberedSnapshot: (id) => recorded.remembered.get(id),
    moves: {
      watch: (s, move) => {
        const abort = new AbortController();
        const entry = { move, abort, progress: { attempts: 0, nextCheckAt: Date.now(), status: 'waiting' } as TrackProgress };
        moves.set(move.subscriptionId.toLowerCase(), entry);
        void trackMove(s, move.subscriptionId, move.targetTenantId, { signal: abort.signal, initialDelayMs: 20, maxDelayMs: 50, onProgress: (p) => { entry.progress = p; } }).then((r) => { entry.progress = r; }, () => undefined);
      },
      cancel: (id) => {
        const m = moves.get(id.toLowerCase());
        m?.abort.abort();
        if (m) m.progress = { ...m.progress, nextCheckAt: null, status: 'cancelled' };
      },
    },
    openExternal: (url) => {
      recorded.opened.push(url);
      return Promise.resolve();
    },
    copyText: (text) => {
      recorded.copied.push(text);
      return Promise.resolve();
    },
    refreshAccounts: refresh,
    showFile: () => Promise.resolve(),
    postSearchResults: (query, results, error) => {
      recorded.searches.push({ query, count: results.length, error });
      return Promise.resolve();
    },
    postRestoreSearchResults: (rowId, query, results, error) => {
      recorded.restoreSearches.push({ rowId, query, results, error });
      return Promise.resolve();
    },
    restoreSearchDebounceMs: 30,
    log: { warn: (m) => { recorded.warnings.push(m); }, error: (m) => { recorded.warnings.push(m); } },
  };
  const subscription = subs.find((s) => s.subscription.subscriptionId === subscriptionId);
  assert.ok(subscription);
  return { host, recorded, folder, subscription };
}

export async function until(what: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

