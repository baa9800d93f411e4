/**
 * The real `tenant-link` process (spawned, not in-process): it ends when its work ends. A connection error used to
 * leave the transport's 120 s timer armed, so the CLI sat for two minutes after any reset.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { useSandbox } from '../helpers';

interface Exited {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Still running at the deadline (then killed). */
  readonly hung: boolean;
}

const ROOT = path.resolve(__dirname, '../../..');

/** Runs `src/cli/main.ts` in its own Node process; kills it if it is still alive after `deadlineMs`. */
export function spawnCli(args: readonly string[], deadlineMs: number): Promise<Exited> {
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
});
