/** What commands and views get: the app's parts, passed explicitly (no global service locator). */
import type { Config } from './config';
import type { Log } from './log';
import type { AzureServices } from './services';
import type { DirectoriesTreeProvider } from '../views/directoriesTree';
import type { SubscriptionTarget } from './nodeArgs';
import type * as vscode from 'vscode';

export interface App {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  readonly config: Config;
  readonly services: AzureServices;
  readonly tree: DirectoriesTreeProvider;
  openWizard(target: SubscriptionTarget): Promise<void>;
  /** Where snapshots and reports go (created if missing). */
  snapshotFolder(): Promise<string>;
  /** Remembers the snapshot file last saved for a subscription (per user, across windows). */
  rememberSnapshot(subscriptionId: string, path: string): Thenable<void>;
  rememberedSnapshot(subscriptionId: string): string | undefined;
}
