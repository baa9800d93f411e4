/**
 * The link wizard's controller. The state lives here, in the extension host; the webview renders `WizardState` and
 * sends intents. Every step's work is the shared core (`src/core`): the same checks, impact, snapshot, mapping and
 * restore the CLI uses.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { portalSubscriptionUrl } from '../azure/clouds';
import { isAzureError } from '../azure/errors';
import { BUILT_IN_ROLES, type GraphUser } from '../azure/models';
import type { AzureSession } from '../azure/session';
import { changeDirectory, portalHandoff, type TrackProgress } from '../core/changeDirectory';
import { offerName } from '../core/checks';
import { mapPrincipals, type MappingResult } from '../core/mapping';
import { PlanCache, planSubscription, type DetailedPlan } from '../core/plan';
import { ADMIN_ROLES, addAdministrators, countResults, restoreSnapshot, type RestoreCounts, type RestoreRowResult, type RowStatus } from '../core/restore';
import { readSnapshot, requireComplete, takeSnapshot, writeSnapshot, type Snapshot } from '../core/snapshot';
import { fileSlug } from '../core/util';
import type { DirectoryNode, SubscriptionNode } from '../views/nodes';
import { WizardWebview, buildL10n, type WebviewLogger, type WizardIntent } from './panelHost';
import type {
  AdminsStep,
  AssignmentResult,
  Banner,
  ChangeMode,
  ChangeStatus,
  Check,
  DirectoryOption,
  DoneStep,
  Impact,
  LinkId,
  Person,
  PrincipalType,
  RestoreRow,
  SnapshotState,
  StepId,
  StepInfo,
  SubscriptionOption,
  Tracking,
  VisibleStep,
  WizardState,
} from './protocol';
import { STEP_IDS, removedCount } from './protocol';

export const WIZARD_VIEW_TYPE = 'azureTenantLink.wizard';

/** What the wizard needs from the rest of the extension (passed in; no globals). */
export interface WizardSources {
  subscriptions(): readonly SubscriptionNode[];
  directories(subscription: SubscriptionNode): readonly DirectoryNode[];
  signInToDirectory(node: DirectoryNode): Promise<void>;
  revealInTree(node: SubscriptionNode | DirectoryNode): Promise<void>;
  /** Folder for snapshots and reports. */
  snapshotFolder(): Promise<string>;
  /** Use the preview change-directory API by default? (experimental setting) */
  changeApiEnabled(): boolean;
  /** Background tracking of the move (survives the panel). */
  watchMove(session: AzureSession, subscription: SubscriptionNode, target: { tenantId: string; name: string }): void;
  cancelMove(subscriptionId: string): void;
  moveProgress(subscriptionId: string): TrackProgress | undefined;
  onMoveProgress(listener: (subscriptionId: string, progress: TrackProgress) => void): vscode.Disposable;
  /** Remembered snapshot path per subscription (workspace-independent). */
  rememberSnapshot(subscriptionId: string, path: string): Thenable<void>;
  /** The snapshot file last saved for the subscription (by a wizard or the Save Access Snapshot command), if any. */
  rememberedSnapshot(subscriptionId: string): string | undefined;
}

interface AdminsModel {
  searchAllowed: boolean;
  selected: (Person & { result?: AssignmentResult })[];
  roleDefinitionId: string;
  restore: RestoreRow[] | null;
  mapping: MappingResult | null;
  creating: boolean;
  lookupError: string | null;
}

/** Created / already there / failed so far, over the selected people and the restore rows. */
function adminCounts(a: AdminsModel | null): RestoreCounts {
  const results = a ? [...a.selected.map((p) => p.result), ...(a.restore ?? []).map((r) => r.result)] : [];
  return countResults(results.filter((r): r is AssignmentResult => r !== undefined));
}

