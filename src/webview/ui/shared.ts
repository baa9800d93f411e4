// Shared bits of the wizard UI: the intent event, the typed VS Code API, common styles and small render helpers.
import { css, html, type TemplateResult } from 'lit';
import type { CheckStatus, Finding, FromWebview, SavedPanelState } from '../protocol';
import { t } from './strings';

/** Components never post directly: they dispatch an `atl-intent` event that the root element posts. */
export const INTENT_EVENT = 'atl-intent';
export function intent(from: Element, msg: FromWebview): void {
  from.dispatchEvent(new CustomEvent<FromWebview>(INTENT_EVENT, { detail: msg, bubbles: true, composed: true }));
}

export interface VsCodeApi {
  postMessage(msg: FromWebview): void;
  /** What VS Code hands back to the panel serializer after a reload. */
  setState?(state: SavedPanelState): void;
}
declare global {
  function acquireVsCodeApi(): VsCodeApi;
}

/** Styles every component adopts. Only --vscode-* theme variables; no colours of our own. */
export const baseStyles = css`
  :host {
    display: block;
    color: var(--vscode-foreground);
    font-family: var(--vscode-font-family);
    font-size: var(--vscode-font-size);
    line-height: 1.4;
  }
  h2 {
    font-size: 1.3em;
    font-weight: 600;
    margin: 0 0 0.75em;
  }
  h3 {
    font-size: 1.05em;
    font-weight: 600;
    margin: 0;
  }
  section {
    margin-block: 0 1.25em;
  }
  .section-head {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    align-items: baseline;
    gap: 0.25em 1em;
    margin-bottom: 0.4em;
  }
  .muted {
    color: var(--vscode-descriptionForeground);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    align-items: center;
    gap: 0.5em;
    margin-top: 1em;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
  .status-pass {
    color: var(--vscode-testing-iconPassed);
  }
  /* Warning words: list.warningForeground is VS Code's text colour for warnings (5.8:1 on Light+, where
     editorWarning.foreground, an icon colour, is 3.1:1); High Contrast has no value for it and falls back. */
  .status-warn {
    color: var(--vscode-list-warningForeground, var(--vscode-editorWarning-foreground));
  }
  .status-word {
    display: inline-flex;
    align-items: baseline;
    gap: 0.25em;
  }
  .status-word vscode-icon {
    align-self: center;
  }
  .status-fail {
    color: var(--vscode-errorForeground);
  }
  .status-unknown {
    color: var(--vscode-descriptionForeground);
  }
  .card {
    border: 1px solid var(--vscode-widget-border, var(--vscode-panel-border));
    border-radius: 4px;
    padding: 0.6em 0.8em;
    background: var(--vscode-editorWidget-background);
  }
  .skeleton {
    display: block;
    height: 1.4em;
    margin: 0.3em 0;
    border-radius: 2px;
    background: var(--vscode-editorWidget-background);
    opacity: 0.8;
  }
  .finding {
    display: grid;
    grid-template-columns: 1.4em 1fr;
    column-gap: 0.4em;
    padding: 0.2em 0;
  }
  .finding vscode-icon {
    margin-top: 0.15em;
  }
  .finding .detail {
    grid-column: 2;
  }
  details > summary {
    cursor: pointer;
  }
  details > summary:focus-visible,
  button.link:focus-visible,
  a:focus-visible {
    outline: 1px solid var(--vscode-focusBorder);
    outline-offset: 1px;
  }
  button.link {
    font: inherit;
    background: none;
    border: none;
    padding: 0;
    color: var(--vscode-textLink-foreground);
    cursor: pointer;
    text-align: start;
  }
  button.link:hover {
    color: var(--vscode-textLink-activeForeground);
    text-decoration: underline;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  /* Tables keep a readable minimum width and scroll sideways inside .scroll at narrow widths / high zoom. */
  .scroll {
    overflow-x: auto;
  }
  table {
    width: 100%;
    min-width: 34em;
    border-collapse: collapse;
  }
  vscode-single-select,
  vscode-textfield {
    max-width: 100%;
  }
  th,
  td {
    text-align: start;
    padding: 0.25em 0.5em;
    border-bottom: 1px solid var(--vscode-widget-border, var(--vscode-panel-border));
    vertical-align: top;
    overflow-wrap: break-word;
  }
  th {
    font-weight: 600;
  }
  tbody tr:hover {
    background: var(--vscode-list-hoverBackground);
  }
  .deleted-principal {
    color: var(--vscode-disabledForeground, var(--vscode-descriptionForeground));
    font-style: italic;
  }
`;

