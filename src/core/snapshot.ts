/**
 * The access snapshot: everything needed to restore access after the directory change (role assignments with their
 * principals' names, UPNs and mail; full custom role definitions; classic administrators; dependent resources), as
 * versioned JSON plus a CSV for people. Written atomically (temp file, fsync, rename) with mode 0600. Never a token.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Permission, Subscription } from '../azure/models';
import type { AzureSession } from '../azure/session';
import { PlanCache, type PrincipalInfo, type PrincipalKind } from './cache';
import { readImpact, type ImpactAssignment } from './impact';
import type { TargetDirectory } from './checks';
import type { ScopeKind } from './util';

export const SNAPSHOT_FORMAT = 'azure-tenant-link/snapshot';
export const SNAPSHOT_VERSION = 1;

export interface SnapshotDirectory {
  readonly tenantId: string;
  readonly displayName: string | null;
  readonly defaultDomain: string | null;
}

/** A principal as Graph named it (for guests the `name_domain#EXT#@tenant` UPN is kept for the mapper). */
export type SnapshotPrincipal = Omit<PrincipalInfo, 'id'>;

/** A role assignment as the impact reads it, with the principal's details instead of the live lookup. */
export type SnapshotAssignment = Omit<ImpactAssignment, 'principal' | 'principalName'> & {
  /** null: the principal did not exist (or could not be named) when the snapshot was taken. */
  readonly principal: SnapshotPrincipal | null;
};

export interface SnapshotCustomRole {
  readonly id: string;
  readonly roleName: string;
  readonly description: string;
  readonly permissions: readonly Permission[];
  readonly assignableScopes: readonly string[];
}

export interface Snapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: typeof SNAPSHOT_VERSION;
  readonly createdAt: string;
  /** The cloud's name (AzureCloud, sandbox, …). */
  readonly cloud: string;
  readonly subscription: { readonly id: string; readonly name: string; readonly tenantId: string; readonly state: string; readonly quotaId: string | null };
  readonly sourceDirectory: SnapshotDirectory;
  readonly targetDirectory: SnapshotDirectory | null;
  readonly roleAssignments: readonly SnapshotAssignment[];
  readonly customRoles: readonly SnapshotCustomRole[];
  readonly classicAdministrators: readonly { readonly emailAddress: string; readonly role: string }[];
  readonly dependentResources: readonly { readonly id: string; readonly name: string; readonly type: string; readonly reason: string; readonly recoverable: boolean }[];
  /** What could not be read when the snapshot was taken. */
  readonly notes: readonly string[];
}

export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

function principalOf(p: PrincipalInfo | null | undefined): SnapshotPrincipal | null {
  if (!p) return null;
  return { kind: p.kind, displayName: p.displayName, userPrincipalName: p.userPrincipalName, mail: p.mail, userType: p.userType, appId: p.appId, servicePrincipalType: p.servicePrincipalType };
}

/** Reads the subscription's access (the same impact reading as the plan) and returns the snapshot. */
export async function takeSnapshot(
  session: AzureSession,
  subscription: Subscription,
  options: { readonly target?: TargetDirectory; readonly cache?: PlanCache; readonly now?: () => Date; readonly signal?: AbortSignal } = {},
): Promise<Snapshot> {
  const cache = options.cache ?? new PlanCache(session);
  const [impact, directories] = await Promise.all([
    readImpact(session, subscription, cache, options.signal),
    cache.listDirectories(options.signal).catch(() => []),
  ]);
  const source = directories.find((t) => t.tenantId.toLowerCase() === subscription.tenantId.toLowerCase());
  const t = options.target;
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    createdAt: (options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    cloud: session.cloud.name,
    subscription: {
      id: subscription.subscriptionId.toLowerCase(), name: subscription.displayName, tenantId: subscription.tenantId.toLowerCase(),
      state: subscription.state, quotaId: subscription.subscriptionPolicies?.quotaId ?? null,
    },
    sourceDirectory: { tenantId: subscription.tenantId.toLowerCase(), displayName: source?.displayName ?? null, defaultDomain: source?.defaultDomain ?? null },
    targetDirectory: t ? { tenantId: t.tenantId, displayName: t.displayName, defaultDomain: t.defaultDomain } : null,
    roleAssignments: impact.roleAssignments.map((a) => ({
      id: a.id, name: a.name, scope: a.scope, scopeKind: a.scopeKind, roleDefinitionId: a.roleDefinitionId, roleName: a.roleName,
      principalId: a.principalId, principalType: a.principalType, principal: principalOf(a.principal),
      condition: a.condition, conditionVersion: a.conditionVersion, description: a.description, removed: a.removed,
    })),
    customRoles: impact.customRoles.map((r) => ({ id: r.id, roleName: r.roleName, description: r.description, permissions: r.permissions, assignableScopes: r.assignableScopes })),
    classicAdministrators: impact.classicAdministrators,
    dependentResources: impact.dependentResources,
    notes: impact.notes,
  };
}

// ---------- files ----------

