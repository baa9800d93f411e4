/** One signed-in account on one cloud: the HTTP layer, the auth adapter, and ARM / Graph clients bound to them. */
import type { Account, AuthAdapter } from './auth';
import { ArmClient } from './arm';
import { GraphClient } from './graph';
import type { HttpLayer } from './http';
import { ResourceGraphClient } from './resourceGraph';
import type { Tenant } from './models';

export class AzureSession {
  readonly arm: ArmClient;
  readonly resourceGraph: ResourceGraphClient;
  private readonly graphs = new Map<string, GraphClient>();

  constructor(
    readonly http: HttpLayer,
    readonly auth: AuthAdapter,
    readonly account: Account,
    private readonly options: { readonly concurrency?: number; readonly onWarning?: (message: string) => void } = {},
  ) {
    this.arm = new ArmClient(http, auth, account, options);
    this.resourceGraph = new ResourceGraphClient(http, auth, account);
  }

  get cloud() {
    return this.auth.cloud;
  }

  /** A Graph client for one directory (cached). */
  graph(tenantId: string): GraphClient {
    let client = this.graphs.get(tenantId);
    if (!client) {
      client = new GraphClient(this.http, this.auth, this.account, tenantId, this.options.onWarning);
      this.graphs.set(tenantId, client);
    }
    return client;
  }

  /** Directories the account can reach: the adapter's own list (azureauth) or ARM `GET /tenants`. */
  async listDirectories(signal?: AbortSignal): Promise<readonly Tenant[]> {
    return (await this.auth.listDirectories?.(this.account, signal)) ?? (await this.arm.listTenants(signal));
  }
}
