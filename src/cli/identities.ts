/** `invite`, `requests`, `cancel-request`, and the helpers `change-directory --accept-as` and `restore --invite-unmatched` share. */
import { isAzureError } from '../azure/errors';
import type { AzureSession } from '../azure/session';
import { type InvitationOutcome, inviteUser } from '../core/identities';
import { english } from '../core/l10n';
import { CoreError, PlanCache, findSubscription, isTenantIdOrDomain, resolveTarget, type TargetDirectory } from '../core/plan';
import { acceptorIdentity, cancelChangeRequest, listChangeRequests, type ChangeRequestInfo } from '../core/requests';
import { guidOption, oneSubscription, type CommandContext } from './context';
import { json, table } from './format';
import { EXIT, UsageError } from './io';

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `--to` as a directory the acting account is a member of (an unknown or unreachable directory is a usage error). */
async function memberDirectory(ctx: CommandContext, session: AzureSession): Promise<TargetDirectory> {
  const to = ctx.values.to;
  if (to === undefined) throw new UsageError('--to <tenantId|domain> is required.');
  if (!isTenantIdOrDomain(to)) throw new UsageError(`--to must be a directory (tenant) ID or a domain, got "${to}".`);
  let target: TargetDirectory;
  try {
    target = await resolveTarget(session, to, english, new PlanCache(session));
  } catch (e) {
    if (e instanceof CoreError && e.kind === 'notFound') throw new UsageError(`Unknown directory "${to}": ${e.message}`);
    throw e;
  }
  if (!target.visible) throw new UsageError(`Unknown directory "${to}": ${session.account.label} is not a member of a directory with that ID.`);
  return target;
}

/** `tenant-link invite --to <tenant|domain> --user <upn|mail> [--user …]`: B2B invitations with the --account as inviter. */
export async function inviteCommand(ctx: CommandContext): Promise<number> {
  const users = ctx.values.user ?? [];
  if (users.length === 0) throw new UsageError('invite needs --user <upn|mail>: the address to invite.');
  const bad = users.find((u) => !ADDRESS.test(u));
  if (bad !== undefined) throw new UsageError(`--user must be an address (a UPN or mail), got "${bad}".`);
  const session = await ctx.session();
  const target = await memberDirectory(ctx, session);
  ctx.progress.update('Sending invitations…');
  const results = [];
  for (const user of users) results.push({ ...(await inviteUser(session, target.tenantId, user, english)), invitedBy: session.account.label });
  ctx.progress.done();
  const name = target.displayName ?? target.tenantId;
  if (ctx.global.json) ctx.io.stdout(json(results.length === 1 ? results[0] : results));
  else {
    ctx.io.stdout(results.map((r) => [
      `${r.address} is invited to ${name} as a guest (object ID ${r.userId}, ${r.status === 'Completed' ? 'already accepted' : 'waiting for acceptance'}).`,
      r.status === 'Completed' ? '' : `Send them this link to accept: ${r.redeemUrl}`,
    ].filter((l) => l !== '').join('\n')).join('\n') + '\n');
  }
  return EXIT.ok;
}

/** The `--accept-as` account's object id in the target; an account that is not signed in there is a usage error. */
export async function acceptorFor(ctx: CommandContext, upn: string, target: TargetDirectory): Promise<{ readonly session: AzureSession; readonly objectId: string }> {
  const session = await ctx.sessionAs(upn);
  try {
    return { session, objectId: (await acceptorIdentity(session, target.tenantId)).objectId };
  } catch (e) {
    if (isAzureError(e, 'notSignedIn')) throw new UsageError(`--accept-as ${upn} is not signed in to ${target.displayName ?? target.tenantId}: ${e.message.split(/\r?\n/)[0] ?? ''}`);
    throw e;
  }
}

function expiresIn(r: ChangeRequestInfo, now: number): string {
  if (r.state !== 'pending' || r.expiresOn === null) return r.state === 'accepted' ? `accepted ${r.acceptedDate ?? ''}`.trim() : `expired ${r.expiresOn ?? ''}`.trim();
  const minutes = Math.max(0, Math.round((Date.parse(r.expiresOn) - now) / 60_000));
  return minutes >= 60 ? `in ${Math.floor(minutes / 60)} h ${minutes % 60} min` : `in ${minutes} min`;
}

