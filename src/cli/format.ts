/** Output for people (aligned table, fitted to the terminal) and for scripts (stable JSON, full values). */
export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string;
}

const GAP = 2;
/** A column is never squeezed below this (or its header, or its widest value when that is shorter). */
const MIN_COLUMN = 10;

/**
 * An aligned table. With `width` (the terminal's columns), the widest columns give way until the table fits, and a
 * value longer than its column wraps onto continuation lines — nothing is cut off (`--json` has every value whole).
 */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[], width?: number): string {
  const cells = rows.map((r) => columns.map((c) => terminalText(c.value(r))));
  const headers = columns.map((c) => terminalText(c.header));
  const natural = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const widths = width === undefined ? natural : fit(natural, headers.map((h) => h.length), width);
  const render = (values: readonly string[]): string[] => {
    const wrapped = values.map((v, i) => wrap(v, widths[i] ?? v.length));
    const height = Math.max(1, ...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, k) => wrapped.map((w, i) => (w[k] ?? '').padEnd(widths[i] ?? 0)).join(' '.repeat(GAP)).trimEnd());
  };
  return [...render(headers), widths.map((w) => '-'.repeat(w)).join(' '.repeat(GAP)), ...cells.flatMap(render)].join('\n') + '\n';
}

/** Shrinks the widest columns, one character at a time, until the row fits `width` or every column is at its floor. */
function fit(natural: readonly number[], headers: readonly number[], width: number): number[] {
  const widths = [...natural];
  const floor = natural.map((n, i) => Math.min(n, Math.max(MIN_COLUMN, headers[i] ?? 0)));
  const total = (): number => widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
  while (total() > width) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) if ((widths[i] ?? 0) > (floor[i] ?? 0) && (widest < 0 || (widths[i] ?? 0) > (widths[widest] ?? 0))) widest = i;
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 1) - 1;
  }
  return widths;
}

/** Word-wraps one line of text to `width` (a word longer than that is split). */
export function wrap(text: string, width: number | undefined): string[] {
  if (width === undefined || width < 1 || text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/(?<=[\s/,;-])/)) {
    let rest = word;
    while (rest.length > 0) {
      if (line.length + rest.trimEnd().length <= width) {
        line += rest;
        rest = '';
      } else if (line.trim() !== '') {
        lines.push(line.trimEnd());
        line = '';
        rest = rest.trimStart();
      } else {
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
    }
  }
  if (line.trim() !== '') lines.push(line.trimEnd());
  return lines;
}

/** Each line of `text` wrapped to `width` (prose around the tables: summaries, notes, hints). */
export function wrapLines(text: string, width: number | undefined): string {
  return text.split('\n').flatMap((l) => wrap(l, width)).join('\n');
}

/**
 * Stable JSON. Characters JSON leaves raw but a terminal acts on (DEL, C1 controls, bidi controls, line separators)
 * are written as `\uXXXX` escapes: the same data for a script, nothing hidden or reordered on a screen.
 */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}

/**
 * C0 and C1 control characters (escape sequences start with ESC or CSI) and the Unicode bidi controls (which reorder
 * what a terminal shows: "Trojan Source", CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** One line of text a hostile name or file may carry, safe for a terminal: every control or bidi run is one space. */
export function terminalText(text: string): string {
  return text.replace(CONTROL, ' ');
}

/** Many lines for a terminal: each line made safe by `terminalText`, the line breaks kept. */
export function terminalLines(text: string): string {
  return text.split('\n').map(terminalText).join('\n');
}

/** A principal for people: its name; "(deleted principal)" only when Graph said so; "(unknown: not looked up) <id>" when the lookup failed. */
export function principalText(name: string | null, status: 'found' | 'deleted' | 'unknown', id: string): string {
  if (name !== null) return name;
  return status === 'unknown' ? `(unknown: lookup failed) ${id}` : '(deleted principal)';
}

export function yesNoUnknown(value: boolean | null): string {
  return value === null ? 'unknown' : value ? 'yes' : 'no';
}

/** The terminal's width: stdout's columns on a terminal, else `COLUMNS`; undefined = no limit (a pipe, a file). */
export function outputWidth(stdoutColumns: number | undefined, env: Readonly<Record<string, string | undefined>>): number | undefined {
  if (stdoutColumns !== undefined && stdoutColumns > 0) return stdoutColumns;
  const n = Number(env.COLUMNS);
  return Number.isInteger(n) && n >= 20 ? n : undefined;
}
