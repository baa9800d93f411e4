/** The Done step's Markdown record of what was checked, deleted, saved and re-created. Pure. */
import { assignmentEffect } from '../core/impact';
import { ADMIN_ROLES } from '../core/restore';
import type { AssignmentResult, RestoreRow } from '../webview/protocol';
import { subscriptionIdOf, type WizardContext, type WizardWorld } from './context';
import { changeStatus, targetName } from './derive';
import { scopeText, todoOf } from './restoreText';

export function report(ctx: WizardContext, world: WizardWorld): string {
  const l10n = world.l10n;
  const plan = ctx.plan;
  const s = ctx.subscription;
  const lines = [
    `# ${l10n.t('Directory change: {0}', s.subscription.displayName)}`,
    '',
    `- ${l10n.t('Subscription')}: ${s.subscription.displayName} (\`${subscriptionIdOf(ctx)}\`)`,
    `- ${l10n.t('From')}: ${s.source.displayName ?? ''} (\`${s.source.tenantId}\`)`,
    `- ${l10n.t('To')}: ${targetName(ctx, world)} (\`${ctx.targetTenantId ?? ''}\`)`,
    `- ${l10n.t('Account')}: ${ctx.accounts.owner.session.account.label}`,
    `- ${l10n.t('Snapshot')}: ${ctx.snapshot.status === 'saved' ? ctx.snapshot.path : ctx.snapshot.status}`,
    `- ${l10n.t('Status')}: ${changeStatus(ctx, world)}`,
    '',
  ];
  if (plan) {
    lines.push(`## ${l10n.t('Pre-flight checks')}`, '', `| ${l10n.t('Status')} | ${l10n.t('Check')} |`, '|---|---|');
    for (const c of plan.checks) lines.push(`| ${c.status} | ${md(c.message)} |`);
    lines.push('', `## ${l10n.t('What the move deletes')}`, '', `| ${l10n.t('Principal')} | ${l10n.t('Type')} | ${l10n.t('Role')} | ${l10n.t('Scope')} | ${l10n.t('Effect')} |`, '|---|---|---|---|---|');
    for (const a of plan.impact.roleAssignments) lines.push(`| ${md(a.principalName ?? l10n.t('(deleted principal)'))} | ${a.principalType} | ${md(a.roleName)} | \`${a.scope}\` | ${assignmentEffect(a, l10n)} |`);
    if (plan.impact.dependentResources.length) {
      lines.push('', `## ${l10n.t('Depends on the directory ({0})', String(plan.impact.dependentResources.length))}`, '');
      for (const d of plan.impact.dependentResources) lines.push(`- ${md(d.name)} (${d.type}): ${md(d.reason)}`);
    }
    if (plan.impact.customRoles.length) {
      lines.push('', `## ${l10n.t('Custom roles ({0})', String(plan.impact.customRoles.length))}`, '');
      for (const r of plan.impact.customRoles) lines.push(`- ${md(r.roleName)} (\`${r.id}\`)`);
    }
    if (plan.impact.classicAdministrators.length) {
      lines.push('', `## ${l10n.t('Classic administrators ({0})', String(plan.impact.classicAdministrators.length))}`, '');
      for (const c of plan.impact.classicAdministrators) lines.push(`- ${md(c.emailAddress)}: ${md(c.role.split(';').join(', '))}`);
    }
  }
  const admins = ctx.admins;
  if (admins) {
    const statusText = (r: AssignmentResult): string => (r.status === 'failed' ? `${l10n.t('failed')}: ${r.reason ?? ''}` : r.status === 'created' ? l10n.t('created') : l10n.t('already there'));
    lines.push('', `## ${l10n.t('Add administrators')}`, '', `| ${l10n.t('Principal')} | ${l10n.t('Role')} | ${l10n.t('Scope')} | ${l10n.t('Status')} |`, '|---|---|---|---|');
    const role = ADMIN_ROLES.find((r) => r.id === admins.roleDefinitionId)?.name ?? admins.roleDefinitionId;
    for (const p of admins.selected) lines.push(`| ${md(p.displayName)} | ${role} | ${l10n.t('the subscription')} | ${p.result ? statusText(p.result) : '—'} |`);
    for (const r of admins.restore ?? []) lines.push(`| ${md(r.oldPrincipalName ?? r.oldPrincipalId)} → ${md(r.followsIdentity === true ? l10n.t('the re-created identity of {0}', r.oldPrincipalName ?? r.oldPrincipalId) : newPrincipal(r, l10n.t('(not chosen)')))} | ${md(r.role)}${mark(r, world)} | \`${md(scopeText(r.scope, subscriptionIdOf(ctx), l10n))}\` | ${r.result ? statusText(r.result) : '—'} |`);
    if (admins.repair?.length) {
      lines.push('', `## ${l10n.t('Repair')}`, '');
      for (const x of admins.repair) lines.push(`- ${x.kind}: ${md(x.name)}${x.detail === null ? '' : ` (${md(x.detail)})`}: ${x.status}${x.reason === undefined ? '' : ` — ${md(x.reason)}`}`);
    }
  }
  const todo = todoOf(ctx, targetName(ctx, world), l10n);
  lines.push('', `## ${l10n.t('Still to do ({0})', String(todo.length))}`, '');
  for (const x of todo) lines.push(`- ${md(x.text)}${x.detail === null ? '' : `: ${md(x.detail)}`}`);
  return `${lines.join('\n')}\n`;
}

function newPrincipal(r: RestoreRow, none: string): string {
  const c = r.candidates.find((x) => x.id === r.chosen);
  return c ? (c.detail !== null ? `${c.displayName} (${c.detail})` : c.displayName) : r.chosen ?? none;
}

function mark(r: RestoreRow, world: WizardWorld): string {
  const end = r.endDateTime ?? null;
  if (r.eligible === true) return ` (${end === null ? world.l10n.t('eligible, permanent') : world.l10n.t('eligible until {0}', end)})`;
  return end === null ? '' : ` (${world.l10n.t('time-bound until {0}', end)})`;
}

function md(text: string): string {
  return text.replace(/[|\\`*_<>[\]]/g, '\\$&').replace(/\r?\n/g, ' ');
}
