// `npm run sandbox:serve`: runs the sandbox standalone.
// Usage: sandbox-serve [--port N] [--scenario file.json] [--page-size N] [--latency ms]
// The first stdout line is exactly the base URL; a short summary follows.
import { readFileSync } from 'node:fs';
import { startSandbox, type SandboxOptions } from './server';

function parseArgs(argv: string[]): SandboxOptions {
  const options: SandboxOptions = {};
  const number = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case '--port': options.port = number(flag, value); break;
      case '--page-size': options.pageSize = Math.max(1, number(flag, value)); break;
      case '--latency': options.faults = { latencyMs: number(flag, value) }; break;
      case '--scenario':
        if (value === undefined) throw new Error('--scenario needs a file');
        options.scenario = JSON.parse(readFileSync(value, 'utf8')) as unknown;
        break;
      default: throw new Error(`Unknown argument '${flag ?? ''}'. Usage: sandbox-serve [--port N] [--scenario file.json] [--page-size N] [--latency ms]`);
    }
    i++;
  }
  return options;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox(parseArgs(process.argv.slice(2)));
  const s = sandbox.state.data;
  const lines = [
    sandbox.baseUrl,
    `Azure sandbox "${s.name}": ARM ${sandbox.armUrl} · Graph ${sandbox.graphUrl} · token ${sandbox.tokenUrl} · control ${sandbox.baseUrl}/_sandbox/state`,
    `Accounts: ${s.accounts.map((a) => `${a.upn}${a.upn === s.defaultAccount ? ' (default)' : ''}`).join(', ')}`,
    ...s.tenants.map((t) => {
      const subs = s.subscriptions.filter((x) => x.tenantId === t.tenantId).map((x) => x.displayName);
      return `  ${t.displayName} (${t.tenantId})${t.requiresInteractiveSignIn ? ' [MFA]' : ''}: ${subs.length === 0 ? 'no subscriptions' : subs.join(', ')}`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = (): void => {
    sandbox.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`sandbox-serve: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
