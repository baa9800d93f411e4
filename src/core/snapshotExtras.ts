/**
 * Snapshot version 2: everything beyond role assignments needed to re-create access after the move — PIM eligible
 * assignments (time-bound active ones keep their dates on the role-assignment rows), policy assignments with their
 * identities, exemptions, Key Vault access policies with their principals, managed identities, locks, deny
 * assignments, Lighthouse delegations and what could not be read. A version-1 snapshot loads with these as `null`
 * (never read).
 */
import type { PrincipalStatus } from './impact';
import type { PrincipalInfo, PrincipalKind } from './cache';
import { EXTRA_READS, type ExtraRead, type ImpactEligible, type ImpactExtras, type ImpactIdentity, type ImpactPolicyAssignment, type PrincipalRef, type UnknownRead } from './impactExtras';
import type { ScopeKind } from './util';

type Principal = Omit<PrincipalInfo, 'id'>;

/** A principal reference as the snapshot keeps it (details instead of the live lookup). */
/** `principalStatus` is kept for role assignments (found / deleted / unknown); other rows name found or null only. */
export type SnapshotPrincipalRef = Omit<PrincipalRef, 'principal' | 'principalName'> & { readonly principal: Principal | null; readonly principalStatus?: PrincipalStatus };

export type SnapshotEligible = Omit<ImpactEligible, 'principal' | 'principalName'> & { readonly principal: Principal | null };

export interface SnapshotAccessPolicy extends SnapshotPrincipalRef {
  readonly applicationId: string | null;
  readonly permissions: Readonly<Record<string, readonly string[]>>;
}

export interface SnapshotKeyVault {
  readonly id: string;
  readonly name: string;
  readonly tenantId: string | null;
  readonly rbacAuthorization: boolean;
  readonly accessPolicies: readonly SnapshotAccessPolicy[];
}

/**
 * The impact's extras as the snapshot keeps them (principal details instead of live lookups); `null` = not read (a
 * version-1 snapshot) or unreadable (see `unknown`).
 */
export type SnapshotExtras = Omit<ImpactExtras, 'eligibleAssignments' | 'keyVaults' | 'identities'> & {
  readonly eligibleAssignments: readonly SnapshotEligible[] | null;
  readonly keyVaults: readonly SnapshotKeyVault[] | null;
  readonly identities: readonly ImpactIdentity[] | null;
};

export function principalOf(p: PrincipalInfo | null | undefined): Principal | null {
  if (!p) return null;
  return { kind: p.kind, displayName: p.displayName, userPrincipalName: p.userPrincipalName, mail: p.mail, userType: p.userType, appId: p.appId, servicePrincipalType: p.servicePrincipalType };
}

/** The row without the live lookup (`principalName`), with the principal's details kept. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- principalName is dropped on purpose
const snapRef = <T extends PrincipalRef>({ principal, principalName, ...rest }: T): Omit<T, 'principal' | 'principalName'> & { readonly principal: Principal | null } =>
  ({ ...rest, principal: principalOf(principal) });

/** The snapshot's extras from the impact. */
export function snapshotExtras(impact: ImpactExtras): SnapshotExtras {
  return {
    eligibleAssignments: impact.eligibleAssignments?.map(snapRef) ?? null,
    policyAssignments: impact.policyAssignments,
    policyExemptions: impact.policyExemptions,
    keyVaults: impact.keyVaults?.map((v) => ({ ...v, accessPolicies: v.accessPolicies.map(snapRef) })) ?? null,
    identities: impact.identities,
    locks: impact.locks,
    denyAssignments: impact.denyAssignments,
    delegations: impact.delegations,
    unknown: impact.unknown,
  };
}

/** Principals the restore maps besides those of deleted role assignments: eligible assignments and vault access policies. */
export function extraPrincipals(s: SnapshotExtras): SnapshotPrincipalRef[] {
  return [...(s.eligibleAssignments ?? []).filter((e) => e.removed), ...(s.keyVaults ?? []).flatMap((v) => v.accessPolicies)];
}

