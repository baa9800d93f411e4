/**
 * Where snapshots and reports of one cloud go. A rehearsal on the sandbox writes into a `sandbox` folder of its own
 * under the snapshot folder, so emulated undo data is never mixed with (or mistaken for) a real subscription's.
 */
import { join } from 'node:path';
import type { CloudName } from '../azure/clouds';

/** The folder name sandbox snapshots and reports get under the snapshot folder. */
export const SANDBOX_SNAPSHOT_FOLDER = 'sandbox';

export function snapshotFolderFor(base: string, cloud: CloudName): string {
  return cloud === 'sandbox' ? join(base, SANDBOX_SNAPSHOT_FOLDER) : base;
}
