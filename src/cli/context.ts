/** What every command gets: parsed options, output, progress and a lazily opened session. */
import type { Cloud } from '../azure/clouds';
import type { AzureSession } from '../azure/session';
import { isGuid } from '../azure/models';
import { type Progress, UsageError, type CliIO } from './io';

export interface GlobalOptions {
  readonly sandbox?: string;
  readonly account: string;
  readonly cloud: Cloud;
  readonly json: boolean;
  readonly verbose: boolean;
  /** Requests in flight per throttling bucket (a subscription, a directory; default 8). */
  readonly concurrency: number;
  /** Requests in flight overall (default 64): the width of fan-outs. */
  readonly maxInFlight: number;
  /** Columns tables and prose fit (format.ts `outputWidth`); undefined = no limit. */
  readonly width: number | undefined;
}

/** Command options (one flat set: `node:util` parseArgs). */
export interface CommandValues {
  readonly tenant?: string;
  readonly subscription?: string[];
  readonly to?: string;
  readonly 'all-in'?: string;
  readonly all?: boolean;
  readonly output?: string;
  /** `snapshot -o`: replace an existing file. */
  readonly force?: boolean;
  readonly snapshot?: string;
  readonly map?: string[];
  readonly 'dry-run'?: boolean;
  readonly 'accept-policy-end'?: boolean;
  readonly user?: string[];
  readonly role?: string;
  readonly confirm?: string;
  readonly 'confirm-count'?: string;
  readonly 'snapshot-folder'?: string;
  readonly timeout?: string;
  readonly 'accept-as'?: string;
  readonly 'invite-unmatched'?: boolean;
}

export interface CommandContext {
  readonly global: GlobalOptions;
  readonly values: CommandValues;
  /** Positional arguments after the command (`restore --all <folder>`). */
  readonly args: readonly string[];
  readonly io: CliIO;
  readonly progress: Progress;
  readonly session: () => Promise<AzureSession>;
  /** A session acting as another account (`--accept-as`), same cloud and options. */
  readonly sessionAs: (account: string) => Promise<AzureSession>;
}

/** A required option that must be a GUID (usage error otherwise). */
export function guidOption(value: string | undefined, flag: string, what: string): string {
  if (value === undefined) throw new UsageError(`${flag} <${what}> is required.`);
  if (!isGuid(value)) throw new UsageError(`${flag} must be a ${what} (a GUID), got "${value}".`);
  return value.toLowerCase();
}

/** A `--subscription` value: a subscription ID, or its exact name (resolved by the core's `findSubscription`). */
export function subscriptionOption(value: string | undefined): string {
  const v = value?.trim() ?? '';
  if (v === '') throw new UsageError('--subscription <id|name> is required.');
  return isGuid(v) ? v.toLowerCase() : v;
}

/** A single subscription: exactly one `--subscription`. */
export function oneSubscription(values: CommandValues): string {
  const subs = values.subscription ?? [];
  if (subs.length > 1) throw new UsageError('Give one --subscription for this command.');
  return subscriptionOption(subs[0]);
}
