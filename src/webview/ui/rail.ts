// The steps rail: an ordered list of steps (done ✔, current ●, not yet ○). Arrow keys move, Enter/Space opens.
// Later steps stay visible so the user sees the whole journey, but they are not actionable.
import { LitElement, css, html } from 'lit';
import type { StepId, StepInfo, StepStatus } from '../protocol';
import { baseStyles, intent } from './shared';
import { t } from './strings';

const ICON: Record<StepStatus, string> = { done: 'pass-filled', current: 'circle-large-filled', todo: 'circle-large', blocked: 'circle-slash' };

export class StepsRail extends LitElement {
  static override properties = { steps: { attribute: false }, active: { attribute: false }, focusIndex: { state: true } };
  declare steps: StepInfo[];
  declare active: StepId;
  declare focusIndex: number;

  constructor() {
    super();
    this.steps = [];
    this.active = 'choose';
    this.focusIndex = -1;
  }

  static override styles = [
    baseStyles,
    css`
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-direction: column;
        gap: 2px;
      }
      button {
        display: flex;
        align-items: center;
        gap: 0.5em;
        width: 100%;
        font: inherit;
        color: inherit;
        text-align: start;
        background: none;
        border: 1px solid transparent;
        border-radius: 3px;
        padding: 0.35em 0.6em;
        cursor: pointer;
      }
      button:hover {
        background: var(--vscode-list-hoverBackground);
      }
      button:focus-visible {
        outline: 1px solid var(--vscode-focusBorder);
        outline-offset: -1px;
      }
      button[aria-current='step'] {
        background: var(--vscode-list-activeSelectionBackground);
        color: var(--vscode-list-activeSelectionForeground);
        border-color: var(--vscode-contrastActiveBorder, transparent);
      }
      button[aria-disabled='true'] {
        color: var(--vscode-disabledForeground, var(--vscode-descriptionForeground));
        cursor: default;
      }
      .done vscode-icon {
        color: var(--vscode-testing-iconPassed);
      }
      .num {
        min-width: 1ch;
      }
      @media (max-width: 640px) {
        ol {
          flex-direction: row;
          flex-wrap: wrap;
        }
        button {
          width: auto;
        }
        .label {
          display: none;
        }
        button[aria-current='step'] .label {
          display: inline;
        }
      }
    `,
  ];

  private actionable(s: StepInfo): boolean {
    return s.status === 'done' || s.status === 'current';
  }

  private onKey(e: KeyboardEvent, index: number): void {
    const last = this.steps.length - 1;
    let next = index;
    if (e.key === 'ArrowDown' || e.key === 'ArrowRight') next = Math.min(last, index + 1);
    else if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') next = Math.max(0, index - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = last;
    else return;
    e.preventDefault();
    this.focusIndex = next;
    void this.updateComplete.then(() => {
      Array.from(this.renderRoot.querySelectorAll('button')).at(next)?.focus();
    });
  }

  private open(s: StepInfo): void {
    if (!this.actionable(s) || s.id === this.active) return;
    intent(this, { type: 'openStep', step: s.id });
  }

  override render() {
    const activeIndex = Math.max(
      0,
      this.steps.findIndex((s) => s.id === this.active),
    );
    const tabIndex = this.focusIndex >= 0 && this.focusIndex < this.steps.length ? this.focusIndex : activeIndex;
    return html`<nav aria-label=${t('stepsLabel')}>
      <ol>
        ${this.steps.map(
          (s, i) =>
            html`<li class=${s.status}>
              <button
                type="button"
                data-step=${s.id}
                tabindex=${i === tabIndex ? 0 : -1}
                aria-current=${s.id === this.active ? 'step' : 'false'}
                aria-disabled=${this.actionable(s) ? 'false' : 'true'}
                aria-label=${`${t('stepNumber', i)}: ${t(`step.${s.id}`)} (${t(`stepStatus.${s.status}`)})`}
                @click=${() => {
                  this.open(s);
                }}
                @keydown=${(e: KeyboardEvent) => {
                  this.onKey(e, i);
                }}
                @focus=${() => {
                  this.focusIndex = i;
                }}
              >
                <vscode-icon name=${ICON[s.status]} aria-hidden="true"></vscode-icon>
                <span class="num" aria-hidden="true">${s.id === 'done' ? '' : i}</span>
                <span class="label" aria-hidden="true">${t(`step.${s.id}`)}</span>
              </button>
            </li>`,
        )}
      </ol>
    </nav>`;
  }
}
customElements.define('atl-steps-rail', StepsRail);