export class WizardController extends WizardWebview {
  private sub: SubscriptionNode;
  private targetTenantId: string | null = null;
  private typedTargetError: string | null = null;
  private active: StepId = 'choose';
  private visible: VisibleStep | null = null;
  private plan: DetailedPlan | null = null;
  private planning = false;
  private snapshot: SnapshotState = { status: 'notSaved' };
  private snapshotData: Snapshot | null = null;
  private rememberedLoad: Promise<void> | null = null;
  private mode: ChangeMode;
  private changeStatus: ChangeStatus = 'idle';
  private tracking: Tracking | null = null;
  private admins: AdminsModel | null = null;
  private doneStep: DoneStep | null = null;
  private busy: string | null = null;
  private error: Banner | null = null;
  private lastSearch: GraphUser[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private abort = new AbortController();

  constructor(
    extensionUri: vscode.Uri,
    logger: WebviewLogger,
    private readonly sources: WizardSources,
    subscription: SubscriptionNode,
    initialTargetTenantId?: string,
    /** The subscription has already moved into `initialTargetTenantId` (its current directory). */
    movedThere = false,
  ) {
    super({
      viewType: WIZARD_VIEW_TYPE,
      title: vscode.l10n.t('Link {0}', subscription.subscription.displayName),
      extensionUri,
      logger,
      l10n: buildL10n((m, ...args) => vscode.l10n.t(m, ...args)),
    });
    this.sub = subscription;
    this.mode = sources.changeApiEnabled() ? 'api' : 'portal';
    if (initialTargetTenantId && initialTargetTenantId !== subscription.subscription.tenantId) this.targetTenantId = initialTargetTenantId;
    else if (initialTargetTenantId && movedThere) {
      // Opened after the move was seen (the "now lives in" notification, or a reload that missed it): step 3 is next.
      this.targetTenantId = initialTargetTenantId;
      this.changeStatus = 'done';
    }
    this.disposables.push(
      sources.onMoveProgress((id, progress) => {
        if (id !== this.subscriptionId.toLowerCase()) return;
        this.applyProgress(progress);
        void this.postState();
      }),
    );
    this.onDidDispose(() => {
      this.abort.abort();
      for (const d of this.disposables) d.dispose();
    });
    const pending = sources.moveProgress(this.subscriptionId);
    if (pending) {
      this.active = 'change';
      this.changeStatus = 'waiting';
      this.applyProgress(pending);
      void this.resumeTracking();
    }
  }

  /**
   * Back after a reload, or reopened while the move is pending: the snapshot saved before the change, and (read-only)
   * the checks and what the move deletes, so step 2 reads as it did rather than loading forever.
   */
  private async resumeTracking(): Promise<void> {
    await this.loadRememberedSnapshot();
    await this.postState();
    if (this.plan || this.planning || this.moved()) return;
    try {
      await this.runPlan();
    } catch (e) {
      this.options.logger.warn(`Pre-flight checks for ${this.subscriptionId} after resuming the watch: ${e instanceof Error ? e.message : String(e)}`);
    }
    await this.postState();
  }

  get subscriptionId(): string {
    return this.sub.subscription.subscriptionId;
  }

  private get session(): AzureSession {
    return this.sub.parent.parent.account.session;
  }

  private get target(): DirectoryOption | undefined {
    return this.directoryOptions().find((d) => d.tenantId === this.targetTenantId);
  }

  private targetName(): string {
    const t = this.target;
    return t?.name ?? this.targetTenantId ?? '';
  }

  // ------------------------------------------------------------------------------------------------ state

  protected getState(): WizardState {
    const s = this.sub;
    const target = this.target;
    const source = { tenantId: s.parent.directory.tenantId, name: s.parent.directory.displayName ?? s.parent.directory.tenantId, domain: s.parent.directory.defaultDomain };
    return {
      header: {
        subscription: { id: s.subscription.subscriptionId, name: s.subscription.displayName, offer: offerName(s.subscription.subscriptionPolicies?.quotaId, vscode.l10n), source },
        target: target ? { tenantId: target.tenantId, name: target.name, domain: target.domain, office365: target.office365 } : null,
      },
      steps: this.steps(),
      activeStep: this.active,
      choose: {
        subscriptions: this.sources.subscriptions().map(subscriptionOption),
        directories: this.directoryOptions(),
        selectedSubscriptionId: s.subscription.subscriptionId,
        selectedTenantId: this.targetTenantId,
        typedTargetError: this.typedTargetError,
      },
      visible: this.visible,
      change: this.targetTenantId === null ? null : {
        checks: this.plan ? this.plan.checks.map((c): Check => ({ id: c.id, status: c.status, title: c.title, message: c.message, ...(c.fix ? { fix: c.fix } : {}), ...(c.owner ? { owner: c.owner } : {}) })) : null,
        impact: this.plan ? impactOf(this.plan) : null,
        snapshot: this.snapshot,
        mode: this.mode,
        portalSteps: this.targetTenantId ? [...portalHandoff(this.session.cloud, { id: s.subscription.subscriptionId, name: s.subscription.displayName, tenantId: s.subscription.tenantId }, { tenantId: this.targetTenantId, displayName: target?.name ?? null }, vscode.l10n).steps] : [],
        status: this.changeStatus,
        block: this.planning ? (this.plan ? 'impactLoading' : 'checksRunning') : !this.plan ? 'checksRunning' : this.plan.checks.some((c) => c.status === 'fail') ? 'checksFailing' : this.snapshot.status === 'saved' || this.snapshot.status === 'skipped' ? null : 'snapshotMissing',
        tracking: this.tracking,
      },
      admins: this.admins ? this.adminsState(this.admins) : null,
      done: this.doneStep,
      busy: this.busy,
      error: this.error,
    };
  }

  private moved(): boolean {
    return this.tracking?.status === 'seen' || (this.targetTenantId !== null && this.sub.subscription.tenantId === this.targetTenantId);
  }

  private visibleOk(): boolean {
    return this.visible?.accountInTarget?.status === 'pass' && this.visible.tokenForTarget?.status === 'pass';
  }

  private steps(): StepInfo[] {
    const visibleOk = this.visibleOk();
    const counts = adminCounts(this.admins);
    const reached: Record<StepId, boolean> = {
      choose: true,
      visible: this.targetTenantId !== null,
      change: this.targetTenantId !== null && (visibleOk || this.changeStatus !== 'idle'),
      admins: this.moved(),
      done: this.doneStep !== null,
    };
    const done: Record<StepId, boolean> = {
      choose: this.targetTenantId !== null,
      visible: visibleOk,
      change: this.moved(),
      admins: counts.created + counts.exists > 0,
      done: this.doneStep !== null,
    };
    return STEP_IDS.map((id) => ({
      id,
      status: id === this.active ? 'current' : done[id] ? 'done' : reached[id] ? 'todo' : id === 'change' && this.visible && !visibleOk ? 'blocked' : 'todo',
    }));
  }

  private canOpen(step: StepId): boolean {
    switch (step) {
      case 'choose':
        return true;
      case 'visible':
        return this.targetTenantId !== null;
      case 'change':
        return this.targetTenantId !== null && (this.visibleOk() || this.changeStatus !== 'idle');
      case 'admins':
        return this.moved();
      case 'done':
        return this.admins !== null;
    }
  }

  private directoryOptions(): DirectoryOption[] {
    const sourceId = this.sub.subscription.tenantId;
    return this.sources
      .directories(this.sub)
      .map((d) => ({
        tenantId: d.directory.tenantId,
        name: d.directory.displayName ?? d.directory.tenantId,
        domain: d.directory.defaultDomain,
        office365: d.directory.office365,
        signedIn: d.directory.signedIn,
        isSource: d.directory.tenantId === sourceId,
      }))
      .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  }

  // ------------------------------------------------------------------------------------------------ intents

  protected async onMessage(msg: WizardIntent): Promise<void> {
    this.error = null;
    try {
      await this.handle(msg);
    } catch (e) {
      if (this.abort.signal.aborted) return;
      this.busy = null;
      this.error = bannerOf(e);
      this.options.logger.error(`Wizard ${msg.type} failed`, e);
    }
    await this.postState();
  }

  private async handle(msg: WizardIntent): Promise<void> {
    switch (msg.type) {
      case 'chooseSubscription': {
        const next = this.sources.subscriptions().find((s) => s.subscription.subscriptionId === msg.subscriptionId);
        if (next && next !== this.sub) this.resetFor(next);
        return;
      }
      case 'chooseTarget':
        if (this.directoryOptions().some((d) => d.tenantId === msg.tenantId && !d.isSource)) this.setTarget(msg.tenantId);
        return;
      case 'typedTarget':
        this.typeTarget(msg.value);
        return;
      case 'openStep':
        await this.openStep(msg.step);
        return;
      case 'signInToDirectory': {
        const node = this.sources.directories(this.sub).find((d) => d.directory.tenantId === msg.tenantId);
        if (node) await this.sources.signInToDirectory(node);
        await this.checkVisible();
        return;
      }
      case 'recheck':
        if (this.active === 'visible') await this.checkVisible();
        // Tracking (waiting, timed out or cancelled): check now, from the first attempt again.
        else if (this.active === 'change' && this.tracking !== null && this.tracking.status !== 'seen') {
          this.changeStatus = 'waiting';
          this.watch();
        }
        else if (this.active === 'change') await this.runPlan();
        return;
      case 'revealInTree': {
        const node = msg.what === 'subscription' ? this.sub : this.sources.directories(this.sub).find((d) => d.directory.tenantId === (msg.what === 'source' ? this.sub.subscription.tenantId : this.targetTenantId));
        if (node) await this.sources.revealInTree(node);
        return;
      }
      case 'copyRequestText':
        await this.copyRequestText(msg.checkId);
        return;
      case 'saveSnapshot':
        await this.saveSnapshot();
        return;
      case 'continueWithoutSnapshot':
        await this.continueWithoutSnapshot();
        return;
      case 'revealSnapshot':
        if (this.snapshot.status === 'saved') await vscode.window.showTextDocument(vscode.Uri.file(this.snapshot.path), { preview: true });
        return;
      case 'setChangeMode':
        if (this.changeStatus === 'idle' || this.changeStatus === 'failed' || this.changeStatus === 'cancelled') this.mode = msg.mode;
        return;
      case 'changeDirectory':
        await this.changeDirectory();
        return;
      case 'openPortal':
        await this.openPortal();
        return;
      case 'cancelTracking':
        this.sources.cancelMove(this.subscriptionId);
        this.changeStatus = 'cancelled';
        this.tracking = this.tracking ? { ...this.tracking, status: 'cancelled', nextCheckAt: null } : null;
        return;
      case 'searchUsers':
        await this.searchUsers(msg.query);
        return;
      case 'lookupUser':
        await this.lookupUser(msg.value);
        return;
      case 'setSelectedUsers':
        if (this.admins) this.admins.selected = this.admins.selected.filter((p) => msg.ids.includes(p.id)).concat(this.lastSearch.filter((u) => msg.ids.includes(u.id) && !this.admins?.selected.some((p) => p.id === u.id)).map(personOf));
        return;
      case 'setRole':
        if (this.admins && ADMIN_ROLES.some((r) => r.id === msg.roleDefinitionId)) this.admins.roleDefinitionId = msg.roleDefinitionId;
        return;
      case 'chooseRestorePrincipal': {
        const row = this.admins?.restore?.find((r) => r.id === msg.rowId);
        if (row && (msg.principalId === null || row.candidates.some((c) => c.id === msg.principalId))) row.chosen = msg.principalId;
        return;
      }
      case 'createAssignments':
      case 'retryFailed':
        await this.createAssignments(msg.type === 'retryFailed');
        return;
      case 'openLink':
        await this.openLink(msg.link);
        return;
      case 'exportReport':
        await this.exportReport();
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  private resetFor(next: SubscriptionNode): void {
    this.sub = next;
    this.visible = null;
    this.plan = null;
    this.snapshot = { status: 'notSaved' };
    this.snapshotData = null;
    this.rememberedLoad = null;
    this.changeStatus = 'idle';
    this.tracking = null;
    this.admins = null;
    this.doneStep = null;
    if (this.targetTenantId === next.subscription.tenantId) this.targetTenantId = null;
  }

  private setTarget(tenantId: string): void {
    if (tenantId === this.targetTenantId) return;
    this.targetTenantId = tenantId;
    this.typedTargetError = null;
    this.visible = null;
    this.plan = null;
    this.snapshot = this.snapshot.status === 'saved' ? this.snapshot : { status: 'notSaved' };
    this.rememberedLoad = null;
  }

  private typeTarget(raw: string): void {
    const value = raw.trim().toLowerCase();
    const match = this.sources.directories(this.sub).find((d) => d.directory.tenantId === value || d.directory.defaultDomain?.toLowerCase() === value || d.directory.domains.some((x) => x.toLowerCase() === value));
    if (match && match.directory.tenantId !== this.sub.subscription.tenantId) {
      this.setTarget(match.directory.tenantId);
    } else if (match) {
      this.typedTargetError = vscode.l10n.t('{0} is the subscription\'s current directory.', raw);
    } else {
      this.typedTargetError = vscode.l10n.t('{0} is not among the directories your account can reach. Sign in with an account of that directory, or ask its administrator for a guest invitation.', raw);
    }
  }

  /** Shows the panel on step 3 (from the "now lives in" notification), once the move has been seen. */
  async showAdministrators(): Promise<void> {
    this.reveal();
    await this.openStep('admins');
    await this.postState();
  }

  private async openStep(step: StepId): Promise<void> {
    if (!this.canOpen(step)) return;
    this.active = step;
    if (step === 'visible' && !this.visible) await this.checkVisible();
    if (step === 'change' && !this.plan && !this.planning) await this.runPlan();
    if (step === 'admins' && !this.admins) await this.prepareAdmins();
    if (step === 'done') this.finish();
  }

  // ------------------------------------------------------------------------------------------------ step 1

  private async checkVisible(): Promise<void> {
    const tenantId = this.targetTenantId;
    if (!tenantId) return;
    const name = this.targetName();
    this.visible = { checking: true, account: this.session.account.label, accountInTarget: null, tokenForTarget: null };
    await this.postState();
    const directories = await this.session.listDirectories(this.abort.signal);
    const listed = directories.some((d) => d.tenantId === tenantId);
    const accountInTarget = listed
      ? { status: 'pass' as const, title: vscode.l10n.t('Your account is in {0}', name), message: vscode.l10n.t('{0} is a user of {1}.', this.session.account.label, name) }
      : {
          status: 'fail' as const,
          title: vscode.l10n.t('Your account is not in {0}', name),
          message: vscode.l10n.t('You aren\'t in the Office 365 directory yet.'),
          fix: vscode.l10n.t('Sign in with your Office 365 work account, or accept a guest invitation to {0} (Entra admin center > Users > Invite external user).', name),
          owner: vscode.l10n.t('A User Administrator of {0}, and you', name),
        };
    let tokenForTarget: VisibleStep['tokenForTarget'] = null;
    if (listed) {
      try {
        await this.session.auth.getToken({ account: this.session.account, tenantId, resource: 'arm', signal: this.abort.signal });
        tokenForTarget = { status: 'pass', title: vscode.l10n.t('Signed in to {0}', name), message: vscode.l10n.t('The editor can act in {0} for you.', name) };
      } catch (e) {
        const mfa = isAzureError(e) && /AADSTS50076|AADSTS50079|multi-factor/i.test(`${e.code ?? ''} ${e.message}`);
        tokenForTarget = {
          status: 'fail',
          title: vscode.l10n.t('Sign in to {0} first', name),
          message: mfa ? vscode.l10n.t('{0} requires multi-factor authentication: sign in to it directly.', name) : vscode.l10n.t('The editor has no sign-in for {0} yet.', name),
          fix: vscode.l10n.t('Select “Sign in to directory” and complete the sign-in.'),
          owner: vscode.l10n.t('You'),
        };
      }
    }
    this.visible = { checking: false, account: this.session.account.label, accountInTarget, tokenForTarget };
  }

  // ------------------------------------------------------------------------------------------------ step 2

  private async runPlan(): Promise<void> {
    const tenantId = this.targetTenantId;
    if (!tenantId) return;
    this.planning = true;
    this.busy = vscode.l10n.t('Running pre-flight checks…');
    await this.postState();
    try {
      this.plan = await planSubscription(this.session, this.sub.subscription, tenantId, vscode.l10n, new PlanCache(this.session), this.abort.signal);
    } finally {
      this.planning = false;
      this.busy = null;
    }
  }

  private async copyRequestText(checkId: string): Promise<void> {
    const check = this.plan?.checks.find((c) => c.id === checkId);
    if (!check) return;
    const lines = [
      vscode.l10n.t('Moving the Azure subscription "{0}" ({1}) from {2} to {3} is blocked:', this.sub.subscription.displayName, this.subscriptionId, this.sub.parent.directory.displayName ?? this.sub.subscription.tenantId, this.targetName()),
      check.message,
      ...(check.fix ? [vscode.l10n.t('Fix: {0}', check.fix)] : []),
      ...(check.owner ? [vscode.l10n.t('Who: {0}', check.owner)] : []),
    ];
    await vscode.env.clipboard.writeText(lines.join('\n'));
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the request text'), 3000);
  }

  private async saveSnapshot(): Promise<void> {
    this.snapshot = { status: 'saving' };
    await this.postState();
    try {
      const target = this.target;
      const snapshot = await takeSnapshot(this.session, this.sub.subscription, vscode.l10n, {
        target: target ? { tenantId: target.tenantId, displayName: target.name, defaultDomain: target.domain, visible: true } : undefined,
        signal: this.abort.signal,
      });
      requireComplete(snapshot, vscode.l10n); // an incomplete snapshot is not called saved
      const written = await writeSnapshot(await this.sources.snapshotFolder(), snapshot, vscode.l10n);
      this.snapshotData = snapshot;
      this.snapshot = { status: 'saved', path: written.jsonPath, count: snapshot.roleAssignments.length };
      await this.sources.rememberSnapshot(this.subscriptionId, written.jsonPath);
    } catch (e) {
      this.snapshot = { status: 'failed', reason: bannerOf(e).message };
    }
  }

  private async continueWithoutSnapshot(): Promise<void> {
    const count = this.plan ? removedCount(impactOf(this.plan)) : 0;
    const go = vscode.l10n.t('Continue without snapshot');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Continue without a snapshot?'),
      { modal: true, detail: vscode.l10n.t('The directory change permanently deletes {0} role assignments. Without a snapshot you cannot restore them in step 3.', String(count)) },
      go,
    );
    if (answer === go) this.snapshot = { status: 'skipped' };
  }

  private async changeDirectory(): Promise<void> {
    const plan = this.plan;
    const tenantId = this.targetTenantId;
    if (!plan || !tenantId || plan.checks.some((c) => c.status === 'fail')) return;
    if (this.snapshot.status !== 'saved' && this.snapshot.status !== 'skipped') return;
    const count = removedCount(impactOf(plan));
    const go = vscode.l10n.t('Change directory');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Change the directory of {0}?', this.sub.subscription.displayName),
      {
        modal: true,
        detail: vscode.l10n.t('{0} moves from {1} to {2}. {3} role assignments and {4} custom roles are permanently deleted; only you keep access (as Owner).', this.sub.subscription.displayName, plan.source.displayName ?? plan.source.tenantId, this.targetName(), String(count), String(plan.impact.customRoles.length)),
      },
      go,
    );
    if (answer !== go) return;
    if (this.mode === 'portal') {
      await this.openPortal();
      this.changeStatus = 'waiting';
      this.watch();
      return;
    }
    this.changeStatus = 'inProgress';
    this.busy = vscode.l10n.t('Changing the directory…');
    await this.postState();
    try {
      const result = await changeDirectory(this.session, this.sub.subscription, tenantId, vscode.l10n, { signal: this.abort.signal });
      this.changeStatus = 'waiting';
      if (!result.accepted && result.acceptNote) {
        this.options.logger.warn(`Directory change of ${this.subscriptionId} initiated, not accepted: ${result.acceptNote}`);
        this.error = { message: result.acceptNote, owner: vscode.l10n.t('A Global Administrator of {0}', this.targetName()) };
      }
      this.watch();
    } catch (e) {
      this.changeStatus = 'failed';
      throw e;
    } finally {
      this.busy = null;
    }
  }

  private watch(): void {
    const tenantId = this.targetTenantId;
    if (!tenantId) return;
    this.sources.cancelMove(this.subscriptionId);
    this.sources.watchMove(this.session, this.sub, { tenantId, name: this.targetName() });
    this.tracking = { attempts: 0, nextCheckAt: Date.now(), status: 'waiting' };
  }

  private applyProgress(p: TrackProgress): void {
    this.tracking = { attempts: p.attempts, nextCheckAt: p.nextCheckAt, status: p.status };
    if (p.status === 'seen') this.changeStatus = 'done';
    else if (p.status === 'cancelled') this.changeStatus = 'cancelled';
    else if (p.status === 'timedOut') this.changeStatus = 'failed';
    else this.changeStatus = 'waiting';
  }

  private async openPortal(): Promise<void> {
    const tenantId = this.sub.subscription.tenantId;
    await vscode.env.openExternal(vscode.Uri.parse(portalSubscriptionUrl(this.session.cloud, tenantId, this.subscriptionId)));
  }

  // ------------------------------------------------------------------------------------------------ step 3

  private snapshotOpen(): boolean {
    return this.snapshot.status === 'notSaved';
  }

  /**
   * Adopts the snapshot saved for this subscription earlier (another panel, an earlier window, or the Save Access
   * Snapshot command), so that restoring still works when step 3 is opened in a new panel. Only a snapshot of this
   * subscription, taken for this target (or for none), is adopted.
   */
  private loadRememberedSnapshot(): Promise<void> {
    this.rememberedLoad ??= (async () => {
      const file = this.sources.rememberedSnapshot(this.subscriptionId);
      if (file === undefined || !this.snapshotOpen()) return;
      try {
        const snapshot = await readSnapshot(file, vscode.l10n);
        const forThis = snapshot.subscription.id.toLowerCase() === this.subscriptionId.toLowerCase()
          && (snapshot.targetDirectory === null || this.targetTenantId === null || snapshot.targetDirectory.tenantId === this.targetTenantId);
        if (!forThis || !this.snapshotOpen()) return; // one saved or skipped meanwhile wins
        this.snapshotData = snapshot;
        this.snapshot = { status: 'saved', path: file, count: snapshot.roleAssignments.length };
      } catch (e) {
        this.options.logger.warn(`The snapshot remembered for ${this.subscriptionId} (${file}) could not be read: ${e instanceof Error ? e.message : String(e)}`);
      }
    })();
    return this.rememberedLoad;
  }

  private async prepareAdmins(): Promise<void> {
    const tenantId = this.targetTenantId;
    if (!tenantId) return;
    await this.loadRememberedSnapshot();
    this.admins = { searchAllowed: true, selected: [], roleDefinitionId: BUILT_IN_ROLES.owner, restore: null, mapping: null, creating: false, lookupError: null };
    if (this.snapshotData) {
      this.busy = vscode.l10n.t('Matching the snapshot\'s principals in {0}…', this.targetName());
      await this.postState();
      try {
        const mapping = await mapPrincipals(this.session, this.snapshotData, tenantId, vscode.l10n, { signal: this.abort.signal });
        this.admins.mapping = mapping;
        this.admins.restore = mapping.rows.map((r): RestoreRow => ({
          id: r.assignment.name,
          oldPrincipalId: r.assignment.principalId,
          oldPrincipalName: r.mapping.oldName,
          oldPrincipalType: principalType(r.assignment.principalType),
          role: r.assignment.roleName,
          roleDefinitionId: r.assignment.roleDefinitionId,
          scope: r.assignment.scope,
          candidates: r.mapping.candidates.map((c) => ({ id: c.id, displayName: c.displayName ?? c.id, detail: c.detail, type: principalType(c.type) })),
          chosen: r.mapping.principal?.id ?? null,
          match: r.mapping.status,
        }));
      } finally {
        this.busy = null;
      }
    }
  }

  private async searchUsers(query: string): Promise<void> {
    const tenantId = this.targetTenantId;
    if (!tenantId || !this.admins) return;
    try {
      const result = await this.session.graph(tenantId).searchUsers(query, { top: 25, signal: this.abort.signal });
      this.lastSearch = result.users;
      await this.postSearchResults(query, result.users.map(personOf));
    } catch (e) {
      if (isAzureError(e, 'forbidden')) {
        this.admins.searchAllowed = false;
        await this.postSearchResults(query, [], vscode.l10n.t('You may not search {0}. Enter an exact user principal name or object id.', this.targetName()));
        return;
      }
      await this.postSearchResults(query, [], bannerOf(e).message);
    }
  }

  private async lookupUser(value: string): Promise<void> {
    const tenantId = this.targetTenantId;
    if (!tenantId || !this.admins) return;
    const user = await this.session.graph(tenantId).getUser(value.trim(), this.abort.signal);
    if (!user) {
      this.admins.lookupError = vscode.l10n.t('No user {0} in {1}.', value, this.targetName());
      return;
    }
    this.admins.lookupError = null;
    if (!this.admins.selected.some((p) => p.id === user.id)) this.admins.selected.push(personOf(user));
  }

  private async createAssignments(onlyFailed: boolean): Promise<void> {
    const admins = this.admins;
    const tenantId = this.targetTenantId;
    if (!admins || !tenantId || admins.creating) return;
    const users = admins.selected.filter((p) => !onlyFailed || p.result?.status === 'failed');
    const rows = (admins.restore ?? []).filter((r) => r.chosen !== null && (!onlyFailed || r.result?.status === 'failed'));
    const total = users.length + rows.length;
    if (total === 0) return;
    const go = vscode.l10n.t('Create');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Create {0} role assignments in {1}?', String(total), this.targetName()),
      { modal: true, detail: vscode.l10n.t('On {0}. Assignments that already exist are left as they are.', this.sub.subscription.displayName) },
      go,
    );
    if (answer !== go) return;
    admins.creating = true;
    await this.postState();
    try {
      if (users.length) {
        const results = await addAdministrators(this.session, this.subscriptionId, tenantId, users.map((u) => u.id), admins.roleDefinitionId, vscode.l10n, { signal: this.abort.signal });
        for (const r of results) {
          const person = admins.selected.find((p) => p.id.toLowerCase() === (r.principalId ?? r.user).toLowerCase() || p.id === r.user);
          if (person) person.result = resultOf(r);
        }
      }
      if (rows.length && this.snapshotData && admins.mapping) {
        const mapping = withChoices(admins.mapping, rows);
        await restoreSnapshot(this.session, this.snapshotData, mapping, vscode.l10n, {
          signal: this.abort.signal,
          onRow: (row: RestoreRowResult) => {
            const target = admins.restore?.find((r) => row.oldAssignmentId.endsWith(`/${r.id}`));
            if (target && row.status !== 'skipped' && row.status !== 'planned') {
              target.result = resultOf(row);
              void this.postState();
            }
          },
        });
      }
    } finally {
      admins.creating = false;
    }
  }