/** `fabrikam-production-2026-11-26T05-20-00Z.json` */
export function snapshotFileName(snapshot: Snapshot): string {
  const slug = snapshot.subscription.name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || snapshot.subscription.id;
  return `${slug}-${snapshot.createdAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.json`;
}

export interface WrittenSnapshot {
  readonly jsonPath: string;
  readonly csvPath: string;
}

/** Writes `<dir>/<name>.json` and `.csv` atomically. */
export function writeSnapshot(dir: string, snapshot: Snapshot): Promise<WrittenSnapshot> {
  return writeSnapshotFile(path.join(dir, snapshotFileName(snapshot)), snapshot);
}

/** Writes the JSON to `file` and the CSV beside it (same name, `.csv`), each atomically with mode 0600. */
export async function writeSnapshotFile(file: string, snapshot: Snapshot): Promise<WrittenSnapshot> {
  const jsonPath = path.resolve(file);
  const csvPath = jsonPath.replace(/(\.json)?$/i, '.csv');
  await fs.mkdir(path.dirname(jsonPath), { recursive: true });
  await atomicWrite(jsonPath, JSON.stringify(snapshot, null, 2) + '\n');
  await atomicWrite(csvPath, snapshotCsv(snapshot));
  return { jsonPath, csvPath };
}

async function atomicWrite(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}

const CSV_COLUMNS = ['principal', 'principalType', 'signInName', 'role', 'scope', 'scopeKind', 'deletedByMove', 'principalId', 'roleDefinitionId', 'assignmentId'] as const;

