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
import { chooseForRow } from '../core/mappingChoice';
import { PlanCache, planSubscription } from '../core/plan';
import { addAdministrators, restoreSnapshot, type CustomRoleResult } from '../core/restore';
import { restoreEverything, type FullRestoreResult } from '../core/restoreExtras';
import { readSnapshot, requireComplete, takeSnapshot, writeSnapshot } from '../core/snapshot';
import { fileSlug } from '../core/util';
import type { LinkId } from '../ids';
import type { Localize } from '../core/l10n';
import type { Banner, Person, RestoreRow, WizardState } from '../webview/protocol';
import { accountFor, initialContext, subscriptionIdOf, type WizardContext, type WizardStart } from './context';
import { moved, targetOption } from './derive';
import type { Effect, RowOutcome, WizardEvent } from './events';
import { manualStepsOf, repairItemsOf } from './extrasProtocol';
import { project, reduce } from './machine';
import { runPartyEffect } from './partyEffects';
import type { PendingMove, WizardHost } from './ports';
import { report } from './report';
import { previewChosenRow, previewRestore } from './restorePreview';
import { findRestorePrincipals, personOfCandidate, RestoreSearches } from './restoreSearch';
import { personOf, resultOf, withChoices } from './toProtocol';

export class WizardController {
  private ctx: WizardContext;
  private readonly abort = new AbortController();
  private readonly searches: RestoreSearches;

