// The wizard UI's strings at run time: the English table (src/webview/uiStrings.ts, reached through the protocol)
// with the host's translations on top.
//
// The host sends a translated map in the `init` message (keys as below, values from `vscode.l10n.t(english)`);
// keys missing from that map fall back to the English here. Placeholders are `{0}`, `{1}`… as in vscode.l10n.
// Words (ux.md): "directory" in the UI, "tenant" only in tooltips and ids.

import { EN } from '../protocol';


export type StringKey = keyof typeof EN;

let current: Partial<Record<string, string>> = {};

/** Installs the host's translations; only string values for known keys are used. */
export function setL10n(map: Record<string, string>): void {
  const next: Partial<Record<string, string>> = {};
  for (const key of Object.keys(EN)) {
    const value = Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
    if (typeof value === 'string') next[key] = value;
  }
  current = next;
}

/** The translated string for `key`, with `{n}` replaced by `args[n]` (as plain text). */
export function t(key: StringKey, ...args: (string | number)[]): string {
  const template = current[key] ?? EN[key];
  return template.replace(/\{(\d+)\}/g, (m, i: string) => {
    const arg = args.at(Number(i));
    return arg === undefined ? m : String(arg);
  });
}
