// The impact table: every role assignment the move touches, grouped by scope kind (segmented filter with counts),
// with a filter box, sortable columns and paging (100 rows a page) so thousands of rows render fast.
// A native <table> (not vscode-table): real table semantics, aria-sort on the headers, no inline styles.
import { LitElement, css, html } from 'lit';
import { SCOPE_KINDS, type ImpactRow, type ScopeKind } from '../protocol';
import { baseStyles, shortScope } from './shared';
import { t, type StringKey } from './strings';

export const PAGE_SIZE = 100;
type Group = 'all' | ScopeKind;
type SortKey = 'principal' | 'role' | 'scope';
const GROUPS: Group[] = ['all', ...SCOPE_KINDS];
// The Effect sits next to the principal and the type under the name, so at 600 px (or 200% zoom) nothing that
// matters hides behind a sideways scroll; the table is fixed-layout (column shares in the styles, `col.<key>`).
const COLUMNS: { key: SortKey | 'effect'; label: StringKey }[] = [
  { key: 'principal', label: 'impact.col.principal' },
  { key: 'effect', label: 'impact.col.effect' },
  { key: 'role', label: 'impact.col.role' },
  { key: 'scope', label: 'impact.col.scope' },
];

function sortValue(r: ImpactRow, key: SortKey): string {
  switch (key) {
    case 'principal':
      // Deleted principals sort last.
      return r.principalName === null ? '\uffff' : r.principalName.toLocaleLowerCase();
    case 'role':
      return r.roleName.toLocaleLowerCase();
    case 'scope':
      return r.scope.toLocaleLowerCase();
  }
}

export class ImpactTable extends LitElement {
  static override properties = {
    rows: { attribute: false },
    group: { state: true },
    filter: { state: true },
    sortKey: { state: true },
    sortAsc: { state: true },
    page: { state: true },
  };
  declare rows: ImpactRow[];
  declare group: Group;
  declare filter: string;
  declare sortKey: SortKey;
  declare sortAsc: boolean;
  declare page: number;

  constructor() {
    super();
    this.rows = [];
    this.group = 'all';
    this.filter = '';
    this.sortKey = 'scope';
    this.sortAsc = true;
    this.page = 0;
  }

  static override styles = [
    baseStyles,
    css`
      .groups {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3em;
        margin-bottom: 0.5em;
      }
      /* vscode-button lays its content out as flex items, which drops the space between word and count. */
      .groups vscode-badge {
        margin-inline-start: 0.4em;
      }
      .tools {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
        align-items: center;
        justify-content: space-between;
        margin-bottom: 0.4em;
      }
      vscode-textfield {
        min-width: 12em;
        flex: 1 1 12em;
        max-width: 30em;
      }
      th button {
        font: inherit;
        font-weight: 600;
        color: inherit;
        background: none;
        border: none;
        padding: 0;
        cursor: pointer;
        display: inline-flex;
        align-items: center;
        gap: 0.2em;
      }
      th button:focus-visible {
        outline: 1px solid var(--vscode-focusBorder);
      }
      .pager {
        display: flex;
        gap: 0.5em;
        align-items: center;
        justify-content: flex-end;
        margin-top: 0.4em;
      }
      .scroll {
        overflow: auto;
        max-height: 32em;
      }
      table {
        min-width: 0;
        table-layout: fixed;
      }
      col.principal {
        width: 32%;
      }
      col.effect {
        width: 18%;
      }
      col.role,
      col.scope {
        width: 25%;
      }
      td {
        overflow-wrap: anywhere;
      }
      .type {
        display: block;
        font-size: 0.9em;
      }
      thead th {
        position: sticky;
        top: 0;
        background: var(--vscode-editor-background);
      }
    `,
  ];

  private counts(): Record<Group, number> {
    const c: Record<Group, number> = { all: this.rows.length, subscription: 0, resourceGroup: 0, resource: 0, inherited: 0 };
    for (const r of this.rows) c[r.scopeKind]++;
    return c;
  }

