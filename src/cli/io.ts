import type { RetryOptions } from '../azure/http';
import { terminalLines, terminalText } from './format';

/** What the CLI writes to: injectable so tests run it in-process and capture stdout/stderr. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Is stderr a terminal (progress lines only then)? */
  readonly stderrIsTTY: boolean;
  /** stdout's columns when it is a terminal (tables fit it); undefined otherwise (then `COLUMNS`, if set). */
  readonly stdoutColumns?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** For tests only: a shorter back-off than the HTTP layer's production default (`DEFAULT_RETRY`). */
  readonly httpRetry?: Partial<RetryOptions>;
}

export const processIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stderrIsTTY: process.stderr.isTTY,
  stdoutColumns: process.stdout.isTTY ? process.stdout.columns : undefined,
  env: process.env,
};

/**
 * Exit codes (README, CLI section): 0 ok; 1 failure (also: a restore or add-admin row failed); 2 usage error; 3 a plan
 * cannot proceed; 4 incomplete — the command finished but could not read something it needs (its result says what);
 * 5 waiting — a directory change was requested or accepted but is not finished (waits for acceptance, or to answer
 * in the target).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, cannotProceed: 3, incomplete: 4, waiting: 5 } as const;

export class UsageError extends Error {}

/**
 * What the commands write to: stderr always, and stdout unless it is `--json`, made safe for a terminal (control and
 * bidi characters a display name, a file or a service message may carry are spaces). JSON is escaped by JSON itself.
 */
export function terminalIO(io: CliIO, json: boolean): CliIO {
  return { ...io, stdout: json ? io.stdout : (t) => { io.stdout(terminalLines(t)); }, stderr: (t) => { io.stderr(terminalLines(t)); } };
}

/** A one-line progress indicator on stderr (only on a terminal). */
export class Progress {
  private active = false;
  constructor(private readonly io: CliIO) {}
  update(text: string): void {
    if (!this.io.stderrIsTTY) return;
    this.io.stderr(`\r\x1b[2K${terminalText(text)}`);
    this.active = true;
  }
  done(): void {
    if (this.active) this.io.stderr('\r\x1b[2K');
    this.active = false;
  }
}