  private adminsState(a: AdminsModel): AdminsStep {
    return {
      searchAllowed: a.searchAllowed,
      selected: a.selected,
      roles: ADMIN_ROLES.map((r) => ({ id: r.id, name: r.name })),
      roleDefinitionId: a.roleDefinitionId,
      restore: a.restore,
      creating: a.creating,
      lookupError: a.lookupError,
    };
  }

  // ------------------------------------------------------------------------------------------------ done

  private finish(): void {
    const counts = adminCounts(this.admins);
    this.doneStep = {
      deleted: this.plan ? removedCount(impactOf(this.plan)) : 0,
      created: counts.created,
      failed: counts.failed,
      links: ['subscriptionInPortal', 'targetDirectoryInPortal', 'accessControlInPortal'],
      reportPath: this.doneStep?.reportPath ?? null,
    };
  }

  private async openLink(link: LinkId): Promise<void> {
    const cloud = this.session.cloud;
    const tenant = this.moved() && this.targetTenantId ? this.targetTenantId : this.sub.subscription.tenantId;
    const url = link === 'subscriptionInPortal'
      ? portalSubscriptionUrl(cloud, tenant, this.subscriptionId)
      : link === 'accessControlInPortal'
        ? portalSubscriptionUrl(cloud, tenant, this.subscriptionId).replace(/\/overview$/, '/users')
        : `${cloud.portalUrl}/#@${encodeURIComponent(this.targetTenantId ?? tenant)}/view/Microsoft_AAD_IAM/TenantOverview.ReactView`;
    await vscode.env.openExternal(vscode.Uri.parse(url));
  }

