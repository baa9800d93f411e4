/**
 * Runs the machine: feeds it events, keeps its context, and carries out its effects with the shared core (the same
 * checks, impact, snapshot, mapping and restore the CLI uses) and the host's ports. No `vscode` here either: the
 * panel (`panel.ts`) and the extension supply the ports, the unit tests supply their own over the sandbox.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { portalSubscriptionUrl } from '../azure/clouds';
import { isAzureError } from '../azure/errors';
import type { AzureSession } from '../azure/session';
import { changeDirectory } from '../core/changeDirectory';
import { describeError, isMfaError } from '../core/describeError';
import { mapPrincipals } from '../core/mapping';
import { PlanCache, planSubscription } from '../core/plan';
import { addAdministrators, restoreSnapshot } from '../core/restore';
import { readSnapshot, requireComplete, takeSnapshot, writeSnapshot } from '../core/snapshot';
import { fileSlug } from '../core/util';
import type { LinkId } from '../ids';
import type { Banner, Person, WizardState } from '../webview/protocol';
import { accountFor, initialContext, subscriptionIdOf, type WizardContext, type WizardStart } from './context';
import { moved, targetOption } from './derive';
import type { Effect, WizardEvent } from './events';
import { project, reduce } from './machine';
import { runPartyEffect } from './partyEffects';
import type { PendingMove, WizardHost } from './ports';
import { report } from './report';
import { personOf, resultOf, restoreRowsOf, withChoices } from './toProtocol';

export class WizardController {
  private ctx: WizardContext;
  private readonly abort = new AbortController();

  constructor(start: WizardStart, private readonly host: WizardHost, private readonly onChange: () => void) {
    this.ctx = initialContext(start);
  }

  get subscriptionId(): string {
    return subscriptionIdOf(this.ctx);
  }

  get context(): WizardContext {
    return this.ctx;
  }

  state(): WizardState {
    return project(this.ctx, this.host.world());
  }

  /** Stops every call in flight (the panel closed). */
  dispose(): void {
    this.abort.abort();
  }

  /** One event through the machine, then its effects, in order (each effect's results are events again). */
  async dispatch(event: WizardEvent): Promise<void> {
    if (this.abort.signal.aborted) return;
    const update = reduce(this.ctx, event, this.host.world());
    this.ctx = update.ctx;
    this.onChange();
    for (const effect of update.effects) {
      try {
        await this.run(effect);
      } catch (e) {
        if (this.closed()) return;
        this.host.log.error(`Wizard ${effect.kind} failed`, e);
        await this.dispatch({ type: 'failed', error: this.banner(e) });
      }
    }
  }

  private banner(e: unknown): Banner {
    const d = describeError(e, this.host.world().l10n);
    return { message: d.message, ...(d.fix ? { fix: d.fix } : {}), ...(d.owner ? { owner: d.owner } : {}) };
  }

  /** The panel closed: results and failures are dropped. */
  private closed(): boolean {
    return this.abort.signal.aborted;
  }

  private get signal(): AbortSignal {
    return this.abort.signal;
  }

  private async run(effect: Effect): Promise<void> {
    const ctx = this.ctx;
    const world = this.host.world();
    const l10n = world.l10n;
    const session = ctx.accounts.owner.session;
    const sub = ctx.subscription.subscription;
    switch (effect.kind) {
      case 'checkVisible': {
        const listed = (await session.listDirectories(this.signal)).some((d) => d.tenantId === effect.tenantId);
        let token: 'ok' | 'mfa' | 'noSignIn' | null = null;
        if (listed) {
          token = await session.auth.getToken({ account: session.account, tenantId: effect.tenantId, resource: 'arm', signal: this.signal }).then(
            () => 'ok' as const,
            (e: unknown) => (isMfaError(e) ? 'mfa' as const : 'noSignIn' as const),
          );
        }
        return this.dispatch({ type: 'visibleChecked', listed, token });
      }
      case 'plan':
        try {
          await this.dispatch({ type: 'planned', plan: await planSubscription(session, sub, effect.tenantId, l10n, new PlanCache(session), this.signal) }); return;
        } catch (e) {
          if (this.signal.aborted) return;
          this.host.log.warn(`Pre-flight checks for ${sub.subscriptionId}: ${describeError(e, l10n).message}`);
          return this.dispatch({ type: 'planFailed', error: this.banner(e) });
        }
      case 'lookUpRememberedSnapshot':
        return this.dispatch({ type: 'remembered', found: await this.remembered() });
      case 'saveSnapshot':
        try {
          const target = targetOption(ctx, world);
          const snapshot = await takeSnapshot(session, sub, l10n, {
            target: target ? { tenantId: target.tenantId, displayName: target.name, defaultDomain: target.domain, visible: true } : undefined,
            signal: this.signal,
          });
          requireComplete(snapshot, l10n); // an incomplete snapshot is not called saved
          const written = await writeSnapshot(await this.host.snapshotFolder(), snapshot, l10n);
          await this.host.rememberSnapshot(sub.subscriptionId, written.jsonPath);
          await this.dispatch({ type: 'snapshotSaved', path: written.jsonPath, snapshot }); return;
        } catch (e) {
          return this.dispatch({ type: 'snapshotFailed', reason: describeError(e, l10n).message });
        }
      case 'confirm':
        if (await this.host.confirm(effect.confirmation)) await this.dispatch({ type: 'confirmed', confirmation: effect.confirmation });
        return;
      case 'openPortal':
        return this.host.openExternal(portalSubscriptionUrl(session.cloud, sub.tenantId, sub.subscriptionId));
      case 'changeDirectoryApi':
        try {
          const named = effect.destinationOwner === undefined ? {} : { destinationOwner: effect.destinationOwner, accept: false };
          const result = await changeDirectory(session, sub, effect.tenantId, l10n, { signal: this.signal, ...named });
          if (!result.accepted && result.acceptNote && effect.destinationOwner === undefined) this.host.log.warn(`Directory change of ${sub.subscriptionId} initiated, not accepted: ${result.acceptNote}`);
          await this.dispatch({ type: 'changeInitiated', ...(result.accepted ? {} : { acceptNote: result.acceptNote }) }); return;
        } catch (e) {
          if (this.signal.aborted) return;
          this.host.log.error(`Wizard changeDirectory failed`, e);
          return this.dispatch({ type: 'changeFailed', error: this.banner(e) });
        }
      case 'watchMove': {
        // After the move only the acceptor holds Owner: only their session sees the subscription arrive.
        const watcher = accountFor(ctx.accounts, 'acceptor');
        const move: PendingMove = { subscriptionId: sub.subscriptionId, subscriptionName: sub.displayName, sourceTenantId: sub.tenantId, targetTenantId: effect.tenantId, targetName: effect.targetName, accountKey: watcher.accountKey, since: new Date().toISOString() };
        this.host.moves.watch(watcher.session, move);
        return;
      }
      case 'cancelMove':
        this.host.moves.cancel(sub.subscriptionId);
        return;
      case 'mapPrincipals': {
        if (!ctx.snapshotData) return;
        const session = this.actor;
        const mapping = await mapPrincipals(session, ctx.snapshotData, effect.tenantId, l10n, { signal: this.signal });
        // Show exactly what would be written: a dry run names each role as Azure does now and refuses rows outside
        // the subscription (the snapshot file is untrusted).
        const preview = await restoreSnapshot(session, ctx.snapshotData, mapping, l10n, { dryRun: true, signal: this.signal });
        return this.dispatch({ type: 'mapped', mapping, rows: restoreRowsOf(mapping, preview) });
      }
      case 'search':
        return this.search(effect.tenantId, effect.query);
      case 'lookUpUser': {
        const user = await this.actor.graph(effect.tenantId).getUser(effect.value.trim(), this.signal);
        return this.dispatch(user ? { type: 'userFound', person: personOf(user) } : { type: 'userNotFound', value: effect.value });
      }
      case 'createAssignments':
        return this.create(effect);
      case 'signInToDirectory':
        return this.host.signInToDirectory(ctx.accounts.owner.accountKey, effect.tenantId);
      case 'revealInTree': {
        const tenantId = effect.what === 'source' ? sub.tenantId : effect.what === 'target' ? ctx.targetTenantId : null;
        if (effect.what !== 'subscription' && tenantId === null) return;
        return this.host.revealInTree({ accountKey: ctx.accounts.owner.accountKey, ...(effect.what === 'subscription' ? { subscriptionId: sub.subscriptionId } : { tenantId: tenantId ?? '' }) });
      }
      case 'revealWizard':
        this.host.revealWizard(effect.subscriptionId);
        return;
      case 'copyText':
        return this.host.copyText(effect.text);
      case 'showFile':
        return this.host.showFile(effect.path);
      case 'openLink':
        return this.host.openExternal(this.linkUrl(effect.link));
      case 'scanAccounts':
      case 'invite':
      case 'signInAnotherAccount':
      case 'openUrl':
      case 'readRequest':
      case 'cancelRequest':
      case 'acceptRequest':
      case 'giveOwnerBack':
        return runPartyEffect({ ctx, host: this.host, signal: this.signal, dispatch: (e) => this.dispatch(e), banner: (e) => this.banner(e) }, effect);
      case 'exportReport': {
        const file = join(await this.host.snapshotFolder(), `${fileSlug(sub.displayName, 'subscription')}-report-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
        await mkdir(join(file, '..'), { recursive: true });
        await writeFile(file, report(ctx, world), { encoding: 'utf8', mode: 0o600 });
        return this.dispatch({ type: 'reportSaved', path: file });
      }
    }
  }

  /**
   * The snapshot saved for this subscription earlier (another panel, an earlier window, or the Save Access Snapshot
   * command), so that restoring still works when step 3 is opened in a new panel: only one of this subscription,
   * taken for this target (or for none).
   */
  private async remembered(): Promise<{ path: string; snapshot: NonNullable<WizardContext['snapshotData']> } | undefined> {
    const id = this.subscriptionId;
    const file = this.host.rememberedSnapshot(id);
    if (file === undefined) return undefined;
    try {
      const snapshot = await readSnapshot(file, this.host.world().l10n);
      const target = this.ctx.targetTenantId;
      const forThis = snapshot.subscription.id.toLowerCase() === id.toLowerCase() && (snapshot.targetDirectory === null || target === null || snapshot.targetDirectory.tenantId === target);
      return forThis ? { path: file, snapshot } : undefined;
    } catch (e) {
      this.host.log.warn(`The snapshot remembered for ${id} (${file}) could not be read: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  private async search(tenantId: string, query: string): Promise<void> {
    const l10n = this.host.world().l10n;
    try {
      const result = await this.actor.graph(tenantId).searchUsers(query, { top: 25, signal: this.signal });
      const people: Person[] = result.users.map(personOf);
      await this.dispatch({ type: 'searched', results: people });
      await this.host.postSearchResults(query, people, null);
    } catch (e) {
      if (isAzureError(e, 'forbidden')) {
        await this.dispatch({ type: 'searchForbidden' });
        await this.host.postSearchResults(query, [], l10n.t('You may not search {0}. Enter an exact user principal name or object id.', this.targetName()));
        return;
      }
      await this.host.postSearchResults(query, [], describeError(e, l10n).message);
    }
  }

  private targetName(): string {
    return targetOption(this.ctx, this.host.world())?.name ?? this.ctx.targetTenantId ?? '';
  }

  /** Step 3 acts as the acceptor: after a move someone else accepted, only they hold Owner. */
  private get actor(): AzureSession {
    return accountFor(this.ctx.accounts, 'acceptor').session;
  }

  private async create(effect: Extract<Effect, { kind: 'createAssignments' }>): Promise<void> {
    const session = this.actor;
    const l10n = this.host.world().l10n;
    try {
      if (effect.userIds.length) {
        const results = await addAdministrators(session, this.subscriptionId, effect.tenantId, effect.userIds, effect.roleDefinitionId, l10n, { signal: this.signal });
        for (const r of results) {
          const person = this.ctx.admins?.selected.find((p) => p.id.toLowerCase() === (r.principalId ?? r.user).toLowerCase() || p.id === r.user);
          if (person) await this.dispatch({ type: 'adminResult', personId: person.id, result: resultOf(r) });
        }
      }
      const snapshot = this.ctx.snapshotData;
      const mapping = this.ctx.admins?.mapping;
      if (effect.rows.length && snapshot && mapping) {
        const pending: Promise<void>[] = [];
        await restoreSnapshot(session, snapshot, withChoices(mapping, effect.rows), l10n, {
          signal: this.signal,
          onRow: (row) => {
            const target = effect.rows.find((r) => row.oldAssignmentId.endsWith(`/${r.id}`));
            if (target && row.status !== 'skipped' && row.status !== 'planned') pending.push(this.dispatch({ type: 'restoreResult', rowId: target.id, result: resultOf(row) }));
          },
        });
        await Promise.all(pending);
      }
    } finally {
      await this.dispatch({ type: 'created' });
    }
  }

  private linkUrl(link: LinkId): string {
    const cloud = this.ctx.accounts.owner.session.cloud;
    const world = this.host.world();
    const target = this.ctx.targetTenantId;
    const tenant = moved(this.ctx, world) && target ? target : this.ctx.subscription.subscription.tenantId;
    const overview = portalSubscriptionUrl(cloud, tenant, this.subscriptionId);
    if (link === 'subscriptionInPortal') return overview;
    if (link === 'accessControlInPortal') return overview.replace(/\/overview$/, '/users');
    return `${cloud.portalUrl}/#@${encodeURIComponent(target ?? tenant)}/view/Microsoft_AAD_IAM/TenantOverview.ReactView`;
  }
}

