/**
 * Core stays free of `vscode`, yet its user-facing words must reach Swedish users: core functions take an `l10n`
 * with the shape of `vscode.l10n` (the extension passes `vscode.l10n`; the CLI and tests use `english`). Messages are
 * written as literal first arguments of l10n.t, so the string extractor (scripts/l10n-strings.mjs) finds them.
 */
export interface Localize {
  t(message: string, ...args: (string | number | boolean)[]): string;
}

export const english: Localize = {
  t: (message, ...args) => message.replace(/\{(\d+)\}/g, (whole, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? whole : String(v);
  }),
};
