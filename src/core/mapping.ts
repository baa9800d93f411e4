/**
 * Maps each principal of a snapshot (old directory) to an object of the new directory: users by UPN, then by mail
 * (a guest's `name_domain#EXT#@tenant` UPN maps back to `name@domain`) — the only automatic match. A group, service
 * principal or managed identity of another directory is another object whatever its name, so it is never matched by
 * display name: it stays unmatched with the reason, for the user to choose (`--map old=new`, the wizard's picker).
 * Explicit overrides win. Only assignments the move deletes are mapped (inherited ones stop applying; nothing to map).
 */
import { isAzureError } from '../azure/errors';
import type { DirectoryObject, GraphUser } from '../azure/models';
import type { AzureSession } from '../azure/session';
import type { Localize } from './l10n';
import type { Snapshot, SnapshotAssignment } from './snapshot';
import { extraPrincipals, type SnapshotPrincipalRef } from './snapshotExtras';
import { Limiter, reasonOf } from './util';

import type { MatchStatus } from '../ids';

export type { MatchStatus } from '../ids';
export type NewPrincipalType = 'User' | 'Group' | 'ServicePrincipal';

export interface Candidate {
  readonly id: string;
  readonly type: NewPrincipalType;
  readonly displayName: string | null;
  /** UPN or mail (users), mail (groups), app id (service principals). */
  readonly detail: string | null;
}

export interface PrincipalMapping {
  readonly oldPrincipalId: string;
  readonly oldPrincipalType: string;
  readonly oldName: string | null;
  readonly status: MatchStatus;
  /** The new principal when matched. */
  readonly principal: Candidate | null;
  /** Choices when ambiguous (and the match when matched). */
  readonly candidates: readonly Candidate[];
  /** How it was matched, or why not (worded by the `l10n` given to `mapPrincipals`). */
  readonly reason: string;
  /**
   * Unmatched because a lookup failed (Graph did not answer, may not be searched, or the snapshot could not name the
   * principal): not a verdict about the principal; a restore reports the row as failed, not skipped.
   */
  readonly lookupFailed?: boolean;
}

export interface MappingRow {
  readonly assignment: SnapshotAssignment;
  readonly mapping: PrincipalMapping;
}

export interface MappingResult {
  readonly targetTenantId: string;
  readonly principals: readonly PrincipalMapping[];
  /** One row per assignment the move deleted. */
  readonly rows: readonly MappingRow[];
  /**
   * The user's own choice for one eligible assignment (by its name, lower case), over the principal table for that
   * assignment alone: two eligible assignments of one old principal may go to different people, and a choice for one
   * never moves the other.
   */
  readonly eligibleChoices?: ReadonlyMap<string, Candidate>;
}

