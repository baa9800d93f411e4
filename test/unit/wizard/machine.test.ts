/**
 * The wizard's state machine without vscode: every step, gating, cancel, resume from a saved state, and choosing
 * another subscription (with the panel registry that must then find the wizard under its new key). The machine is
 * pure, so events stand in for the results of effects; the effects it asks for are the assertions.
 */
import assert from 'node:assert/strict';
import type { TrackProgress } from '../../../src/core/changeDirectory';
import type { DirectorySummary } from '../../../src/core/directories';
import { english } from '../../../src/core/l10n';
import type { DetailedPlan } from '../../../src/core/plan';
import type { Snapshot } from '../../../src/core/snapshot';
import { PanelRegistry } from '../../../src/webview/panelRegistry';
import { isWizardState } from '../../../src/webview/protocol';
import { initialContext, type WizardContext, type WizardSubscription, type WizardWorld } from '../../../src/wizard/context';
import type { Effect, WizardEvent } from '../../../src/wizard/events';
import { project, reduce, stepInfos } from '../../../src/wizard/machine';
import { AzureSession } from '../../../src/azure/session';
import { HttpLayer } from '../../../src/azure/http';
import { SandboxTokenAuth } from '../../../src/azure/sandboxAuth';

const FABRIKAM = '11111111-1111-4111-8111-111111111111';
const CONTOSO = '22222222-2222-4222-8222-222222222222';
const SUB_A = 'a1a1a1a1-0000-4000-8000-000000000001';
const SUB_B = 'a1a1a1a1-0000-4000-8000-000000000002';
const ACCOUNT = '/sandbox/accounts/riley';

// A session object is carried in the context but never called by the machine (effects are the controller's).
const session = new AzureSession(new HttpLayer({}), new SandboxTokenAuth(new HttpLayer({}), 'http://127.0.0.1:9', 'riley'), { id: 'riley', label: 'riley@fabrikamlabs.onmicrosoft.com' });

function directory(tenantId: string, name: string, office365: boolean): DirectorySummary {
  return { tenantId, displayName: name, defaultDomain: `${name.toLowerCase().replace(/ /g, '')}.example`, domains: [], category: null, signedIn: true, needsSignIn: false, office365, office365Reason: '' };
}
const DIRS = [directory(FABRIKAM, 'Fabrikam Labs', false), directory(CONTOSO, 'Contoso Ltd', true)];

function sub(id: string, name: string): WizardSubscription {
  return { subscription: { id: `/subscriptions/${id}`, subscriptionId: id, displayName: name, tenantId: FABRIKAM, state: 'Enabled', subscriptionPolicies: { quotaId: 'PayAsYouGo_2014-09-01' } }, source: DIRS[0]!, accountKey: ACCOUNT, session };
}

interface TestWorld extends WizardWorld {
  moves: Map<string, { targetTenantId: string; progress: TrackProgress }>;
  held: Set<string>;
}

function makeWorld(): TestWorld {
  const moves = new Map<string, { targetTenantId: string; progress: TrackProgress }>();
  const held = new Set<string>();
  return {
    l10n: english,
    subscriptions: [sub(SUB_A, 'Fabrikam Production'), sub(SUB_B, 'Fabrikam Dev/Test')],
    directories: () => DIRS,
    move: (id) => moves.get(id.toLowerCase()),
    heldElsewhere: (id) => held.has(id.toLowerCase()),
    moves,
    held,
  };
}

function plan(fail = false): DetailedPlan {
  return {
    source: { tenantId: FABRIKAM, displayName: 'Fabrikam Labs' },
    checks: [{ id: 'caller-is-owner', status: fail ? 'fail' : 'pass', title: 'Owner', message: fail ? 'You are not Owner.' : 'You are Owner.' }],
    impact: {
      roleAssignments: [{ id: '/x/ra1', scope: `/subscriptions/${SUB_A}`, scopeKind: 'subscription', roleName: 'Reader', roleDefinitionId: 'r', principalId: 'p', principalType: 'User', principalName: 'Pat', removed: true }],
      customRoles: [],
      classicAdministrators: [],
      dependentResources: [],
      eligibleAssignments: [], policyAssignments: [], policyExemptions: [], keyVaults: [], identities: [], locks: [], denyAssignments: [], delegations: [], unknown: [],
    },
  } as unknown as DetailedPlan;
}

