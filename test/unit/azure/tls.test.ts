import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:https';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server';
import { generateCertificate, readCertificate, type CertificateFiles } from '../../../src/sandbox/tls';
import { RILEY, scenario, tenantByName } from '../helpers';

const ROOT = join(__dirname, '..', '..', '..');

/** GET over https trusting only the given certificate. */
function get(url: string, ca: string, token?: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') as Record<string, unknown> }); });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs a node process (with tsx) and collects its output. */
function node(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => { resolve({ code, stdout, stderr }); });
  });
}

describe('sandbox over TLS', function () {
  this.timeout(60_000);
  let files: CertificateFiles;
  let cert: string;
  let sandbox: Sandbox;
  const fabrikam = tenantByName('Fabrikam Labs');
  const contoso = tenantByName('Contoso Ltd');

  before(async () => {
    files = generateCertificate();
    cert = readCertificate(files).cert;
    sandbox = await startSandbox({ tls: readCertificate(files), pageSize: 1 });
  });
  after(async () => { await sandbox.close(); });

  it('serves https on 127.0.0.1 and writes https next links', async () => {
    assert.match(sandbox.baseUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    const token = sandbox.getToken({ tenantId: fabrikam, resource: 'arm', account: RILEY });
    const first = await get(`${sandbox.armUrl}/tenants?api-version=2022-12-01`, cert, token);
    assert.equal(first.status, 200);
    const next = first.body.nextLink;
    assert.equal(typeof next, 'string');
    assert.ok((next as string).startsWith(`${sandbox.baseUrl}/arm/tenants?`), String(next));
    const second = await get(next as string, cert, token);
    assert.equal(second.status, 200);
    const graphToken = sandbox.getToken({ tenantId: contoso, resource: 'graph', account: RILEY });
    const users = await get(`${sandbox.graphUrl}/users?$select=id`, cert, graphToken);
    assert.ok(String(users.body['@odata.nextLink']).startsWith(`${sandbox.baseUrl}/graph/v1.0/users?`), String(users.body['@odata.nextLink']));
  });

  it('is refused by a client that does not trust its certificate', async () => {
    await assert.rejects(new Promise((resolve, reject) => {
      request(`${sandbox.baseUrl}/portal/`, (res) => { resolve(res.statusCode); }).on('error', reject).end();
    }), /self[- ]signed|unable to verify/i);
  });

  it('lets the real client page through it when the certificate is trusted (NODE_EXTRA_CA_CERTS)', async () => {
    const r = await node([join('test', 'unit', 'azure', 'tls-client.ts'), sandbox.baseUrl, fabrikam], { NODE_EXTRA_CA_CERTS: files.certFile });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { tenants: string[]; subscriptions: string[]; organization: string };
    const expected = scenario().tenants.filter((t) => t.users.some((u) => u.account === RILEY)).map((t) => t.tenantId).sort();
    assert.deepEqual([...out.tenants].sort(), expected);
    assert.deepEqual([...out.subscriptions].sort(), scenario().subscriptions.filter((s) => s.tenantId === fabrikam).map((s) => s.subscriptionId).sort());
    assert.equal(out.organization, 'Fabrikam Labs');
    assert.ok(sandbox.requestCount(/^\/arm\/tenants\?/) > 1, 'page size 1: the client followed https next links');
  });

  it('stays plain http by default', async () => {
    const plain = await startSandbox();
    try {
      assert.match(plain.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await plain.close();
    }
  });

  it('sandbox:serve --tls prints an https base URL and the certificate to trust', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'sandbox', 'serve.ts'), '--tls', '--port', '0'], { cwd: ROOT });
    try {
      const lines: string[] = [];
      const rl = createInterface({ input: child.stdout });
      for await (const line of rl) {
        lines.push(line);
        if (lines.length === 2) break;
      }
      assert.match(lines[0] ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
      const certFile = /NODE_EXTRA_CA_CERTS\): (.+)$/.exec(lines[1] ?? '')?.[1];
      assert.ok(certFile, lines.join('\n'));
      const portal = await get(`${lines[0] ?? ''}/_sandbox/state`, readCertificate({ certFile, keyFile: certFile }).cert);
      assert.equal(portal.status, 200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
