/**
 * `tenant-link`: the same core as the extension, for scripting many subscriptions.
 * Exit codes: 0 ok, 1 failure, 2 usage error, 3 a plan cannot proceed (a check failed).
 */
import { parseArgs } from 'node:util';
import { type AuthAdapter } from '../azure/auth';
import { AZURE_CLOUD, CHINA_CLOUD, US_GOVERNMENT_CLOUD, type Cloud } from '../azure/clouds';
import { AzureError, isAzureError } from '../azure/errors';
import { HttpLayer, type Logger } from '../azure/http';
import { isGuid } from '../azure/models';
import { SandboxTokenAuth } from '../azure/sandboxAuth';
import { AzureSession } from '../azure/session';
import { describeDirectories, listSubscriptions } from '../core/directories';
import { english } from '../core/l10n';
import { CoreError } from '../core/plan';
import type { CommandContext, GlobalOptions } from './context';
import { planCommand } from './plan';
import { addAdminCommand, restoreCommand, snapshotCommand } from './access';
import { changeDirectoryCommand } from './change';
import { json, table, yesNoUnknown } from './format';
import { EXIT, Progress, UsageError, processIO, type CliIO } from './io';

export const USAGE = `Usage: tenant-link [global options] <command> [options]

Commands:
  tenants                      Directories (tenants) the account can reach, and whether each is Office 365
  subscriptions [--tenant <id>] Subscriptions, each under its home directory
  plan --subscription <id> [--subscription <id> …] --to <tenantId|domain>
  plan --all-in <tenantId> --to <tenantId|domain>
                               Pre-flight checks and what the move deletes. Exit 3 when a check fails.
  snapshot --subscription <id> [--to <tenantId|domain>] [-o <file.json>]
                               Save the access snapshot (JSON + CSV, mode 0600) before the move
  restore --snapshot <file> --to <tenantId> [--map <oldPrincipalId>=<newPrincipalId> …] [--dry-run] [--accept-policy-end]
                               Re-create custom roles, role assignments (time-bound ones with their end), eligible
                               assignments, policy assignments, managed identities' grants and Key Vault access in
                               the new directory (safe to re-run; exit 1 when a row failed). --accept-policy-end takes
                               the longest end a role-management policy allows when it refuses the snapshot's
  add-admin --subscription <id> --user <upn|objectId> [--user …] --role <name|guid>
                               Give people a role at subscription scope in the subscription's directory
  change-directory --subscription <id> --to <tenantId> --confirm "<subscription name>" [--timeout <s>]
                               Experimental preview API: request the change, accept it when you administer the
                               target, and wait (default 600 s) until the subscription answers there

Exit codes: 0 ok, 1 failure, 2 usage error, 3 a plan cannot proceed.

Global options:
  --sandbox <baseUrl>   Use the sandbox (emulated Azure) at this URL (or env TENANT_LINK_SANDBOX)
  --account <upn>       Account to act as (sandbox: default is the scenario's account)
  --cloud <name>        AzureCloud (default), AzureUSGovernment or AzureChinaCloud
  --json                Stable JSON on stdout instead of a table
  --concurrency <n>     Requests in flight (default 8; 1 = one at a time)
  --verbose             Log each HTTP request on stderr (never a token)
  -h, --help            This help
`;

const HELP_HINT = '(tenant-link --help shows the usage)';

