/**
 * The real `tenant-link` process (spawned, not in-process): it ends when its work ends. A connection error used to
 * leave the transport's 120 s timer armed, so the CLI sat for two minutes after any reset.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { english } from '../../../src/core/l10n';
import { readSnapshot } from '../../../src/core/snapshot';
import { subscriptionByName, useSandbox } from '../helpers';

interface Exited {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Still running at the deadline (then killed). */
  readonly hung: boolean;
}

const ROOT = path.resolve(__dirname, '../../..');

/** Runs `src/cli/main.ts` in its own Node process; kills it (SIGKILL) if it is still alive after `deadlineMs`. */
function spawnCli(args: readonly string[], deadlineMs: number): Promise<Exited> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung });
    });
  });
}

describe('CLI process: exits when its work ends', function () {
  this.timeout(30_000);
  const sandbox = useSandbox();

  it('exits at once after a recovered connection reset on the token endpoint (was 120 s)', async () => {
    sandbox().setFaults({ rules: [{ match: '^/token', fault: 'reset', times: 1 }] });
    const run = await spawnCli(['--sandbox', sandbox().baseUrl, '--json', 'tenants'], 20_000);
    assert.equal(run.hung, false, 'the process was still running 20 s later');
    assert.equal(run.code, 0, run.stderr);
    assert.ok((JSON.parse(run.stdout) as unknown[]).length >= 3);
  });

  it('a snapshot killed at any moment leaves no partial file at its path; the next run writes it and removes the orphan', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tenant-link-kill-'));
    const file = path.join(dir, 's.json');
    const args = ['--sandbox', sandbox().baseUrl, 'snapshot', '--subscription', subscriptionByName('Fabrikam Production'), '-o', file];
    const started = Date.now();
    const whole = await spawnCli(args, 20_000);
    assert.equal(whole.code, 0, whole.stderr);
    const runMs = Date.now() - started;
    await fs.rm(dir, { recursive: true });
    await fs.mkdir(dir);
    // Kills spread over a whole run's length: whatever moment each lands on, the path holds a whole snapshot or nothing.
    for (let i = 1; i <= 6; i++) {
      const killed = await spawnCli(args, Math.round((runMs * i) / 7));
      const there = await fs.stat(file).then(() => true, () => false);
      if (there) assert.ok((await readSnapshot(file, english)).roleAssignments.length > 0, `kill ${i}: a whole snapshot`);
      if (there || killed.code === 0) await Promise.all([fs.rm(file, { force: true }), fs.rm(file.replace(/json$/, 'csv'), { force: true })]);
    }
    const last = await spawnCli(args, 20_000);
    assert.equal(last.code, 0, last.stderr);
    assert.deepEqual((await fs.readdir(dir)).sort(), ['s.csv', 's.json'], 'no temporary file left behind');
  });
});