  private visibleRows(): ImpactRow[] {
    const needle = this.filter.trim().toLocaleLowerCase();
    const deleted = t('impact.deleted').toLocaleLowerCase();
    const unknown = t('impact.unknown').toLocaleLowerCase();
    const rows = this.rows.filter(
      (r) =>
        (this.group === 'all' || r.scopeKind === this.group) &&
        (needle === '' ||
          [r.principalName ?? (r.principalUnknown === true ? unknown : deleted), r.principalType, r.roleName, r.scope].some((v) => v.toLocaleLowerCase().includes(needle))),
    );
    const dir = this.sortAsc ? 1 : -1;
    return rows
      .map((r) => ({ r, k: sortValue(r, this.sortKey) }))
      .sort((a, b) => (a.k < b.k ? -dir : a.k > b.k ? dir : 0))
      .map(({ r }) => r);
  }

  private sortHeader(key: SortKey, label: StringKey) {
    return html`<th scope="col" aria-sort=${this.sortKey === key ? (this.sortAsc ? 'ascending' : 'descending') : 'none'}>
      <button data-sort=${key} aria-label=${t('impact.sortBy', t(label))} @click=${() => { this.setSort(key); }}>
        ${t(label)}
        ${this.sortKey === key ? html`<vscode-icon name=${this.sortAsc ? 'arrow-up' : 'arrow-down'} aria-hidden="true"></vscode-icon>` : null}
      </button>
    </th>`;
  }

  private setSort(key: SortKey): void {
    if (this.sortKey === key) this.sortAsc = !this.sortAsc;
    else {
      this.sortKey = key;
      this.sortAsc = true;
    }
    this.page = 0;
  }

  override render() {
    const counts = this.counts();
    const rows = this.visibleRows();
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    const page = Math.min(this.page, pages - 1);
    const start = page * PAGE_SIZE;
    const shown = rows.slice(start, start + PAGE_SIZE);
    return html`
      <div class="groups" role="group" aria-label=${t('impact.groupLabel')}>
        ${GROUPS.map(
          (g) =>
            html`<vscode-button
              ?secondary=${this.group !== g}
              aria-pressed=${this.group === g ? 'true' : 'false'}
              data-group=${g}
              @click=${() => {
                this.group = g;
                this.page = 0;
              }}
              >${t(`impact.group.${g}`)} <vscode-badge variant="counter">${counts[g]}</vscode-badge></vscode-button
            >`,
        )}
      </div>
      <div class="tools">
        <vscode-textfield
          type="search"
          placeholder=${t('impact.filter')}
          aria-label=${t('impact.filter')}
          .value=${this.filter}
          @input=${(e: Event) => {
            this.filter = (e.target as HTMLElement & { value: string }).value;
            this.page = 0;
          }}
          ><vscode-icon slot="content-before" name="filter" aria-hidden="true"></vscode-icon
        ></vscode-textfield>
        <span class="muted" aria-live="polite">${rows.length === 0 ? t('impact.none') : t('impact.page', start + 1, start + shown.length, rows.length)}</span>
      </div>
      <div class="scroll">
        <table>
          <colgroup>
            ${COLUMNS.map((c) => html`<col class=${c.key} />`)}
          </colgroup>
          <thead>
            <tr>
              ${COLUMNS.map((c) => (c.key === 'effect' ? html`<th scope="col">${t(c.label)}</th>` : this.sortHeader(c.key, c.label)))}
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (r) => html`<tr data-row=${r.id}>
                <td class=${r.principalName === null ? 'deleted-principal' : ''} title=${r.principalId}>
                  <span data-name>${r.principalName ?? (r.principalUnknown === true ? t('impact.unknown') : t('impact.deleted'))}</span>
                  <span class="type muted">${t(`principal.${r.principalType}`)}</span>
                </td>
                <td data-effect class=${r.removed ? 'status-fail' : 'status-warn'}>${r.removed ? t('impact.removed') : t('impact.inherited')}</td>
                <td title=${r.roleDefinitionId}>${r.roleName}</td>
                <td data-scope title=${r.scope}>${shortScope(r.scope)}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${pages > 1
        ? html`<div class="pager">
            <vscode-button secondary icon="chevron-left" aria-label=${t('impact.prev')} ?disabled=${page === 0} @click=${() => { this.page = page - 1; }}></vscode-button>
            <span>${page + 1} / ${pages}</span>
            <vscode-button secondary icon="chevron-right" aria-label=${t('impact.next')} ?disabled=${page >= pages - 1} @click=${() => { this.page = page + 1; }}></vscode-button>
          </div>`
        : null}
    `;
  }
}
customElements.define('atl-impact-table', ImpactTable);