function parse(argv: readonly string[], env: CliIO['env']) {
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
      tenant: { type: 'string' },
      subscription: { type: 'string', multiple: true },
      to: { type: 'string' },
      'all-in': { type: 'string' },
      output: { type: 'string', short: 'o' },
      snapshot: { type: 'string' },
      map: { type: 'string', multiple: true },
      'dry-run': { type: 'boolean', default: false },
      'accept-policy-end': { type: 'boolean', default: false },
      user: { type: 'string', multiple: true },
      role: { type: 'string' },
      confirm: { type: 'string' },
      timeout: { type: 'string' },
    },
  });
  const clouds: Record<string, Cloud> = { AzureCloud: AZURE_CLOUD, AzureUSGovernment: US_GOVERNMENT_CLOUD, AzureChinaCloud: CHINA_CLOUD };
  const cloud = clouds[values.cloud ?? 'AzureCloud'];
  if (!cloud) throw new UsageError(`Unknown --cloud "${values.cloud ?? ''}". Use AzureCloud, AzureUSGovernment or AzureChinaCloud.`);
  const sandbox = values.sandbox ?? env.TENANT_LINK_SANDBOX;
  if (sandbox !== undefined && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+\/?$/.test(sandbox)) {
    throw new UsageError(`--sandbox must be the sandbox's base URL, like http://127.0.0.1:7071 (got "${sandbox}").`);
  }
  const concurrency = values.concurrency === undefined ? 8 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency must be a whole number from 1 to 64 (got "${values.concurrency ?? ''}").`);
  const global: GlobalOptions = { sandbox, account: values.account ?? '', cloud, json: values.json, verbose: values.verbose, concurrency };
  return { global, command: positionals[0], rest: positionals.slice(1), values };
}

function stderrLogger(io: CliIO, verbose: boolean): Logger {
  const write = (level: string) => (m: string | Error) => {
    if (verbose) io.stderr(`[${level}] ${m instanceof Error ? m.message : m}\n`);
  };
  return { trace: () => undefined, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

async function openSession(global: GlobalOptions, io: CliIO): Promise<AzureSession> {
  const http = new HttpLayer({ logger: stderrLogger(io, global.verbose), userAgent: 'tenant-link-cli' });
  let auth: AuthAdapter;
  if (global.sandbox) {
    auth = new SandboxTokenAuth(http, global.sandbox, global.account);
  } else {
    const { IdentityAuth } = await import('../azure/identityAuth');
    auth = new IdentityAuth(global.cloud, global.account);
  }
  const account = (await auth.getAccounts()).at(0);
  if (!account) throw new AzureError('No account is signed in.', { kind: 'notSignedIn', service: 'token' });
  return new AzureSession(http, auth, account, { concurrency: global.concurrency });
}

export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv, io.env);
  } catch (e) {
    io.stderr(`tenant-link: ${e instanceof Error ? e.message : String(e)} ${HELP_HINT}\n`);
    return EXIT.usage;
  }
  const { global, command, values } = parsed;
  if (values.help || command === 'help') {
    io.stdout(USAGE);
    return EXIT.ok;
  }
  if (command === undefined) {
    io.stderr(USAGE);
    return EXIT.usage;
  }
  const progress = new Progress(io);
  let session: Promise<AzureSession> | undefined;
  const ctx: CommandContext = { global, values, io, progress, session: () => (session ??= openSession(global, io)) };
  try {
    switch (command) {
      case 'plan':
        return await planCommand(ctx);
      case 'snapshot':
        return await snapshotCommand(ctx);
      case 'restore':
        return await restoreCommand(ctx);
      case 'add-admin':
        return await addAdminCommand(ctx);
      case 'change-directory':
        return await changeDirectoryCommand(ctx);
      case 'tenants': {
        const session = await openSession(global, io);
        let done = 0;
        const dirs = await describeDirectories(session, english, { onDirectory: () => { progress.update(`Reading directories… ${++done}`); } });
        progress.done();
        const rows = dirs.map((d) => ({ tenantId: d.tenantId, displayName: d.displayName, defaultDomain: d.defaultDomain, office365: d.office365 }));
        io.stdout(global.json ? json(rows) : table(dirs, [
          { header: 'Directory', value: (d) => d.displayName ?? '' },
          { header: 'Default domain', value: (d) => d.defaultDomain ?? '' },
          { header: 'Tenant ID', value: (d) => d.tenantId },
          { header: 'Office 365', value: (d) => yesNoUnknown(d.office365) },
          { header: 'Signed in', value: (d) => (d.signedIn ? 'yes' : 'no — sign in to this directory') },
        ]));
        return EXIT.ok;
      }
      case 'subscriptions': {
        const tenant = values.tenant;
        if (tenant !== undefined && !isGuid(tenant)) throw new UsageError(`--tenant must be a directory (tenant) ID, a GUID (got "${tenant}").`);
        const session = await openSession(global, io);
        let done = 0;
        const result = await listSubscriptions(session, tenant ? [tenant] : undefined, { onDirectory: () => { progress.update(`Listing subscriptions… ${++done} directories`); } });
        progress.done();
        const failure = tenant ? result.failures.get(tenant) : undefined;
        if (failure) throw failure;
        for (const [id, e] of result.failures) io.stderr(`tenant-link: skipped directory ${id}: ${oneLineError(e)}\n`);
        const rows = result.subscriptions.map((s) => ({
          subscriptionId: s.subscriptionId,
          displayName: s.displayName,
          tenantId: s.tenantId,
          state: s.state,
          quotaId: s.subscriptionPolicies?.quotaId ?? null,
        }));
        io.stdout(global.json ? json(rows) : table(rows, [
          { header: 'Subscription', value: (r) => r.displayName },
          { header: 'Subscription ID', value: (r) => r.subscriptionId },
          { header: 'Directory (tenant) ID', value: (r) => r.tenantId },
          { header: 'State', value: (r) => r.state },
          { header: 'Offer (quotaId)', value: (r) => r.quotaId ?? '' },
        ]));
        return EXIT.ok;
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
    if (e instanceof CoreError && (e.kind === 'invalid' || e.kind === 'refused')) {
      io.stderr(`tenant-link: ${e.message}\n`);
      return EXIT.usage;
    }
    io.stderr(`tenant-link: ${oneLineError(e)}\n`);
    return EXIT.failure;
  }
}

/** One clear line: never a stack trace, never a token. */
export function oneLineError(e: unknown): string {
  if (isAzureError(e)) {
    const hint = e.kind === 'notSignedIn'
      ? ' Sign in with `az login --tenant <id>`, or pass --account.'
      : e.kind === 'forbidden' && e.missing
        ? ` Needs: ${e.missing}.`
        : e.kind === 'wrongTenant'
          ? ' The token is for another directory; if the subscription just moved, wait up to an hour and sign in to the new directory.'
          : '';
    return `${e.message.split('\n')[0] ?? ''}${e.code && !e.message.includes(e.code) ? ` (${e.code})` : ''}${hint}`;
  }
  return e instanceof Error ? (e.message.split('\n')[0] ?? 'Unexpected error') : String(e);
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
