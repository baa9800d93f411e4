// Step 2 — change the directory: pre-flight checks, impact review, access snapshot, the change itself, tracking.
import { LitElement, css, html, type PropertyValues } from 'lit';
import { removedCount, type ChangeStep, type Check, type CheckStatus, type DirectoryRef, type Impact, type SnapshotState, type Tracking } from '../protocol';
import './impact-extras';
import './impact-table';
import { baseStyles, byUrgency, intent, renderFinding } from './shared';
import { classicRoleNames, t, tn } from './strings';

function groupDependents(impact: Impact): string {
  const byType = new Map<string, number>();
  for (const d of impact.dependents) byType.set(d.type, (byType.get(d.type) ?? 0) + 1);
  return [...byType].map(([type, n]) => `${n} × ${type}`).join(' · ');
}

export class ChangeStepView extends LitElement {
  static override properties = { data: { attribute: false }, target: { attribute: false }, now: { state: true } };
  declare data: ChangeStep;
  declare target: DirectoryRef | null;
  declare now: number;
  private timer: number | undefined;

  constructor() {
    super();
    this.now = Date.now();
  }

  static override styles = [
    baseStyles,
    css`
      .snapshot {
        display: grid;
        grid-template-columns: 1.4em 1fr;
        gap: 0.3em 0.4em;
        align-items: start;
      }
      .snapshot .actions {
        grid-column: 1 / -1;
        justify-content: flex-start;
        margin-top: 0.3em;
      }
      .path {
        font-family: var(--vscode-editor-font-family);
        overflow-wrap: anywhere;
      }
      .blocked-reason {
        margin: 0.5em 0 0;
        text-align: end;
      }
      ol.portal {
        margin: 0.3em 0;
        padding-inline-start: 1.5em;
      }
      ul.plain {
        margin: 0.3em 0;
        padding-inline-start: 1.2em;
      }
      .checks-list {
        min-height: 8.4em;
      }
    `,
  ];

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('data')) this.syncTimer();
  }
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopTimer();
  }
  private syncTimer(): void {
    const waiting = this.data.tracking?.status === 'waiting' && this.data.tracking.nextCheckAt !== null;
    if (waiting && this.timer === undefined) {
      this.timer = window.setInterval(() => {
        this.now = Date.now();
      }, 1000);
    } else if (!waiting) this.stopTimer();
  }
  private stopTimer(): void {
    if (this.timer !== undefined) window.clearInterval(this.timer);
    this.timer = undefined;
  }

  private renderChecks(checks: Check[] | null) {
    const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, unknown: 0 };
    for (const c of checks ?? []) counts[c.status]++;
    const summary = (['pass', 'warn', 'fail', 'unknown'] as const)
      .filter((s) => counts[s] > 0)
      .map((s) => (s === 'warn' ? tn('change.summary.warn', counts[s], counts[s]) : t(`change.summary.${s}`, counts[s])))
      .join(' · ');
    return html`<section aria-labelledby="checks-h" aria-busy=${checks === null ? 'true' : 'false'}>
      <div class="section-head">
        <h3 id="checks-h">${t('change.preflight')}</h3>
        <span class="muted" role="status">${checks === null ? t('change.checksRunning') : summary}</span>
      </div>
      <div class="checks-list">
        ${checks === null
          ? [0, 1, 2, 3].map(() => html`<span class="skeleton"></span>`)
          : byUrgency(checks).map((c) =>
              c.status === 'pass'
                ? html`<div data-check=${c.id}>${renderFinding({ status: c.status, title: c.title, message: c.message })}</div>`
                : html`<div data-check=${c.id}>
                    ${renderFinding(
                      c,
                      c.fix !== undefined && c.status !== 'unknown'
                        ? html`<div>
                            <button class="link" data-action="copy-request" @click=${() => { intent(this, { type: 'copyRequestText', checkId: c.id }); }}>
                              ${t('finding.copy')}
                            </button>
                          </div>`
                        : undefined,
                    )}
                  </div>`,
            )}
      </div>
    </section>`;
  }

  private renderImpact(impact: Impact | null) {
    if (impact === null) {
      return html`<section aria-busy="true">
        <div class="section-head"><h3>${t('impact.title')}</h3><span class="muted" role="status">${t('impact.loading')}</span></div>
        ${[0, 1, 2, 3, 4, 5].map(() => html`<span class="skeleton"></span>`)}
      </section>`;
    }
    const removed = removedCount(impact);
    return html`<section aria-labelledby="impact-h">
      <div class="section-head">
        <h3 id="impact-h">${t('impact.title')}</h3>
        <span class="muted" data-impact-summary>${tn('impact.summary.assignments', removed, removed)} · ${tn('impact.summary.customRoles', impact.customRoles.length, impact.customRoles.length)}</span>
      </div>
      <atl-impact-table .rows=${impact.rows}></atl-impact-table>
      <atl-impact-extras .groups=${impact.extras}></atl-impact-extras>
      ${impact.dependents.length > 0
        ? html`<details data-dependents ?open=${impact.dependents.some((d) => !d.recoverable)}>
            <summary>${t('impact.dependents', impact.dependents.length)}: ${groupDependents(impact)}</summary>
            <ul class="plain">
              ${impact.dependents.map(
                (d) =>
                  html`<li>
                    <strong>${d.name}</strong> <span class="muted">(${d.type})</span> — ${d.reason}
                    <span class=${d.recoverable ? 'muted' : 'status-warn'}>(${d.recoverable ? t('impact.recoverable') : t('impact.notRecoverable')})</span>
                  </li>`,
              )}
            </ul>
          </details>`
        : null}
      ${impact.customRoles.length > 0
        ? html`<details>
            <summary>${t('impact.customRoles', impact.customRoles.length)}</summary>
            <ul class="plain">
              ${impact.customRoles.map((r) => html`<li title=${r.id}>${tn('impact.customRole', r.assignmentCount, r.name, r.assignmentCount)}</li>`)}
            </ul>
          </details>`
        : null}
      ${impact.classicAdmins.length > 0
        ? html`<details>
            <summary>${t('impact.classicAdmins', impact.classicAdmins.length)}</summary>
            <ul class="plain">
              ${impact.classicAdmins.map((a) => html`<li>${a.email} <span class="muted" title=${a.role}>(${classicRoleNames(a.role)})</span></li>`)}
            </ul>
          </details>`
        : null}
    </section>`;
  }

  private renderSnapshot(s: SnapshotState) {
    const save = (label: string, primary: boolean) =>
      html`<vscode-button ?secondary=${!primary} data-action="save-snapshot" icon="save" @click=${() => { intent(this, { type: 'saveSnapshot' }); }}>${label}</vscode-button>`;
    const without = html`<vscode-button secondary data-action="continue-without" @click=${() => { intent(this, { type: 'continueWithoutSnapshot' }); }}
      >${t('snapshot.continueWithout')}</vscode-button
    >`;
    let icon: string;
    let cls: string;
    let body;
    let actions;
    switch (s.status) {
      case 'notSaved':
        [icon, cls, body, actions] = ['circle-large', 'muted', t('snapshot.notSaved'), html`${save(t('snapshot.save'), true)} ${without}`];
        break;
      case 'saving':
        [icon, cls, body, actions] = ['loading', 'muted', t('snapshot.saving'), null];
        break;
      case 'saved': {
        const [before, after] = tn('snapshot.saved', s.count, s.count, '\u0000').split('\u0000');
        const also = s.also.map((a) => t('snapshot.also.item', t(`extras.group.${a.id}`), a.count === null ? t('status.unknown') : a.count)).join(' · ');
        body = html`${before}<span class="path" data-snapshot-path>${s.path}</span>${after}${s.also.length > 0 ? html`<div class="muted" data-snapshot-also>${t('snapshot.also', also)}</div>` : null}`;
        [icon, cls] = ['pass-filled', 'status-pass'];
        actions = html`<vscode-button secondary icon="go-to-file" data-action="reveal-snapshot" @click=${() => { intent(this, { type: 'revealSnapshot' }); }}
          >${t('snapshot.reveal')}</vscode-button
        >`;
        break;
      }
      case 'failed':
        [icon, cls, body, actions] = ['error', 'status-fail', t('snapshot.failed', s.reason), html`${save(t('snapshot.retry'), true)} ${without}`];
        break;
      case 'skipped':
        [icon, cls, body, actions] = ['warning', 'status-warn', t('snapshot.skipped'), save(t('snapshot.save'), false)];
        break;
    }
    return html`<section class="card" aria-labelledby="snap-h" data-snapshot=${s.status}>
      <div class="section-head"><h3 id="snap-h">${t('snapshot.title')}</h3></div>
      <div class="snapshot" role="status" aria-live="polite">
        <vscode-icon name=${icon} class=${cls} ?spin=${s.status === 'saving'} aria-hidden="true"></vscode-icon>
        <div>${body}</div>
      </div>
      <div class="snapshot"><div class="actions">${actions}</div></div>
    </section>`;
  }

  private renderTracking(tr: Tracking) {
    // A target not known here (a panel restored before its state arrived) is still named: never " does not show…".
    const name = this.target?.name || t('tracking.target');
    const seconds = tr.nextCheckAt === null ? null : Math.max(0, Math.ceil((tr.nextCheckAt - this.now) / 1000));
    let line: string;
    switch (tr.status) {
      case 'waiting':
        line = tn('tracking.waiting', tr.attempts, name, tr.attempts);
        break;
      case 'seen':
        line = t('tracking.seen', name);
        break;
      case 'timedOut':
        line = t('tracking.timedOut', name);
        break;
      case 'cancelled':
        line = t('change.cancelled');
        break;
    }
    return html`<section class="card" data-tracking=${tr.status}>
      <div class="row">
        ${tr.status === 'waiting' ? html`<vscode-progress-ring aria-hidden="true"></vscode-progress-ring>` : null}
        <span role="status" aria-live="polite" data-tracking-line>${line}</span>
        ${tr.status === 'waiting' && seconds !== null ? html`<span class="muted" data-countdown>${t('tracking.next', seconds)}</span>` : null}
      </div>
      ${tr.status === 'waiting' ? html`<p class="muted">${t('tracking.closeHint')}</p>` : null}
      <div class="actions">
        ${tr.status === 'waiting'
          ? html`<vscode-button secondary data-action="cancel-tracking" @click=${() => { intent(this, { type: 'cancelTracking' }); }}>${t('tracking.cancel')}</vscode-button>`
          : null}
        ${tr.status !== 'seen'
          ? html`<vscode-button secondary data-action="recheck" @click=${() => { intent(this, { type: 'recheck' }); }}>${t('tracking.recheck')}</vscode-button>`
          : null}
        ${tr.status === 'seen' ? html`<vscode-button data-primary @click=${() => { intent(this, { type: 'openStep', step: 'admins' }); }}>${t('visible.continue')}</vscode-button>` : null}
      </div>
    </section>`;
  }

  private primaryLabel(): string {
    // Not read yet (or the read failed): no count, never "none".
    if (this.data.impact === null) return t('change.primary.unknown');
    const n = removedCount(this.data.impact);
    return n === 0 ? t('change.primary.none') : n === 1 ? t('change.primary.one') : t('change.primary.many', n);
  }

  override render() {
    const d = this.data;
    const started = d.status === 'inProgress' || d.status === 'waiting' || d.status === 'done';
    return html`<h2>${t('change.title')}</h2>
      ${this.renderChecks(d.checks)} ${this.renderImpact(d.impact)} ${this.renderSnapshot(d.snapshot)}
      <section>
        <p class="muted" data-mode=${d.mode}>
          ${d.mode === 'portal' ? t('change.mode.portal') : t('change.mode.api')}
          ${started
            ? null
            : html`<button class="link" data-action="switch-mode" @click=${() => { intent(this, { type: 'setChangeMode', mode: d.mode === 'portal' ? 'api' : 'portal' }); }}>
                ${d.mode === 'portal' ? t('change.mode.useApi') : t('change.mode.usePortal')}
              </button>`}
        </p>
        ${d.mode === 'portal' && d.portalSteps.length > 0
          ? html`<h3>${t('change.portalSteps')}</h3>
              <ol class="portal">
                ${d.portalSteps.map((s) => html`<li>${s}</li>`)}
              </ol>`
          : null}
      </section>
      ${d.tracking !== null ? this.renderTracking(d.tracking) : null}
      ${d.status === 'failed' ? html`<p class="status-fail" role="alert">${t('change.failed')}</p>` : null}
      ${started && d.status !== 'done' && d.mode === 'portal'
        ? html`<div class="actions">
            <vscode-button secondary icon="link-external" data-action="open-portal" @click=${() => { intent(this, { type: 'openPortal' }); }}>${t('change.openPortal')}</vscode-button>
          </div>`
        : null}
      ${started
        ? null
        : html`<div class="actions">
              <vscode-button
                data-primary
                icon=${d.mode === 'portal' ? 'link-external' : 'arrow-swap'}
                ?disabled=${d.block !== null}
                aria-describedby=${d.block !== null ? 'block-reason' : ''}
                @click=${() => { intent(this, { type: 'changeDirectory' }); }}
                >${this.primaryLabel()}</vscode-button
              >
            </div>
            ${d.block !== null ? html`<p id="block-reason" class="muted blocked-reason">${t(`change.block.${d.block}`)}</p>` : null}`}
      ${d.status === 'inProgress' ? html`<div class="row" role="status"><vscode-progress-ring aria-hidden="true"></vscode-progress-ring>${t('change.inProgress')}</div>` : null}`;
  }
}
customElements.define('atl-change', ChangeStepView);
