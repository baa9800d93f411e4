/**
 * `tenant-link`: the same core as the extension, for scripting many subscriptions.
 * Exit codes: see `EXIT` (io.ts) and the README's CLI section.
 */
import { parseArgs } from 'node:util';
import { type AuthAdapter } from '../azure/auth';
import { AZURE_CLOUD, CHINA_CLOUD, US_GOVERNMENT_CLOUD, type Cloud } from '../azure/clouds';
import { AzureError } from '../azure/errors';
import { HttpLayer, type Logger } from '../azure/http';
import { isGuid, type Subscription } from '../azure/models';
import { SandboxTokenAuth } from '../azure/sandboxAuth';
import { AzureSession } from '../azure/session';
import { describeDirectories, listSubscriptions } from '../core/directories';
import { unreachableMessage, type UnreachableReason } from '../core/homes';
import { english } from '../core/l10n';
import { CoreError } from '../core/plan';
import type { CommandContext, GlobalOptions } from './context';
import { planCommand } from './plan';
import { addAdminCommand, snapshotCommand } from './access';
import { changeDirectoryCommand } from './change';
import { changeManyCommand } from './changeMany';
import { oneLineError } from './errorLine';
import { restoreAllCommand, restoreCommand } from './restore';
import { cancelRequestCommand, inviteCommand, requestsCommand } from './identities';
import { json, outputWidth, table, wrapLines, yesNoUnknown } from './format';
import { EXIT, Progress, UsageError, processIO, terminalIO, type CliIO } from './io';

export { oneLineError } from './errorLine';

export const USAGE = `Usage: tenant-link [global options] <command> [options]

Commands:
  tenants                      Directories (tenants) the account can reach, and whether each is Office 365
  subscriptions [--tenant <id>] Subscriptions, each under its home directory
  plan --subscription <id|name> [--subscription <id|name> …] --to <tenantId|domain>
  plan --all-in <tenantId> --to <tenantId|domain>
  plan --all --to <tenantId|domain>
                               Pre-flight checks and what the move deletes. Exit 3 when a check fails,
                               4 when principal names or resources could not be read.
                               --all-in (one directory) and --all (every reachable one) read role assignments and
                               resources through Azure Resource Graph; "readFrom" in the JSON says which
  snapshot --subscription <id|name> [--to <tenantId|domain>] [-o <file.json|file.csv>] [--force]
                               Save the access snapshot (JSON + CSV, mode 0600) before the move; an existing
                               file is never replaced without --force. Exit 4 when it is incomplete.
  restore --snapshot <file> --to <tenantId> [--map <oldPrincipalId>=<newPrincipalId> …] [--invite-unmatched]
          [--dry-run] [--accept-policy-end]
                               Re-create custom roles, role assignments (time-bound ones with their end), eligible
                               assignments, policy assignments, managed identities' grants and Key Vault access in
                               the new directory (safe to re-run; rows outside the snapshot's subscription are
                               refused; exit 1 when a row failed, 4 when principals could not be looked up).
                               --accept-policy-end takes the longest end a role-management policy allows when it
                               refuses the snapshot's. --invite-unmatched first invites the
                               unmatched users (those with a mail address) as guests and maps them to the new
                               guests; run it as the account that accepted the move
  add-admin --subscription <id|name> --user <upn|objectId> [--user …] --role <name|guid>
                               Give people a role at subscription scope in the subscription's directory
  change-directory --subscription <id|name> --to <tenantId> --confirm "<subscription name>" [--accept-as <upn>] [--timeout <s>]
                               Experimental preview API: request the change, accept it when you administer the
                               target, and wait (default 600 s) until the subscription answers there.
                               --accept-as <upn>: name that account as the acceptor and accept as it
  change-directory --all-in <tenantId> | --subscription <id> --subscription <id> …
                   --to <tenantId> --confirm-count <n> [--snapshot-folder <dir>] [--timeout <s>]
                               Many at once: a snapshot of each first (nothing changes unless all are saved),
                               then the changes (at most --concurrency at once), then tracking; a result line
                               each. A state file in the folder makes it resumable: run it again after an
                               interruption. Exit 0 only when all moved
  restore --all <folder> --to <tenantId> [--map <oldPrincipalId>=<newPrincipalId> …] [--invite-unmatched]
          [--dry-run] [--accept-policy-end]
                               Each snapshot (*.json) in the folder, one after another, restored exactly as
                               restore --snapshot restores it (the same options, applied to each; its tables),
                               then a result line each. Files that are not snapshots (other JSON, a FIFO, a
                               directory, over 16 MB) are skipped with the reason; a damaged snapshot fails.
                               Exit 1 when a snapshot failed (or a row of it), 4 when one was incomplete, else 0
  invite --to <tenantId|domain> --user <upn|mail> [--user …]
                               Invite people to a directory as guests (as --account, an administrator there);
                               prints each redemption URL
  requests [--subscription <id> …]
                               Change directory requests: who must accept, state, expiry
  cancel-request --subscription <id>
                               Cancel the subscription's pending change directory request

Exit codes: 0 ok, 1 failure (or a row failed), 2 usage error, 3 a plan cannot proceed,
4 incomplete: done, but something it needs could not be read (the output says what),
5 waiting: a directory change is requested or accepted but not finished (waits for acceptance).

Global options:
  --sandbox <baseUrl>   Use the sandbox (emulated Azure) at this URL (or env TENANT_LINK_SANDBOX)
  --account <upn>       Account to act as (sandbox: default is the scenario's account)
  --cloud <name>        AzureCloud (default), AzureUSGovernment or AzureChinaCloud
  --json                Stable JSON on stdout instead of a table
  --concurrency <n>     Requests in flight per throttling bucket: per subscription, per directory (default 8)
  --max-in-flight <n>   Requests in flight overall (default 64; with --concurrency 1, 1 = one request at a time)
  --verbose             Log each HTTP request on stderr (never a token)
  -h, --help            This help
`;

