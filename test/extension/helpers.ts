// Helpers the extension-tier suites share (not a suite file itself).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';

export const EXTENSION_ID = 'tenantlink.azure-tenant-link';

/** The extension's test hooks (activating it when needed). */
export async function api(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext);
  return ext.activate();
}

/** Polls `probe` until it returns something other than undefined. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A suite's `before` hook: waits for the sandbox the extension starts on activation; skips the suite when that is off. */
export async function sandboxStarted(this: Mocha.Context): Promise<void> {
  const a = await api();
  if (a.sandboxBaseUrl()) return;
  if (!vscode.workspace.getConfiguration('azureTenantLink').get('sandbox.startOnActivation')) this.skip();
  await waitFor('the sandbox to start', () => a.sandboxBaseUrl());
}