  private async exportReport(): Promise<void> {
    const file = join(await this.sources.snapshotFolder(), `${fileSlug(this.sub.subscription.displayName, 'subscription')}-report-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
    await mkdir(join(file, '..'), { recursive: true });
    await writeFile(file, this.report(), { encoding: 'utf8', mode: 0o600 });
    if (this.doneStep) this.doneStep = { ...this.doneStep, reportPath: file };
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  }

  /** A Markdown record of what was checked, deleted, saved and re-created. */
  report(): string {
    const plan = this.plan;
    const lines = [
      `# ${vscode.l10n.t('Directory change: {0}', this.sub.subscription.displayName)}`,
      '',
      `- ${vscode.l10n.t('Subscription')}: ${this.sub.subscription.displayName} (\`${this.subscriptionId}\`)`,
      `- ${vscode.l10n.t('From')}: ${this.sub.parent.directory.displayName ?? ''} (\`${this.sub.parent.directory.tenantId}\`)`,
      `- ${vscode.l10n.t('To')}: ${this.targetName()} (\`${this.targetTenantId ?? ''}\`)`,
      `- ${vscode.l10n.t('Account')}: ${this.session.account.label}`,
      `- ${vscode.l10n.t('Snapshot')}: ${this.snapshot.status === 'saved' ? this.snapshot.path : this.snapshot.status}`,
      `- ${vscode.l10n.t('Status')}: ${this.changeStatus}`,
      '',
    ];
    if (plan) {
      lines.push(`## ${vscode.l10n.t('Pre-flight checks')}`, '', '| | |', '|---|---|');
      for (const c of plan.checks) lines.push(`| ${c.status} | ${md(c.message)} |`);
      lines.push('', `## ${vscode.l10n.t('What the move deletes')}`, '', `| ${vscode.l10n.t('Principal')} | ${vscode.l10n.t('Type')} | ${vscode.l10n.t('Role')} | ${vscode.l10n.t('Scope')} | ${vscode.l10n.t('Effect')} |`, '|---|---|---|---|---|');
      for (const a of plan.impact.roleAssignments) lines.push(`| ${md(a.principalName ?? vscode.l10n.t('(deleted principal)'))} | ${a.principalType} | ${md(a.roleName)} | \`${a.scope}\` | ${a.removed ? vscode.l10n.t('deleted') : vscode.l10n.t('kept (inherited)')} |`);
      if (plan.impact.dependentResources.length) {
        lines.push('', `## ${vscode.l10n.t('Depends on the directory ({0})', String(plan.impact.dependentResources.length))}`, '');
        for (const d of plan.impact.dependentResources) lines.push(`- ${md(d.name)} (${d.type}): ${md(d.reason)}`);
      }
    }
    const admins = this.admins;
    if (admins) {
      lines.push('', `## ${vscode.l10n.t('Add administrators')}`, '', `| ${vscode.l10n.t('Principal')} | ${vscode.l10n.t('Role')} | ${vscode.l10n.t('Status')} |`, '|---|---|---|');
      const role = ADMIN_ROLES.find((r) => r.id === admins.roleDefinitionId)?.name ?? admins.roleDefinitionId;
      for (const p of admins.selected) lines.push(`| ${md(p.displayName)} | ${role} | ${p.result ? statusText(p.result) : '—'} |`);
      for (const r of admins.restore ?? []) lines.push(`| ${md(r.oldPrincipalName ?? r.oldPrincipalId)} → ${r.chosen ?? '—'} | ${md(r.role)} | ${r.result ? statusText(r.result) : '—'} |`);
    }
    return `${lines.join('\n')}\n`;
  }
}

