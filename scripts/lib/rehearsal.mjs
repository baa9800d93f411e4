// Settings of the `npm start` rehearsal. Each start gets a fresh run folder (.cache/runs/start-…, its user data and so
// the extension's global storage included), and old run folders are pruned; snapshots and reports saved during a
// rehearsal must survive that, so they go to a stable folder beside the run folders instead — the extension puts the
// sandbox's own in its `sandbox` subfolder (src/core/snapshotFolder.ts), apart from any real cloud's.
import { join } from 'node:path';
import { CACHE } from './code-server.mjs';

/** `.cache/rehearsal-snapshots` of this clone (git-ignored, never pruned, kept across `npm start`s). */
export const REHEARSAL_SNAPSHOTS = join(CACHE, 'rehearsal-snapshots');

/** The user settings `npm start` gives VS Code. */
export function rehearsalSettings() {
  return {
    'azureTenantLink.sandbox.startOnActivation': true,
    'azureTenantLink.snapshotFolder': REHEARSAL_SNAPSHOTS,
  };
}
