/**
 * Every error as the user reads it — in the tree, the wizard and the CLI: one line in the service's own words, what
 * fixes it and who can, and whether it is a sign-in problem (the only kind the tree shows as "needs sign-in").
 * Multi-factor authentication is recognised here and nowhere else.
 */
import { isAzureError } from '../azure/errors';
import type { Localize } from './l10n';

/**
 * Entra ID errors that mean "sign in interactively and complete multi-factor authentication": AADSTS50076, AADSTS50079
 * and AADSTS50158 (https://learn.microsoft.com/entra/identity-platform/reference-error-codes).
 */
export const MFA_ERROR_CODES = ['AADSTS50076', 'AADSTS50079', 'AADSTS50158'] as const;

export interface ErrorDescription {
  /** The first line of the message (never a stack trace, never a token). */
  readonly message: string;
  /** The service's error code (`AuthorizationFailed`, `AADSTS50076`…), when there is one. */
  readonly code?: string;
  readonly fix?: string;
  readonly owner?: string;
  /** The account must sign in (again) to the directory: not signed in, not a member, or MFA required. */
  readonly needsSignIn: boolean;
  /** Multi-factor authentication is required. */
  readonly mfa: boolean;
}

/** Is this Entra's "multi-factor authentication required"? */
export function isMfaError(e: unknown): boolean {
  if (!isAzureError(e)) return false;
  const code = e.code ?? '';
  return (MFA_ERROR_CODES as readonly string[]).includes(code) || /AADSTS50076|AADSTS50079|AADSTS50158|multi-factor/i.test(e.message);
}

export interface DescribeOptions {
  /** How to sign in, in the caller's terms (the CLI names `az login`); the editor's wording by default. */
  readonly signInHint?: string;
}

export function describeError(e: unknown, l10n: Localize, options: DescribeOptions = {}): ErrorDescription {
  const message = firstLine(e);
  if (!isAzureError(e)) return { message, needsSignIn: false, mfa: false };
  const mfa = isMfaError(e);
  const code = e.code;
  const base = { message, ...(code ? { code } : {}), mfa, needsSignIn: mfa || e.kind === 'notSignedIn' };
  if (e.kind === 'forbidden') return { ...base, ...(e.missing ? { fix: l10n.t('Needs: {0}', e.missing) } : {}) };
  if (e.kind === 'wrongTenant') return { ...base, fix: l10n.t('Wait up to an hour after a move, then sign in to the new directory.') };
  if (base.needsSignIn) return { ...base, fix: options.signInHint ?? l10n.t('Sign in to the directory, then try again.'), owner: l10n.t('You') };
  return base;
}

function firstLine(e: unknown): string {
  if (e instanceof Error) return e.message.split(/\r?\n/)[0] ?? e.message;
  return String(e);
}
