/** The Done step's Markdown record of what was checked, deleted, saved and re-created. Pure. */
import { assignmentEffect } from '../core/impact';
import { ADMIN_ROLES } from '../core/restore';
import type { AssignmentResult } from '../webview/protocol';
import { subscriptionIdOf, type WizardContext, type WizardWorld } from './context';
import { changeStatus, targetName } from './derive';

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
    lines.push(`## ${l10n.t('Pre-flight checks')}`, '', '| | |', '|---|---|');
    for (const c of plan.checks) lines.push(`| ${c.status} | ${md(c.message)} |`);
    lines.push('', `## ${l10n.t('What the move deletes')}`, '', `| ${l10n.t('Principal')} | ${l10n.t('Type')} | ${l10n.t('Role')} | ${l10n.t('Scope')} | ${l10n.t('Effect')} |`, '|---|---|---|---|---|');
    for (const a of plan.impact.roleAssignments) lines.push(`| ${md(a.principalName ?? l10n.t('(deleted principal)'))} | ${a.principalType} | ${md(a.roleName)} | \`${a.scope}\` | ${assignmentEffect(a, l10n)} |`);
    if (plan.impact.dependentResources.length) {
      lines.push('', `## ${l10n.t('Depends on the directory ({0})', String(plan.impact.dependentResources.length))}`, '');
      for (const d of plan.impact.dependentResources) lines.push(`- ${md(d.name)} (${d.type}): ${md(d.reason)}`);
    }
  }
  const admins = ctx.admins;
  if (admins) {
    const statusText = (r: AssignmentResult): string => (r.status === 'failed' ? `${l10n.t('failed')}: ${r.reason ?? ''}` : r.status === 'created' ? l10n.t('created') : l10n.t('already there'));
    lines.push('', `## ${l10n.t('Add administrators')}`, '', `| ${l10n.t('Principal')} | ${l10n.t('Role')} | ${l10n.t('Status')} |`, '|---|---|---|');
    const role = ADMIN_ROLES.find((r) => r.id === admins.roleDefinitionId)?.name ?? admins.roleDefinitionId;
    for (const p of admins.selected) lines.push(`| ${md(p.displayName)} | ${role} | ${p.result ? statusText(p.result) : '—'} |`);
    for (const r of admins.restore ?? []) lines.push(`| ${md(r.oldPrincipalName ?? r.oldPrincipalId)} → ${r.chosen ?? '—'} | ${md(r.role)} | ${r.result ? statusText(r.result) : '—'} |`);
  }
  return `${lines.join('\n')}\n`;
}

function md(text: string): string {
  return text.replace(/[|\\`*_<>[\]]/g, '\\$&').replace(/\r?\n/g, ' ');
}
