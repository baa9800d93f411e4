/** `tenant-link plan`: checks and impact for one or many subscriptions (issue 5 JSON contract). */
import type { Subscription } from '../azure/models';
import { english } from '../core/l10n';
import { PlanCache, isTenantIdOrDomain, planSubscription, resolveTarget, subscriptionsIn, toPlanJson, findSubscription, type DetailedPlan } from '../core/plan';
import { guidOption, type CommandContext } from './context';
import { planExtrasLines } from './extras';
import { json, table } from './format';
import { EXIT, UsageError } from './io';

const STATUS_MARK = { pass: '✔ pass', warn: '⚠ warn', fail: '✖ fail', unknown: '? unknown' } as const;

export async function planCommand(ctx: CommandContext): Promise<number> {
  const { values } = ctx;
  const ids = values.subscription ?? [];
  const allIn = values['all-in'];
  if (ids.length === 0 && allIn === undefined) throw new UsageError('plan needs --subscription <id> (repeatable) or --all-in <tenantId>.');
  if (ids.length > 0 && allIn !== undefined) throw new UsageError('Use either --subscription or --all-in, not both.');
  for (const id of ids) guidOption(id, '--subscription', 'subscription ID');
  const allInTenant = allIn === undefined ? undefined : guidOption(allIn, '--all-in', 'directory (tenant) ID');
  const to = values.to;
  if (to === undefined) throw new UsageError('plan needs --to <tenantId|domain>.');
  if (!isTenantIdOrDomain(to)) throw new UsageError(`--to must be a directory (tenant) ID or a domain, got "${to}".`);

  const session = await ctx.session();
  const cache = new PlanCache(session, { concurrency: ctx.global.concurrency });
  ctx.progress.update('Reading directories…');
  const target = await resolveTarget(session, to, english, cache);
  const subscriptions: Subscription[] = allInTenant !== undefined
    ? await subscriptionsIn(session, allInTenant, cache)
    : await Promise.all([...new Set(ids.map((i) => i.toLowerCase()))].map((id) => findSubscription(session, id, english, cache)));
  let done = 0;
  ctx.progress.update(`Planning… 0/${subscriptions.length} subscriptions`);
  const plans = await Promise.all(subscriptions.map(async (s) => {
    const plan = await planSubscription(session, s, target, english, cache);
    ctx.progress.update(`Planning… ${++done}/${subscriptions.length} subscriptions`);
    return plan;
  }));
  ctx.progress.done();
  const single = ids.length === 1 && allInTenant === undefined;
  if (ctx.global.json) {
    const out = plans.map(toPlanJson);
    ctx.io.stdout(json(single ? out[0] : out));
  } else {
    ctx.io.stdout(plans.length === 0 ? 'No subscriptions in that directory.\n' : plans.map(humanPlan).join('\n'));
  }
  return plans.every((p) => p.canProceed) ? EXIT.ok : EXIT.cannotProceed;
}

function humanPlan(plan: DetailedPlan): string {
  const target = plan.target.displayName ?? plan.target.tenantId;
  const lines: string[] = [
    `${plan.subscription.name} (${plan.subscription.id}) → ${target}${plan.target.defaultDomain ? ` (${plan.target.defaultDomain})` : ''}`,
    `Can proceed: ${plan.canProceed ? 'yes' : 'no — fix the failed checks first'}`,
    '',
    table(plan.checks, [
      { header: 'Status', value: (c) => STATUS_MARK[c.status] },
      { header: 'Check', value: (c) => c.id },
      { header: 'Message', value: (c) => c.message },
    ]).trimEnd(),
    '',
  ];
  const rows = plan.impact.roleAssignments;
  const count = (kind: string): number => rows.filter((r) => r.scopeKind === kind).length;
  const removed = rows.filter((r) => r.removed).length;
  lines.push(
    `The move deletes ${removed} role assignment${removed === 1 ? '' : 's'} (subscription ${count('subscription')}, resource groups ${count('resourceGroup')}, resources ${count('resource')}); ${count('inherited')} inherited stop applying.`,
    `Custom roles deleted: ${plan.impact.customRoles.map((r) => r.roleName).join(', ') || 'none'}. Classic administrators: ${plan.impact.classicAdministrators.map((c) => c.emailAddress).join(', ') || 'none'}.`,
    '',
  );
  if (rows.length > 0) {
    lines.push(table(rows, [
      { header: 'Principal', value: (r) => r.principalName ?? '(deleted principal)' },
      { header: 'Type', value: (r) => r.principalType },
      { header: 'Role', value: (r) => r.roleName },
      { header: 'Scope', value: (r) => (r.scopeKind === 'subscription' ? 'subscription' : r.scopeKind === 'inherited' ? `inherited: ${r.scope}` : r.scope.replace(/^\/subscriptions\/[^/]+\//i, '')) },
      { header: 'Deleted', value: (r) => (r.removed ? 'yes' : 'no') },
    ]).trimEnd(), '');
  }
  if (plan.impact.dependentResources.length > 0) {
    lines.push('Resources that depend on the directory:', table(plan.impact.dependentResources, [
      { header: 'Resource', value: (d) => d.name },
      { header: 'Type', value: (d) => d.type },
      { header: 'Recoverable', value: (d) => (d.recoverable ? 'yes' : 'no') },
      { header: 'What to do', value: (d) => d.reason },
    ]).trimEnd(), '');
  }
  lines.push(...planExtrasLines(plan));
  for (const note of plan.impact.notes) lines.push(`Note: ${note}`);
  return lines.join('\n') + '\n';
}
