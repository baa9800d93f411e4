/** `change-directory`: the experimental preview API path, guarded by typing the subscription's exact name. */
import { changeDirectory, portalHandoff, trackMove } from '../core/changeDirectory';
import { english } from '../core/l10n';
import { CoreError, PlanCache, findSubscription, resolveTarget } from '../core/plan';
import { acceptChangeRequest } from '../core/requests';
import { guidOption, oneSubscription, type CommandContext } from './context';
import { acceptorFor } from './identities';
import { json } from './format';
import { EXIT, UsageError } from './io';

export async function changeDirectoryCommand(ctx: CommandContext): Promise<number> {
  const subscriptionId = oneSubscription(ctx.values);
  const targetTenantId = guidOption(ctx.values.to, '--to', 'directory (tenant) ID');
  const confirm = ctx.values.confirm;
  if (confirm === undefined) throw new UsageError('change-directory needs --confirm "<subscription name>": the exact name of the subscription that will change directory.');
  const timeoutText = ctx.values.timeout ?? '600';
  const timeoutSeconds = Number(timeoutText);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) throw new UsageError(`--timeout must be a number of seconds, got "${timeoutText}".`);

  const session = await ctx.session();
  const cache = new PlanCache(session, { concurrency: ctx.global.maxInFlight });
  const subscription = await findSubscription(session, subscriptionId, english, cache);
  if (confirm !== subscription.displayName) {
    throw new CoreError('refused', `Refusing to change the directory: --confirm must be the subscription's exact name, and "${confirm}" is not it.`);
  }
  const target = await resolveTarget(session, targetTenantId, english, cache);
  const acceptAs = ctx.values['accept-as'];
  const acceptor = acceptAs === undefined ? undefined : await acceptorFor(ctx, acceptAs, target);
  ctx.progress.update('Requesting the directory change…');
  let change = await changeDirectory(session, subscription, target.tenantId, english, acceptor ? { destinationOwner: acceptor.objectId, accept: false } : {});
  if (acceptor) {
    ctx.progress.update(`Accepting as ${acceptor.session.account.label}…`);
    await acceptChangeRequest(acceptor.session, subscription.subscriptionId, target.tenantId);
    change = { request: change.request, accepted: true, acceptNote: `Accepted by ${acceptor.session.account.label}, who alone holds Owner now: restore and add administrators with --account ${acceptor.session.account.label}.` };
  }
  const portal = portalHandoff(session.cloud, { id: subscription.subscriptionId, name: subscription.displayName, tenantId: subscription.tenantId }, target, english);
  let tracking: Awaited<ReturnType<typeof trackMove>> | undefined;
  if (change.accepted) {
    tracking = await trackMove(acceptor?.session ?? session, subscription.subscriptionId, target.tenantId, {
      timeoutMs: timeoutSeconds * 1000,
      initialDelayMs: 2_000,
      onProgress: (p) => {
        if (p.status === 'waiting' && p.nextCheckAt !== null) ctx.progress.update(`Waiting for the subscription to answer in the new directory — checked ${p.attempts} times, next check in ${Math.ceil((p.nextCheckAt - Date.now()) / 1000)} s`);
      },
    });
  }
  ctx.progress.done();
  const status = !change.accepted ? 'initiated' : tracking?.status === 'seen' ? 'moved' : 'accepted';
  const result = {
    subscriptionId: subscription.subscriptionId,
    sourceTenantId: subscription.tenantId,
    targetTenantId: target.tenantId,
    status,
    request: { status: change.request.properties.status, expiresOn: change.request.properties.expiresOn ?? null },
    accepted: change.accepted,
    acceptedBy: acceptor?.session.account.label ?? (change.accepted ? session.account.label : null),
    note: change.acceptNote ?? null,
    tracking: tracking ? { status: tracking.status, attempts: tracking.attempts } : null,
    portalUrl: portal.url,
  };
  if (ctx.global.json) ctx.io.stdout(json(result));
  else {
    const lines = [`${subscription.displayName}: ${status === 'moved' ? `moved to ${target.displayName ?? target.tenantId}; restore access from your snapshot now (tenant-link restore).` : status === 'accepted' ? `accepted, but not visible in ${target.displayName ?? target.tenantId} yet after ${tracking?.attempts ?? 0} checks; it can take up to an hour.` : `change requested (expires ${result.request.expiresOn ?? 'in 24 hours'}).`}`];
    if (change.acceptNote) lines.push(change.acceptNote);
    ctx.io.stdout(lines.join('\n') + '\n');
  }
  // Not finished is not success: a script must not go on to restore access while the move still waits.
  return status === 'moved' ? EXIT.ok : EXIT.waiting;
}
