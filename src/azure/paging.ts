/**
 * Which `nextLink` / `@odata.nextLink` a listing may follow. ARM and Graph document the next-page link as an absolute
 * URL on the same service (https://learn.microsoft.com/rest/api/azure/#async-operations-throttling-and-paging), yet
 * Microsoft's own published example bodies carry placeholders (azure-rest-api-specs `GetTenants.json` and
 * `GetSubscriptions.json` answer `"nextLink": "..."`). Following such a link would request a path outside the API
 * (and fail the whole listing); sending the token to another host would leak it. So a link is followed only when it
 * is an absolute URL on the client's own origin, under its own API path; anything else ends the paging with a
 * warning and the rows already read are kept.
 */

export type NextLinkDecision =
  | { readonly follow: string }
  | { readonly stop: 'end' }
  | { readonly stop: 'malformed'; readonly warning: string };

/**
 * `next` as given by the service; `apiBase` the client's base URL (`https://management.azure.com`, or the sandbox's
 * `http://127.0.0.1:<port>/arm`); `current` the page just read (a link back to it would loop forever).
 */
export function nextLinkDecision(next: string | null | undefined, apiBase: string, current: string, what: string): NextLinkDecision {
  if (next === undefined || next === null || next === '') return { stop: 'end' };
  const base = new URL(apiBase);
  const stop = (why: string): NextLinkDecision => ({ stop: 'malformed', warning: `${what}: stopped paging after the rows already read, because the service's next-page link ${why}; the list may be incomplete.` });
  let url: URL;
  try {
    url = new URL(next); // no base: a relative link is not what ARM or Graph send
  } catch {
    return stop('is not an absolute URL');
  }
  if (url.origin !== base.origin) return stop(`points to another host (${url.host})`);
  const prefix = base.pathname.replace(/\/+$/, '') + '/';
  if (!url.pathname.startsWith(prefix) || /(^|\/)\.\.?(\/|$)/.test(url.pathname)) return stop('points outside the API');
  if (url.toString() === new URL(current).toString()) return stop('points back to the same page');
  return { follow: url.toString() };
}
