/** One clear line for an error (the CLI's stderr, and a `restore --all` row's reason). */
import { isAzureError } from '../azure/errors';
import { describeError } from '../core/describeError';
import { english } from '../core/l10n';

/**
 * One clear line: never a stack trace, never a token (the wording is core's `describeError`, shared with the editor).
 * The sign-in hint fits the mode: the directory's own `az login --tenant <its id>` on a real cloud, none with the
 * sandbox (its accounts sign in by `--account`).
 */
export function oneLineError(e: unknown, mode: { readonly sandbox: boolean } = { sandbox: false }): string {
  const tenantId = isAzureError(e) ? e.tenantId : undefined;
  const signInHint = tenantId ? `Sign in with \`az login --tenant ${tenantId}\`, or pass --account.` : 'Sign in with `az login`, or pass --account.';
  const d = describeError(e, english, { signInHint });
  const code = d.code && !d.message.includes(d.code) ? ` (${d.code})` : '';
  const fix = d.fix === undefined || (mode.sandbox && d.needsSignIn) ? '' : ` ${d.fix}${/[.!?]$/.test(d.fix) ? '' : '.'}`;
  return `${d.message}${code}${fix}`;
}
