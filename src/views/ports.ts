/**
 * What the Directories view needs from the rest of the extension: interfaces it owns, so `src/views` depends on
 * nothing of `src/host` (the host's `AzureServices` satisfies them).
 */
import type * as vscode from 'vscode';
import type { AzureSession } from '../azure/session';
import type { PendingMove, TrackProgress } from '../core/changeDirectory';

/** A signed-in account, as the tree shows it. */
export interface TreeAccount {
  readonly session: AzureSession;
  readonly isSandbox: boolean;
}

/** Where the tree gets its accounts. */
export interface AccountSource {
  accountSessions(): Promise<readonly TreeAccount[]>;
}

/**
 * Directory changes being watched (a portal hand-off, or a request accepted), until the subscription shows in its new
 * directory: the host's PendingMoves satisfies it.
 */
export interface MoveWatches {
  record(subscriptionId: string): { readonly move: PendingMove; readonly progress: TrackProgress } | undefined;
  readonly onDidProgress: vscode.Event<{ readonly subscriptionId: string }>;
}
