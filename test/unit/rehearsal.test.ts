/**
 * `npm start` (the sandbox rehearsal) gets a fresh run folder each time, and old run folders are pruned: its
 * snapshots must go somewhere stable instead — `.cache/rehearsal-snapshots` of the clone, the sandbox's own in its
 * `sandbox` subfolder — never into the run folder.
 */
import assert from 'node:assert/strict';
import { join, relative, sep } from 'node:path';
import { snapshotFolderFor } from '../../src/core/snapshotFolder';

describe('npm start: rehearsal snapshots survive the next start', () => {
  it('sets a snapshot folder outside the throw-away run folders, the same on every start', async () => {
    const { rehearsalSettings, REHEARSAL_SNAPSHOTS } = await import('../../scripts/lib/rehearsal.mjs');
    const CACHE = join(process.cwd(), '.cache'); // mocha runs at the clone's root; run folders are .cache/runs/…
    const folder = rehearsalSettings()['azureTenantLink.snapshotFolder'];
    assert.equal(folder, REHEARSAL_SNAPSHOTS);
    assert.equal(rehearsalSettings()['azureTenantLink.snapshotFolder'], folder, 'stable across starts');
    assert.equal(rehearsalSettings()['azureTenantLink.sandbox.startOnActivation'], true);
    const inCache = relative(CACHE, REHEARSAL_SNAPSHOTS);
    assert.ok(!inCache.startsWith('..') && inCache.split(sep)[0] !== 'runs', `${REHEARSAL_SNAPSHOTS} is in .cache, not in a run folder`);
    assert.equal(snapshotFolderFor(REHEARSAL_SNAPSHOTS, 'sandbox'), join(REHEARSAL_SNAPSHOTS, 'sandbox'), 'the sandbox\'s own folder');
    assert.equal(snapshotFolderFor(REHEARSAL_SNAPSHOTS, 'custom'), REHEARSAL_SNAPSHOTS, 'never mixed with a real cloud\'s');
  });
});
