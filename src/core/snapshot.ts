/**
 * The access snapshot: everything needed to restore access after the directory change (role assignments with their
 * principals' names, UPNs and mail; full custom role definitions; classic administrators; dependent resources), as
 * versioned JSON plus a CSV for people. Written atomically (temp file, fsync, rename) with mode 0600. Never a token.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isGuid, type Subscription } from '../azure/models';
import type { AzureSession } from '../azure/session';
import { SCOPE_KINDS, isOneOf } from '../ids';
import { PlanCache, type PrincipalInfo, type PrincipalKind } from './cache';
import { FileError, nestedDeeperThan, readSnapshotText, writeError, writeNewFile } from './files';
import { PRINCIPAL_STATUSES, principalStatusOf, readImpact, type DependentResource, type ImpactAssignment, type ImpactCustomRole, type PrincipalStatus } from './impact';
import { REPAIRS, type Repair } from './impactExtras';
import type { Localize } from './l10n';
import type { TargetDirectory } from './checks';
import { fileSlug, type ScopeKind } from './util';
import { parseSnapshotExtras, principalOf, snapshotExtras, type SnapshotExtras } from './snapshotExtras';

export const SNAPSHOT_FORMAT = 'azure-tenant-link/snapshot';
/** Version 2 adds PIM, policy, Key Vault, identity, lock, deny-assignment and Lighthouse data (snapshotExtras.ts). */
export const SNAPSHOT_VERSION = 2;
/** Versions this code reads: a version-1 snapshot still loads (its extras are `null`, never read). */
export const SNAPSHOT_VERSIONS_READ: readonly number[] = [1, 2];

export interface SnapshotDirectory {
  readonly tenantId: string;
  readonly displayName: string | null;
  readonly defaultDomain: string | null;
}

/** A principal as Graph named it (for guests the `name_domain#EXT#@tenant` UPN is kept for the mapper). */
export type SnapshotPrincipal = Omit<PrincipalInfo, 'id'>;

/** A role assignment as the impact reads it, with the principal's details instead of the live lookup. */
export type SnapshotAssignment = Omit<ImpactAssignment, 'principal' | 'principalName'> & {
  /** null: the principal did not exist, or could not be looked up (`principalStatus` says which). */
  readonly principal: SnapshotPrincipal | null;
  /** found; deleted (Graph said it does not exist); unknown (the lookup failed — never taken for deleted). */
  readonly principalStatus: PrincipalStatus;
};

/** A custom role's full definition (as the impact reads it, without the live assignment count). */
export type SnapshotCustomRole = Omit<ImpactCustomRole, 'assignmentCount'>;

export interface Snapshot extends SnapshotExtras {
  readonly format: typeof SNAPSHOT_FORMAT;
  /** As written: 1 for an older snapshot, SNAPSHOT_VERSION for a new one. */
  readonly version: number;
  readonly createdAt: string;
  /** The cloud's name (AzureCloud, sandbox, …). */
  readonly cloud: string;
  readonly subscription: { readonly id: string; readonly name: string; readonly tenantId: string; readonly state: string; readonly quotaId: string | null };
  readonly sourceDirectory: SnapshotDirectory;
  readonly targetDirectory: SnapshotDirectory | null;
  readonly roleAssignments: readonly SnapshotAssignment[];
  readonly customRoles: readonly SnapshotCustomRole[];
  readonly classicAdministrators: readonly { readonly emailAddress: string; readonly role: string }[];
  readonly dependentResources: readonly DependentResource[];
  /**
   * false when something a restore needs could not be read (principal names, resources; `notes` says what): such a
   * snapshot is written marked incomplete, the CLI exits 4 and the wizard does not call it saved.
   */
  readonly complete: boolean;
  /** What could not be read when the snapshot was taken. */
  readonly notes: readonly string[];
}

/** The most a snapshot file may be: the 4,000 role assignments a subscription can hold take about 5 MB. */
export const MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

export class SnapshotError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SnapshotError';
  }
}

/**
 * Reads the subscription's access (the same impact reading as the plan) and returns the snapshot. `l10n` words its
 * notes and dependent-resource reasons (they are for people; the file keeps them as written).
 */