const HELP_HINT = '(tenant-link --help shows the usage)';

/** Commands that live in their own modules. */
const COMMANDS: Readonly<Record<string, (ctx: CommandContext) => Promise<number>>> = {
  plan: planCommand,
  snapshot: snapshotCommand,
  restore: (ctx) => (ctx.values.all ? restoreAllCommand(ctx, ctx.args[0]) : restoreCommand(ctx)),
  'add-admin': addAdminCommand,
  'change-directory': (ctx) =>
    (ctx.values.subscription ?? []).length > 1 || ctx.values['all-in'] !== undefined || ctx.values['confirm-count'] !== undefined
      ? changeManyCommand(ctx)
      : changeDirectoryCommand(ctx),
  invite: inviteCommand,
  requests: requestsCommand,
  'cancel-request': cancelRequestCommand,
};

function parse(argv: readonly string[], io: Pick<CliIO, 'env' | 'stdoutColumns'>) {
  const env = io.env;
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      sandbox: { type: 'string' },
      account: { type: 'string' },
      cloud: { type: 'string' },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      concurrency: { type: 'string' },
      'max-in-flight': { type: 'string' },
      tenant: { type: 'string' },
      subscription: { type: 'string', multiple: true },
      to: { type: 'string' },
      'all-in': { type: 'string' },
      all: { type: 'boolean', default: false },
      output: { type: 'string', short: 'o' },
      force: { type: 'boolean', default: false },
      snapshot: { type: 'string' },
      map: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean', default: false },
      'accept-policy-end': { type: 'boolean', default: false },
      user: { type: 'string', multiple: true },
      role: { type: 'string' },
      confirm: { type: 'string' },
      'confirm-count': { type: 'string' },
      'snapshot-folder': { type: 'string' },
      timeout: { type: 'string' },
      'accept-as': { type: 'string' },
      'invite-unmatched': { type: 'boolean', default: false },
    },
  });
  const clouds: Record<string, Cloud> = { AzureCloud: AZURE_CLOUD, AzureUSGovernment: US_GOVERNMENT_CLOUD, AzureChinaCloud: CHINA_CLOUD };
  const cloud = clouds[values.cloud ?? 'AzureCloud'];
  if (!cloud) throw new UsageError(`Unknown --cloud "${values.cloud ?? ''}". Use AzureCloud, AzureUSGovernment or AzureChinaCloud.`);
  const sandbox = values.sandbox ?? env.TENANT_LINK_SANDBOX;
  if (sandbox !== undefined && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/?$/.test(sandbox)) {
    throw new UsageError(`--sandbox must be the sandbox's base URL, like http://127.0.0.1:7071 (got "${sandbox}").`);
  }
  const concurrency = wholeNumber(values.concurrency, 8, '--concurrency', 64);
  const maxInFlight = wholeNumber(values['max-in-flight'], 64, '--max-in-flight', 256);
  const global: GlobalOptions = { sandbox, account: values.account ?? '', cloud, json: values.json, verbose: values.verbose, concurrency, maxInFlight, width: outputWidth(io.stdoutColumns, env) };
  return { global, command: positionals[0], rest: positionals.slice(1), values };
}