// ---------- reading, strictly (with the snapshot's own typed readers) ----------

type Json = Record<string, unknown>;
type Expected = 'object' | 'array' | 'strings' | 'string' | 'nullableString' | 'guid' | 'scope' | 'scopeKind' | 'principalKind' | 'boolean';

/** The field readers of snapshot.ts (each throws a SnapshotError naming the JSON path). */
export interface FieldReader {
  fail(at: string, expected: Expected): never;
  str(o: Json, key: string, at: string): string;
  arr(v: unknown, at: string): unknown[];
  obj(v: unknown, at: string): Json;
  strings(v: unknown, at: string): string[];
  nstr(o: Json, key: string, at: string): string | null;
  guid(o: Json, key: string, at: string): string;
  scope(o: Json, key: string, at: string): string;
}

const PRINCIPAL_KINDS: readonly PrincipalKind[] = ['user', 'group', 'servicePrincipal', 'unknown'];
const SCOPE_KINDS: readonly ScopeKind[] = ['subscription', 'resourceGroup', 'resource', 'inherited'];

/** Parses the extras of a version-2 snapshot; a version-1 one has none (all `null`). */
export function parseSnapshotExtras(root: Json, version: number, r: FieldReader): SnapshotExtras {
  if (version < 2) return { eligibleAssignments: null, policyAssignments: null, policyExemptions: null, keyVaults: null, identities: null, locks: null, denyAssignments: null, delegations: null, unknown: [] };
  const bool = (o: Json, key: string, at: string): boolean => (typeof o[key] === 'boolean' ? o[key] : r.fail(`${at}.${key}`, 'boolean'));
  const list = <T>(key: string, item: (o: Json, at: string) => T): T[] | null =>
    root[key] === null ? null : r.arr(root[key], key).map((v, i) => item(r.obj(v, `${key}[${i}]`), `${key}[${i}]`));
  const principal = (o: Json, at: string): Principal | null => {
    if (o.principal === null || o.principal === undefined) return null;
    const p = r.obj(o.principal, `${at}.principal`);
    const kind = r.str(p, 'kind', `${at}.principal`);
    if (!PRINCIPAL_KINDS.includes(kind as PrincipalKind)) r.fail(`${at}.principal.kind`, 'principalKind');
    const n = (k: string): string | null => r.nstr(p, k, `${at}.principal`);
    return { kind: kind as PrincipalKind, displayName: n('displayName'), userPrincipalName: n('userPrincipalName'), mail: n('mail'), userType: n('userType'), appId: n('appId'), servicePrincipalType: n('servicePrincipalType') };
  };
  const ref = (o: Json, at: string): SnapshotPrincipalRef => ({ principalId: r.guid(o, 'principalId', at), principalType: r.str(o, 'principalType', at), principal: principal(o, at) });
  const permissions = (o: Json, at: string): Record<string, string[]> => Object.fromEntries(Object.entries(r.obj(o.permissions, `${at}.permissions`)).map(([k, v]) => [k, r.strings(v, `${at}.permissions.${k}`)]));
  const unknown = r.arr(root.unknown ?? [], 'unknown').map((v, i): UnknownRead => {
    const o = r.obj(v, `unknown[${i}]`);
    const read = r.str(o, 'read', `unknown[${i}]`);
    if (!(EXTRA_READS as readonly string[]).includes(read)) r.fail(`unknown[${i}].read`, 'string');
    return { read: read as ExtraRead, missing: r.nstr(o, 'missing', `unknown[${i}]`), reason: r.str(o, 'reason', `unknown[${i}]`) };
  });
  return {
    eligibleAssignments: list('eligibleAssignments', (o, at): SnapshotEligible => {
      const scopeKind = r.str(o, 'scopeKind', at);
      if (!SCOPE_KINDS.includes(scopeKind as ScopeKind)) r.fail(`${at}.scopeKind`, 'scopeKind');
      return {
        id: r.str(o, 'id', at), name: r.str(o, 'name', at), scope: r.scope(o, 'scope', at), scopeKind: scopeKind as ScopeKind, roleDefinitionId: r.guid(o, 'roleDefinitionId', at),
        roleName: r.str(o, 'roleName', at), ...ref(o, at), removed: bool(o, 'removed', at), condition: r.nstr(o, 'condition', at), conditionVersion: r.nstr(o, 'conditionVersion', at),
        startDateTime: r.nstr(o, 'startDateTime', at), endDateTime: r.nstr(o, 'endDateTime', at),
      };
    }),
    policyAssignments: list('policyAssignments', (o, at): ImpactPolicyAssignment => {
      const identityType = r.str(o, 'identityType', at);
      if (!['SystemAssigned', 'UserAssigned', 'None'].includes(identityType)) r.fail(`${at}.identityType`, 'string');
      return {
        id: r.scope(o, 'id', at), name: r.str(o, 'name', at), scope: r.scope(o, 'scope', at), displayName: r.str(o, 'displayName', at), policyDefinitionId: r.scope(o, 'policyDefinitionId', at),
        identityType: identityType as ImpactPolicyAssignment['identityType'], principalId: o.principalId === null ? null : r.guid(o, 'principalId', at), location: r.nstr(o, 'location', at),
        parameters: r.obj(o.parameters, `${at}.parameters`), enforcementMode: r.str(o, 'enforcementMode', at), notScopes: r.strings(o.notScopes, `${at}.notScopes`), removed: bool(o, 'removed', at),
      };
    }),
    policyExemptions: list('policyExemptions', (o, at) => ({ id: r.str(o, 'id', at), name: r.str(o, 'name', at), displayName: r.str(o, 'displayName', at), policyAssignmentId: r.str(o, 'policyAssignmentId', at), exemptionCategory: r.nstr(o, 'exemptionCategory', at) ?? '' })),
    keyVaults: list('keyVaults', (o, at): SnapshotKeyVault => ({
      id: r.scope(o, 'id', at), name: r.str(o, 'name', at), tenantId: o.tenantId === null ? null : r.guid(o, 'tenantId', at), rbacAuthorization: bool(o, 'rbacAuthorization', at),
      accessPolicies: r.arr(o.accessPolicies, `${at}.accessPolicies`).map((v, i) => {
        const pat = `${at}.accessPolicies[${i}]`;
        const p = r.obj(v, pat);
        return { ...ref(p, pat), applicationId: r.nstr(p, 'applicationId', pat), permissions: permissions(p, pat) };
      }),
    })),
    identities: list('identities', (o, at) => ({
      resourceId: r.scope(o, 'resourceId', at), name: r.str(o, 'name', at), type: r.str(o, 'type', at),
      systemPrincipalId: o.systemPrincipalId === null ? null : r.guid(o, 'systemPrincipalId', at), userAssigned: r.strings(o.userAssigned, `${at}.userAssigned`),
    })),
    locks: list('locks', (o, at) => ({ id: r.str(o, 'id', at), name: r.str(o, 'name', at), scope: r.scope(o, 'scope', at), level: r.str(o, 'level', at), notes: r.nstr(o, 'notes', at) ?? '' })),
    denyAssignments: list('denyAssignments', (o, at) => ({ id: r.str(o, 'id', at), name: r.str(o, 'name', at), description: r.nstr(o, 'description', at) ?? '', systemProtected: bool(o, 'systemProtected', at) })),
    delegations: list('delegations', (o, at) => ({
      id: r.str(o, 'id', at), definitionName: r.str(o, 'definitionName', at), managedByTenantId: r.nstr(o, 'managedByTenantId', at), managedByTenantName: r.nstr(o, 'managedByTenantName', at),
      authorizations: typeof o.authorizations === 'number' ? o.authorizations : r.fail(`${at}.authorizations`, 'string'),
    })),
    unknown,
  };
}