export async function takeSnapshot(
  session: AzureSession,
  subscription: Subscription,
  l10n: Localize,
  options: { readonly target?: TargetDirectory; readonly cache?: PlanCache; readonly now?: () => Date; readonly signal?: AbortSignal } = {},
): Promise<Snapshot> {
  const cache = options.cache ?? new PlanCache(session);
  const [impact, directories] = await Promise.all([
    readImpact(session, subscription, cache, l10n, options.signal),
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
      principalId: a.principalId, principalType: a.principalType, principal: principalOf(a.principal), principalStatus: principalStatusOf(a.principal),
      condition: a.condition, conditionVersion: a.conditionVersion, description: a.description, removed: a.removed,
      startDateTime: a.startDateTime, endDateTime: a.endDateTime,
    })),
    customRoles: impact.customRoles.map((r) => ({ id: r.id, roleName: r.roleName, description: r.description, permissions: r.permissions, assignableScopes: r.assignableScopes })),
    classicAdministrators: impact.classicAdministrators,
    dependentResources: impact.dependentResources,
    complete: impact.complete,
    notes: impact.notes,
    ...snapshotExtras(impact),
  };
}

/** Throws unless the snapshot is complete: an incomplete one is not undo data to rely on (the wizard's "saved"). */
export function requireComplete(snapshot: Snapshot, l10n: Localize): void {
  if (snapshot.complete) return;
  throw new SnapshotError(l10n.t('The snapshot is incomplete: {0} Take it again when the service answers.', snapshot.notes.join(' ')));
}

// ---------- files ----------

/** `fabrikam-production-2026-11-26T05-20-00Z.json` */
export function snapshotFileName(snapshot: Snapshot): string {
  return `${fileSlug(snapshot.subscription.name, snapshot.subscription.id)}-${snapshot.createdAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.json`;
}

export interface WrittenSnapshot {
  readonly jsonPath: string;
  readonly csvPath: string;
}

/**
 * Writes `<dir>/<name>.json` and `.csv`; never over an existing snapshot: a name taken (two in the same second) gets
 * `-2`, `-3`, … before its extension.
 */
export async function writeSnapshot(dir: string, snapshot: Snapshot, l10n: Localize): Promise<WrittenSnapshot> {
  const name = snapshotFileName(snapshot);
  for (let n = 1; ; n++) {
    try {
      return await writeSnapshotFile(path.join(dir, n === 1 ? name : name.replace(/\.json$/, `-${n}.json`)), snapshot, l10n);
    } catch (e) {
      if (!(e instanceof FileError && e.kind === 'exists') || n >= 100) throw e;
    }
  }
}

/** The JSON and CSV paths for `-o <file>`: `a.json` or `a` → a.json + a.csv beside it; `a.csv` → a.csv + a.json. */
export function snapshotPaths(file: string): WrittenSnapshot {
  const full = path.resolve(file);
  if (/\.csv$/i.test(full)) return { jsonPath: full.replace(/\.csv$/i, '.json'), csvPath: full };
  return { jsonPath: full, csvPath: full.replace(/(\.json)?$/i, '.csv') };
}

/**
 * Writes the JSON and the CSV (`snapshotPaths`), each atomically with mode 0600. Neither replaces an existing file
 * unless `overwrite` (a `FileError` of kind `exists` names it); the JSON is written first and removed again when
 * the CSV cannot be, so a failed write leaves nothing behind.
 */
export async function writeSnapshotFile(file: string, snapshot: Snapshot, l10n: Localize, options: { readonly overwrite?: boolean } = {}): Promise<WrittenSnapshot> {
  const paths = snapshotPaths(file);
  // A folder that cannot be made (a file in its place, no permission) is worded like any failed write.
  await fs.mkdir(path.dirname(paths.jsonPath), { recursive: true }).catch((e: unknown) => { throw writeError(e, paths.jsonPath, l10n); });
  if (options.overwrite !== true) {
    // Both names are checked before either is written (the link in writeNewFile still refuses a race).
    for (const p of [paths.jsonPath, paths.csvPath]) {
      if (await fs.lstat(p).then(() => true, () => false)) throw new FileError(l10n.t('{0} already exists; it is not replaced.', p), 'exists');
    }
  }
  await writeNewFile(paths.jsonPath, JSON.stringify(snapshot, null, 2) + '\n', l10n, options);
  try {
    await writeNewFile(paths.csvPath, snapshotCsv(snapshot), l10n, options);
  } catch (e) {
    await fs.rm(paths.jsonPath, { force: true });
    throw e;
  }
  return paths;
}

