/**
 * The host side of step 3's per-row picker: an unmatched restore row's search asks the TARGET directory through
 * Microsoft Graph, and remembers what it answered, so that a pick is taken only when it is one of those answers.
 *
 * What a query finds (a group, service principal or managed identity of another directory is another object, whatever
 * its name, so only users are ever found by a name):
 *   - an object id or an application id (a GUID): the user, group or service principal with that object id
 *     (`directoryObjects/getByIds`), and the service principals of that application (`appId eq`);
 *   - anything else: users whose display name, mail or UPN start with it (`$search`, ConsistencyLevel: eventual,
 *     https://learn.microsoft.com/graph/search-query-parameter); where the account may not search the directory,
 *     the user with exactly that UPN.
 *
 * One search at a time per row: a newer one aborts the older (its answer is never sent), and each waits a short
 * debounce first, so a burst of searches asks Graph once and a slow answer never overwrites a newer one.
 */
import { isAzureError } from '../azure/errors';
import type { GraphClient } from '../azure/graph';
import { objectCandidate, type Candidate } from '../core/mapping';
import { sleep } from '../core/util';
import { isGuid, principalType } from '../ids';
import type { Person } from '../webview/protocol';

/** How long a row's search waits for a newer one before asking Graph. */
export const RESTORE_SEARCH_DEBOUNCE_MS = 250;

export interface FoundPrincipals {
  readonly candidates: readonly Candidate[];
  /** The account may not search the directory: only an exact UPN or id was looked up. */
  readonly forbidden: boolean;
  /** The query was an object or application id (so groups and service principals were looked up too). */
  readonly byId: boolean;
}

/** Asks the target directory's Graph for the principals `query` names (see the file comment). */
export async function findRestorePrincipals(graph: GraphClient, query: string, signal?: AbortSignal): Promise<FoundPrincipals> {
  const q = query.trim();
  if (isGuid(q)) {
    const [byId, byApp] = await Promise.all([
      graph.getByIds([q.toLowerCase()], signal),
      // Listing service principals needs Application.Read.All; without it the object id lookup still answers.
      graph.findServicePrincipalsByAppId(q.toLowerCase(), signal).catch((e: unknown) => {
        if (isAzureError(e, 'forbidden')) return [];
        throw e;
      }),
    ]);
    const unique = new Map([...byId, ...byApp].map((o) => [o.id.toLowerCase(), objectCandidate(o)]));
    return { candidates: [...unique.values()], forbidden: false, byId: true };
  }
  try {
    const found = await graph.searchUsers(q, { top: 25, signal });
    return { candidates: found.users.map(objectCandidate), forbidden: false, byId: false };
  } catch (e) {
    if (!isAzureError(e, 'forbidden')) throw e;
    const user = await graph.getUser(q, signal);
    return { candidates: user ? [objectCandidate(user)] : [], forbidden: true, byId: false };
  }
}

export function personOfCandidate(c: Candidate): Person {
  return { id: c.id, displayName: c.displayName ?? c.detail ?? c.id, detail: c.detail, type: principalType(c.type) };
}

/** The searches of one wizard: per row, the one in flight and the answer last given. */
export class RestoreSearches {
  private readonly inFlight = new Map<string, AbortController>();
  private readonly answered = new Map<string, { readonly tenantId: string; readonly candidates: ReadonlyMap<string, Candidate> }>();

  constructor(
    /** Aborted when the panel closes: every search stops. */
    private readonly closed: AbortSignal,
    private readonly debounceMs = RESTORE_SEARCH_DEBOUNCE_MS,
  ) {}

  /**
   * Runs `find` for the row after the debounce. Undefined when a newer search for the row (or the panel closing)
   * superseded it: nothing is remembered and nothing should be sent.
   */
  async search(rowId: string, tenantId: string, find: (signal: AbortSignal) => Promise<FoundPrincipals>): Promise<FoundPrincipals | undefined> {
    const key = rowId.toLowerCase();
    this.inFlight.get(key)?.abort();
    this.answered.delete(key); // the answer on screen is replaced: its results can no longer be picked
    const abort = new AbortController();
    this.inFlight.set(key, abort);
    const stop = (): void => { abort.abort(); };
    this.closed.addEventListener('abort', stop, { once: true });
    try {
      if (this.closed.aborted) return undefined;
      await sleep(this.debounceMs, abort.signal);
      const found = await find(abort.signal);
      if (abort.signal.aborted) return undefined;
      this.answered.set(key, { tenantId: tenantId.toLowerCase(), candidates: new Map(found.candidates.map((c) => [c.id.toLowerCase(), c])) });
      return found;
    } catch (e) {
      if (abort.signal.aborted) return undefined;
      throw e;
    } finally {
      this.closed.removeEventListener('abort', stop);
      if (this.inFlight.get(key) === abort) this.inFlight.delete(key);
    }
  }

  /** The candidate the last answer for the row offered with this id, in this directory; undefined if none did. */
  offered(rowId: string, tenantId: string, principalId: string): Candidate | undefined {
    const answer = this.answered.get(rowId.toLowerCase());
    return answer?.tenantId === tenantId.toLowerCase() ? answer.candidates.get(principalId.toLowerCase()) : undefined;
  }
}
