// TLS for the sandbox: clients that refuse a bearer token over plain http (the Azure SDK pipeline Microsoft's Azure
// Resources extension uses) need an https endpoint. The certificate is self-signed for 127.0.0.1 and made on demand
// with the system's `openssl`; nothing secret is ever part of the repository.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SandboxTls {
  /** PEM certificate (clients trust it, e.g. with NODE_EXTRA_CA_CERTS=<certFile>). */
  readonly cert: string;
  /** PEM private key. */
  readonly key: string;
}

export interface CertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

/**
 * Writes a fresh self-signed certificate for `127.0.0.1` (subjectAltName IP and `localhost`, valid 30 days, EC P-256)
 * into `dir` (default: a new temporary folder) and returns the file paths. Throws when `openssl` is missing or fails.
 */
export function generateCertificate(dir: string = mkdtempSync(join(tmpdir(), 'sandbox-tls-'))): CertificateFiles {
  const certFile = join(dir, 'sandbox-cert.pem');
  const keyFile = join(dir, 'sandbox-key.pem');
  const r = spawnSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-keyout', keyFile, '-out', certFile,
  ], { encoding: 'utf8', timeout: 30_000 });
  if (r.error !== undefined) throw new Error(`Could not run openssl to make the sandbox's certificate: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`openssl could not make the sandbox's certificate: ${r.stderr.trim()}`);
  return { certFile, keyFile };
}

/** Reads a certificate and key pair. */
export function readCertificate(files: CertificateFiles): SandboxTls {
  return { cert: readFileSync(files.certFile, 'utf8'), key: readFileSync(files.keyFile, 'utf8') };
}