/** One row per role assignment, for people (Excel-safe: formula-like cells are prefixed with '). */
export function snapshotCsv(snapshot: Snapshot): string {
  const rows = snapshot.roleAssignments.map((a) => [
    a.principal?.displayName ?? '(deleted principal)', a.principalType, a.principal?.userPrincipalName ?? a.principal?.mail ?? a.principal?.appId ?? '',
    a.roleName, a.scope, a.scopeKind, a.removed ? 'yes' : 'no', a.principalId, a.roleDefinitionId, a.id,
  ]);
  return [CSV_COLUMNS, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

// ---------- reading, strictly ----------

type Json = Record<string, unknown>;

const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['user', 'group', 'servicePrincipal', 'unknown'];

/** Reads and validates a snapshot file; every problem is a `SnapshotError` with a clear one-line message. */
export async function readSnapshot(file: string): Promise<Snapshot> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (e instanceof Error ? e.message : String(e));
    throw new SnapshotError(`Cannot read the snapshot file ${file}: ${why}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SnapshotError(`${file} is not a snapshot: it is not valid JSON.`);
  }
  return parseSnapshot(value, file);
}

/** Validates parsed JSON as a snapshot (exported for the wizard, which may hold one in memory). */
export function parseSnapshot(value: unknown, where = 'the snapshot'): Snapshot {
  const root = obj(value, where, '');
  if (root.format !== SNAPSHOT_FORMAT) throw new SnapshotError(`${where} is not an Azure Tenant Link snapshot (format is ${JSON.stringify(root.format ?? null)}, expected "${SNAPSHOT_FORMAT}").`);
  if (root.version !== SNAPSHOT_VERSION) throw new SnapshotError(`${where} has snapshot version ${JSON.stringify(root.version ?? null)}; this version of Azure Tenant Link reads version ${SNAPSHOT_VERSION}.`);
  const r = reader(where);
  const sub = obj(root.subscription, where, 'subscription');
  const dir = (v: unknown, at: string): SnapshotDirectory => {
    const d = obj(v, where, at);
    return { tenantId: r.guid(d, 'tenantId', at), displayName: r.nstr(d, 'displayName', at), defaultDomain: r.nstr(d, 'defaultDomain', at) };
  };
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    createdAt: r.str(root, 'createdAt', ''),
    cloud: r.str(root, 'cloud', ''),
    subscription: { id: r.guid(sub, 'id', 'subscription'), name: r.str(sub, 'name', 'subscription'), tenantId: r.guid(sub, 'tenantId', 'subscription'), state: r.str(sub, 'state', 'subscription'), quotaId: r.nstr(sub, 'quotaId', 'subscription') },
    sourceDirectory: dir(root.sourceDirectory, 'sourceDirectory'),
    targetDirectory: root.targetDirectory === null || root.targetDirectory === undefined ? null : dir(root.targetDirectory, 'targetDirectory'),
    roleAssignments: arr(root.roleAssignments, where, 'roleAssignments').map((v, i) => {
      const at = `roleAssignments[${i}]`;
      const a = obj(v, where, at);
      const kind = r.str(a, 'scopeKind', at);
      if (!['subscription', 'resourceGroup', 'resource', 'inherited'].includes(kind)) throw new SnapshotError(`${where}: ${at}.scopeKind must be subscription, resourceGroup, resource or inherited.`);
      if (typeof a.removed !== 'boolean') throw new SnapshotError(`${where}: ${at}.removed must be true or false.`);
      let principal: SnapshotPrincipal | null = null;
      if (a.principal !== null && a.principal !== undefined) {
        const p = obj(a.principal, where, `${at}.principal`);
        const pat = `${at}.principal`;
        const kind = r.str(p, 'kind', pat);
        if (!PRINCIPAL_KINDS.includes(kind as PrincipalKind)) fail(where, `${pat}.kind`, 'user, group, servicePrincipal or unknown');
        principal = {
          kind: kind as PrincipalKind, displayName: r.nstr(p, 'displayName', pat), userPrincipalName: r.nstr(p, 'userPrincipalName', pat), mail: r.nstr(p, 'mail', pat),
          userType: r.nstr(p, 'userType', pat), appId: r.nstr(p, 'appId', pat), servicePrincipalType: r.nstr(p, 'servicePrincipalType', pat),
        };
      }
      return {
        id: r.str(a, 'id', at), name: r.str(a, 'name', at), scope: r.scope(a, 'scope', at), scopeKind: kind as ScopeKind, roleDefinitionId: r.guid(a, 'roleDefinitionId', at),
        roleName: r.str(a, 'roleName', at), principalId: r.guid(a, 'principalId', at), principalType: r.str(a, 'principalType', at), principal,
        condition: r.nstr(a, 'condition', at), conditionVersion: r.nstr(a, 'conditionVersion', at), description: r.nstr(a, 'description', at), removed: a.removed,
      };
    }),
    customRoles: arr(root.customRoles, where, 'customRoles').map((v, i) => {
      const at = `customRoles[${i}]`;
      const c = obj(v, where, at);
      const permissions = arr(c.permissions, where, `${at}.permissions`).map((p, j) => {
        const x = obj(p, where, `${at}.permissions[${j}]`);
        const list = (k: string): string[] => arr(x[k] ?? [], where, `${at}.permissions[${j}].${k}`).map((s) => (typeof s === 'string' ? s : fail(where, `${at}.permissions[${j}].${k}`, 'strings')));
        return { actions: list('actions'), notActions: list('notActions'), dataActions: list('dataActions'), notDataActions: list('notDataActions') };
      });
      const scopes = arr(c.assignableScopes, where, `${at}.assignableScopes`).map((s) => (typeof s === 'string' ? s : fail(where, `${at}.assignableScopes`, 'strings')));
      return { id: r.guid(c, 'id', at), roleName: r.str(c, 'roleName', at), description: typeof c.description === 'string' ? c.description : '', permissions, assignableScopes: scopes };
    }),
    classicAdministrators: arr(root.classicAdministrators, where, 'classicAdministrators').map((v, i) => {
      const c = obj(v, where, `classicAdministrators[${i}]`);
      return { emailAddress: r.str(c, 'emailAddress', `classicAdministrators[${i}]`), role: r.str(c, 'role', `classicAdministrators[${i}]`) };
    }),
    dependentResources: arr(root.dependentResources, where, 'dependentResources').map((v, i) => {
      const at = `dependentResources[${i}]`;
      const d = obj(v, where, at);
      return { id: r.str(d, 'id', at), name: r.str(d, 'name', at), type: r.str(d, 'type', at), reason: r.str(d, 'reason', at), recoverable: d.recoverable !== false };
    }),
    notes: Array.isArray(root.notes) ? root.notes.filter((n): n is string => typeof n === 'string') : [],
  };
}

function fail(where: string, at: string, expected: string): never {
  throw new SnapshotError(`${where}: ${at || 'the top level'} must be ${expected}.`);
}

function obj(v: unknown, where: string, at: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    if (v === undefined) throw new SnapshotError(`${where}: ${at || 'the top level'} is missing.`);
    fail(where, at, 'an object');
  }
  return v as Json;
}

function arr(v: unknown, where: string, at: string): unknown[] {
  if (v === undefined) throw new SnapshotError(`${where}: ${at} is missing.`);
  if (!Array.isArray(v)) fail(where, at, 'an array');
  return v;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function reader(where: string) {
  const name = (at: string, key: string): string => (at ? `${at}.${key}` : key);
  const str = (o: Json, key: string, at: string): string => {
    const v = o[key];
    if (v === undefined) throw new SnapshotError(`${where}: ${name(at, key)} is missing.`);
    if (typeof v !== 'string' || v === '') fail(where, name(at, key), 'a non-empty string');
    return v;
  };
  return {
    str,
    nstr: (o: Json, key: string, at: string): string | null => {
      const v = o[key];
      if (v === undefined || v === null) return null;
      if (typeof v !== 'string') fail(where, name(at, key), 'a string or null');
      return v;
    },
    guid: (o: Json, key: string, at: string): string => {
      const v = str(o, key, at);
      if (!GUID.test(v)) fail(where, name(at, key), 'a GUID');
      return v.toLowerCase();
    },
    scope: (o: Json, key: string, at: string): string => {
      const v = str(o, key, at);
      if (!v.startsWith('/') || /(^|\/)\.\.(\/|$)|[?#]/.test(v)) fail(where, name(at, key), 'an Azure scope starting with /');
      return v;
    },
  };
}
