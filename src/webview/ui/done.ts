// Done — summary, what is still to do (with the offer to re-create custom roles), links, export report.
import { LitElement, css, html } from 'lit';
import type { DoneStep, TodoItem } from '../protocol';
import { baseStyles, intent } from './shared';
import { t, tn } from './strings';

export class DoneStepView extends LitElement {
  static override properties = { data: { attribute: false } };
  declare data: DoneStep;
  static override styles = [
    baseStyles,
    css`
      ul.todo {
        padding-inline-start: 1.2em;
      }
      ul.todo li {
        margin-bottom: 0.3em;
      }
    `,
  ];

  private renderTodo(todo: TodoItem[]) {
    return html`<section aria-labelledby="todo-h" data-todo>
      <div class="section-head">
        <h3 id="todo-h">${t('done.todo')}</h3>
        <span class="muted">${todo.length === 0 ? t('done.todo.none') : tn('done.todo.count', todo.length, todo.length)}</span>
      </div>
      ${todo.length > 0
        ? html`<ul class="todo">
            ${todo.map(
              (x) => html`<li data-todo-kind=${x.kind}>
                <span class="muted">${t(`done.todo.kind.${x.kind}`)}:</span> ${x.text}${x.detail !== null ? html`<div class="muted">${x.detail}</div>` : null}
              </li>`,
            )}
          </ul>`
        : null}
      ${this.data.customRolesMissing > 0
        ? html`<div class="actions">
            <vscode-button secondary data-action="recreate-roles" @click=${() => { intent(this, { type: 'recreateCustomRoles' }); }}
              >${tn('done.recreateRoles', this.data.customRolesMissing, this.data.customRolesMissing)}</vscode-button
            >
          </div>`
        : null}
    </section>`;
  }

  override render() {
    const d = this.data;
    return html`<h2>${t('done.title')}</h2>
      <p role="status" data-done-summary>${tn('done.summary', d.deleted, d.deleted, d.created, d.failed)}</p>
      ${this.renderTodo(d.todo)}
      <ul>
        ${d.links.map(
          (link) =>
            html`<li><button class="link" data-link=${link} @click=${() => { intent(this, { type: 'openLink', link }); }}>${t(`done.link.${link}`)}</button></li>`,
        )}
      </ul>
      ${d.reportPath !== null ? html`<p class="muted">${t('done.exported', d.reportPath)}</p>` : null}
      <div class="actions">
        <vscode-button data-primary icon="output" @click=${() => { intent(this, { type: 'exportReport' }); }}>${t('done.export')}</vscode-button>
      </div>`;
  }
}
customElements.define('atl-done', DoneStepView);
