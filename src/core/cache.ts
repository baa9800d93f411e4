/**
 * Shared lookups for planning many subscriptions at once: the account's directories, where each subscription lives,
 * role names (one GET per role GUID), principal names (one batched `getByIds` per directory and batch — an id asked
 * for while a batch is in flight waits for that batch), the caller's object id per directory, policies, Office 365
 * verdicts and whether a token can be had. Each is fetched once per cache, however many subscriptions share it.
 */
import { isAzureError, type AzureError } from '../azure/errors';
import type { PolicyAssignment, PolicyExemption } from '../azure/armGovernance';
import type { ClassicAdministrator, DirectoryObject, GenericResource, GraphUser, RoleAssignment, Subscription, Tenant, TenantPolicy } from '../azure/models';
import type { AzureSession } from '../azure/session';
import { listSubscriptions } from './directories';
import type { UnreachableSubscription } from './homes';
import { detectOffice365, type Office365Verdict } from './office365';
import { Limiter } from './util';

export type PrincipalKind = 'user' | 'group' | 'servicePrincipal' | 'unknown';

/** A directory object as Graph names it. */
export interface PrincipalInfo {
  readonly id: string;
  readonly kind: PrincipalKind;
  readonly displayName: string | null;
  readonly userPrincipalName: string | null;
  readonly mail: string | null;
  readonly userType: string | null;
  readonly appId: string | null;
  readonly servicePrincipalType: string | null;
}

export interface SubscriptionIndex {
  readonly byId: ReadonlyMap<string, Subscription>;
  /** Directories whose subscriptions could not be listed (MFA, not signed in…), with why. */
  readonly failures: ReadonlyMap<string, AzureError>;
  /** Subscriptions seen only outside a home the account cannot list (homes.ts), by id. */
  readonly unreachable: ReadonlyMap<string, UnreachableSubscription>;
}

/** Principal lookups: `null` = the object does not exist (deleted); `undefined` = could not be looked up. */
export type PrincipalLookup = ReadonlyMap<string, PrincipalInfo | null | undefined>;

/** Why principal names of a directory could not be read: a missing permission, or another failure's message. */
export type PrincipalLookupError = { readonly kind: 'forbidden'; readonly missing: string } | { readonly kind: 'failed'; readonly message: string };

const GETBYIDS_CHUNK = 1000;

/** A subscription's role assignments and resources as one fleet read through Resource Graph gave them (fleet.ts). */
export interface FleetSlice {
  readonly roleAssignments: readonly RoleAssignment[];
  readonly resources: readonly GenericResource[];
  readonly classicAdministrators: readonly ClassicAdministrator[];
  /** Undefined when Resource Graph's policy table could not be read: the plan then reads them from ARM. */
  readonly policyAssignments?: readonly PolicyAssignment[];
  readonly policyExemptions?: readonly PolicyExemption[];
}

export class PlanCache {
  readonly limiter: Limiter;
  private directories?: Promise<readonly Tenant[]>;
  private index?: Promise<SubscriptionIndex>;
  private readonly roleNames = new Map<string, Promise<string | null>>();
  private readonly principals = new Map<string, Promise<PrincipalInfo | null | undefined>>();
  private readonly principalErrors = new Map<string, PrincipalLookupError>();
  private readonly me = new Map<string, Promise<GraphUser>>();
  private readonly policies = new Map<string, Promise<TenantPolicy>>();
  private readonly office365 = new Map<string, Promise<Office365Verdict>>();
  private readonly tokens = new Map<string, Promise<null>>();
  private readonly fleet = new Map<string, Promise<FleetSlice | undefined>>();

  /** `concurrency`: requests in flight for everything that goes through this cache (default: the session's). */
  constructor(readonly session: AzureSession, options: { readonly concurrency?: number } = {}) {
    this.limiter = new Limiter(options.concurrency ?? session.arm.concurrency);
  }

  /** A subscription's role assignments and resources, being read for the whole fleet through Resource Graph (fleet.ts). */
  setFleetSlice(subscriptionId: string, slice: Promise<FleetSlice | undefined>): void {
    this.fleet.set(subscriptionId.toLowerCase(), slice);
  }

  /** The fleet read's slice for the subscription; undefined when its plan reads ARM. */
  fleetSlice(subscriptionId: string): Promise<FleetSlice | undefined> {
    return this.fleet.get(subscriptionId.toLowerCase()) ?? Promise.resolve(undefined);
  }

  /** Runs one request through the shared limiter. */
  run<T>(task: () => Promise<T>): Promise<T> {
    return this.limiter.run(task);
  }

  listDirectories(signal?: AbortSignal): Promise<readonly Tenant[]> {
    this.directories ??= this.run(() => this.session.listDirectories(signal));
    return this.directories;
  }

  /** Every subscription the account can see, each under its home directory (all directories, bounded). */
  subscriptionIndex(signal?: AbortSignal): Promise<SubscriptionIndex> {
    this.index ??= (async () => {
      const tenants = await this.listDirectories(signal);
      const byHome = await listSubscriptions(this.session, tenants.map((t) => t.tenantId), { signal, directories: tenants });
      return {
        byId: new Map(byHome.subscriptions.map((s) => [s.subscriptionId.toLowerCase(), s])),
        unreachable: new Map(byHome.unreachable.map((u) => [u.subscription.subscriptionId.toLowerCase(), u])),
        failures: byHome.failures,
      };
    })();
    return this.index;
  }