function wholeNumber(text: string | undefined, fallback: number, flag: string, max: number): number {
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max} (got "${text ?? ''}").`);
  return n;
}

function stderrLogger(io: CliIO, verbose: boolean): Logger {
  const write = (level: string) => (m: string | Error) => {
    if (verbose) io.stderr(`[${level}] ${m instanceof Error ? m.message : m}\n`);
  };
  return { trace: () => undefined, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

async function openSession(global: GlobalOptions, io: CliIO): Promise<AzureSession> {
  const http = new HttpLayer({
    logger: stderrLogger(io, global.verbose),
    userAgent: 'tenant-link-cli',
    throttle: { perBucket: global.concurrency, total: global.maxInFlight },
    ...(io.httpRetry ? { retry: io.httpRetry } : {}),
  });
  let auth: AuthAdapter;
  if (global.sandbox) {
    auth = new SandboxTokenAuth(http, global.sandbox, global.account);
  } else {
    const { IdentityAuth } = await import('../azure/identityAuth');
    auth = new IdentityAuth(global.cloud, global.account);
  }
  const account = (await auth.getAccounts()).at(0);
  if (!account) throw new AzureError('No account is signed in.', { kind: 'notSignedIn', service: 'token' });
  return new AzureSession(http, auth, account, { concurrency: global.maxInFlight, onWarning: (m) => { io.stderr(`tenant-link: warning: ${m}\n`); } });
}

export async function main(argv: readonly string[], rawIO: CliIO = processIO): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv, rawIO);
  } catch (e) {
    terminalIO(rawIO, true).stderr(`tenant-link: ${usageText(e)} ${HELP_HINT}\n`);
    return EXIT.usage;
  }
  const { global, command, values } = parsed;
  const io = terminalIO(rawIO, global.json);
  if (values.help || command === 'help') {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  if (command === undefined) {
    io.stderr(USAGE);
    return EXIT.usage;
  }
  const progress = new Progress(rawIO);
  let session: Promise<AzureSession> | undefined;
  const ctx: CommandContext = { global, values, args: parsed.rest, io, progress, session: () => (session ??= openSession(global, io)), sessionAs: (account) => openSession({ ...global, account }, io) };
  try {
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (run) return await run(ctx);
    switch (command) {
      case 'tenants': {
        const session = await openSession(global, io);
        let done = 0;
        const dirs = await describeDirectories(session, english, { onDirectory: () => { progress.update(`Reading directories… ${++done}`); } });
        progress.done();
        const rows = dirs.map((d) => ({
          tenantId: d.tenantId, displayName: d.displayName, defaultDomain: d.defaultDomain, office365: d.office365,
          office365Sources: d.office365Sources ?? [], office365Reason: d.office365Reason, signedIn: d.signedIn,
        }));
        io.stdout(global.json ? json(rows) : table(dirs, [
          { header: 'Directory', value: (d) => d.displayName ?? '' },
          { header: 'Default domain', value: (d) => d.defaultDomain ?? '' },
          { header: 'Tenant ID', value: (d) => d.tenantId },
          { header: 'Office 365', value: (d) => yesNoUnknown(d.office365) },
          { header: 'Signed in', value: (d) => (d.signedIn ? 'yes' : 'no — sign in to this directory') },
        ], global.width));
        return EXIT.ok;
      }
      case 'subscriptions': {
        const tenant = values.tenant;
        if (tenant !== undefined && !isGuid(tenant)) throw new UsageError(`--tenant must be a directory (tenant) ID, a GUID (got "${tenant}").`);
        const session = await openSession(global, io);
        let done = 0;
        const directories = await session.listDirectories();
        const result = await listSubscriptions(session, tenant ? [tenant] : undefined, { directories, onDirectory: () => { progress.update(`Listing subscriptions… ${++done} directories`); } });
        progress.done();
        const failure = tenant ? result.failures.get(tenant) : undefined;
        if (failure) throw failure;
        const names = new Map(directories.map((t) => [t.tenantId.toLowerCase(), t.displayName ?? t.tenantId]));
        for (const [id, e] of result.failures) io.stderr(`tenant-link: skipped directory ${names.get(id.toLowerCase()) ?? id} (${id}): ${oneLineError(e, { sandbox: global.sandbox !== undefined })}\n`);
        const rows = [
          ...result.subscriptions.map((s) => subscriptionRow(s, null)),
          ...result.unreachable.map((u) => subscriptionRow(u.subscription, { reason: u.reason, seenIn: u.seenIn, message: unreachableMessage(u, session.account.label, english, (t) => names.get(t.toLowerCase()) ?? t) })),
        ];
        io.stdout(global.json ? json(rows) : table(rows, [
          { header: 'Subscription', value: (r) => r.displayName },
          { header: 'Subscription ID', value: (r) => r.subscriptionId },
          { header: 'Directory', value: (r) => names.get(r.tenantId.toLowerCase()) ?? (r.cannotPlan ? '(not reachable)' : '') },
          { header: 'Directory (tenant) ID', value: (r) => r.tenantId },
          { header: 'State', value: (r) => r.state },
          { header: 'Offer (quotaId)', value: (r) => r.quotaId ?? '' },
        ], global.width) + rows.flatMap((r) => (r.cannotPlan ? [wrapLines(`${r.displayName}: cannot be planned from here. ${r.cannotPlan.message}`, global.width) + '\n'] : [])).join(''));
        // A directory that needs its own sign-in (MFA, guest) is a known state `tenants` shows; any other failure
        // leaves the list partial, and a script must not take it for all of them.
        return [...result.failures.values()].some((e) => e.kind !== 'notSignedIn') ? EXIT.incomplete : EXIT.ok;
      }
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (e) {
    progress.done();
    if (e instanceof UsageError) {
      io.stderr(`tenant-link: ${e.message} ${HELP_HINT}\n`);
      return EXIT.usage;
    }
    if (e instanceof CoreError && (e.kind === 'invalid' || e.kind === 'refused' || e.kind === 'wrongAccount')) {
      io.stderr(`tenant-link: ${e.message}\n`);
      return EXIT.usage;
    }
    io.stderr(`tenant-link: ${oneLineError(e, { sandbox: global.sandbox !== undefined })}\n`);
    return EXIT.failure;
  }
}

/** A `subscriptions --json` row; `cannotPlan` says why a subscription seen outside its home cannot be planned. */
function subscriptionRow(s: Subscription, cannotPlan: { readonly reason: UnreachableReason; readonly seenIn: readonly string[]; readonly message: string } | null) {
  return { subscriptionId: s.subscriptionId, displayName: s.displayName, tenantId: s.tenantId, state: s.state, quotaId: s.subscriptionPolicies?.quotaId ?? null, cannotPlan };
}

/** Our own words for `node:util` parseArgs errors (its text talks about positional arguments and `--`). */
function usageText(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option ${option}.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return /argument missing/.test(message) ? `${option} needs a value.` : `${option} takes no value.`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return 'Unexpected argument.';
  return message;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`tenant-link: ${oneLineError(e)}\n`);
      process.exitCode = EXIT.failure;
    },
  );
}
