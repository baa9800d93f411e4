/**
 * What the Directories view needs from the rest of the extension: interfaces it owns, so `src/views` depends on
 * nothing of `src/host` (the host's `AzureServices` satisfies them).
 */
import type { AzureSession } from '../azure/session';

/** A signed-in account, as the tree shows it. */
export interface TreeAccount {
  readonly session: AzureSession;
  readonly isSandbox: boolean;
}

/** Where the tree gets its accounts. */
export interface AccountSource {
  accountSessions(): Promise<readonly TreeAccount[]>;
}
