/** `tenant-link plan`: checks and impact for one or many subscriptions (issue 5 JSON contract). */
import type { Subscription } from '../azure/models';
import { prefetchFleet } from '../core/fleet';
import { assignmentEffect } from '../core/impact';
import { english } from '../core/l10n';
import { PlanCache, isTenantIdOrDomain, planSubscription, resolveTarget, subscriptionsIn, toPlanJson, findSubscription, type DetailedPlan } from '../core/plan';
import { guidOption, subscriptionOption, type CommandContext } from './context';
import { planExtrasLines } from './extras';
import { json, principalText, table, terminalText, wrapLines } from './format';
import { principalStatusOf } from '../core/impact';
import { EXIT, UsageError } from './io';

const STATUS_MARK = { pass: '✔ pass', warn: '⚠ warn', fail: '✖ fail', unknown: '? unknown' } as const;

export async function planCommand(ctx: CommandContext): Promise<number> {
  const { values } = ctx;
  const ids = values.subscription ?? [];
  const allIn = values['all-in'];
  const all = values.all === true;
  const ways = [ids.length > 0, allIn !== undefined, all].filter(Boolean).length;
  if (ways === 0) throw new UsageError('plan needs --subscription <id> (repeatable), --all-in <tenantId> or --all.');
  if (ways > 1) throw new UsageError('Use one of --subscription, --all-in and --all.');
  const refs = ids.map(subscriptionOption);
  const allInTenant = allIn === undefined ? undefined : guidOption(allIn, '--all-in', 'directory (tenant) ID');
  const to = values.to;
  if (to === undefined) throw new UsageError('plan needs --to <tenantId|domain>.');
  if (!isTenantIdOrDomain(to)) throw new UsageError(`--to must be a directory (tenant) ID or a domain, got "${to}".`);

  const session = await ctx.session();
  const cache = new PlanCache(session, { concurrency: ctx.global.maxInFlight });
  ctx.progress.update('Reading directories…');
  const [target, subscriptions] = await Promise.all([
    resolveTarget(session, to, english, cache),
    allInTenant !== undefined
      ? subscriptionsIn(session, allInTenant, cache)
      : all
        ? cache.subscriptionIndex().then((index): Subscription[] => {
          // Like `subscriptions`: a directory that could not be read is named, not silently left out.
          for (const [id, e] of index.failures) ctx.io.stderr(`tenant-link: skipped directory ${id}: ${e.message.split('\n')[0] ?? e.kind}\n`);
          return [...index.byId.values()];
        })
        : Promise.all([...new Set(refs)].map((ref) => findSubscription(session, ref, english, cache))),
  ]);
  // A fleet plan reads role assignments and resources for all of them through Resource Graph (a few paged queries,
  // beside the checks); a plan of named subscriptions reads ARM, like the snapshot before a move.
  const fleet = allInTenant !== undefined || all;
  const reading = fleet && subscriptions.length > 0 ? prefetchFleet(session, subscriptions, cache) : undefined;
  // Awaited below; handled now so that a failure while the plans run is not an unhandled rejection.
  reading?.catch(() => undefined);
  let done = 0;
  ctx.progress.update(`Planning… 0/${subscriptions.length} subscriptions`);
  const plans = await Promise.all(subscriptions.map(async (s) => {
    const plan = await planSubscription(session, s, target, english, cache);
    ctx.progress.update(`Planning… ${++done}/${subscriptions.length} subscriptions`);
    return plan;
  }));
  ctx.progress.done();
  if (reading) {
    const read = await reading;
    if (!ctx.global.json) {
      if (read.resourceGraph.length > 0) ctx.io.stdout(`Role assignments and resources read through Azure Resource Graph (${read.resourceGraph.length} director${read.resourceGraph.length === 1 ? 'y' : 'ies'}); it can lag Azure by minutes, and the snapshot before a move reads Azure Resource Manager.\n`);
      for (const [tenantId, why] of read.fallbacks) ctx.io.stdout(`Directory ${tenantId}: Resource Graph could not be read (${why}); read through Azure Resource Manager instead.\n`);
      ctx.io.stdout('\n');
    }
  }
  const single = ids.length === 1 && !fleet;
  if (ctx.global.json) {
    const out = plans.map(toPlanJson);
    ctx.io.stdout(json(single ? out[0] : out));
  } else {
    ctx.io.stdout(plans.length === 0 ? `No subscriptions ${all ? 'in any directory' : 'in that directory'}.\n` : plans.map((p) => humanPlan(p, ctx.global.width)).join('\n'));
  }
  for (const p of plans) if (!p.impact.complete) ctx.io.stderr(`tenant-link: the plan of ${terminalText(p.subscription.name)} is incomplete: ${terminalText(p.impact.notes.join(' '))}\n`);
  if (!plans.every((p) => p.canProceed)) return EXIT.cannotProceed;
  return plans.every((p) => p.impact.complete) ? EXIT.ok : EXIT.incomplete;
}