/** `megan_contoso.com#EXT#@fabrikam.onmicrosoft.com` → `megan@contoso.com` (the last `_` before `#EXT#` was the `@`). */
export function guestUpnToAddress(upn: string): string | undefined {
  const m = /^(.+)_([^_@#]+)#EXT#@/i.exec(upn);
  return m?.[1] !== undefined && m[2] !== undefined ? `${m[1]}@${m[2]}` : undefined;
}

function userCandidate(u: GraphUser): Candidate {
  return { id: u.id.toLowerCase(), type: 'User', displayName: u.displayName ?? null, detail: u.userPrincipalName ?? u.mail ?? null };
}

export function objectCandidate(o: DirectoryObject): Candidate {
  const t = (o['@odata.type'] ?? '').toLowerCase();
  const type: NewPrincipalType = t.endsWith('.group') ? 'Group' : t.endsWith('.serviceprincipal') ? 'ServicePrincipal' : 'User';
  return { id: o.id.toLowerCase(), type, displayName: o.displayName ?? null, detail: o.userPrincipalName ?? o.mail ?? o.appId ?? null };
}

const matched = (base: Base, c: Candidate, reason: string): PrincipalMapping => ({ ...base, status: 'matched', principal: c, candidates: [c], reason });
const unmatched = (base: Base, reason: string, candidates: readonly Candidate[] = []): PrincipalMapping => ({ ...base, status: 'unmatched', principal: null, candidates, reason });
const notLookedUp = (base: Base, reason: string): PrincipalMapping => ({ ...unmatched(base, reason), lookupFailed: true });
const ambiguous = (base: Base, candidates: readonly Candidate[], reason: string): PrincipalMapping => ({ ...base, status: 'ambiguous', principal: null, candidates, reason });

type Base = Pick<PrincipalMapping, 'oldPrincipalId' | 'oldPrincipalType' | 'oldName'>;

export interface MappingOptions {
  /** old principal id → new principal id; these win over any automatic match. */
  readonly overrides?: ReadonlyMap<string, string>;
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
}

/** Maps the principals of the assignments the move deleted; `l10n` words the reasons. */
export async function mapPrincipals(session: AzureSession, snapshot: Snapshot, targetTenantId: string, l10n: Localize, options: MappingOptions = {}): Promise<MappingResult> {
  const graph = session.graph(targetTenantId);
  const limiter = new Limiter(options.concurrency ?? session.arm.concurrency);
  const signal = options.signal;
  const overrides = new Map([...(options.overrides ?? new Map<string, string>())].map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]));
  const deleted = snapshot.roleAssignments.filter((a) => a.removed);
  // Eligible assignments and vault access policies are mapped through the same table (one answer per principal).
  const firstOf = new Map<string, SnapshotPrincipalRef>();
  for (const a of [...deleted, ...extraPrincipals(snapshot)]) if (!firstOf.has(a.principalId)) firstOf.set(a.principalId, a);

  const overrideObjects = new Map<string, Candidate>();
  if (overrides.size > 0) {
    for (const o of await limiter.run(() => graph.getByIds([...new Set(overrides.values())], signal))) overrideObjects.set(o.id.toLowerCase(), objectCandidate(o));
  }

  const mapOne = async (a: SnapshotPrincipalRef): Promise<PrincipalMapping> => {
    const p = a.principal;
    const base: Base = { oldPrincipalId: a.principalId, oldPrincipalType: a.principalType, oldName: p?.displayName ?? null };
    const override = overrides.get(a.principalId);
    if (override !== undefined) {
      const c = overrideObjects.get(override);
      return c ? matched(base, c, l10n.t('mapped explicitly')) : unmatched(base, l10n.t('the mapped object {0} is not in the target directory', override));
    }
    if (p === null) {
      return a.principalStatus === 'unknown'
        ? notLookedUp(base, l10n.t('the principal could not be looked up when the snapshot was taken (unknown, not deleted); map it by object id'))
        : unmatched(base, l10n.t('the principal no longer existed when the snapshot was taken'));
    }
    try {
      if (a.principalType === 'User' || p.kind === 'user') return await mapUser(base, p.userPrincipalName, p.mail);
    } catch (e) {
      if (signal?.aborted) throw e;
      if (!isAzureError(e, 'forbidden')) return notLookedUp(base, l10n.t('could not be looked up in the target directory: {0}', reasonOf(e)));
      return notLookedUp(base, e.missing === undefined
        ? l10n.t('the target directory may not be searched (needs User.ReadBasic.All); map it by object id')
        : l10n.t('the target directory may not be searched ({0}); map it by object id', e.missing));
    }
    if (a.principalType === 'Group' || p.kind === 'group') {
      return unmatched(base, l10n.t('a group of another directory is another object, even with the same name: choose the group in the target directory and map it by object id'));
    }
    if (a.principalType === 'ServicePrincipal' || p.kind === 'servicePrincipal') {
      return unmatched(base, p.servicePrincipalType === 'ManagedIdentity'
        ? l10n.t('a managed identity: re-enable or re-create it in the target directory, then assign its roles again')
        : l10n.t('a service principal: re-create the app registration or service connection in the target directory, then assign its roles again'));
    }
    return unmatched(base, l10n.t('a {0} cannot be matched automatically; map it by object id', a.principalType));
  };

  const mapUser = async (base: Base, upn: string | null, mail: string | null): Promise<PrincipalMapping> => {
    const guest = upn === null ? undefined : guestUpnToAddress(upn);
    const primary = guest ?? upn;
    if (primary !== null) {
      const byUpn = await limiter.run(() => graph.getUser(primary, signal));
      if (byUpn) return matched(base, userCandidate(byUpn), guest ? l10n.t('guest UPN → {0}', primary) : l10n.t('same UPN'));
    }
    const addresses = [...new Set([mail, primary].filter((x): x is string => x !== null && !x.includes('#')).map((x) => x.toLowerCase()))];
    const found = new Map<string, Candidate>();
    for (const address of addresses) {
      for (const u of await limiter.run(() => graph.findUsersByAddress(address, signal))) found.set(u.id.toLowerCase(), userCandidate(u));
      if (found.size > 0) break;
    }
    const list = [...found.values()];
    if (list.length === 1 && list[0]) return matched(base, list[0], l10n.t('same mail ({0})', addresses.join(', ')));
    if (list.length > 1) {
      // At most two addresses (mail and UPN): "a or b" is worded whole rather than joined.
      const [first = '', second] = addresses;
      return ambiguous(base, list, second === undefined
        ? l10n.t('{0} users have the address {1}', list.length, first)
        : l10n.t('{0} users have the address {1} or {2}', list.length, first, second));
    }
    return unmatched(base, addresses.length === 0
      ? l10n.t('no user with the UPN or mail (none) in the target directory; invite them or map by object id')
      : l10n.t('no user with the UPN or mail {0} in the target directory; invite them or map by object id', addresses.join(' / ')));
  };

  const principals = await Promise.all([...firstOf.values()].map(mapOne));
  const byOld = new Map(principals.map((m) => [m.oldPrincipalId, m]));
  const rows = deleted.flatMap((a) => {
    const mapping = byOld.get(a.principalId);
    return mapping ? [{ assignment: a, mapping }] : [];
  });
  return { targetTenantId: targetTenantId.toLowerCase(), principals, rows };
}

/** Parses `old=new` pairs (both object ids). Throws with the bad pair named. */
export function parseMapOverrides(pairs: readonly string[], isId: (v: string) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of pairs) {
    const [oldId, newId, extra] = pair.split('=');
    if (oldId === undefined || newId === undefined || extra !== undefined || !isId(oldId.trim()) || !isId(newId.trim())) {
      throw new RangeError(`--map needs <oldPrincipalId>=<newPrincipalId> (two object ids), got "${pair}".`);
    }
    out.set(oldId.trim().toLowerCase(), newId.trim().toLowerCase());
  }
  return out;
}