  constructor(start: WizardStart, private readonly host: WizardHost, private readonly onChange: () => void) {
    this.ctx = initialContext(start);
    this.searches = new RestoreSearches(this.abort.signal, host.restoreSearchDebounceMs);
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
        return this.dispatch({ type: 'remembered', ...(await this.remembered()) });
      case 'saveSnapshot':
        try {
          const target = targetOption(ctx, world);
          const snapshot = await takeSnapshot(session, sub, l10n, {
            target: target ? { tenantId: target.tenantId, displayName: target.name, defaultDomain: target.domain, visible: true } : undefined,
            signal: this.signal,
          });
          requireComplete(snapshot, l10n); // an incomplete snapshot is not called saved
          const written = await writeSnapshot(await this.host.snapshotFolder(session.cloud.name), snapshot, l10n);
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
      case 'mapPrincipals':
        if (!ctx.snapshotData) return;
        return this.dispatch(await previewRestore(this.actor, ctx.snapshotData, effect.tenantId, l10n, this.signal));
      case 'search':
        return this.search(effect.tenantId, effect.query);
      case 'lookUpUser': {
        const user = await this.actor.graph(effect.tenantId).getUser(effect.value.trim(), this.signal);
        return this.dispatch(user ? { type: 'userFound', person: personOf(user) } : { type: 'userNotFound', value: effect.value });
      }
      case 'choosePrincipalForRow':
        return this.choosePrincipalForRow(effect);
      case 'createAssignments':
        return this.create(effect);
      case 'recreateCustomRoles': {
        const mapping = ctx.admins?.mapping;
        if (!ctx.snapshotData || !mapping) return;
        // Custom roles only: the restore with no rows re-creates the snapshot's roles (reading first: nothing twice).
        const result = await restoreSnapshot(this.actor, ctx.snapshotData, { ...mapping, rows: [] }, l10n, { signal: this.signal });
        return this.dispatch({ type: 'customRolesRestored', customRoles: result.customRoles.map(roleState) });
      }
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
      case 'inviteGuests':
        return runPartyEffect({ ctx, host: this.host, signal: this.signal, dispatch: (e) => this.dispatch(e), banner: (e) => this.banner(e) }, effect);
      case 'exportReport': {
        const file = join(await this.host.snapshotFolder(session.cloud.name), `${fileSlug(sub.displayName, 'subscription')}-report-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
        await mkdir(join(file, '..'), { recursive: true });
        await writeFile(file, report(ctx, world), { encoding: 'utf8', mode: 0o600 });
        return this.dispatch({ type: 'reportSaved', path: file });
      }
    }
  }

  /**
   * The snapshot saved for this subscription earlier (another panel, an earlier window, or the Save Access Snapshot
   * command), so that restoring still works when step 3 is opened in a new panel: only one of this subscription,
   * taken for this target (or for none). A file that cannot be used (unreadable, malformed, over the size cap, of
   * another subscription) is refused with the reason, shown to the user, never silently ignored.
   */
  private async remembered(): Promise<{ found?: { path: string; snapshot: NonNullable<WizardContext['snapshotData']> }; refused?: string }> {
    const id = this.subscriptionId;
    const file = this.host.rememberedSnapshot(id);
    if (file === undefined) return {};
    const l10n = this.host.world().l10n;
    // The file is untrusted input: one that cannot be used says why (the same words `tenant-link restore` gives).
    const refuse = (why: string): { refused: string } => {
      this.host.log.warn(`The snapshot remembered for ${id} (${file}) cannot be used: ${why}`);
      return { refused: l10n.t('The snapshot saved for this subscription cannot be used: {0}', why) };
    };
    try {
      const snapshot = await readSnapshot(file, l10n);
      if (snapshot.subscription.id.toLowerCase() !== id.toLowerCase()) return refuse(l10n.t('{0} is a snapshot of subscription {1}.', file, snapshot.subscription.id));
      const target = this.ctx.targetTenantId;
      const forThis = snapshot.targetDirectory === null || target === null || snapshot.targetDirectory.tenantId === target;
      return forThis ? { found: { path: file, snapshot } } : {};
    } catch (e) {
      return refuse(e instanceof Error ? e.message : String(e));
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

  /**
   * A restore row's search (the picker): asks the target directory (restoreSearch.ts) and answers the webview, unless a
   * newer search for the row superseded it. Only a row of step 3's restore table may be searched for.
   */
  async searchRestorePrincipal(rowId: string, query: string): Promise<void> {
    const l10n = this.host.world().l10n;
    const tenantId = this.ctx.targetTenantId;
    const row = this.ctx.active === 'admins' ? this.ctx.admins?.restore?.find((r) => r.id === rowId) : undefined;
    if (row === undefined || tenantId === null) {
      await this.host.postRestoreSearchResults(rowId, query, [], l10n.t('This row cannot be mapped now: open step 3 with the snapshot to restore.'));
      return;
    }
    const graph = this.actor.graph(tenantId);
    try {
      const found = await this.searches.search(rowId, tenantId, (signal) => findRestorePrincipals(graph, query, signal));
      if (found === undefined || this.closed()) return;
      if (found.forbidden) await this.dispatch({ type: 'searchForbidden' });
      const none = found.candidates.length > 0 ? null
        : found.byId ? l10n.t('No user, group or service principal with that object id or application id in {0}.', this.targetName())
          : row.oldPrincipalType === 'User' ? null
            : l10n.t('Groups and service principals are found only by their object id or application id, never by name.');
      await this.host.postRestoreSearchResults(rowId, query, found.candidates.map(personOfCandidate), none);
    } catch (e) {
      if (this.closed()) return;
      await this.host.postRestoreSearchResults(rowId, query, [], describeError(e, l10n).message);
    }
  }

  /** The user's pick from a row's search: only one that search offered, read again from the target, previewed by a dry run. */
  private async choosePrincipalForRow(effect: Extract<Effect, { kind: 'choosePrincipalForRow' }>): Promise<void> {
    const l10n = this.host.world().l10n;
    const session = this.actor;
    const { snapshotData: snapshot, admins } = this.ctx;
    const refuse = (reason: string): Promise<void> => this.dispatch({ type: 'restorePrincipalRefused', rowId: effect.rowId, reason });
    if (!snapshot || !admins?.mapping || admins.mapping.targetTenantId !== effect.tenantId.toLowerCase()) return;
    if (this.searches.offered(effect.rowId, effect.tenantId, effect.principalId) === undefined) {
      this.host.log.warn(`Step 3: a pick for restore row ${effect.rowId} that its search did not offer was refused.`);
      return refuse(l10n.t('Choose someone from the results of this row\'s search.'));
    }
    const choice = await chooseForRow(session, admins.mapping, effect.rowId, effect.principalId, l10n, this.signal, snapshot.eligibleAssignments ?? []);
    if (!choice.ok) return refuse(choice.reason);
    const row = await previewChosenRow(session, snapshot, choice.mapping, effect.rowId, l10n, this.signal);
    if (row) await this.dispatch({ type: 'restorePrincipalChosen', mapping: choice.mapping, row });
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
      if (snapshot && mapping) {
        // The whole restore (core `restoreEverything`): identities and policy assignments first, then custom roles and
        // role assignments, eligible ones, Key Vaults. Idempotent: a re-run (Retry failed) creates nothing twice.
        const pending: Promise<void>[] = [];
        const chosen = withChoices(mapping, snapshot, effect.rows);
        const result = await restoreEverything(session, chosen.snapshot, chosen.mapping, l10n, {
          signal: this.signal,
          acceptLongestEnd: effect.acceptLongestEnd,
          onRow: (row) => {
            const target = effect.rows.find((r) => r.eligible !== true && row.oldAssignmentId.endsWith(`/${r.id}`));
            if (target && row.status !== 'planned') pending.push(this.dispatch({ type: 'restoreResult', rowId: target.id, result: resultOf(row) }));
          },
        });
        await Promise.all(pending);
        await this.dispatch({ type: 'extrasRestored', ...extrasOutcome(result, effect.rows, l10n) });
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


const roleState = (r: CustomRoleResult): { id: string; name: string; status: string; reason?: string } => ({ id: r.oldId, name: r.roleName, status: r.status, ...(r.reason === undefined ? {} : { reason: r.reason }) });

/** The eligible rows' results (matched to the rows by the schedule's name), the Repair group, manual steps, custom roles. */
function extrasOutcome(result: FullRestoreResult, rows: readonly RestoreRow[], l10n: Localize): Omit<Extract<WizardEvent, { type: 'extrasRestored' }>, 'type'> {
  const outcomes = result.eligibleAssignments.flatMap((e): RowOutcome[] => {
    const row = rows.find((r) => r.eligible === true && e.oldId.endsWith(`/${r.id}`));
    return row ? [{ rowId: row.id, result: resultOf(e), endDateTime: e.endDateTime, ...(e.longestAllowedEnd === undefined ? {} : { longestAllowedEnd: e.longestAllowedEnd }) }] : [];
  });
  // A grant that follows a managed identity the repair could not re-create says why (a ReadOnly lock, say).
  const notRecreated = new Map([...result.identities, ...result.policyAssignments].flatMap((i) => (i.newPrincipalId === null && i.oldPrincipalId !== null ? [[i.oldPrincipalId, i.reason ?? i.status] as const] : [])));
  for (const r of rows) {
    const why = r.followsIdentity === true ? notRecreated.get(r.oldPrincipalId) : undefined;
    if (why !== undefined) outcomes.push({ rowId: r.id, result: { status: 'failed', reason: l10n.t('its managed identity was not re-created: {0}', why) }, endDateTime: r.endDateTime ?? null });
  }
  return { rows: outcomes, repair: repairItemsOf(result), manual: manualStepsOf(result), customRoles: result.customRoles.map(roleState) };
}