// -------------------------------------------------------------------------------------------------- helpers

function rank(d: DirectoryOption): number {
  if (d.isSource) return 3;
  return d.office365 === true ? 0 : d.office365 === null ? 1 : 2;
}

function subscriptionOption(n: SubscriptionNode): SubscriptionOption {
  return {
    id: n.subscription.subscriptionId,
    name: n.subscription.displayName,
    offer: offerName(n.subscription.subscriptionPolicies?.quotaId, vscode.l10n),
    state: n.subscription.state,
    source: { tenantId: n.parent.directory.tenantId, name: n.parent.directory.displayName ?? n.parent.directory.tenantId, domain: n.parent.directory.defaultDomain },
  };
}

const PRINCIPAL_TYPES: readonly PrincipalType[] = ['User', 'Group', 'ServicePrincipal', 'ForeignGroup', 'Device'];

function principalType(value: string): PrincipalType {
  return PRINCIPAL_TYPES.find((t) => t.toLowerCase() === value.toLowerCase()) ?? 'Unknown';
}

export function impactOf(plan: DetailedPlan): Impact {
  return {
    rows: plan.impact.roleAssignments.map((a) => ({
      id: a.id,
      scope: a.scope,
      scopeKind: a.scopeKind,
      roleName: a.roleName,
      roleDefinitionId: a.roleDefinitionId,
      principalId: a.principalId,
      principalType: principalType(a.principalType),
      principalName: a.principalName,
      ...(a.principal === undefined ? { principalUnknown: true } : {}), // lookup failed: unknown, never "deleted"
      removed: a.removed,
    })),
    customRoles: plan.impact.customRoles.map((r) => ({ id: r.id, name: r.roleName, assignmentCount: r.assignmentCount })),
    classicAdmins: plan.impact.classicAdministrators.map((c) => ({ email: c.emailAddress, role: c.role })),
    dependents: plan.impact.dependentResources.map((d) => ({ id: d.id, name: d.name, type: d.type, reason: d.reason, recoverable: d.recoverable })),
  };
}