function humanPlan(plan: DetailedPlan, width: number | undefined): string {
  const target = plan.target.displayName ?? plan.target.tenantId;
  const lines: string[] = [
    `${plan.subscription.name} (${plan.subscription.id}) in ${plan.source.displayName ?? plan.source.tenantId} → ${target}${plan.target.defaultDomain ? ` (${plan.target.defaultDomain})` : ''}`,
    `Can proceed: ${plan.canProceed ? 'yes' : 'no — fix the failed checks first'}`,
    '',
    table(plan.checks, [
      { header: 'Status', value: (c) => STATUS_MARK[c.status] },
      { header: 'Check', value: (c) => c.id },
      { header: 'Message', value: (c) => c.message },
    ], width).trimEnd(),
    '',
  ];
  const rows = plan.impact.roleAssignments;
  const count = (kind: string): number => rows.filter((r) => r.scopeKind === kind).length;
  const removed = rows.filter((r) => r.removed).length;
  lines.push(
    `The move deletes ${removed} role assignment${removed === 1 ? '' : 's'} (subscription ${count('subscription')}, resource groups ${count('resourceGroup')}, resources ${count('resource')}); ${count('inherited')} inherited (management-group) assignment${count('inherited') === 1 ? '' : 's'} stop${count('inherited') === 1 ? 's' : ''} applying.`,
    `Custom roles deleted: ${plan.impact.customRoles.map((r) => r.roleName).join(', ') || 'none'}. Classic administrators: ${plan.impact.classicAdministrators.map((c) => c.emailAddress).join(', ') || 'none'}.`,
    '',
  );
  if (rows.length > 0) {
    lines.push(table(rows, [
      { header: 'Principal', value: (r) => principalText(r.principalName, principalStatusOf(r.principal), r.principalId) },
      { header: 'Type', value: (r) => r.principalType },
      { header: 'Role', value: (r) => r.roleName },
      { header: 'Scope', value: (r) => (r.scopeKind === 'subscription' ? 'subscription' : r.scopeKind === 'inherited' ? `inherited: ${r.scope}` : r.scope.replace(/^\/subscriptions\/[^/]+\//i, '')) },
      { header: 'Effect', value: (r) => assignmentEffect(r, english) },
    ], width).trimEnd(), '');
  }
  if (plan.impact.dependentResources.length > 0) {
    lines.push('Resources that depend on the directory:', table(plan.impact.dependentResources, [
      { header: 'Resource', value: (d) => d.name },
      { header: 'Type', value: (d) => d.type },
      { header: 'Recoverable', value: (d) => (d.recoverable ? 'yes' : 'no') },
      { header: 'What to do', value: (d) => d.reason },
    ], width).trimEnd(), '');
  }
  lines.push(...planExtrasLines(plan));
  for (const note of plan.impact.notes) lines.push(`Note: ${note}`);
  return wrapLines(lines.join('\n'), width) + '\n';
}
