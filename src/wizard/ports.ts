/** What the wizard needs from the extension (the panel and `extension.ts` supply it; tests supply their own). */
import type { CloudName } from '../azure/clouds';
import type { AzureSession } from '../azure/session';
import type { PendingMove } from '../core/changeDirectory';
import type { Person } from '../webview/protocol';
import type { WizardWorld } from './context';
import type { Confirmation } from './events';

export type { PendingMove };

export interface WizardLog {
  warn(message: string): void;
  error(message: string, ...details: unknown[]): void;
}

export interface WizardHost {
  /** The outside as it is now (subscriptions, directories, pending moves, other panels). */
  world(): WizardWorld;
  /** A modal confirmation (`dialogs.ts`); true only when the user chose to go ahead. */
  confirm(confirmation: Confirmation): Promise<boolean>;
  signInToDirectory(accountKey: string, tenantId: string): Promise<void>;
  revealInTree(what: { readonly accountKey: string; readonly subscriptionId?: string; readonly tenantId?: string }): Promise<void>;
  /** Shows the wizard panel that holds `subscriptionId`. */
  revealWizard(subscriptionId: string): void;
  /** Folder for snapshots and reports of `cloud` (created if missing; the sandbox's apart from a real cloud's). */
  snapshotFolder(cloud: CloudName): Promise<string>;
  rememberSnapshot(subscriptionId: string, path: string): PromiseLike<void>;
  rememberedSnapshot(subscriptionId: string): string | undefined;
  /** `PendingMoves`: the only store of move state. */
  readonly moves: {
    watch(session: AzureSession, move: PendingMove): void;
    cancel(subscriptionId: string): void;
  };
  openExternal(url: string): Promise<void>;
  copyText(text: string): Promise<void>;
  showFile(path: string): Promise<void>;
  postSearchResults(query: string, results: Person[], error: string | null): Promise<void>;
  /** Answers a restore row's search (the per-row picker), tagged with its row and query. */
  postRestoreSearchResults(rowId: string, query: string, results: Person[], error: string | null): Promise<void>;
  /** How long a row's search waits for a newer one (default `RESTORE_SEARCH_DEBOUNCE_MS`; tests shorten it). */
  readonly restoreSearchDebounceMs?: number;
  /** Reloads the signed-in accounts after one was added (`world().accounts` then lists it). */
  refreshAccounts?(): Promise<void>;
  readonly log: WizardLog;
}
