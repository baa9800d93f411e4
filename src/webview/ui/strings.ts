// The wizard UI's strings at run time: the English table (src/webview/uiStrings.ts, reached through the protocol)
// with the host's translations on top.
//
// The host sends a translated map in the `init` message (keys as below, values from `vscode.l10n.t(english)`);
// keys missing from that map fall back to the English here. Placeholders are `{0}`, `{1}`… as in vscode.l10n.
// Words (ux.md): "directory" in the UI, "tenant" only in tooltips and ids.

import { EN } from '../protocol';


export type StringKey = keyof typeof EN;
/** Keys that come as a `.one` / `.other` pair (English and Swedish both have one singular and one plural form). */
export type PluralKey = { [K in StringKey]: K extends `${infer B}.one` ? (`${B}.other` extends StringKey ? B : never) : never }[StringKey];

/** The classic administrator roles the UI names (`classicRole.<id>`). */
export const CLASSIC_ROLES = ['AccountAdministrator', 'ServiceAdministrator', 'CoAdministrator'] as const;
const isClassicRole = (v: string): v is (typeof CLASSIC_ROLES)[number] => (CLASSIC_ROLES as readonly string[]).includes(v);

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

/** `t` of `key.one` when `count` is 1, else of `key.other`; `args` fill the placeholders (the count among them). */
export function tn(key: PluralKey, count: number, ...args: (string | number)[]): string {
  return t(count === 1 ? `${key}.one` : `${key}.other`, ...args);
}

/** A classic administrator's role as people read it: "ServiceAdministrator;AccountAdministrator" → two names. */
export function classicRoleNames(role: string): string {
  return role
    .split(';')
    .map((r) => r.trim())
    .filter((r) => r !== '')
    .map((r) => (isClassicRole(r) ? t(`classicRole.${r}`) : r))
    .join(', ');
}