const ICONS: Record<CheckStatus, string> = { pass: 'pass-filled', warn: 'warning', fail: 'error', unknown: 'question' };
export function statusIcon(status: CheckStatus): TemplateResult {
  return html`<vscode-icon name=${ICONS[status]} class=${`status-${status}`} aria-hidden="true"></vscode-icon
    ><span class="sr-only">${t(`status.${status}`)}:</span>`;
}

/**
 * A status word in colours that reach WCAG AA in every theme. "Fine" is the theme's text colour after a green check:
 * testing.iconPassed (#73c991 in Light+ too) is 2.0:1 on white — enough beside a word, not for the word itself.
 */
export function statusWord(kind: CheckStatus, word: string): TemplateResult {
  return kind === 'pass'
    ? html`<span class="status-word"><vscode-icon name="check" class="status-pass" aria-hidden="true"></vscode-icon>${word}</span>`
    : html`<span class=${`status-${kind}`}>${word}</span>`;
}

/** One line per finding: icon + title + message; fix and owner below (details when `expandable`). */
export function renderFinding(f: Finding, extra?: TemplateResult): TemplateResult {
  const detail =
    f.fix !== undefined || f.owner !== undefined
      ? html`<div class="detail muted">
          ${f.fix !== undefined ? html`<div>${t('finding.fix', f.fix)}</div>` : null}
          ${f.owner !== undefined ? html`<div>${t('finding.owner', f.owner)}</div>` : null} ${extra ?? null}
        </div>`
      : null;
  return html`<div class="finding" data-status=${f.status}>
    ${statusIcon(f.status)}
    <div><strong>${f.title}</strong> — <span class=${f.status === 'unknown' ? 'muted' : ''}>${f.message}</span></div>
    ${detail}
  </div>`;
}

const STATUS_ORDER: Record<CheckStatus, number> = { fail: 0, warn: 1, unknown: 2, pass: 3 };
/** Failing first, then warnings, unknown, passed; stable within a status. */
export function byUrgency<T extends { status: CheckStatus }>(items: readonly T[]): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => STATUS_ORDER[a.item.status] - STATUS_ORDER[b.item.status] || a.i - b.i)
    .map(({ item }) => item);
}

const MANAGEMENT_GROUP = /^\/providers\/Microsoft\.Management\/managementGroups\/([^/]+)\/?$/i;

/**
 * A scope as people read it (the full ARM id goes in a title): "subscription", the path below the subscription
 * (rg-app, rg-app/kv-prod), "management group mg-production", or the scope itself when it is none of those.
 */
export function shortScope(scope: string): string {
  const mg = MANAGEMENT_GROUP.exec(scope);
  if (mg !== null) return t('impact.scope.managementGroup', mg[1]);
  const below = scope.replace(/^\/subscriptions\/[^/]+/i, '');
  if (below === '' || below === '/') return t('impact.scope.subscription');
  if (below === scope) return scope;
  const parts = below.split('/').filter(Boolean);
  // /resourceGroups/rg/providers/Ns/type/name → rg/name
  return parts.length <= 2 ? (parts[1] ?? below) : `${parts[1] ?? ''}/${parts[parts.length - 1] ?? ''}`;
}