function personOf(u: GraphUser): Person {
  return { id: u.id, displayName: u.displayName ?? u.userPrincipalName ?? u.id, detail: u.userPrincipalName ?? u.mail ?? null, type: 'User' };
}

function resultOf(r: { readonly status: RowStatus; readonly reason?: string }): AssignmentResult {
  const status = r.status === 'created' ? 'created' : r.status === 'exists' ? 'exists' : 'failed';
  return status === 'failed' ? { status, reason: r.reason ?? r.status } : { status };
}

/** Only the chosen rows, each mapped to the principal the user chose. */
function withChoices(mapping: MappingResult, rows: readonly RestoreRow[]): MappingResult {
  const chosen = new Map(rows.map((r) => [r.id, r.chosen]));
  return {
    ...mapping,
    rows: mapping.rows.flatMap((row) => {
      const pick = chosen.get(row.assignment.name);
      const candidate = pick ? row.mapping.candidates.find((c) => c.id === pick) : undefined;
      return candidate ? [{ ...row, mapping: { ...row.mapping, status: 'matched' as const, principal: candidate } }] : [];
    }),
  };
}

function bannerOf(e: unknown): Banner {
  if (isAzureError(e)) {
    if (e.kind === 'forbidden') return { message: e.message, ...(e.missing ? { fix: vscode.l10n.t('Needs: {0}', e.missing) } : {}) };
    if (e.kind === 'wrongTenant') return { message: e.message, fix: vscode.l10n.t('Wait up to an hour after a move, then sign in to the new directory.') };
    if (e.kind === 'notSignedIn') return { message: e.message, fix: vscode.l10n.t('Sign in to the directory, then try again.'), owner: vscode.l10n.t('You') };
  }
  return { message: e instanceof Error ? e.message.split('\n')[0] ?? e.message : String(e) };
}

function statusText(r: AssignmentResult): string {
  return r.status === 'failed' ? `${vscode.l10n.t('failed')}: ${r.reason ?? ''}` : r.status === 'created' ? vscode.l10n.t('created') : vscode.l10n.t('already there');
}

function md(text: string): string {
  return text.replace(/[|\\`*_<>[\]]/g, '\\$&').replace(/\r?\n/g, ' ');
}

