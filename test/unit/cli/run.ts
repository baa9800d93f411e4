/** Runs the CLI in-process against a sandbox and captures what it writes. */
import { main } from '../../../src/cli/main';
import type { Sandbox } from '../../../src/sandbox/server';
import { FAST_RETRY } from '../helpers';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(sandbox: Sandbox, args: readonly string[], options: { readonly account?: string; readonly tty?: boolean; readonly env?: Readonly<Record<string, string>> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => { stdout += t; }, stderr: (t: string) => { stderr += t; }, stderrIsTTY: options.tty ?? false, env: options.env ?? {}, httpRetry: FAST_RETRY };
  const account = options.account === undefined ? [] : ['--account', options.account];
  const code = await main(['--sandbox', sandbox.baseUrl, ...account, ...args], io);
  return { code, stdout, stderr };
}

/** The error output is exactly one line (no stack, no usage dump). */
export function isOneLine(text: string): boolean {
  return /^tenant-link: [^\n]+\n$/.test(text);
}
