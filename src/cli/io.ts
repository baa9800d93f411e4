/** What the CLI writes to: injectable so tests run it in-process and capture stdout/stderr. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Is stderr a terminal (progress lines only then)? */
  readonly stderrIsTTY: boolean;
  /** stdout's columns when it is a terminal (tables fit it); undefined otherwise (then `COLUMNS`, if set). */
  readonly stdoutColumns?: number;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const processIO: CliIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  stderrIsTTY: process.stderr.isTTY,
  stdoutColumns: process.stdout.isTTY ? process.stdout.columns : undefined,
  env: process.env,
};

/** 4: a directory change was requested or accepted but is not finished (waits for acceptance, or to answer there). */
export const EXIT = { ok: 0, failure: 1, usage: 2, cannotProceed: 3, waiting: 4 } as const;

export class UsageError extends Error {}

/** A one-line progress indicator on stderr (only on a terminal). */
export class Progress {
  private active = false;
  constructor(private readonly io: CliIO) {}
  update(text: string): void {
    if (!this.io.stderrIsTTY) return;
    this.io.stderr(`\r\x1b[2K${text}`);
    this.active = true;
  }
  done(): void {
    if (this.active) this.io.stderr('\r\x1b[2K');
    this.active = false;
  }
}
