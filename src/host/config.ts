/** Typed access to our settings (`azureTenantLink.*`) and the editor's sovereign-cloud settings. */
import * as vscode from 'vscode';
import type { SovereignCloudSettings } from '../azure/clouds';
import { DIRECTORY_FILTERS, isGuid, isOneOf, type DirectoryFilter } from '../ids';

export const SECTION = 'azureTenantLink';

export type { DirectoryFilter } from '../ids';

export const SETTINGS = {
  sandboxOnStartup: 'sandbox.startOnActivation',
  sandboxScenario: 'sandbox.scenario',
  sandboxLatency: 'sandbox.latencyMs',
  graphClientId: 'graphClientId',
  graphEndpoint: 'graphEndpoint',
  directoryFilter: 'directoryFilter',
  snapshotFolder: 'snapshotFolder',
  changeDirectoryApi: 'experimental.changeDirectoryApi',
} as const;

export class Config {
  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  get sandboxOnStartup(): boolean {
    return this.section.get<boolean>(SETTINGS.sandboxOnStartup, false);
  }

  get sandboxScenario(): string {
    return this.section.get<string>(SETTINGS.sandboxScenario, '').trim();
  }

  get sandboxLatencyMs(): number {
    const v = this.section.get<number>(SETTINGS.sandboxLatency, 0);
    return Number.isFinite(v) && v > 0 ? Math.min(v, 10_000) : 0;
  }

  get graphClientId(): string | undefined {
    const v = this.section.get<string>(SETTINGS.graphClientId, '').trim();
    return isGuid(v) ? v : undefined;
  }

  get directoryFilter(): DirectoryFilter {
    const v = this.section.get<string>(SETTINGS.directoryFilter, 'all');
    return isOneOf(DIRECTORY_FILTERS, v) ? v : 'all';
  }

  setDirectoryFilter(value: DirectoryFilter): Thenable<void> {
    return this.section.update(SETTINGS.directoryFilter, value, vscode.ConfigurationTarget.Global);
  }

  get snapshotFolder(): string {
    return this.section.get<string>(SETTINGS.snapshotFolder, '').trim();
  }

  get changeDirectoryApi(): boolean {
    return this.section.get<boolean>(SETTINGS.changeDirectoryApi, false);
  }

  /** The built-in Microsoft sign-in's cloud settings, plus our Graph host override. */
  get sovereignCloud(): SovereignCloudSettings {
    const c = vscode.workspace.getConfiguration('microsoft-sovereign-cloud');
    return {
      environment: c.get<string>('environment'),
      customEnvironment: c.get<unknown>('customEnvironment'),
      graphEndpoint: this.section.get<string>(SETTINGS.graphEndpoint, '').trim() || undefined,
    };
  }

  affectsCloud(e: vscode.ConfigurationChangeEvent): boolean {
    return e.affectsConfiguration('microsoft-sovereign-cloud') || e.affectsConfiguration(`${SECTION}.${SETTINGS.graphEndpoint}`) || e.affectsConfiguration(`${SECTION}.${SETTINGS.graphClientId}`);
  }
}