const CSV_COLUMNS = ['principal', 'principalType', 'signInName', 'role', 'scope', 'scopeKind', 'deletedByMove', 'principalId', 'roleDefinitionId', 'assignmentId'] as const;

/** One row per role assignment, for people (Excel-safe: formula-like cells are prefixed with '). */
export function snapshotCsv(snapshot: Snapshot): string {
  const rows = snapshot.roleAssignments.map((a) => [
    a.principal?.displayName ?? (a.principalStatus === 'unknown' ? '(unknown: lookup failed)' : '(deleted principal)'), a.principalType, a.principal?.userPrincipalName ?? a.principal?.mail ?? a.principal?.appId ?? '',
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

/** Reads and validates a snapshot file; every problem is a `SnapshotError` with a clear one-line message (worded by `l10n`). */
export async function readSnapshot(file: string, l10n: Localize): Promise<Snapshot> {
  return parseSnapshotText(await snapshotText(file, l10n), file, l10n);
}

/** A file of a folder of snapshots (`restore --all`): the snapshot it holds, or why it was skipped as not one. */
export type FolderFile = { readonly snapshot: Snapshot; readonly skipped?: undefined } | { readonly snapshot?: undefined; readonly skipped: string };

/**
 * Reads a file of a folder that holds snapshots among other files, as the same untrusted input as `readSnapshot`
 * (regular file only, size cap, nesting cap; a FIFO never blocks). A file that is not a snapshot — a directory, a FIFO
 * or device, over the size cap, or text that does not name the snapshot format — is skipped with the reason. One that
 * names the format but is not a valid snapshot, or cannot be read at all, throws `SnapshotError`: damaged undo data
 * is a failure, never skipped.
 */
export async function readFolderSnapshot(file: string, l10n: Localize): Promise<FolderFile> {
  let text: string;
  try {
    text = await snapshotText(file, l10n);
  } catch (e) {
    if (e instanceof SnapshotError && e.cause instanceof FileError && e.cause.kind === 'notRegular') return { skipped: e.message };
    throw e;
  }
  try {
    return { snapshot: parseSnapshotText(text, file, l10n) };
  } catch (e) {
    if (e instanceof SnapshotError && !text.includes(SNAPSHOT_FORMAT)) return { skipped: e.message };
    throw e;
  }
}

/** The file's text through the guarded reader; a problem is a `SnapshotError` whose `cause` is the `FileError`. */
async function snapshotText(file: string, l10n: Localize): Promise<string> {
  try {
    return await readSnapshotText(file, MAX_SNAPSHOT_BYTES, l10n);
  } catch (e) {
    throw new SnapshotError(e instanceof Error ? e.message : String(e), { cause: e });
  }
}

function parseSnapshotText(text: string, file: string, l10n: Localize): Snapshot {
  // A snapshot nests six levels deep; anything far deeper is not one, and would be slow to parse.
  if (nestedDeeperThan(text, 32)) throw new SnapshotError(l10n.t('{0} is not a snapshot: it is nested too deeply.', file));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SnapshotError(l10n.t('{0} is not a snapshot: it is not valid JSON.', file));
  }
  return parseSnapshot(value, file, l10n);
}

/** Validates parsed JSON as a snapshot (exported for the wizard, which may hold one in memory). `where` names it in errors. */
export function parseSnapshot(value: unknown, where: string, l10n: Localize): Snapshot {
  const r = reader(where, l10n);
  const root = r.obj(value, '');
  if (root.format !== SNAPSHOT_FORMAT) throw new SnapshotError(l10n.t('{0} is not an Azure Tenant Link snapshot (format is {1}, expected "{2}").', where, JSON.stringify(root.format ?? null), SNAPSHOT_FORMAT));
  if (typeof root.version !== 'number' || !SNAPSHOT_VERSIONS_READ.includes(root.version)) {
    throw new SnapshotError(l10n.t('{0} has snapshot version {1}; this version of Azure Tenant Link reads versions 1 to {2}.', where, JSON.stringify(root.version ?? null), SNAPSHOT_VERSION));
  }
  const version = root.version;
  const sub = r.obj(root.subscription, 'subscription');
  const dir = (v: unknown, at: string): SnapshotDirectory => {
    const d = r.obj(v, at);
    return { tenantId: r.guid(d, 'tenantId', at), displayName: r.nstr(d, 'displayName', at), defaultDomain: r.nstr(d, 'defaultDomain', at) };
  };
  return {
    format: SNAPSHOT_FORMAT,
    version,
    createdAt: r.str(root, 'createdAt', ''),
    cloud: r.str(root, 'cloud', ''),
    subscription: { id: r.guid(sub, 'id', 'subscription'), name: r.str(sub, 'name', 'subscription'), tenantId: r.guid(sub, 'tenantId', 'subscription'), state: r.str(sub, 'state', 'subscription'), quotaId: r.nstr(sub, 'quotaId', 'subscription') },
    sourceDirectory: dir(root.sourceDirectory, 'sourceDirectory'),
    targetDirectory: root.targetDirectory === null || root.targetDirectory === undefined ? null : dir(root.targetDirectory, 'targetDirectory'),
    roleAssignments: r.arr(root.roleAssignments, 'roleAssignments').map((v, i) => {
      const at = `roleAssignments[${i}]`;
      const a = r.obj(v, at);
      const kind = r.str(a, 'scopeKind', at);
      if (!isOneOf(SCOPE_KINDS, kind)) r.fail(`${at}.scopeKind`, 'scopeKind');
      const removed = a.removed;
      if (typeof removed !== 'boolean') return r.fail(`${at}.removed`, 'boolean');
      let principal: SnapshotPrincipal | null = null;
      if (a.principal !== null && a.principal !== undefined) {
        const pat = `${at}.principal`;
        const p = r.obj(a.principal, pat);
        const kind = r.str(p, 'kind', pat);
        if (!PRINCIPAL_KINDS.includes(kind as PrincipalKind)) r.fail(`${pat}.kind`, 'principalKind');
        principal = {
          kind: kind as PrincipalKind, displayName: r.nstr(p, 'displayName', pat), userPrincipalName: r.nstr(p, 'userPrincipalName', pat), mail: r.nstr(p, 'mail', pat),
          userType: r.nstr(p, 'userType', pat), appId: r.nstr(p, 'appId', pat), servicePrincipalType: r.nstr(p, 'servicePrincipalType', pat),
        };
      }
      // Files written before principalStatus existed: a null principal was taken for deleted.
      const status = a.principalStatus ?? (principal ? 'found' : 'deleted');
      if (!PRINCIPAL_STATUSES.includes(status as PrincipalStatus) || (status === 'found') !== (principal !== null)) r.fail(`${at}.principalStatus`, 'principalStatus');
      return {
        id: r.str(a, 'id', at), name: r.str(a, 'name', at), scope: r.scope(a, 'scope', at), scopeKind: kind as ScopeKind, roleDefinitionId: r.guid(a, 'roleDefinitionId', at),
        roleName: r.str(a, 'roleName', at), principalId: r.guid(a, 'principalId', at), principalType: r.str(a, 'principalType', at), principal,
        principalStatus: status as PrincipalStatus,
        condition: r.nstr(a, 'condition', at), conditionVersion: r.nstr(a, 'conditionVersion', at), description: r.nstr(a, 'description', at), removed,
        startDateTime: r.nstr(a, 'startDateTime', at), endDateTime: r.nstr(a, 'endDateTime', at),
      };
    }),
    customRoles: r.arr(root.customRoles, 'customRoles').map((v, i) => {
      const at = `customRoles[${i}]`;
      const c = r.obj(v, at);
      const permissions = r.arr(c.permissions, `${at}.permissions`).map((p, j) => {
        const x = r.obj(p, `${at}.permissions[${j}]`);
        const list = (k: string): string[] => r.strings(x[k] ?? [], `${at}.permissions[${j}].${k}`);
        return { actions: list('actions'), notActions: list('notActions'), dataActions: list('dataActions'), notDataActions: list('notDataActions') };
      });
      return { id: r.guid(c, 'id', at), roleName: r.str(c, 'roleName', at), description: typeof c.description === 'string' ? c.description : '', permissions, assignableScopes: r.strings(c.assignableScopes, `${at}.assignableScopes`) };
    }),
    classicAdministrators: r.arr(root.classicAdministrators, 'classicAdministrators').map((v, i) => {
      const at = `classicAdministrators[${i}]`;
      const c = r.obj(v, at);
      return { emailAddress: r.str(c, 'emailAddress', at), role: r.str(c, 'role', at) };
    }),
    dependentResources: r.arr(root.dependentResources, 'dependentResources').map((v, i) => {
      const at = `dependentResources[${i}]`;
      const d = r.obj(v, at);
      const recoverable = d.recoverable !== false;
      // Version 1 had no `repair`: nothing was repaired automatically then.
      const repair: Repair = REPAIRS.includes(d.repair as Repair) ? d.repair as Repair : recoverable ? 'manual' : 'none';
      return { id: r.str(d, 'id', at), name: r.str(d, 'name', at), type: r.str(d, 'type', at), reason: r.str(d, 'reason', at), recoverable, repair };
    }),
    complete: root.complete === undefined ? true : root.complete === true ? true : root.complete === false ? false : r.fail('complete', 'boolean'),
    notes: Array.isArray(root.notes) ? root.notes.filter((n): n is string => typeof n === 'string') : [],
    ...parseSnapshotExtras(root, version, r),
  };
}

/** What a field of the snapshot must be. */
type Expected = 'object' | 'array' | 'strings' | 'string' | 'nullableString' | 'guid' | 'scope' | 'scopeKind' | 'principalKind' | 'principalStatus' | 'boolean';

/** The whole sentence for "`at` in `where` must be …" (`at` is '' for the top level). */
function mustBe(l10n: Localize, where: string, at: string, expected: Expected): string {
  switch (expected) {
    case 'object': return at === '' ? l10n.t('{0}: the top level must be an object.', where) : l10n.t('{0}: {1} must be an object.', where, at);
    case 'array': return l10n.t('{0}: {1} must be an array.', where, at);
    case 'strings': return l10n.t('{0}: {1} must be strings.', where, at);
    case 'string': return l10n.t('{0}: {1} must be a non-empty string.', where, at);
    case 'nullableString': return l10n.t('{0}: {1} must be a string or null.', where, at);
    case 'guid': return l10n.t('{0}: {1} must be a GUID.', where, at);
    case 'scope': return l10n.t('{0}: {1} must be an Azure scope starting with /.', where, at);
    case 'scopeKind': return l10n.t('{0}: {1} must be subscription, resourceGroup, resource or inherited.', where, at);
    case 'principalKind': return l10n.t('{0}: {1} must be user, group, servicePrincipal or unknown.', where, at);
    case 'principalStatus': return l10n.t('{0}: {1} must be found (with a principal), deleted or unknown (without one).', where, at);
    case 'boolean': return l10n.t('{0}: {1} must be true or false.', where, at);
  }
}

/** Typed readers over one snapshot; each throws a `SnapshotError` that names the field (`at`, a JSON path). */
function reader(where: string, l10n: Localize) {
  const name = (at: string, key: string): string => (at ? `${at}.${key}` : key);
  const fail = (at: string, expected: Expected): never => {
    throw new SnapshotError(mustBe(l10n, where, at, expected));
  };
  const missing = (at: string): never => {
    throw new SnapshotError(at === '' ? l10n.t('{0}: the top level is missing.', where) : l10n.t('{0}: {1} is missing.', where, at));
  };
  const str = (o: Json, key: string, at: string): string => {
    const v = o[key];
    if (v === undefined) missing(name(at, key));
    if (typeof v !== 'string' || v === '') return fail(name(at, key), 'string');
    return v;
  };
  const arr = (v: unknown, at: string): unknown[] => {
    if (v === undefined) missing(at);
    if (!Array.isArray(v)) return fail(at, 'array');
    return v;
  };
  return {
    fail,
    str,
    arr,
    obj: (v: unknown, at: string): Json => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return v === undefined ? missing(at) : fail(at, 'object');
      return v as Json;
    },
    strings: (v: unknown, at: string): string[] => arr(v, at).map((s) => (typeof s === 'string' ? s : fail(at, 'strings'))),
    nstr: (o: Json, key: string, at: string): string | null => {
      const v = o[key];
      if (v === undefined || v === null) return null;
      if (typeof v !== 'string') return fail(name(at, key), 'nullableString');
      return v;
    },
    guid: (o: Json, key: string, at: string): string => {
      const v = str(o, key, at);
      if (!isGuid(v)) fail(name(at, key), 'guid');
      return v.toLowerCase();
    },
    scope: (o: Json, key: string, at: string): string => {
      const v = str(o, key, at);
      if (!v.startsWith('/') || /(^|\/)\.\.(\/|$)|[?#]/.test(v)) fail(name(at, key), 'scope');
      return v;
    },
  };
}
