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
  /** Requests in flight (default 8); 1 = one request at a time. */
  readonly concurrency: number;
}

/** Command options (one flat set: `node:util` parseArgs). */
export interface CommandValues {
  readonly tenant?: string;
  readonly subscription?: string[];
  readonly to?: string;
  readonly 'all-in'?: string;
  readonly output?: string;
  readonly snapshot?: string;
  readonly map?: string[];
  readonly 'dry-run'?: boolean;
  readonly 'accept-policy-end'?: boolean;
  readonly user?: string[];
  readonly role?: string;
  readonly confirm?: string;
  readonly timeout?: string;
}

export interface CommandContext {
  readonly global: GlobalOptions;
  readonly values: CommandValues;
  readonly io: CliIO;
  readonly progress: Progress;
  readonly session: () => Promise<AzureSession>;
}

/** A required option that must be a GUID (usage error otherwise). */
export function guidOption(value: string | undefined, flag: string, what: string): string {
  if (value === undefined) throw new UsageError(`${flag} <${what}> is required.`);
  if (!isGuid(value)) throw new UsageError(`${flag} must be a ${what} (a GUID), got "${value}".`);
  return value.toLowerCase();
}

/** A single subscription: exactly one `--subscription`. */
export function oneSubscription(values: CommandValues): string {
  const subs = values.subscription ?? [];
  if (subs.length > 1) throw new UsageError('Give one --subscription for this command.');
  return guidOption(subs[0], '--subscription', 'subscription ID');
}
