// Child process for tls.test.ts: the real client (HttpLayer, SandboxTokenAuth, ArmClient, GraphClient) against a
// sandbox served over https. Node reads NODE_EXTRA_CA_CERTS only when a process starts, so the parent test starts
// this with it pointing at the sandbox's self-signed certificate.
// Usage: node --import tsx tls-client.ts <baseUrl> <tenantId>   → prints JSON on stdout
import { HttpLayer } from '../../../src/azure/http';
import { SandboxTokenAuth } from '../../../src/azure/sandboxAuth';
import { AzureSession } from '../../../src/azure/session';

const RILEY = 'riley@fabrikamlabs.onmicrosoft.com';

async function main(baseUrl: string, tenantId: string): Promise<void> {
  const http = new HttpLayer({});
  const session = new AzureSession(http, new SandboxTokenAuth(http, baseUrl, RILEY), { id: RILEY, label: RILEY });
  const tenants = await session.arm.listTenants();
  const subscriptions = await session.arm.listSubscriptions(tenantId);
  const organization = await session.graph(tenantId).organization();
  process.stdout.write(JSON.stringify({ tenants: tenants.map((t) => t.tenantId), subscriptions: subscriptions.map((s) => s.subscriptionId), organization: organization?.displayName }));
}

main(process.argv[2] ?? '', process.argv[3] ?? '').catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
