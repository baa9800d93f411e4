// The impact's groups beyond role assignments (PIM eligible and time-bound, policy assignments, Key Vaults, managed
// identities, deny assignments, locks, Lighthouse): each with its count, whether the move deletes it and whether the
// product puts it back. A group whose read was refused says "Unknown" and the permission it needs: never a zero.
import { LitElement, css, html } from 'lit';
import type { ExtraGroup, ExtraItem } from '../protocol';
import { baseStyles, shortScope, statusWord } from './shared';
import { t } from './strings';

function until(end: string | null | undefined): string {
  return end === null || end === undefined ? t('extras.permanent') : t('extras.until', end.replace(/T.*$/, ''));
}

/** The item's own facts, in words: end dates, identities, vault settings, lock level. */
function facts(g: ExtraGroup['id'], x: ExtraItem): string {
  switch (g) {
    case 'eligible':
    case 'timeBound':
      return `${x.detail ?? ''} · ${shortScope(x.scope ?? '')} · ${until(x.endDateTime)}`;
    case 'policyAssignments':
      return `${shortScope(x.scope ?? '')} · ${t(`extras.identity.${x.identity ?? 'none'}`)}`;
    case 'keyVaults':
      return [t('extras.vault.tenant', x.tenantId ?? '—'), x.rbac === true ? t('extras.vault.rbac') : t('extras.vault.policies', x.accessPolicies ?? 0)].join(' · ');
    case 'identities':
      return `${x.detail ?? ''} · ${t(`extras.identity.${x.identity ?? 'none'}`)}`;
    case 'locks':
      return `${x.detail ?? ''} · ${shortScope(x.scope ?? '')}`;
    default:
      return x.detail ?? '';
  }
}

function effect(g: ExtraGroup['id'], x: ExtraItem) {
  if (x.blocksRepair === true) return html`<span class="status-warn" data-blocks-repair>${t('extras.lock.readOnly')}</span>`;
  if (x.removed === true) return html`<span class="status-fail">${t('impact.removed')}</span>`;
  if (x.removed === false) return html`<span class="status-warn">${t('impact.inherited')}</span>`;
  // Vaults and identities stay but stop working until repaired; a lock stays as it is; deny assignments and
  // delegations are not the product's to change: checked after the move.
  const word = g === 'locks' ? 'extras.lock.kept' : g === 'keyVaults' || g === 'identities' ? 'extras.kept' : 'extras.check';
  return html`<span class="muted">${t(word)}</span>`;
}

export class ImpactExtras extends LitElement {
  static override properties = { groups: { attribute: false } };
  declare groups: ExtraGroup[];

  constructor() {
    super();
    this.groups = [];
  }

  static override styles = [
    baseStyles,
    css`
      /* Permission and resource names have no spaces: they wrap anywhere rather than push the pane sideways. */
      :host {
        overflow-wrap: anywhere;
      }
      details {
        margin: 0.2em 0;
      }
      summary .count {
        font-weight: 600;
      }
      table {
        table-layout: fixed;
        min-width: 0;
        margin: 0.3em 0 0.6em;
      }
      td {
        overflow-wrap: anywhere;
        vertical-align: top;
      }
      col.name {
        width: 30%;
      }
      col.facts {
        width: 38%;
      }
      col.effect,
      col.back {
        width: 16%;
      }
    `,
  ];

  private summary(g: ExtraGroup) {
    const label = t(`extras.group.${g.id}`);
    if (g.items === null) {
      const why = g.missing !== null ? t('extras.unknown.missing', g.missing) : t('extras.unknown.failed', g.reason ?? '');
      return html`${label}: ${statusWord('unknown', why)}`;
    }
    const removed = g.items.filter((x) => x.removed === true).length;
    const auto = g.items.filter((x) => x.repair === 'automatic').length;
    const manual = g.items.filter((x) => x.repair === 'manual').length;
    const blocks = g.items.filter((x) => x.blocksRepair === true).length;
    const parts = [
      removed > 0 ? t('extras.summary.removed', removed) : null,
      auto > 0 ? t('extras.summary.automatic', auto) : null,
      manual > 0 ? t('extras.summary.manual', manual) : null,
    ].filter((p): p is string => p !== null);
    return html`${label} <span class="count">(${g.items.length})</span>${parts.length > 0 ? html` <span class="muted">· ${parts.join(' · ')}</span>` : null}${blocks > 0
      ? html` <span class="status-warn">· ${t('extras.summary.readOnly')}</span>`
      : null}`;
  }

  private table(g: ExtraGroup, items: ExtraItem[]) {
    return html`<table>
      <colgroup><col class="name" /><col class="facts" /><col class="effect" /><col class="back" /></colgroup>
      <thead>
        <tr>
          <th scope="col">${t('extras.col.name')}</th>
          <th scope="col">${t('extras.col.facts')}</th>
          <th scope="col">${t('impact.col.effect')}</th>
          <th scope="col">${t('extras.col.back')}</th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (x) => html`<tr data-extra=${x.id}>
            <td title=${x.id}>${x.name}</td>
            <td>${facts(g.id, x)}</td>
            <td>${effect(g.id, x)}</td>
            <td data-repair=${x.repair}>${t(`extras.repair.${x.repair}`)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  override render() {
    // Empty groups say nothing; unknown ones always show (with the permission they need).
    const shown = this.groups.filter((g) => g.items === null || g.items.length > 0);
    return html`${shown.map(
      (g) => html`<details data-extra-group=${g.id} data-unknown=${g.items === null ? 'true' : 'false'}>
        <summary>${this.summary(g)}</summary>
        ${g.items === null ? html`<p class="muted">${t('extras.unknown.hint')}</p>` : this.table(g, g.items)}
      </details>`,
    )}`;
  }
}
customElements.define('atl-impact-extras', ImpactExtras);