/** `tenant-link requests [--subscription <id> …]`: change directory requests the --account initiated, with state and expiry. */
export async function requestsCommand(ctx: CommandContext): Promise<number> {
  const ids = (ctx.values.subscription ?? []).map((s) => guidOption(s, '--subscription', 'subscription ID'));
  const session = await ctx.session();
  const cache = new PlanCache(session, { concurrency: ctx.global.concurrency });
  ctx.progress.update('Reading change directory requests…');
  const subscriptions = ids.length === 0 ? undefined : await Promise.all(ids.map((id) => findSubscription(session, id, english, cache)));
  const now = Date.now();
  const { requests, failures } = await listChangeRequests(session, { ...(subscriptions ? { subscriptions } : {}), cache, now, concurrency: ctx.global.concurrency });
  const owners = new Map<string, string | null>();
  for (const r of requests) {
    if (r.destinationOwnerId === null || owners.has(r.destinationOwnerId)) continue;
    const u = await session.graph(r.destinationTenantId).getUser(r.destinationOwnerId).catch(() => undefined);
    owners.set(r.destinationOwnerId, u?.mail ?? u?.userPrincipalName ?? null);
  }
  ctx.progress.done();
  const rows = requests.map((r) => ({
    ...r, destinationOwner: r.destinationOwnerId === null ? null : (owners.get(r.destinationOwnerId) ?? null),
    expiresInSeconds: r.state === 'pending' && r.expiresOn !== null ? Math.max(0, Math.round((Date.parse(r.expiresOn) - now) / 1000)) : null,
  }));
  ctx.io.stdout(ctx.global.json ? json(rows) : rows.length === 0 ? 'No change directory requests.\n' : table(rows, [
    { header: 'Subscription', value: (r) => r.subscriptionName },
    { header: 'To directory', value: (r) => r.destinationTenantId },
    { header: 'Must accept', value: (r) => r.destinationOwner ?? r.destinationOwnerId ?? 'a Global Administrator there' },
    { header: 'State', value: (r) => r.state },
    { header: 'Expires', value: (r) => expiresIn(r, now) },
  ]));
  for (const [id, e] of failures) ctx.io.stderr(`tenant-link: could not read the request of subscription ${id}: ${e.message.split('\n')[0] ?? ''}\n`);
  return failures.size > 0 ? EXIT.failure : EXIT.ok;
}

/** `tenant-link cancel-request --subscription <id>` (safe to re-run). */
export async function cancelRequestCommand(ctx: CommandContext): Promise<number> {
  const subscriptionId = oneSubscription(ctx.values);
  const session = await ctx.session();
  const sub = await findSubscription(session, subscriptionId, english, new PlanCache(session));
  const { cancelled, request } = await cancelChangeRequest(session, sub, english);
  ctx.io.stdout(ctx.global.json ? json({ subscriptionId: sub.subscriptionId, cancelled, destinationTenantId: request?.destinationTenantId ?? null }) : cancelled
    ? `Cancelled the change directory request for ${sub.displayName} (to ${request?.destinationTenantId ?? '?'}).\n`
    : `${sub.displayName} has no pending change directory request; nothing to cancel.\n`);
  return EXIT.ok;
}

const INVITE_STATUS: Readonly<Record<InvitationOutcome['status'], string>> = { invited: 'invited', planned: 'would invite', failed: 'failed', kept: 'not invited' };

/** The invitations table of `restore --invite-unmatched`. */
export function invitationsTable(outcomes: readonly InvitationOutcome[]): string {
  return table(outcomes, [
    { header: 'Old principal', value: (o) => o.name ?? o.oldPrincipalId },
    { header: 'Type', value: (o) => o.oldPrincipalType },
    { header: 'Address', value: (o) => o.address ?? '' },
    { header: 'Invitation', value: (o) => INVITE_STATUS[o.status] },
    { header: 'Guest object ID / reason', value: (o) => o.userId ?? o.reason },
  ]);
}
