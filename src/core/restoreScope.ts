/**
 * A snapshot file is untrusted input: before a restore writes a row, its scope must be the snapshot's own
 * subscription or below it. The scope is decoded and normalised first, and anything that could make ARM resolve it
 * elsewhere is refused — `.` and `..` segments, encoded separators or dots, backslashes, doubled slashes, a query
 * or fragment, control characters. (ARM scopes: https://learn.microsoft.com/azure/role-based-access-control/scope-overview)
 */
import type { Localize } from './l10n';

export type ScopeCheck = { readonly ok: true; readonly scope: string } | { readonly ok: false; readonly reason: string };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/** The scope, normalised (`/subscriptions/<id>` lower-case, no trailing slash), or why it is refused. */
export function checkRestoreScope(raw: string, subscriptionId: string, l10n: Localize): ScopeCheck {
  const refuse = (why: string): ScopeCheck => ({ ok: false, reason: l10n.t('refused: the scope {0} {1}', JSON.stringify(raw), why) });
  if (/%(2f|5c|2e|00)/i.test(raw)) return refuse(l10n.t('has an encoded separator or dot'));
  let scope: string;
  try {
    scope = decodeURIComponent(raw);
  } catch {
    return refuse(l10n.t('is not valid percent-encoding'));
  }
  if (CONTROL.test(scope)) return refuse(l10n.t('has control characters'));
  if (scope.includes('\\')) return refuse(l10n.t('has a backslash'));
  if (/[?#]/.test(scope)) return refuse(l10n.t('has a query or fragment'));
  const trimmed = scope.replace(/\/$/, '');
  if (!trimmed.startsWith('/') || trimmed.slice(1).split('/').some((s) => s === '')) return refuse(l10n.t('has an empty segment (doubled slash)'));
  if (trimmed.split('/').some((s) => s === '.' || s === '..')) return refuse(l10n.t('has a . or .. segment'));
  const sub = `/subscriptions/${subscriptionId.toLowerCase()}`;
  const lower = trimmed.toLowerCase();
  if (lower !== sub && !lower.startsWith(`${sub}/`)) return refuse(l10n.t('is not in subscription {0}', subscriptionId));
  return { ok: true, scope: sub + trimmed.slice(sub.length) };
}
