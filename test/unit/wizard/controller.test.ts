/**
 * The wizard's controller without vscode, over the real sandbox: the machine's effects run on the real core (checks,
 * impact, snapshot, mapping, restore) over real HTTP. The ports stand in for the editor: `confirm` is the user
 * answering the modal (recorded, so the test sees what was asked), moves are tracked with core `trackMove`, and the
 * portal hand-off is finished the way the portal does it (the sandbox's move).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AzureSession } from '../../../src/azure/session';
import { trackMove, type PendingMove, type TrackProgress } from '../../../src/core/changeDirectory';
import { describeDirectories, listSubscriptions, type DirectorySummary } from '../../../src/core/directories';
import { english } from '../../../src/core/l10n';
import type { WizardState } from '../../../src/webview/protocol';
import type { WizardSubscription, WizardWorld } from '../../../src/wizard/context';
import { WizardController } from '../../../src/wizard/controller';
import type { Confirmation } from '../../../src/wizard/events';
import type { WizardHost } from '../../../src/wizard/ports';
import { RILEY, sessionFor, subscriptionByName, tenantByName, useSandbox } from '../helpers';

const CONTOSO = tenantByName('Contoso Ltd');
const PRODUCTION = subscriptionByName('Fabrikam Production');
const ACCOUNT = '/sandbox/accounts/riley';

interface Recorded {
  confirmations: Confirmation[];
  opened: string[];
  remembered: Map<string, string>;
  searches: { query: string; count: number; error: string | null }[];
}

async function setUp(session: AzureSession, answer: (c: Confirmation) => boolean): Promise<{ host: WizardHost; recorded: Recorded; folder: string; subscription: WizardSubscription }> {
  const directories: DirectorySummary[] = await describeDirectories(session, english);
  const subs = (await listSubscriptions(session)).subscriptions.map((s): WizardSubscription => ({
    subscription: s,
    source: directories.find((d) => d.tenantId === s.tenantId) ?? directories[0]!,
    accountKey: ACCOUNT,
    session,
  }));
  const moves = new Map<string, { move: PendingMove; progress: TrackProgress; abort: AbortController }>();
  const recorded: Recorded = { confirmations: [], opened: [], remembered: new Map(), searches: [] };
  const folder = mkdtempSync(join(tmpdir(), 'atl-wizard-'));
  const world: WizardWorld = {
    l10n: english,
    subscriptions: subs,
    directories: () => directories,
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
    snapshotFolder: () => Promise.resolve(folder),
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
    copyText: () => Promise.resolve(),
    showFile: () => Promise.resolve(),
    postSearchResults: (query, results, error) => {
      recorded.searches.push({ query, count: results.length, error });
      return Promise.resolve();
    },
    log: { warn: () => undefined, error: () => undefined },
  };
  const subscription = subs.find((s) => s.subscription.subscriptionId === PRODUCTION);
  assert.ok(subscription);
  return { host, recorded, folder, subscription };
}

async function until(what: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('wizard controller over the sandbox (no vscode)', () => {
  const sandbox = useSandbox();

  it('walks Fabrikam Production into Contoso by the portal hand-off and restores access from the snapshot', async () => {
    const session = sessionFor(sandbox());
    const { host, recorded, folder, subscription } = await setUp(session, () => true);
    let state: WizardState | undefined;
    const wizard = new WizardController({ subscription, changeApi: false }, host, () => { state = wizard.state(); });
    await wizard.dispatch({ type: 'start' });
    await wizard.dispatch({ type: 'chooseTarget', tenantId: CONTOSO });
    await wizard.dispatch({ type: 'openStep', step: 'visible' });
    assert.equal(state?.visible?.accountInTarget?.status, 'pass');
    assert.equal(state.visible.tokenForTarget?.status, 'pass');
    await wizard.dispatch({ type: 'openStep', step: 'change' });
    assert.equal(state.activeStep, 'change');
    assert.ok(state.change?.checks?.every((c) => c.status !== 'fail'), JSON.stringify(state.change?.checks));
    const deleted = state.change?.impact?.rows.filter((r) => r.removed).length ?? 0;
    assert.ok(deleted > 0);
    assert.equal(state.change?.block, 'snapshotMissing');
    await wizard.dispatch({ type: 'saveSnapshot' });
    const snapshot = state.change.snapshot;
    assert.ok(snapshot.status === 'saved');
    assert.equal(recorded.remembered.get(PRODUCTION), snapshot.path, 'remembered for a later panel');
    await wizard.dispatch({ type: 'changeDirectory' });
    assert.deepEqual(recorded.confirmations.map((c) => c.kind), ['changeDirectory']);
    assert.equal(recorded.confirmations[0]?.kind === 'changeDirectory' ? recorded.confirmations[0].deleted : -1, deleted);
    assert.equal(recorded.opened.length, 1, 'the portal opened on the subscription');
    assert.equal(wizard.state().change?.status, 'waiting');
    // The user finishes the change in the portal.
    sandbox().moveSubscription(PRODUCTION, CONTOSO, RILEY);
    await until('the move to be seen', () => wizard.state().change?.status === 'done');
    await wizard.dispatch({ type: 'openStep', step: 'admins' });
    state = wizard.state();
    assert.equal(state.activeStep, 'admins');
    const rows = state.admins?.restore ?? [];
    const chosen = rows.filter((r) => r.chosen !== null).length;
    assert.ok(chosen > 0, 'principals that exist in Contoso are matched');
    await wizard.dispatch({ type: 'createAssignments' });
    assert.equal(recorded.confirmations.at(-1)?.kind, 'createAssignments');
    state = wizard.state();
    assert.equal(state.admins?.creating, false);
    const results = rows.filter((r) => r.chosen !== null).map((r) => state?.admins?.restore?.find((x) => x.id === r.id)?.result?.status);
    assert.ok(results.every((r) => r === 'created' || r === 'exists'), JSON.stringify(results));
    assert.equal(results.length, chosen);
    const created = results.filter((r) => r === 'created').length;
    assert.ok(created > 0);
    await wizard.dispatch({ type: 'openStep', step: 'done' });
    assert.equal(wizard.state().done?.created, created);
    assert.equal(wizard.state().done?.deleted, deleted);
    await wizard.dispatch({ type: 'exportReport' });
    const reportPath = wizard.state().done?.reportPath;
    assert.ok(typeof reportPath === 'string' && reportPath.startsWith(folder));
    assert.match(readFileSync(reportPath, 'utf8'), /# Directory change: Fabrikam Production/);
    wizard.dispose();
  });

  it('changes nothing when the user says no to the modal before the move', async () => {
    const session = sessionFor(sandbox());
    const { host, recorded, subscription } = await setUp(session, () => false);
    const wizard = new WizardController({ subscription, targetTenantId: CONTOSO, changeApi: true }, host, () => undefined);
    await wizard.dispatch({ type: 'openStep', step: 'visible' });
    await wizard.dispatch({ type: 'openStep', step: 'change' });
    await wizard.dispatch({ type: 'continueWithoutSnapshot' });
    assert.equal(wizard.state().change?.snapshot.status, 'notSaved', 'declined: no skipping');
    await wizard.dispatch({ type: 'saveSnapshot' });
    const writes = sandbox().requestCount(/changeTenantRequest/, 'PUT');
    await wizard.dispatch({ type: 'changeDirectory' });
    assert.deepEqual(recorded.confirmations.map((c) => c.kind), ['skipSnapshot', 'changeDirectory']);
    assert.equal(sandbox().requestCount(/changeTenantRequest/, 'PUT'), writes, 'no request to change the directory');
    assert.equal(wizard.state().change?.status, 'idle');
    assert.equal(sandbox().state.moves.length, 0);
    wizard.dispose();
  });
});
