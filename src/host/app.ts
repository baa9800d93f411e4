/** What commands and views get: the app's parts, passed explicitly (no global service locator). */
import type { Config } from './config';
import type { Log } from './log';
import type { AzureServices } from './services';
import type { DirectoriesTreeProvider } from '../views/directoriesTree';
import type * as vscode from 'vscode';
import type { Cloud, CloudName } from '../azure/clouds';
import type { Subscription } from '../azure/models';
import type { AzureSession } from '../azure/session';

/** What a command was invoked on, resolved to one subscription (see nodeArgs.ts). */
export interface SubscriptionTarget {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly cloud: Cloud;
  readonly session: AzureSession;
  readonly subscription?: Subscription;
  /** A directory the invocation suggests as the target (a right-click on an Office 365 directory). */
  readonly targetTenantId?: string;
}

export interface App {
  readonly context: vscode.ExtensionContext;
  readonly log: Log;
  readonly config: Config;
  readonly services: AzureServices;
  readonly tree: DirectoriesTreeProvider;
  openWizard(target: SubscriptionTarget): Promise<void>;
  /** Where snapshots and reports of `cloud` go (created if missing); the sandbox's in a `sandbox` folder of their own. */
  snapshotFolder(cloud: CloudName): Promise<string>;
  /** Remembers the snapshot file last saved for a subscription (per user, across windows). */
  rememberSnapshot(subscriptionId: string, path: string): Thenable<void>;
  rememberedSnapshot(subscriptionId: string): string | undefined;
  /** Stops watching a subscription's directory change (the tree's "Stop Watching"); false when none was watched. */
  stopWatching(subscriptionId: string): boolean;
}