const SNAPSHOT = { subscription: { id: SUB_A }, targetDirectory: null, roleAssignments: [{}, {}] } as unknown as Snapshot;

/** Drives the machine: returns the context and every effect asked for along the way. */
function drive(ctx: WizardContext, world: WizardWorld, ...events: WizardEvent[]): { ctx: WizardContext; effects: Effect[] } {
  const effects: Effect[] = [];
  for (const e of events) {
    const u = reduce(ctx, e, world);
    ctx = u.ctx;
    effects.push(...u.effects);
  }
  return { ctx, effects };
}

const kinds = (effects: readonly Effect[]): string[] => effects.map((e) => e.kind);
const start = (world: WizardWorld, target?: string): WizardContext => initialContext({ subscription: world.subscriptions[0]!, targetTenantId: target, changeApi: false });

describe('wizard machine (pure, no vscode)', () => {
  it('walks every step: choose → visible → change (portal) → admins → done, each gated by the table', () => {
    const world = makeWorld();
    let ctx = start(world);
    assert.deepEqual(stepInfos(ctx, world).map((s) => s.status), ['current', 'todo', 'todo', 'todo', 'todo']);
    // Gating: nothing beyond step 0 opens without a target.
    ctx = drive(ctx, world, { type: 'openStep', step: 'change' }).ctx;
    assert.equal(ctx.active, 'choose');
    let r = drive(ctx, world, { type: 'chooseTarget', tenantId: FABRIKAM });
    assert.equal(r.ctx.targetTenantId, null, 'the source is not a target');
    r = drive(ctx, world, { type: 'chooseTarget', tenantId: CONTOSO }, { type: 'openStep', step: 'visible' });
    assert.deepEqual(kinds(r.effects), ['checkVisible']);
    assert.equal(r.ctx.visible?.checking, true);
    // Not visible yet: step 2 is blocked.
    r = drive(r.ctx, world, { type: 'visibleChecked', listed: false, token: null }, { type: 'openStep', step: 'change' });
    assert.equal(r.ctx.active, 'visible');
    assert.equal(stepInfos(r.ctx, world)[2]?.status, 'blocked');
    r = drive(r.ctx, world, { type: 'recheck' }, { type: 'visibleChecked', listed: true, token: 'ok' }, { type: 'openStep', step: 'change' });
    assert.equal(r.ctx.active, 'change');
    assert.deepEqual(kinds(r.effects), ['checkVisible', 'plan', 'readRequest'], 'step 2 also reads a request made earlier (another window, the CLI)');
    assert.equal(project(r.ctx, world).change?.block, 'checksRunning');
    r = drive(r.ctx, world, { type: 'planned', plan: plan() });
    assert.equal(project(r.ctx, world).change?.block, 'snapshotMissing');
    // No change without a snapshot (or the user's say).
    assert.deepEqual(drive(r.ctx, world, { type: 'changeDirectory' }).effects, []);
    r = drive(r.ctx, world, { type: 'saveSnapshot' }, { type: 'snapshotSaved', path: '/tmp/s.json', snapshot: SNAPSHOT });
    assert.deepEqual(kinds(r.effects), ['saveSnapshot']);
    assert.equal(project(r.ctx, world).change?.block, null);
    r = drive(r.ctx, world, { type: 'changeDirectory' });
    const confirm = r.effects[0];
    assert.ok(confirm?.kind === 'confirm' && confirm.confirmation.kind === 'changeDirectory');
    assert.equal(confirm.confirmation.deleted, 1);
    r = drive(r.ctx, world, { type: 'confirmed', confirmation: confirm.confirmation });
    assert.deepEqual(kinds(r.effects), ['openPortal', 'cancelMove', 'watchMove']);
    // PendingMoves is the only store of move state: the wizard reads it.
    world.moves.set(SUB_A, { targetTenantId: CONTOSO, progress: { attempts: 1, nextCheckAt: 1, status: 'waiting' } });
    assert.equal(project(r.ctx, world).change?.status, 'waiting');
    assert.equal(drive(r.ctx, world, { type: 'openStep', step: 'admins' }).ctx.active, 'change', 'step 3 waits for the move');
    // The watch gave up: still waiting (a change can take hours), never "failed" with the change button back.
    world.moves.set(SUB_A, { targetTenantId: CONTOSO, progress: { attempts: 40, nextCheckAt: null, status: 'timedOut' } });
    assert.equal(project(r.ctx, world).change?.status, 'waiting');
    assert.equal(project(r.ctx, world).change?.tracking?.status, 'timedOut');
    world.moves.set(SUB_A, { targetTenantId: CONTOSO, progress: { attempts: 2, nextCheckAt: null, status: 'seen' } });
    assert.equal(project(r.ctx, world).change?.status, 'done');
    r = drive(r.ctx, world, { type: 'openStep', step: 'admins' });
    assert.equal(r.ctx.active, 'admins');
    assert.deepEqual(kinds(r.effects), ['mapPrincipals'], 'the snapshot saved in step 2 is mapped into the target');
    r = drive(r.ctx, world, { type: 'createAssignments' });
    assert.deepEqual(r.effects, [], 'nothing chosen, nothing to confirm');
    r = drive(r.ctx, world, { type: 'openStep', step: 'done' });
    assert.equal(r.ctx.done?.deleted, 1);
    assert.deepEqual(stepInfos(r.ctx, world).map((s) => s.status), ['done', 'done', 'done', 'todo', 'current']);
    assert.ok(isWizardState(project(r.ctx, world)), 'the projection passes the protocol validator');
  });

  it('does not move on failing checks, and asks before continuing without a snapshot', () => {
    const world = makeWorld();
    let r = drive(start(world, CONTOSO), world, { type: 'visibleChecked', listed: true, token: 'ok' }, { type: 'openStep', step: 'change' }, { type: 'planned', plan: plan(true) });
    assert.equal(project(r.ctx, world).change?.block, 'checksFailing');
    assert.deepEqual(drive(r.ctx, world, { type: 'changeDirectory' }).effects, []);
    r = drive(start(world, CONTOSO), world, { type: 'visibleChecked', listed: true, token: 'ok' }, { type: 'openStep', step: 'change' }, { type: 'planned', plan: plan() }, { type: 'continueWithoutSnapshot' });
    const c = r.effects.at(-1);
    assert.ok(c?.kind === 'confirm' && c.confirmation.kind === 'skipSnapshot');
    assert.equal(r.ctx.snapshot.status, 'notSaved', 'nothing skipped until the user says so');
    assert.equal(drive(r.ctx, world, { type: 'confirmed', confirmation: c.confirmation }).ctx.snapshot.status, 'skipped');
  });

  it('cancels tracking through PendingMoves, and "check now" restarts it', () => {
    const world = makeWorld();
    world.moves.set(SUB_A, { targetTenantId: CONTOSO, progress: { attempts: 1, nextCheckAt: 5, status: 'waiting' } });
    let ctx = drive(start(world, CONTOSO), world, { type: 'start' }).ctx;
    const r = drive(ctx, world, { type: 'cancelTracking' });
    assert.deepEqual(kinds(r.effects), ['cancelMove']);
    world.moves.set(SUB_A, { targetTenantId: CONTOSO, progress: { attempts: 1, nextCheckAt: null, status: 'cancelled' } });
    ctx = r.ctx;
    assert.equal(project(ctx, world).change?.status, 'cancelled');
    assert.equal(project(ctx, world).change?.tracking?.status, 'cancelled');
    assert.deepEqual(kinds(drive(ctx, world, { type: 'recheck' }).effects), ['cancelMove', 'watchMove']);
    // The mode may change again once cancelled.
    assert.equal(drive(ctx, world, { type: 'setChangeMode', mode: 'api' }).ctx.mode, 'api');
  });

  it('resumes from a saved state: a pending move reopens step 2 with the remembered snapshot and the checks', () => {
    const world = makeWorld();
    world.moves.set(SUB_A, { targetTenantId: CONTOSO, progress: { attempts: 3, nextCheckAt: 9, status: 'waiting' } });
    let r = drive(start(world, CONTOSO), world, { type: 'start' });
    assert.equal(r.ctx.active, 'change');
    assert.deepEqual(kinds(r.effects), ['lookUpRememberedSnapshot', 'plan']);
    r = drive(r.ctx, world, { type: 'remembered', found: { path: '/tmp/old.json', snapshot: SNAPSHOT } }, { type: 'planned', plan: plan() });
    const change = project(r.ctx, world).change;
    assert.ok(change);
    assert.deepEqual({ ...change.snapshot, also: undefined }, { status: 'saved', path: '/tmp/old.json', count: 2, also: undefined });
    assert.equal(change.status, 'waiting');
    // A reload that missed the move: opened on the target it now lives in, step 3 is open; the remembered snapshot is mapped.
    const movedWorld = makeWorld();
    const moved = initialContext({ subscription: { ...movedWorld.subscriptions[0]!, subscription: { ...movedWorld.subscriptions[0]!.subscription, tenantId: CONTOSO } }, targetTenantId: CONTOSO, moved: true, changeApi: false });
    r = drive(moved, movedWorld, { type: 'start' }, { type: 'openStep', step: 'admins' });
    assert.equal(r.ctx.active, 'admins');
    assert.deepEqual(kinds(r.effects), ['lookUpRememberedSnapshot']);
    r = drive(r.ctx, movedWorld, { type: 'remembered', found: { path: '/tmp/old.json', snapshot: SNAPSHOT } });
    assert.deepEqual(kinds(r.effects), ['mapPrincipals']);
    // Nothing remembered: the busy line goes, step 3 offers adding administrators only.
    r = drive(moved, movedWorld, { type: 'openStep', step: 'admins' }, { type: 'remembered' });
    assert.equal(r.ctx.busy, null);
    assert.equal(project(r.ctx, movedWorld).admins?.restore, null);
  });

  it('choosing another subscription starts over for it, keeps the target, and is found under the new key', () => {
    const world = makeWorld();
    const registry = new PanelRegistry<FakePanel>((p) => p.ctx.subscription.subscription.subscriptionId.toLowerCase());
    const panel = registry.open(SUB_A, () => new FakePanel(start(world, CONTOSO)));
    panel.ctx = drive(panel.ctx, world, { type: 'visibleChecked', listed: true, token: 'ok' }).ctx;
    panel.ctx = drive(panel.ctx, world, { type: 'chooseSubscription', subscriptionId: SUB_B }).ctx;
    assert.equal(panel.ctx.subscription.subscription.subscriptionId, SUB_B);
    assert.equal(panel.ctx.targetTenantId, CONTOSO);
    assert.equal(panel.ctx.visible, null, 'what was checked for the other subscription goes');
    assert.equal(registry.get(SUB_B), panel, 'one panel per subscription: found under the subscription it shows now');
    assert.equal(registry.get(SUB_A), undefined, 'and no longer under the one it opened with');
    assert.notEqual(registry.open(SUB_A, () => new FakePanel(start(world))), panel, 'a new panel for the first subscription');
    // A subscription another panel holds is shown there instead.
    world.held.add(SUB_A);
    const r = drive(panel.ctx, world, { type: 'chooseSubscription', subscriptionId: SUB_A });
    assert.deepEqual(r.effects, [{ kind: 'revealWizard', subscriptionId: SUB_A }]);
    assert.equal(r.ctx.subscription.subscription.subscriptionId, SUB_B);
  });

  it('clears the last error on the next intent, keeps it on results', () => {
    const world = makeWorld();
    const failed = drive(start(world, CONTOSO), world, { type: 'failed', error: { message: 'boom' } }).ctx;
    assert.equal(drive(failed, world, { type: 'planned', plan: plan() }).ctx.error?.message, 'boom');
    assert.equal(drive(failed, world, { type: 'recheck' }).ctx.error, null);
  });
});

class FakePanel {
  private readonly listeners: (() => void)[] = [];
  constructor(public ctx: WizardContext) {}
  reveal(): void { /* shown */ }
  restore(): void { /* adopted */ }
  dispose(): void { for (const l of this.listeners) l(); }
  readonly onDidDispose = (listener: () => void): { dispose(): void } => {
    this.listeners.push(listener);
    return { dispose: () => undefined };
  };
}