  /** The caller's user object in a directory (Graph `/me` with that directory's token). */
  callerIn(tenantId: string, signal?: AbortSignal): Promise<GraphUser> {
    return once(this.me, tenantId, () => this.run(() => this.session.graph(tenantId).me(signal)));
  }

  policy(tenantId: string, signal?: AbortSignal): Promise<TenantPolicy> {
    return once(this.policies, tenantId, () => this.run(() => this.session.arm.getTenantPolicy(tenantId, signal)));
  }

  office365Verdict(tenantId: string, signal?: AbortSignal): Promise<Office365Verdict> {
    const graph = this.session.graph(tenantId);
    return once(this.office365, tenantId, () =>
      detectOffice365({ subscribedSkus: () => this.run(() => graph.subscribedSkus(signal)), organization: () => this.run(() => graph.organization(signal)) }));
  }

  /** Resolves when the account can get an ARM token for the directory; rejects with the sign-in error. */
  tokenFor(tenantId: string, signal?: AbortSignal): Promise<null> {
    return once(this.tokens, tenantId, async () => {
      await this.session.auth.getToken({ account: this.session.account, tenantId, resource: 'arm', signal });
      return null;
    });
  }

  /** Seeds a role name learned elsewhere (the custom-role list), so it is not fetched again. */
  knowRoleName(guid: string, roleName: string): void {
    if (!this.roleNames.has(guid.toLowerCase())) this.roleNames.set(guid.toLowerCase(), Promise.resolve(roleName));
  }

  /** A role's name by GUID, read once (at the subscription's scope, with its directory's token); null when unreadable. */
  roleName(tenantId: string, subscriptionId: string, guid: string, signal?: AbortSignal): Promise<string | null> {
    return once(this.roleNames, guid.toLowerCase(), () =>
      this.run(() => this.session.arm.getRoleDefinition(tenantId, `/subscriptions/${subscriptionId}`, guid, signal)).then(
        (d) => d.properties.roleName,
        (e: unknown) => {
          if (signal?.aborted) throw e;
          return null;
        },
      ));
  }

  /**
   * Names principals of one directory. Ids not yet known are fetched in one batch (`getByIds`, chunks of 1000 in
   * parallel); ids already known or in flight are not asked again.
   */
  async principalsIn(tenantId: string, ids: readonly string[], signal?: AbortSignal): Promise<PrincipalLookup> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
    const missing = wanted.filter((id) => !this.principals.has(key(tenantId, id)));
    if (missing.length > 0) {
      const chunks: string[][] = [];
      for (let i = 0; i < missing.length; i += GETBYIDS_CHUNK) chunks.push(missing.slice(i, i + GETBYIDS_CHUNK));
      const graph = this.session.graph(tenantId);
      const batch = this.limiter.map(chunks, (chunk) => graph.getByIds(chunk, signal)).then((pages) => {
        const found = new Map<string, PrincipalInfo>();
        for (const o of pages.flat()) found.set(o.id.toLowerCase(), principalInfo(o));
        return found;
      });
      batch.catch((e: unknown) => {
        this.principalErrors.set(tenantId, isAzureError(e) && e.kind === 'forbidden'
          ? { kind: 'forbidden', missing: e.missing ?? 'Directory.Read.All' }
          : { kind: 'failed', message: e instanceof Error ? e.message : String(e) });
      });
      for (const id of missing) {
        this.principals.set(key(tenantId, id), batch.then((found) => found.get(id) ?? null, () => undefined));
      }
    }
    const out = new Map<string, PrincipalInfo | null | undefined>();
    await Promise.all(wanted.map(async (id) => { out.set(id, await this.principals.get(key(tenantId, id))); }));
    return out;
  }

  /** Why principal names of a directory could not be read, if they could not. */
  principalError(tenantId: string): PrincipalLookupError | undefined {
    return this.principalErrors.get(tenantId);
  }
}

function key(tenantId: string, id: string): string {
  return `${tenantId.toLowerCase()}|${id.toLowerCase()}`;
}

function once<T>(map: Map<string, Promise<T>>, k: string, make: () => Promise<T>): Promise<T> {
  let p = map.get(k);
  if (!p) {
    p = make();
    map.set(k, p);
  }
  return p;
}

export function principalInfo(o: DirectoryObject & { readonly userType?: string | null }): PrincipalInfo {
  const type = (o['@odata.type'] ?? '').toLowerCase();
  const kind: PrincipalKind = type.endsWith('.user') ? 'user' : type.endsWith('.group') ? 'group' : type.endsWith('.serviceprincipal') ? 'servicePrincipal' : 'unknown';
  return {
    id: o.id.toLowerCase(),
    kind,
    displayName: o.displayName ?? null,
    userPrincipalName: o.userPrincipalName ?? null,
    mail: o.mail ?? null,
    userType: o.userType ?? null,
    appId: o.appId ?? null,
    servicePrincipalType: o.servicePrincipalType ?? null,
  };
}
