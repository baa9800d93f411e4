// `npm run sandbox:serve`: runs the sandbox standalone.
// Usage: sandbox-serve [--port N] [--scenario file.json] [--page-size N] [--latency ms]
//                      [--tls [--tls-cert cert.pem --tls-key key.pem]]
// The first stdout line is exactly the base URL; a short summary follows. `--tls` serves https: with a certificate
// and key given, those; else a fresh self-signed one for 127.0.0.1 (its file is printed: trust it with
// NODE_EXTRA_CA_CERTS).
import { readFileSync } from 'node:fs';
import { startSandbox, type SandboxOptions } from './server';
import { generateCertificate, readCertificate, type CertificateFiles } from './tls';

const USAGE = 'Usage: sandbox-serve [--port N] [--scenario file.json] [--page-size N] [--latency ms] [--tls [--tls-cert cert.pem --tls-key key.pem]]';

interface ServeOptions extends SandboxOptions {
  /** The certificate served (generated or given), when --tls. */
  certificate?: CertificateFiles;
}

function parseArgs(argv: string[]): ServeOptions {
  const options: ServeOptions = {};
  let tls = false;
  let certFile: string | undefined;
  let keyFile: string | undefined;
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
      case '--tls': tls = true; continue;
      case '--tls-cert': certFile = file(flag, value); break;
      case '--tls-key': keyFile = file(flag, value); break;
      default: throw new Error(`Unknown argument '${flag ?? ''}'. ${USAGE}`);
    }
    i++;
  }
  if ((certFile === undefined) !== (keyFile === undefined)) throw new Error('--tls-cert and --tls-key go together');
  if (certFile !== undefined && keyFile !== undefined) tls = true;
  if (tls) {
    options.certificate = certFile !== undefined && keyFile !== undefined ? { certFile, keyFile } : generateCertificate();
    options.tls = readCertificate(options.certificate);
  }
  return options;
}

function file(flag: string, value: string | undefined): string {
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a file`);
  return value;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const sandbox = await startSandbox(options);
  const s = sandbox.state.data;
  const lines = [
    sandbox.baseUrl,
    ...(options.certificate ? [`TLS certificate (self-signed; trust it with NODE_EXTRA_CA_CERTS): ${options.certificate.certFile}`] : []),
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
