/** Output for people (aligned table) and for scripts (stable JSON). */
export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string;
}

export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => terminalText(c.value(r))));
  const headers = columns.map((c) => terminalText(c.header));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (values: readonly string[]): string => values.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
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
